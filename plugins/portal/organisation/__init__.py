"""Tổ chức và liên hệ: the organisation (units, their leaders, contacts) and
the contact details, from one YAML file (data), shown on the "Cơ cấu tổ
chức" and "Liên hệ" pages and in every page's footer."""
