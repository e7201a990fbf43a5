"""Menu, sort orders and per-article links, prepared for the templates to
display (templates show data; they do not compute it)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from ..core import vietnamese

# An article's "Tin cùng chuyên mục": the articles of its category nearest
# to it in time, as NukeViet's news module shows its newer and older ones
# (not the newest of the category, which every article page of it would
# show: one new article changed them all, 1,250 pages at 10,000 articles,
# to render in the preview and to upload on every publish).
SAME_CATEGORY_COUNT = 5
SAME_CATEGORY_NEWER = 2  # of them, at most, newer than the article
FRONT_SECTION_COUNT = 4


def prepare_listings(generator):
    """Pelican's article_generator_finalized signal."""
    context = generator.context
    key = vietnamese.vietnamese_sort_key

    for name in ("categories", "authors"):
        taxonomy = getattr(generator, name)
        taxonomy[:] = [(item, ArticleList(articles)) for item, articles in taxonomy]
        taxonomy.sort(key=lambda item: key(item[0].name))
    for tag, articles in generator.tags.items():
        generator.tags[tag] = ArticleList(articles)
    tags = sorted(generator.tags.items(), key=lambda item: key(item[0].name))
    context["categories"] = generator.categories
    context["authors"] = generator.authors
    context["tags"] = tags

    order = {name: rank for rank, name in enumerate(context.get("PORTAL_CATEGORIES", []))}
    context["PORTAL_MENU"] = sorted(
        (category for category, _ in generator.categories),
        key=lambda category: (order.get(category.name, len(order)), key(category.name)),
    )

    context["ARCHIVE_MONTHS"] = archive_months(generator.dates, context)
    context["ARCHIVE_YEARS"] = archive_years(context["ARCHIVE_MONTHS"])

    context["FRONT_SECTIONS"] = front_sections(context["PORTAL_MENU"], generator.categories,
                                               context["articles"], context["DEFAULT_PAGINATION"])

    for category, articles in generator.categories:
        for position, article in enumerate(articles):
            article.same_category = nearest_in_time(articles, position)


def nearest_in_time(articles: list, position: int) -> list:
    """SAME_CATEGORY_COUNT of `articles` (newest first) around the one at
    `position`, itself left out: up to SAME_CATEGORY_NEWER newer ones, the
    rest older; more newer ones when there are too few older."""
    older = articles[position + 1:position + 1 + SAME_CATEGORY_COUNT - min(position, SAME_CATEGORY_NEWER)]
    newer = articles[max(0, position - (SAME_CATEGORY_COUNT - len(older))):position]
    return newer + older


class ArticleList(list):
    """A tag's, category's or author's articles, whose `in` is a set look-up.

    Pelican makes each of their pages' date-ordered list with `[a for a in
    dates if a in articles]`: with a plain list, quadratic. At 10,000
    articles that was 6 s of every build (3.9 s for the tags alone).
    Articles compare by identity (Pelican's Content has no __eq__), so a set
    of ids gives the same answers. Nothing appends to these lists once the
    generator is finalized; a list that grew is looked at anew anyway."""

    def __contains__(self, item) -> bool:
        known = self.__dict__.get("_ids")
        if known is None or known[0] != len(self):
            known = self.__dict__["_ids"] = (len(self), frozenset(map(id, self)))
        return id(item) in known[1]


@dataclass
class ArchiveMonth:
    """A month of the archive: its page lists the month's articles, newest first."""

    first_day: datetime.date
    articles: list
    url: str
    save_as: str


def archive_months(dates, settings) -> list[ArchiveMonth]:
    """The months with articles, newest first (`dates`: newest first)."""
    months = defaultdict(list)
    for article in dates:
        months[article.date.date().replace(day=1)].append(article)
    return [ArchiveMonth(first_day, articles, settings["ARCHIVE_MONTH_URL"].format(date=first_day),
                         settings["ARCHIVE_MONTH_SAVE_AS"].format(date=first_day))
            for first_day, articles in months.items()]


def archive_years(months: list[ArchiveMonth]) -> list[tuple[int, list[ArchiveMonth]]]:
    """The archive page's index: [(year, its months), ...], newest first."""
    years = defaultdict(list)
    for month in months:
        years[month.first_day.year].append(month)
    return list(years.items())


def front_sections(menu, categories, articles, first_page_size) -> list:
    """The home page's blocks: [(category, its latest articles), ...] in menu
    order, leaving out the stories the front page already shows above them;
    a category with nothing left gets no block."""
    shown = set(map(id, articles[:first_page_size]))
    by_category = dict(categories)
    sections = []
    for category in menu:
        latest = [a for a in by_category.get(category, []) if id(a) not in shown][:FRONT_SECTION_COUNT]
        if latest:
            sections.append((category, latest))
    return sections
