"""Decap CMS's configuration, made from the site's settings each time the
editor opens: the categories (PORTAL_CATEGORIES), the folders (PAGE_PATHS,
DOCUMENTS_PATH, POLLS_PATH), the document types (DOCUMENT_TYPES), the fields
the readers accept (read/header.py, core/document_fields.py,
core/content_fields.py) and the tags articles already use. Nothing of it is
written by hand, so nothing can drift from what the build accepts.

Paths are relative to content/, which is the local backend's whole world.
"""

import fnmatch
import os
from pathlib import Path

from pelican.readers import ensure_metadata_list

from ..core.content_fields import POLL_FIELDS, POLL_REQUIRED
from ..core.document_fields import FIELDS as DOCUMENT_FIELDS
from ..core.vietnamese import vietnamese_sort_key
from ..read.content_files import MARKDOWN_SUFFIXES
from ..read.header import ARTICLE_FIELDS, PAGE_FIELDS, address_of, read_header
from .form import (ARTICLE_REQUIRED, BODY, DOCUMENT_BODY, HEADER_FORM, PAGE_REQUIRED, POLL_FORM,
                   FormField, document_form)

# Where photos go, in content/: one of STATIC_PATHS (published through the
# photo pipeline), and the folder README.md tells editors to use.
PHOTOS_FOLDER = "images"
# The entry formats editor.js registers, one per list of header fields:
# Pelican's "Key: value" header ("pelican-article", "pelican-document"...).
PELICAN_FORMAT = "pelican"
# Header bytes read to find an article's tags: a header is a few lines.
_HEADER_BYTES = 16384


def editor_config(settings: dict, api_url: str, site_url: str) -> dict:
    """Decap's configuration (what config.yml would hold), as a dict."""
    return {
        "load_config_file": False,
        "locale": "vi",
        # The proxy backend is decap-server's protocol; naming it directly,
        # rather than `local_backend`, leaves nothing to fall back to on
        # another host when the local backend does not answer.
        "backend": {"name": "proxy", "proxy_url": api_url},
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": PHOTOS_FOLDER,
        # Photos in an article's text are linked as the build wants them.
        "public_folder": "{static}/" + PHOTOS_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [*article_collections(settings), page_collection(settings),
                        *document_collections(settings), poll_collection(settings)],
    }


def article_collections(settings: dict) -> list[dict]:
    """One collection per category, in menu order: its folder is the
    category's address, as content/ is laid out today, and its articles
    have its category (the build warns of an article whose Category is not
    its folder's): choosing the collection is choosing the category."""
    categories = settings.get("PORTAL_CATEGORIES", [])
    tags = existing_tags(settings)
    collections = []
    for category in categories:
        folder = address_of(category, settings, "CATEGORY")
        fields = header_fields(ARTICLE_FIELDS, ARTICLE_REQUIRED, settings, tags)
        for field in fields:
            if field["name"] == "Category":
                field.update(widget="select", options=[category], default=category)
        collections.append({
            "name": folder,
            "label": category,
            "label_singular": f"bài {category}",
            "description": f"Các bài của chuyên mục “{category}” (thư mục content/{folder}/).",
            "folder": folder,
            **_markdown_collection("article"),
            "fields": fields,
        })
    return collections


def page_collection(settings: dict) -> dict:
    folder = settings["PAGE_PATHS"][0]
    return {
        "name": "trang",
        "label": "Trang",
        "label_singular": "trang",
        "description": f"Trang giới thiệu và các trang không thuộc chuyên mục (content/{folder}/).",
        "folder": folder,
        **_markdown_collection("page"),
        "fields": header_fields(PAGE_FIELDS, PAGE_REQUIRED, settings, []),
    }


def _markdown_collection(kind: str) -> dict:
    return {
        "create": True,
        "extension": "md",
        "format": f"{PELICAN_FORMAT}-{kind}",
        "identifier_field": "Title",
        # editor.js fills Slug from the title before the first save, with
        # the build's own rule (the editor server's /admin/slug): the file is
        # named as the page's address.
        "slug": "{{fields.Slug}}",
        "sortable_fields": ["Date", "Title"],
    }


