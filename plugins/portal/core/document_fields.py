"""The fields of a document file (content/van-ban/*.md), in the order an
editing form shows them: the one list the documents feature reads and checks
against and its pages label with, and the browser editor (editor/) builds its
form from. In core, because features never import one another (as
content_fields.py for polls).

A document file is Markdown with a header, like an article:

    Number: 125/QĐ-UBND
    Type: Quyết định
    Issuer: Ủy ban nhân dân huyện Đakrông
    Date: 2024-03-05
    Summary: Ban hành Quy chế làm việc ...
    Files: files/van-ban/2024/125-qd-ubnd.pdf

    Optional body text (Markdown).

Keys are English, as articles' are; labels are what readers and editors read.
"""

from dataclasses import dataclass

# What kind of value a field holds; the reader parses and checks each kind,
# the form (issue 14) picks a widget for it.
TEXT = "text"  # one line
CHOICE = "choice"  # one of a list in the settings (DOCUMENT_TYPES)
DATE = "date"  # 2020-09-14
LIST = "list"  # several short texts, separated by commas
FILES = "files"  # paths under content/, separated by commas
REFERENCES = "references"  # numbers of other documents, separated by commas


@dataclass(frozen=True)
class DocumentField:
    key: str  # as written in the file: "Number: ..."
    label: str  # as readers and editors see it
    kind: str
    required: bool
    example: str  # a value to show in messages and in the form
    choices_setting: str = ""  # for CHOICE: the setting listing the choices


FIELDS = (
    DocumentField("Number", "Số, ký hiệu", TEXT, True, "125/QĐ-UBND"),
    DocumentField("Type", "Loại văn bản", CHOICE, True, "Quyết định", "DOCUMENT_TYPES"),
    DocumentField("Issuer", "Cơ quan ban hành", TEXT, True, "Ban Thường vụ Huyện ủy Đakrông"),
    DocumentField("Signer", "Người ký", TEXT, False, "Nguyễn Văn A"),
    DocumentField("Date", "Ngày ban hành", DATE, True, "2020-09-14"),
    DocumentField("ValidFrom", "Ngày có hiệu lực", DATE, False, "2020-10-01"),
    DocumentField("ValidUntil", "Ngày hết hiệu lực", DATE, False, "2025-12-31"),
    DocumentField("Subjects", "Lĩnh vực", LIST, False, "Xây dựng Đảng, Tuyên giáo"),
    DocumentField("Summary", "Trích yếu", TEXT, True, "Ban hành Quy chế làm việc của ..."),
    DocumentField("Files", "Tệp văn bản", FILES, False, "files/van-ban/2020/ke-hoach-01.pdf"),
    DocumentField("Replaces", "Thay thế văn bản", REFERENCES, False, "12/QĐ-UBND"),
    DocumentField("ReplacedBy", "Được thay thế bởi", REFERENCES, False, "30/QĐ-UBND"),
    DocumentField("Related", "Văn bản liên quan", REFERENCES, False, "07-NQ/HU"),
)

BY_KEY = {field.key.lower(): field for field in FIELDS}
BODY_LABEL = "Nội dung"  # the optional Markdown after the header
