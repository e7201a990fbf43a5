"""Polls: one YAML file per poll in content/polls/ (data), the sidebar block
and the results page at an explicit time (blocks), `invoke polls`."""
