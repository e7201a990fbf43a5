"""Menu, sort orders and per-article links, prepared for the templates to
display (templates show data; they do not compute it)."""

from collections import defaultdict

from ..core import vietnamese

SAME_CATEGORY_COUNT = 5
FRONT_SECTION_COUNT = 4


def prepare_listings(generator):
    """Pelican's article_generator_finalized signal."""
    context = generator.context
    key = vietnamese.vietnamese_sort_key

    generator.categories.sort(key=lambda item: key(item[0].name))
    generator.authors.sort(key=lambda item: key(item[0].name))
    tags = sorted(generator.tags.items(), key=lambda item: key(item[0].name))
    context["categories"] = generator.categories
    context["authors"] = generator.authors
    context["tags"] = tags

    order = {name: rank for rank, name in enumerate(context.get("PORTAL_CATEGORIES", []))}
    context["PORTAL_MENU"] = sorted(
        (category for category, _ in generator.categories),
        key=lambda category: (order.get(category.name, len(order)), key(category.name)),
    )

    months = defaultdict(list)
    for article in generator.dates:  # newest first
        months[article.date.date().replace(day=1)].append(article)
    context["ARCHIVE_MONTHS"] = list(months.items())

    context["FRONT_SECTIONS"] = front_sections(context["PORTAL_MENU"], generator.categories,
                                               context["articles"], context["DEFAULT_PAGINATION"])

    for category, articles in generator.categories:
        for article in articles:
            article.same_category = [
                other for other in articles if other is not article
            ][:SAME_CATEGORY_COUNT]


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
