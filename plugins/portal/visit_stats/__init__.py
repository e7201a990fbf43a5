"""Visit statistics: the sidebar block, off unless a counter is configured."""
