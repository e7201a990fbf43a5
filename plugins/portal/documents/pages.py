"""The documents library's pages: the list (newest first, paginated), a list
per type and per year, and a page per document. A Pelican generator, so the
pages go through Pelican's writer (the preview's selective writer included)
and its content_written signal, like every other page."""

from pelican.generators import Generator

from ..core.vietnamese import vietnamese_sort_key
from ..core.document_fields import FIELDS
from .library import Library

# Where the plugin puts this build's library (plugin.start_library): in the
# settings, so that the generator and every article (content_object_init) find it.
LIBRARY_SETTING = "PORTAL_DOCUMENTS"


def citing_contents(contents) -> dict:
    """{document: [the published articles (newest first), then pages, citing it]}."""
    citing = {}
    for content in contents:
        for document in getattr(content, "cited_documents", ()):
            citing.setdefault(document, []).append(content)
    for found in citing.values():
        found.sort(key=lambda content: (content.date.timestamp() if getattr(content, "date", None)
                                        else 0, content.title), reverse=True)
    return citing


def search_filters(library: Library) -> list[dict]:
    """The search page's filters, as each document page declares them to
    Pagefind (data-pagefind-filter): name, label, the values documents have."""
    return [
        {"name": "loai", "label": "Loại văn bản",
         "values": [kind for kind, _, _ in library.types()]},
        {"name": "co-quan", "label": "Cơ quan ban hành",
         "values": sorted({d.issuer for d in library.documents}, key=vietnamese_sort_key)},
        {"name": "nam", "label": "Năm ban hành",
         "values": [str(year) for year, _ in library.years()]},
    ]


class DocumentsGenerator(Generator):
    """Brought in by Pelican's get_generators signal, so it runs after the
    articles and pages are read: it lists the articles citing each document,
    and gives the home and search pages (written later) what they show."""

    def generate_context(self):
        library = self.settings.get(LIBRARY_SETTING)
        if library is None:
            return
        contents = [*self.context.get("articles", []), *self.context.get("pages", [])]
        citing = citing_contents(contents)
        for document in library.documents:
            document.cited_by = citing.get(document, [])
        self.context["LATEST_DOCUMENTS"] = library.documents[:self.settings["DOCUMENTS_ON_HOME"]]
        self.context["DOCUMENT_FILTERS"] = search_filters(library)
        self.context["DOCUMENT_LABELS"] = {field.key: field.label for field in FIELDS}
        self.context["DOCUMENTS_JUDGED_ON"] = library.today

    def generate_output(self, writer):
        library = self.settings.get(LIBRARY_SETTING)
        if library is None:
            return
        settings = self.settings
        browse = {
            "document_types": [(kind, settings["DOCUMENT_TYPE_URL"].format(slug=slug), len(docs))
                               for kind, slug, docs in library.types()],
            "document_years": [(year, settings["DOCUMENT_YEAR_URL"].format(year=year), len(docs))
                               for year, docs in library.years()],
        }
        lists = [("documents", "DOCUMENTS", {}, library.documents, {})]
        lists += [("document_type", "DOCUMENT_TYPE", {"slug": slug}, docs, {"document_type": kind})
                  for kind, slug, docs in library.types()]
        lists += [("document_year", "DOCUMENT_YEAR", {"year": year}, docs, {"document_year": year})
                  for year, docs in library.years()]
        for template_name, setting, parts, documents, extra in lists:
            writer.write_file(
                settings[f"{setting}_SAVE_AS"].format(**parts), self.get_template(template_name),
                self.context, paginated={"documents": documents}, template_name=template_name,
                url=settings[f"{setting}_URL"].format(**parts), page_name=template_name,
                **browse, **extra)
        template = self.get_template("document")
        for document in library.documents:
            writer.write_file(
                document.save_as, template, self.context, url=document.url, page_name="document",
                document=document,
                type_url=settings["DOCUMENT_TYPE_URL"].format(slug=document.type_slug),
                year_url=settings["DOCUMENT_YEAR_URL"].format(year=document.year))
