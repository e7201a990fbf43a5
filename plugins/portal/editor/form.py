"""How the editor's form shows each field: a Vietnamese label, a hint, a
widget. Which fields a file has, and in what order, is not said here: it is
the readers' own list (read/header.py for articles and pages,
core/content_fields.py for polls, core/document_fields.py for documents,
which carries their labels too); config.py puts the two together, and a
field the readers learn without a form here still gets a plain text box.

Required fields are the ones the build refuses a file without; the tests
build a file without each field to prove the two agree.
"""

from dataclasses import dataclass, field

from ..core import document_fields

# The datetime widget's format: what the build's parse_date accepts, in the
# site's time (the form has no time zone; the build reads it as TIMEZONE).
DATE_FORMAT = "YYYY-MM-DD HH:mm"
DATE_HINT = ("Năm-tháng-ngày giờ:phút, theo giờ Việt Nam. Bấm “Ngay lúc này” để lấy "
             "giờ hiện tại của máy.")

# Status: what Pelican reads, in the words editors use; "published" first
# for a new article, so that it shows in the preview as soon as it is saved.
STATUS_LABELS = {"draft": "Nháp", "published": "Đăng", "hidden": "Ẩn"}
STATUS_HINT = ("Đăng: hiện trên trang. Nháp: chưa đăng, không hiện ở đâu (kể cả trang xem "
               "thử). Ẩn: không hiện trên trang.")


@dataclass(frozen=True)
class FormField:
    label: str
    hint: str = ""
    widget: str = "string"
    options: dict = field(default_factory=dict)  # more of Decap's field settings


# Articles and pages: by the header's field names (read/header.py).
HEADER_FORM = {
    "Title": FormField("Tiêu đề", "Viết như trên báo, tối đa 300 chữ cái."),
    "Date": FormField("Ngày đăng", DATE_HINT, "datetime",
                      {"format": DATE_FORMAT, "default": "{{now}}"}),
    "Author": FormField("Tác giả", "Họ và tên người viết, ví dụ: Nguyễn Thị Hảo."),
    # Each category is a collection of its own (config.py): its one choice.
    "Category": FormField("Chuyên mục", "Chuyên mục đang mở ở cột bên trái. Để viết cho chuyên "
                          "mục khác, chọn chuyên mục đó ở cột bên trái.", "select"),
    "Tags": FormField("Chủ đề", "Gõ một chủ đề rồi bấm Enter; chọn trong gợi ý để dùng "
                      "lại chủ đề đã có.", "portal-tags"),
    "Summary": FormField("Tóm tắt", "Một hai câu, hiện ở trang chủ và trang chuyên mục.",
                         "text"),
    "Image": FormField("Ảnh đại diện", "Hiện ở đầu bài, trang chủ và khi chia sẻ. "
                       "Bỏ trống: dùng ảnh đầu tiên trong bài.", "image",
                       {"choose_url": False}),
    "ImageCaption": FormField("Chú thích ảnh đại diện", "Hiện dưới ảnh, thường kết thúc "
                              "bằng tên người chụp: “… Ảnh: T.B”."),
    "Slug": FormField("Địa chỉ trang", "Chữ thường không dấu, nối bằng gạch ngang. Bỏ trống: "
                      "tự tạo từ tiêu đề (đ thành d) khi lưu lần đầu. Đổi địa chỉ của bài "
                      "đã đăng làm hỏng các liên kết tới bài."),
    "Status": FormField("Trạng thái", STATUS_HINT, "select",
                        {"options": [{"label": label, "value": value}
                                     for value, label in STATUS_LABELS.items()],
                         "default": "published"}),
    # Where an imported article came from (migrate/): kept, never edited.
    "OldUrl": FormField("Địa chỉ trên cổng cũ", widget="hidden"),
    "OldId": FormField("Mã bài trên cổng cũ", widget="hidden"),
}
# "body": the text after the header (a page may have none; an article may not).
ARTICLE_REQUIRED = ("Title", "Date", "Author", "Category", "body")
PAGE_REQUIRED = ("Title",)
BODY = FormField("Nội dung", "Để chèn ảnh: bấm nút + trên thanh công cụ, chọn “Ảnh”; mô tả "
                 "ảnh là bắt buộc, chú thích thì không.", "markdown",
                 # What the sanitiser keeps and editors need; code blocks are not.
                 {"buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                              "bulleted-list", "numbered-list"],
                  "editor_components": ["image"]})

# Polls: by the poll file's keys (core/content_fields.py).
POLL_FORM = {
    "id": FormField("Mã bình chọn", "Chữ thường không dấu, số, gạch ngang; không trùng với "
                    "bình chọn khác. Ví dụ: dich-vu-cong-2025. Đây cũng là tên tệp."),
    "question": FormField("Câu hỏi", "Một câu hỏi, hiện ở khối “Bình chọn” của mọi trang."),
    "choice": FormField("Cách chọn", "Người xem được chọn một hay nhiều phương án.", "select",
                        {"options": [{"label": "Chọn một phương án", "value": "single"},
                                     {"label": "Chọn nhiều phương án", "value": "multiple"}],
                         "default": "single"}),
    "start": FormField("Bắt đầu", DATE_HINT, "datetime", {"format": DATE_FORMAT}),
    "end": FormField("Kết thúc", "Phải sau lúc bắt đầu. " + DATE_HINT, "datetime",
                     {"format": DATE_FORMAT}),
    "options": FormField("Các phương án", "Ít nhất hai phương án, không trùng nhau.", "list",
                         {"field": {"name": "option", "label": "Phương án", "widget": "string"},
                          "label_singular": "phương án", "min": 2}),
    "vote_endpoint": FormField("Địa chỉ nhận phiếu", "Không bắt buộc: địa chỉ https:// của "
                               "máy chủ nhận phiếu. Bỏ trống: chỉ hiện kết quả đã công bố."),
    # Counts keyed by option: no form can edit them; kept as the file has them.
    "results": FormField("Kết quả đã công bố", widget="hidden"),
}

# Documents: their fields carry their own labels (core/document_fields.py);
# each kind of value gets a widget and a hint.
_DOCUMENT_WIDGETS = {
    document_fields.TEXT: ("string", "", {}),
    document_fields.CHOICE: ("select", "", {}),
    document_fields.DATE: ("datetime", "Năm-tháng-ngày.", {"format": "YYYY-MM-DD", "time_format": False}),
    document_fields.LIST: ("portal-tags", "Gõ rồi bấm Enter sau mỗi mục.", {}),
    document_fields.FILES: ("string", "Đường dẫn tính từ content/ (tệp đặt trong content/files/), "
                            "nhiều tệp cách nhau bằng dấu phẩy.", {}),
    document_fields.REFERENCES: ("string", "Số, ký hiệu của văn bản khác, nhiều văn bản cách nhau "
                                 "bằng dấu phẩy.", {}),
}
DOCUMENT_BODY = FormField(document_fields.BODY_LABEL, "Không bắt buộc: toàn văn hoặc phần giới "
                          "thiệu văn bản.", "markdown", BODY.options)


def document_form(document_field: document_fields.DocumentField, settings: dict) -> FormField:
    widget, hint, options = _DOCUMENT_WIDGETS.get(document_field.kind, ("string", "", {}))
    if document_field.choices_setting:
        options = {**options, "options": list(settings.get(document_field.choices_setting, []))}
    example = f"Ví dụ: {document_field.example}"
    example += "" if example.endswith((".", "…")) else "."
    return FormField(document_field.label, f"{hint} {example}".strip(), widget, options)
