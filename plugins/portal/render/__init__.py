"""What the templates get: sort orders and menus, template filters, theme
assets, the Content-Security-Policy, the marked slots filled after Pelican,
and the writer that renders only some pages (for the preview)."""
