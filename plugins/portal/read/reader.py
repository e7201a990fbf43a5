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
from .content_files import LINK_OUT_OF_CONTENT, leads_out_of
from .conversion import FieldsConvertedAlready, MarkdownConverter
from .header import content_kind, date_has_time, header_problems, read_header
from .links import images_not_on_this_site, images_without_alt, linked_file_problems
from .source_text import read_source_text

logger = logging.getLogger("portal")

# The setting where a feature lists its checks of an article's text, made
# for a file whose other problems keep it from becoming an article:
# check(html, source text, shown path) -> [ContentError].
BODY_CHECKS = "PORTAL_BODY_CHECKS"

# The files whose reading logged a warning in this build. Pelican's content
# cache must not keep them: read from the cache, a file is not read again,
# and its warning would be said once and never again (read.plugin).
read_with_warnings: set[str] = set()


class _WarningSeen(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, behind our checks of the source file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # completes settings["MARKDOWN"] (the meta extension)
        self.converter = MarkdownConverter(self.settings["MARKDOWN"], self.settings["FORMATTED_FIELDS"])

    def read(self, source_path):
        warning = _WarningSeen()
        logger.addHandler(warning)
        try:
            return self._read_checked(source_path)
        except ContentError as error:
            report_problem(error, source_path)
            raise
        finally:
            logger.removeHandler(warning)
            if warning.seen:
                read_with_warnings.add(source_path)

    def _read_checked(self, source_path):
        shown = display_path(source_path)
        if leads_out_of(source_path, self.settings["PATH"]):
            raise ContentError(shown, LINK_OUT_OF_CONTENT)
        text = read_source_text(source_path)
        header = read_header(text)
        # Every problem of the file is listed in one build: the header's and
        # the body's, so that one round of corrections is enough.
        problems = header_problems(header, shown, content_kind(source_path, self.settings), self.settings)

        self._source_path = source_path
        try:
            prepared = read_ahead.take(source_path, text) or self.converter.prepare(text)
        except RecursionError:
            # Python-Markdown recurses once per level of lists or quotes.
            raise ContentError.together(problems + [ContentError(
                shown, "lists or quotes inside one another go too deep for Markdown to read; "
                "check the indentation (4 spaces for each level of a list)")]) from None
        content = prepared.content
        if prepared.removed:
            logger.warning(
                "portal: %s: removed what could run code or is not allowed in an article: %s",
                shown, ", ".join(prepared.removed),
            )
        problems += images_not_on_this_site(prepared.images, text, shown)
        problems += images_without_alt(content, text, shown)
        # The Summary's links too: Pelican resolves them like the body's.
        linked = content + "".join(prepared.formatted.values())
        problems += linked_file_problems(linked, text, source_path, shown, self.settings["PATH"])
        if problems:
            # The file will not become an article, so the features' own
            # checks of its text (a {van-ban} citation, say) would not run:
            # they are asked here, so that one build lists every problem.
            for check in self.settings.get(BODY_CHECKS, ()):
                problems += check(linked, text, shown)
            raise ContentError.together(problems)
        self._md = FieldsConvertedAlready(prepared.formatted)
        metadata = self._parse_metadata(prepared.meta)
        if "date" in header:
            # Shown with its time only when the editor gave one.
            metadata["date_has_time"] = date_has_time(header["date"][1])
        return content, metadata
