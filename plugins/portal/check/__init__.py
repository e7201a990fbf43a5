"""Checking the built pages: what each page type must have (page_checks),
and the step that checks every page and fills its marked slots
(check_and_fill), in worker processes while Pelican writes."""
