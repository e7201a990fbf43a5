"""Photos in an article's body, once it is read and sanitised: each <img>
of a photo becomes a <figure> (its title as <figcaption>) holding a
<picture> with several widths and formats, a paragraph of photos only
becomes a gallery, and the article gets its lead photo for lists and shares.

The markup is made here, after the sanitiser (read stage): an editor cannot
write it, and the sanitiser needs to allow nothing new. Its HTML comes from
the theme's templates (partials/photo_figure.html, photo_gallery.html,
macros/photos.html); this module only prepares what they show.
"""

import functools
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2

from ..core.problems import ContentError, display_path
from ..read.links import line_of, same_name_other_case
from .photos import MIME_TYPES, Copy, Photo, PhotoError, PhotoSettings, is_photo

# An <img> tag as the sanitiser writes it: attribute values in double quotes,
# where a ">" may stand (alt="a > b").
_IMG = r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
IMG = re.compile(_IMG)
# A paragraph holding photos and nothing else (Markdown's way of writing them).
PARAGRAPH_OF_IMAGES = re.compile(rf"<p>\s*((?:{_IMG}\s*)+)</p>")
_ATTRIBUTE = re.compile(r"([a-zA-Z][\w:-]*)=\"([^\"]*)\"")
_PELICAN_LINK = re.compile(r"^(?:\{|\|)(static|attach|filename)(?:\}|\|)(.*)$")
_CREDIT = re.compile(r"\s*[(\[]?\s*Ảnh\s*:.*$", re.S)
# The width a list's or a figure's fallback <img src> has, when the photo is that wide.
FALLBACK_WIDTH = 720


@dataclass(frozen=True)
class Picture:
    """What partials/photo_figure.html and macros/photos.html show of one photo."""

    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset) of the modern formats
    src: str  # the fallback format (JPEG), about FALLBACK_WIDTH wide
    srcset: str
    width: int
    height: int
    alt: str
    caption: str
    largest: str  # the largest JPEG: the link "for those who want it"
    lead: bool  # loaded at once with fetchpriority="high"; the others are lazy


@dataclass(frozen=True)
class LeadPhoto:
    """The article's lead photo, for its page (when it comes from `Image:`),
    lists (thumb, cropped to PHOTO_THUMB_RATIO) and shares (og:image)."""

    picture: Picture
    thumb: Picture
    share_url: str
    share_width: int
    share_height: int
    alt: str
    from_header: bool  # shown above the body (Image:), not in it
    search_image: str  # the smallest thumbnail, for search results


def picture(photo: Photo, copies: list[Copy], photo_settings: PhotoSettings, alt: str,
            caption: str = "", lead: bool = False) -> Picture:
    def url(copy):
        return f"{photo_settings.siteurl}/{photo.published_path(copy, photo_settings)}"

    def srcset(image_format):
        return ", ".join(f"{url(c)} {c.width}w" for c in copies if c.format == image_format)

    fallback_format = photo_settings.formats[-1]
    fallbacks = [c for c in copies if c.format == fallback_format]
    fitting = [c for c in fallbacks if c.width <= FALLBACK_WIDTH] or fallbacks[:1]
    src = fitting[-1]
    largest_jpeg = [c for c in copies if c.format == "jpeg"] or fallbacks
    return Picture(
        sources=tuple((MIME_TYPES[f], srcset(f)) for f in photo_settings.formats[:-1]),
        src=url(src), srcset=srcset(fallback_format), width=src.width, height=src.height,
        alt=alt, caption=caption, largest=url(largest_jpeg[-1]), lead=lead,
    )


# --- Finding the photos an article shows ------------------------------------------


@dataclass
class _Found:
    tag: str  # the <img> as the sanitiser wrote it
    written: str  # its src as written
    photo: Photo | None  # None: not a photo of ours (another site's, an SVG): left as it is
    alt: str
    caption: str


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


