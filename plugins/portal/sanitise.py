"""Article bodies through an allowlist (nh3): what an editor pasted from
anywhere can format text, never run code.
"""

import nh3

BODY_TAGS = nh3.ALLOWED_TAGS - {"center", "strike", "tt", "acronym", "map", "area"}
BODY_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "width", "height", "title", "loading"},
    "th": {"scope", "colspan", "rowspan", "headers"},
    "td": {"colspan", "rowspan", "headers"},
    "*": {"id", "lang", "title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_body(html: str) -> str:
    """The body with only allowed tags, attributes and URL schemes.

    Comments go too: editors leave notes to each other in them.
    """
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        clean_content_tags={"script", "style"},
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
