"""A writer that renders only some pages, beside the site: the preview
server's fast rebuilds (build.preview) ask for it with PORTAL_WRITE_ONLY
(the pages wanted) and PORTAL_WRITE_INTO (where to write them)."""

import os

from pelican.paginator import Paginator
from pelican.writers import Writer


class _RendersOnly:
    """A template that renders only the wanted pages of a paginated list
    (by Pelican's `output_file` variable); the others come out empty, in the
    staging folder, and are never used."""

    def __init__(self, template, wanted: set[str]):
        self.template = template
        self.wanted = wanted

    def render(self, context) -> str:
        if os.path.normpath(context["output_file"]) in self.wanted:
            return self.template.render(context)
        return ""


class SelectiveWriter(Writer):
    """Pelican's writer, writing only the pages named in PORTAL_WRITE_ONLY,
    into PORTAL_WRITE_INTO instead of the live site."""

    def __init__(self, output_path, settings=None):
        super().__init__(settings["PORTAL_WRITE_INTO"], settings=settings)

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        wanted = self.settings["PORTAL_WRITE_ONLY"]
        files = self.files_of(name, url, template_name, paginated, kwargs) if name else []
        if not any(os.path.normpath(page) in wanted for page in files):
            return None
        if len(files) > 1:  # the home page's list alone has 100 pages at 1,000 articles
            template = _RendersOnly(template, wanted)
        return super().write_file(name, template, context, relative_urls, paginated,
                                  template_name, override_output, url, **kwargs)

    def files_of(self, name, url, template_name, paginated, kwargs) -> list[str]:
        """The files Writer.write_file makes of `name`: one, or each page of
        a paginated list (as Pelican's own writer counts them)."""
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            return [name]
        per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                    or self.settings["DEFAULT_PAGINATION"])
        paginator = Paginator(name, url, next(iter(paginated.values())), self.settings, per_page)
        return [paginator.page(number).save_as for number in paginator.page_range]

    def write_feed(self, *args, **kwargs):
        return None  # the preview has no feeds


def selective_writer(pelican):
    """Pelican's get_writer signal: our writer only when a preview asks for it."""
    if pelican.settings.get("PORTAL_WRITE_ONLY") is not None:
        return SelectiveWriter
    return None