def source_file(src: str, article_path: str, content_root: str) -> str | None:
    """The file under content/ an <img src> names, or None for another
    site's image or a data: address. `{static}/images/a.jpg` and `/images/a.jpg`
    start at content/; `anh-le.jpg` and `{static}anh-le.jpg` beside the article."""
    linked = _PELICAN_LINK.match(src)
    target = linked.group(2) if linked else src
    parsed = urlparse(target)
    if not linked and (parsed.scheme or parsed.netloc):
        return None
    relative = unquote(parsed.path)
    if not relative:
        return None
    if relative.startswith("/"):
        return os.path.normpath(os.path.join(content_root, relative.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(article_path), relative))


def missing_photo_message(written: str, path: str) -> str:
    other = same_name_other_case(Path(path))
    if other is not None:
        return (f'photo "{written}" is not there, but "{other.name}" is; '
                "write the name exactly as the file's (capital letters too)")
    return (f'photo "{written}" is not in content/ (looked for {display_path(path)}); '
            "put it in content/images/ and write ![Mô tả ảnh]({static}/images/ten-anh.jpg)")


class ArticlePhotos:
    """The photos of one article (or page) being read."""

    def __init__(self, content, build, settings):
        self.content = content
        self.build = build
        self.root = os.path.abspath(settings["PATH"])
        self.path = os.path.abspath(content.source_path)
        self.shown = display_path(content.source_path)
        self._text = None

    @property
    def text(self) -> str:
        """The source file, for line numbers in messages."""
        if self._text is None:
            try:
                self._text = Path(self.path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._text = ""
        return self._text

    def error(self, written: str, message: str, line_text: str | None = None) -> ContentError:
        return ContentError(self.shown, message, line_of(self.text, line_text or written))

    def photo_at(self, written: str, path: str) -> Photo:
        if not path.startswith(self.root + os.sep):
            raise self.error(written, f'photo "{written}" is outside content/; '
                             "put it in content/images/")
        if not os.path.isfile(path):
            raise self.error(written, missing_photo_message(written, path))
        relative = os.path.relpath(path, self.root).replace(os.sep, "/")
        try:
            return self.build.photo(path, relative)
        except PhotoError as problem:
            raise self.error(written, f'photo "{written}" {problem}') from None

    def found_in_body(self, body: str) -> list[_Found]:
        found = []
        for match in IMG.finditer(body):
            tag = match.group(0)
            attributes = _attributes(tag)
            written = attributes.get("src", "")
            path = source_file(written, self.path, self.root)
            photo = self.photo_at(written, path) if path and is_photo(path) else None
            found.append(_Found(tag, written, photo, attributes.get("alt", "").strip(),
                                attributes.get("title", "").strip()))
        return found

    def header_photo(self) -> tuple[Photo, str] | None:
        """The `Image:` field's photo and its `ImageCaption:`, if given."""
        metadata = self.content.metadata
        written = str(metadata.get("image", "") or "").strip()
        if not written:
            return None
        relative = _PELICAN_LINK.sub(r"\2", written).lstrip("/")
        path = os.path.normpath(os.path.join(self.root, unquote(relative)))
        if not is_photo(path):
            raise self.error(written, f'Image "{written}" is not a photo (JPEG, PNG, WebP, HEIC); '
                             "name a photo under content/, e.g. Image: images/2024/hoi-nghi.jpg",
                             "Image:")
        photo = self.photo_at(written, path)
        return photo, str(metadata.get("imagecaption", "") or "").strip()


@dataclass(frozen=True)
class _Made:
    """What add_photos made of one article, and the photo files it was made from."""

    stamps: tuple  # ((path, size, mtime_ns), ...)
    body: str
    lead_photo: LeadPhoto | None
    photo_copies: tuple
    summary: str | None


# The preview server reads every article again at each rebuild (Pelican's
# cache holds what the reader made, not the articles): what was made of an
# article whose text, header and photo files are unchanged is taken as made.
_made_articles: dict[tuple, _Made] = {}


def _stamp(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except OSError:
        return (path, None, None)
    return (path, stat.st_size, stat.st_mtime_ns)


def add_photos(content, build, settings) -> None:
    """Turn the photos of `content` (just read) into figures, and give it
    `lead_photo` and `photo_copies` (what the build must publish)."""
    metadata = content.metadata
    memo = (os.path.abspath(content.source_path), type(content).__name__, content._content,
            str(metadata.get("image", "")), str(metadata.get("imagecaption", "")), content.title,
            "summary" in metadata, build.photo_settings, build.templates_stamp)
    made = _made_articles.get(memo)
    if made is not None and all(_stamp(stamp[0]) == stamp for stamp in made.stamps):
        content._content, content.lead_photo = made.body, made.lead_photo
        content.photo_copies = list(made.photo_copies)
        if made.summary is not None:
            metadata["summary"] = made.summary
        for photo, copies in made.photo_copies:
            build.want(photo, copies, (memo[0], photo.relative))
        return
    had_summary = "summary" in metadata
    _add_photos(content, build, settings)
    if len(_made_articles) > 20000:
        _made_articles.clear()
    _made_articles[memo] = _Made(
        stamps=tuple(_stamp(photo.path) for photo, _ in content.photo_copies),
        body=content._content, lead_photo=content.lead_photo,
        photo_copies=tuple(content.photo_copies),
        summary=metadata.get("summary") if not had_summary else None)


def _add_photos(content, build, settings) -> None:
    reading = ArticlePhotos(content, build, settings)
    body = content._content or ""
    found = reading.found_in_body(body)
    header = reading.header_photo()
    photos = [item for item in found if item.photo is not None]
    content.photo_copies = []
    content.lead_photo = None
    if not photos and header is None:
        return
    photo_settings = build.photo_settings

    def body_picture(item: _Found, lead: bool) -> Picture:
        copies = item.photo.body_copies(photo_settings)
        build.want(item.photo, copies, (reading.path, item.written))
        content.photo_copies.append((item.photo, copies))
        return picture(item.photo, copies, photo_settings, item.alt, item.caption, lead)

    in_body = header is not None and any(item.photo.digest == header[0].digest for item in photos)
    lead_index = None
    if header is None or in_body:
        lead_digest = header[0].digest if header else photos[0].photo.digest
        lead_index = next(i for i, item in enumerate(photos) if item.photo.digest == lead_digest)
    pictures = {id(item): body_picture(item, lead=(index == lead_index))
                for index, item in enumerate(photos)}
    content._content = _figures_in(body, photos, pictures, settings, build.templates_stamp)
    if photos and "summary" not in content.metadata:
        content.metadata["summary"] = summary_without_photos(body, settings)

    if header is not None:
        lead_photo, caption = header
        alt = _alt_from_caption(caption) or content.title
        lead_picture = body_picture(_Found("", lead_photo.relative, lead_photo, alt, caption), lead=True)
    else:
        lead_photo = photos[lead_index].photo
        lead_picture = pictures[id(photos[lead_index])]
    content.lead_photo = _lead(lead_photo, lead_picture, header is not None and not in_body,
                               build, reading.path, content)


def _lead(photo: Photo, shown: Picture, from_header: bool, build, article_path: str, content) -> LeadPhoto:
    photo_settings = build.photo_settings
    thumbs = photo.thumb_copies(photo_settings)
    share = photo.share_copy(photo_settings)
    build.want(photo, [*thumbs, share], (article_path, photo.relative))
    content.photo_copies.append((photo, [*thumbs, share]))
    return LeadPhoto(
        picture=shown,
        thumb=picture(photo, thumbs, photo_settings, alt=""),  # beside its title's link: decorative
        share_url=f"{photo_settings.siteurl}/{photo.published_path(share, photo_settings)}",
        share_width=share.width, share_height=share.height, alt=shown.alt, from_header=from_header,
        search_image=f"{photo_settings.siteurl}/{photo.published_path(thumbs[0], photo_settings)}",
    )


def _alt_from_caption(caption: str) -> str:
    """'Quang cảnh hội nghị. Ảnh: T.B' → 'Quang cảnh hội nghị.': the
    photographer's credit describes no picture."""
    return _CREDIT.sub("", caption).strip()


# The bodies made before in this process (the preview server's), by what
# they are made of: the preview re-reads every article at each rebuild.
_made_bodies: dict[tuple, str] = {}


def _figures_in(body: str, photos: list[_Found], pictures: dict, settings, templates_stamp) -> str:
    memo = (body, tuple(pictures[id(item)] for item in photos), settings["THEME"], templates_stamp)
    if memo not in _made_bodies:
        if len(_made_bodies) > 20000:
            _made_bodies.clear()
        _made_bodies[memo] = _make_figures(body, photos, pictures, settings)
    return _made_bodies[memo]


_PHOTO_TEMPLATES = ("partials/photo_figure.html", "partials/photo_gallery.html",
                    "partials/photo_inline.html", "macros/photos.html")


def templates_stamp(settings) -> tuple:
    """The photo templates' modification times: an edited template makes new bodies."""
    folder = Path(settings["THEME"]) / "templates"
    return tuple(os.stat(folder / name).st_mtime_ns for name in _PHOTO_TEMPLATES)


def _make_figures(body: str, photos: list[_Found], pictures: dict, settings) -> str:
    """The body with each photo's <img> replaced by the theme's markup."""
    by_tag = {}
    for item in photos:
        by_tag.setdefault(item.tag, []).append(item)

    def take(tag):
        return by_tag[tag].pop(0) if by_tag.get(tag) else None

    templates = theme_environment(settings["THEME"])
    figure = templates.get_template("partials/photo_figure.html")
    gallery = templates.get_template("partials/photo_gallery.html")
    inline = templates.get_template("partials/photo_inline.html")
    placed = []  # made markup, kept out of the second pass

    def place(markup: str) -> str:
        placed.append(markup.strip())
        return f"\x00{len(placed) - 1}\x00"

    def paragraph(match):
        tags = IMG.findall(match.group(1))
        if any(len(by_tag.get(tag, ())) < tags.count(tag) for tag in tags):
            return match.group(0)  # another site's image among them: left to the second pass
        items = [take(tag) for tag in tags]
        shown = [pictures[id(item)] for item in items]
        if len(shown) == 1:
            return place(figure.render(photo=shown[0]))
        return place(gallery.render(photos=shown))

    body = PARAGRAPH_OF_IMAGES.sub(paragraph, body)

    def image(match):
        item = take(match.group(0))
        if item is None:
            return match.group(0)
        return place(inline.render(photo=pictures[id(item)]))

    body = IMG.sub(image, body)
    return re.sub("\x00(\\d+)\x00", lambda m: placed[int(m.group(1))], body)


_TAG = re.compile(r"<[^>]+>")


def summary_without_photos(body: str, settings) -> str:
    """The start of the body as Pelican would summarise it, without the
    photos (their captions are no summary of the article)."""
    from pelican.utils import truncate_html_words

    text = PARAGRAPH_OF_IMAGES.sub("", body)
    text = IMG.sub("", text)
    text = re.sub(r"</?a\b[^>]*>", "", text)  # links resolve only later; the summary is shown as text
    return truncate_html_words(text, settings["SUMMARY_MAX_LENGTH"], settings.get("SUMMARY_END_SUFFIX", "…"))


@functools.lru_cache(maxsize=4)
def theme_environment(theme: str) -> jinja2.Environment:
    # Like Pelican's own: autoescaped, and auto_reload notices edited templates (preview).
    return jinja2.Environment(loader=jinja2.FileSystemLoader(f"{theme}/templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True)
