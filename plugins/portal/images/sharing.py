"""What a shared link shows (Zalo, Facebook: Open Graph) and what search
engines read (JSON-LD: one NewsArticle and its BreadcrumbList), prepared
for partials/share_meta.html from the article and the settings.
"""

import json

from markupsafe import Markup

# The image shared when an article has no photo: the portal's own card.
DEFAULT_SHARE_IMAGE = ("img/share.jpg", 1200, 630)
PUBLISHER_LOGO = ("img/logo.png", 512, 512)


def _address(settings, path: str) -> str:
    return f"{settings['SITEURL']}/{path}"


def share_image(article, settings) -> dict:
    """{url, width, height, alt} of the og:image: the lead photo's crop, or the portal's card."""
    lead = getattr(article, "lead_photo", None)
    if lead is not None:
        return {"url": lead.share_url, "width": lead.share_width, "height": lead.share_height,
                "alt": lead.alt}
    path, width, height = DEFAULT_SHARE_IMAGE
    return {"url": _address(settings, settings["THEME_ASSETS"][path]), "width": width,
            "height": height, "alt": settings["SITENAME"]}


def _plain(html_text) -> str:
    return " ".join(Markup(html_text or "").striptags().split())


def open_graph(article, settings) -> list[tuple[str, str]]:
    """(property, content) pairs, in the order Facebook's debugger lists them."""
    image = share_image(article, settings)
    pairs = [
        ("og:type", "article"),
        ("og:site_name", settings["SITENAME"]),
        ("og:locale", "vi_VN"),
        ("og:title", article.title),
        ("og:description", _plain(article.summary)),
        ("og:url", _address(settings, article.url)),
        ("og:image", image["url"]),
        ("og:image:type", "image/jpeg"),
        ("og:image:width", str(image["width"])),
        ("og:image:height", str(image["height"])),
        ("og:image:alt", image["alt"]),
        ("article:published_time", article.date.isoformat()),
    ]
    if getattr(article, "modified", None):
        pairs.append(("article:modified_time", article.modified.isoformat()))
    pairs.append(("article:section", article.category.name))
    pairs += [("article:tag", tag.name) for tag in getattr(article, "tags", [])]
    return pairs


def structured_data(article, settings) -> Markup:
    """The JSON-LD of an article page, ready for <script type="application/ld+json">."""
    url = _address(settings, article.url)
    image = share_image(article, settings)
    logo, logo_width, logo_height = PUBLISHER_LOGO
    news = {
        "@type": "NewsArticle",
        "@id": f"{url}#tin-bai",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title,
        "description": _plain(article.summary),
        "image": [image["url"]],
        "datePublished": article.date.isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).isoformat(),
        "inLanguage": "vi",
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in getattr(article, "tags", [])],
        "author": [{"@type": "Person", "name": author.name, "url": _address(settings, author.url)}
                   for author in article.authors],
        "publisher": {
            "@type": "Organization",
            "name": settings["SITENAME"],
            "url": _address(settings, ""),
            "logo": {"@type": "ImageObject", "url": _address(settings, settings["THEME_ASSETS"][logo]),
                     "width": logo_width, "height": logo_height},
        },
    }
    crumbs = [("Trang chủ", _address(settings, "")),
              (article.category.name, _address(settings, article.category.url)),
              (article.title, url)]
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": number, "name": name, "item": item}
                            for number, (name, item) in enumerate(crumbs, start=1)],
    }
    data = {"@context": "https://schema.org", "@graph": [news, breadcrumbs]}
    # "</script>" inside a string would end the element: "<" is written as \u003c.
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))


def add_sharing_filters(generator):
    """Pelican's generator_init signal: {{ article|open_graph }}, {{ article|structured_data }}."""
    settings = generator.settings
    generator.env.filters.update(
        open_graph=lambda article: open_graph(article, settings),
        structured_data=lambda article: structured_data(article, settings),
    )
