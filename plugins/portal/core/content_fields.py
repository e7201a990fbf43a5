"""The fields of editors' data files that two features need: the feature
that reads the files checks them, and the browser editor (editor/) builds its
form from them. Features never import one another, so what they share lives
here, once."""

# Poll files (content/polls/*.yaml), read by polls/data.py.
POLL_SUFFIXES = (".yaml", ".yml")
POLL_FIELDS = ("id", "question", "choice", "start", "end", "options", "vote_endpoint", "results")
POLL_REQUIRED = ("id", "question", "start", "end", "options")
POLL_CHOICES = ("single", "multiple")
