"""The archive's month pages (ARCHIVE_MONTH_SAVE_AS): one page a month.

The archive page (archives.html) lists the months, each a link with its
count; each month's page lists its articles, with links to the months
before and after. One page of every article, as the archive was, weighs
3 MB at 10,000 articles (ten years of a district's news), too much for a
phone on a slow network; a month is some 85 articles, about 30 KB.
"""

from pelican.generators import Generator


class ArchiveMonthsGenerator(Generator):
    """Brought in by Pelican's get_generators signal, so it runs after the
    articles generator has grouped its articles by month (render.listings)."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        months = self.context.get("ARCHIVE_MONTHS") or []
        template = self.get_template("archive_month")
        for number, month in enumerate(months):
            writer.write_file(
                month.save_as, template, self.context, url=month.url, page_name="archive_month",
                template_name="archive_month", archive_month=month,
                newer_month=months[number - 1] if number else None,
                older_month=months[number + 1] if number + 1 < len(months) else None)


def archive_months_generator(pelican):
    """Pelican's get_generators signal."""
    return ArchiveMonthsGenerator
