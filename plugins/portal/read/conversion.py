"""Markdown to sanitised HTML: the expensive, pure part of reading a file,
which read_ahead also runs in worker processes."""

from dataclasses import dataclass

from markdown import Markdown

from ..core.workers import text_digest
from .links import image_sources
from .sanitise import clean_body, removed_markup


@dataclass
class Prepared:
    """A source's expensive, pure part: what Markdown and the sanitiser make of it."""

    source_digest: str  # of the text it was made from
    content: str  # the body, sanitised
    removed: list[str]  # what the sanitiser removed, for the warning
    meta: dict  # Markdown's metadata: {key: [lines]}
    formatted: dict  # {a formatted field's text (Summary): its HTML}
    images: list[str]  # each image's address as written, before the sanitiser drops any


class MarkdownConverter:
    """Markdown for bodies (metadata header included) and for formatted
    fields (without, as Pelican's _parse_metadata converts them). Built once
    and reset before each text: building a Markdown object costs about as
    much as converting a short article."""

    def __init__(self, markdown_settings: dict, formatted_fields):
        self.formatted_fields = formatted_fields
        self.bodies = Markdown(**markdown_settings)
        self.fields = Markdown(**markdown_settings)
        self.fields.preprocessors.deregister("meta")

    def prepare(self, text: str) -> Prepared:
        converted = self.bodies.reset().convert(text)
        content = clean_body(converted)
        meta = dict(getattr(self.bodies, "Meta", {}))
        formatted = {}
        for name, lines in meta.items():
            if name.lower() in self.formatted_fields:
                joined = "\n".join(lines)
                formatted[joined] = self.fields.reset().convert(joined)
        return Prepared(text_digest(text), content, removed_markup(converted, content), meta, formatted,
                        image_sources(converted))


class FieldsConvertedAlready:
    """Stands in for the Markdown object in Pelican's _parse_metadata, which
    converts formatted fields (Summary) itself: MarkdownConverter did it."""

    def __init__(self, formatted: dict):
        self.formatted = formatted
        self.preprocessors = self  # for preprocessors.deregister("meta")

    def deregister(self, name):
        pass

    def reset(self):
        return self

    def convert(self, text):
        return self.formatted[text]