def document_collections(settings: dict) -> list[dict]:
    """Văn bản (documents/): none when the site has no DOCUMENTS_PATH."""
    folder = settings.get("DOCUMENTS_PATH")
    if not folder:
        return []
    fields = [decap_field(field.key, document_form(field, settings), field.required)
              for field in DOCUMENT_FIELDS]
    return [{
        "name": "van-ban",
        "label": settings.get("DOCUMENTS_TITLE", "Văn bản"),
        "label_singular": "văn bản",
        "description": f"Nghị quyết, quyết định, kế hoạch... mỗi văn bản một tệp trong "
                       f"content/{folder}/; tệp PDF, Word đặt trong content/files/.",
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": f"{PELICAN_FORMAT}-document",
        "identifier_field": "Summary",
        # The file's name; the page's address the documents feature makes itself.
        "slug": "{{fields.Type}}-{{fields.Number}}",
        "summary": "{{Type}} {{Number}}: {{Summary}}",
        "sortable_fields": ["Date", "Number"],
        "fields": [*fields, decap_field("body", DOCUMENT_BODY, False)],
    }]


def poll_collection(settings: dict) -> dict:
    folder = settings.get("POLLS_PATH", "polls")
    fields = [decap_field(key, POLL_FORM.get(key), key in POLL_REQUIRED) for key in POLL_FIELDS]
    return {
        "name": "binh-chon",
        "label": "Bình chọn",
        "label_singular": "bình chọn",
        "description": f"Mỗi cuộc bình chọn là một tệp trong content/{folder}/.",
        "folder": folder,
        "create": True,
        "extension": "yaml",
        "format": "yaml",
        "identifier_field": "question",
        "slug": "{{fields.id}}",
        "fields": fields,
    }


def header_fields(keys, required, settings: dict, tags: list[str]) -> list[dict]:
    """The form of an article or page: its header's fields in the reader's
    order, then the text."""
    fields = []
    for key in keys:
        field = decap_field(key, HEADER_FORM.get(key), key in required)
        if key == "Date" and key not in required:
            del field["default"]  # a page has no date unless its editor gives one
        elif key == "Tags":
            field["suggestions"] = tags
        elif key == "Image":
            # From content/ ("images/x.jpg"), as the Image: line is written.
            field.update(media_folder="/" + PHOTOS_FOLDER, public_folder=PHOTOS_FOLDER)
        fields.append(field)
    return [*fields, decap_field("body", BODY, "body" in required)]


def decap_field(name: str, form: FormField | None, required: bool) -> dict:
    """One field of Decap's form; a field with no form here is a text box
    named as in the file, so that a new field is never lost."""
    form = form or FormField(name)
    field = {"name": name, "label": form.label, "widget": form.widget, "required": required,
             **form.options}
    if form.hint:
        field["hint"] = form.hint
    return field


def existing_tags(settings: dict) -> list[str]:
    """Every tag articles in content/ use, once each (as the build counts a
    tag: by its address), in Vietnamese order: the suggestions of the form."""
    content = Path(settings["PATH"])
    ignored = settings.get("IGNORE_FILES", [])
    by_address = {}
    for folder, subfolders, files in os.walk(content):
        subfolders[:] = [name for name in subfolders
                         if not any(fnmatch.fnmatch(name, pattern) for pattern in ignored)]
        for name in files:
            if not name.lower().endswith(MARKDOWN_SUFFIXES) or any(
                    fnmatch.fnmatch(name, pattern) for pattern in ignored):
                continue
            try:
                with open(os.path.join(folder, name), "rb") as file:
                    text = file.read(_HEADER_BYTES).decode("utf-8", errors="replace")
            except OSError:
                continue
            _line, tags = read_header(text).get("tags", (None, ""))
            for tag in ensure_metadata_list(tags):  # split as Pelican splits them
                address = address_of(tag, settings, "TAG")
                if address:
                    by_address.setdefault(address, tag)
    return sorted(by_address.values(), key=vietnamese_sort_key)
