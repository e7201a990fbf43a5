"""Reading editors' Markdown: strict about what would break a page, with
messages that name the file, the line and what to do.

PortalMarkdownReader replaces Pelican's Markdown reader. It decodes the file
itself (source_text), checks the metadata header (header), converts and
sanitises the body (conversion: MarkdownConverter, which read_ahead runs in
worker processes ahead of time), then lets Pelican's reader turn the
metadata into Pelican's values.
"""

import logging

from pelican.readers import MarkdownReader

from ..core.problems import ContentError, display_path, report_problem
from . import read_ahead
from .header import check_header, content_kind, date_has_time, read_header
from .links import check_images_have_alt, check_linked_files_exist
from .conversion import MarkdownConverter, FieldsConvertedAlready
from .source_text import read_source_text

logger = logging.getLogger("portal")


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, behind our checks of the source file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # completes settings["MARKDOWN"] (the meta extension)
        self.converter = MarkdownConverter(self.settings["MARKDOWN"], self.settings["FORMATTED_FIELDS"])

    def read(self, source_path):
        try:
            return self._read_checked(source_path)
        except ContentError as error:
            report_problem(error, source_path)
            raise

    def _read_checked(self, source_path):
        shown = display_path(source_path)
        text = read_source_text(source_path)
        repeats = []
        header = read_header(text, repeats)
        check_header(header, shown, content_kind(source_path, self.settings), self.settings, repeats)

        self._source_path = source_path
        prepared = read_ahead.take(source_path, text) or self.converter.prepare(text)
        content = prepared.content
        if prepared.removed:
            logger.warning(
                "portal: %s: removed what could run code or is not allowed in an article: %s",
                shown, ", ".join(prepared.removed),
            )
        check_images_have_alt(content, text, shown)
        check_linked_files_exist(content, text, source_path, shown, self.settings["PATH"])
        self._md = FieldsConvertedAlready(prepared.formatted)
        metadata = self._parse_metadata(prepared.meta)
        if "date" in header:
            # Shown with its time only when the editor gave one.
            metadata["date_has_time"] = date_has_time(header["date"][1])
        return content, metadata
