"""Văn bản: the documents library. One Markdown file per document in
content/van-ban/ (its fields: core/document_fields.py, shared with the
browser editor), read and checked (library, attachments, pdf_text), cited
from articles as {van-ban}NUMBER (references, citations), written as a list,
a list per type and per year, and a page per document (pages)."""
