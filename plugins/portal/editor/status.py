"""The last preview build, for the banner that every open preview page and
the editor show: whether it passed, and if not, each problem as the editor
can act on it: the file, the field (by its label in the form), the line,
what is wrong and what to do, in Vietnamese, with the build's own one-line
message beside it. The terminal still prints that message as it always did.

The preview server records each build here (devserver.py); the banner
script (static/banner.js) polls current() through the preview server and the
editor server. It lives in memory: a restarted server records its first
build before anyone can ask.
"""

import os
import re
import threading
import time
from pathlib import Path

from ..core.document_fields import FIELDS as DOCUMENT_FIELDS
from ..core.problems import BuildFailed, Problem
from ..read.content_files import MARKDOWN_SUFFIXES
from ..read.header import read_header
from .form import BODY, DOCUMENT_BODY, HEADER_FORM, POLL_FORM

_lock = threading.Lock()
_current: dict = {"ok": True, "problems": [], "build": 0, "at": None}

# The build's messages that editors meet in the form, explained in
# Vietnamese: (pattern on the message, what is wrong, what to do). {label}
# is the field's label in the form; {0}, {1} the pattern's groups. A message
# without an entry here is shown as the build wrote it.
EXPLAINED = [
    (r'^Date "(.*)" is day-first; write it as (\S+)',
     "Ngày “{0}” viết theo kiểu ngày/tháng/năm.", "Viết năm-tháng-ngày: {1}."),
    (r'^Date "(.*)" is not a real date',
     "Ngày “{0}” không có thật.", "Chọn lại ngày trong ô “{label}” (năm-tháng-ngày giờ:phút)."),
    (r'^Date "(.*)" is not a date',
     "Ngày “{0}” không đúng dạng.", "Chọn lại ngày trong ô “{label}” (năm-tháng-ngày giờ:phút)."),
    (r"^(?:start|end|results: taken): (?:\"(.*)\" )?is not a (?:real )?date",
     "Ngày giờ không đúng.", "Chọn lại ngày giờ trong ô “{label}”."),
    (r"^end \((.*)\) is not after start \((.*)\)",
     "Thời điểm kết thúc ({0}) không sau thời điểm bắt đầu ({1}).",
     "Chọn lại ô “{label}” cho sau ô “Bắt đầu”."),
    (r"^\w+ is missing", "Thiếu “{label}”.", "Điền ô “{label}”."),
    (r"^\w+ is empty", "Ô “{label}” đang trống.", "Điền ô “{label}”."),
    (r"^\w+ is given twice", "“{label}” được viết hai lần trong tệp.",
     "Mở tệp bằng trình soạn thảo văn bản và giữ lại một dòng."),
    (r'^Category "(.*)" is not one of',
     "Chuyên mục “{0}” không có trong danh sách chuyên mục.", "Chọn một chuyên mục trong ô “{label}”."),
    (r'^Status "(.*)" is unknown', "Trạng thái “{0}” không hợp lệ.", "Chọn Đăng, Nháp hoặc Ẩn."),
    (r'^Slug "(.*)" may have only',
     "Địa chỉ trang “{0}” có chữ không dùng được.",
     "Chỉ dùng chữ thường không dấu, số và gạch ngang, hoặc xóa trống để tự tạo từ tiêu đề."),
    (r'^Slug "(.*)" is also used by (.*?);',
     "Địa chỉ trang “{0}” trùng với bài {1}.", "Đổi ô “{label}” thành một địa chỉ khác."),
    (r'^id "(.*)" is also used by (.*?);',
     "Mã bình chọn “{0}” trùng với {1}.", "Đổi ô “{label}”."),
    (r'^id "(.*)" may have only', "Mã bình chọn “{0}” có chữ không dùng được.",
     "Chỉ dùng chữ thường không dấu, số và gạch ngang."),
    (r"^Title is (\d+) characters long", "Tiêu đề quá dài ({0} chữ cái, tối đa 300).",
     "Rút gọn tiêu đề, đưa phần còn lại vào ô “Tóm tắt”."),
    (r'^Author "(.*)" is not a name', "Tác giả “{0}” không phải là tên người.",
     "Viết họ và tên người viết."),
    (r'^Tags has "(.*)", which is not a tag', "Chủ đề “{0}” không có chữ nào.", "Bỏ chủ đề đó."),
    (r'^"(.*)" is not a field of', "Tệp có trường “{0}” mà bài viết không có.",
     "Mở tệp bằng trình soạn thảo văn bản, xóa dòng đó hoặc sửa tên trường."),
    (r'^image "(.*)" has no alt text', "Ảnh “{0}” chưa có mô tả.",
     "Bấm vào ảnh trong ô “Nội dung” và điền “Mô tả ảnh”."),
    (r'^photo "(.*)" is not in content/', "Không có tệp ảnh “{0}”.",
     "Chọn lại ảnh, hoặc tải ảnh lên bằng nút chọn ảnh."),
    (r'^link to "(.*)" points to no file', "Liên kết tới “{0}” không dẫn tới tệp nào.",
     "Sửa hoặc xóa liên kết trong ô “Nội dung”."),
    (r'^link "(.*)" leads to no page', "Liên kết “{0}” không dẫn tới trang nào của cổng.",
     "Sửa hoặc xóa liên kết trong ô “Nội dung”."),
    (r"^options has (\d+) option", "Mới có {0} phương án.", "Thêm phương án: cần ít nhất hai."),
    (r"^the file is not UTF-8", "Tệp không lưu bằng bảng mã UTF-8.",
     "Mở tệp, lưu lại với mã hóa UTF-8."),
]
_EXPLAINED = [(re.compile(pattern), what, fix) for pattern, what, fix in EXPLAINED]
# The form's labels by field, as the files and the messages spell them.
_LABELS = {key: form.label for key, form in {**HEADER_FORM, **POLL_FORM, "body": BODY}.items()}
# Document files use some of the same names for other things ("Date" is the
# day a document was issued): their labels, for files in their folder,
# which preview_pages.attach_editor() names from DOCUMENTS_PATH.
_DOCUMENT_LABELS = {**{field.key: field.label for field in DOCUMENT_FIELDS},
                    "body": DOCUMENT_BODY.label}
_documents_folder: str | None = None
_YAML_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*:")
_LEADING_WORD = re.compile(r"^(?:results: )?([A-Za-z_]+)\b")


def label_documents_in(folder: str | None) -> None:
    global _documents_folder
    _documents_folder = os.path.abspath(folder) if folder else None


def record_build(failure: BuildFailed | None) -> None:
    """What the last build found: None when it passed."""
    problems = [explain(problem) for problem in failure.problems] if failure else []
    with _lock:
        _current.update(ok=failure is None, problems=problems, build=_current["build"] + 1,
                        at=time.strftime("%H:%M:%S"))


def current() -> dict:
    with _lock:
        return {**_current, "problems": list(_current["problems"])}


def explain(problem: Problem) -> dict:
    """One problem as the banner shows it."""
    path, line = _file_and_line(problem.where)
    in_documents = _documents_folder and os.path.abspath(path).startswith(_documents_folder + os.sep)
    labels = _DOCUMENT_LABELS if in_documents else _LABELS
    key = _field_key(problem.message, path, line, labels)
    label = labels.get(key, key)
    what = fix = ""
    for pattern, what_text, fix_text in _EXPLAINED:
        match = pattern.search(problem.message)
        if match:
            what = what_text.format(*match.groups(), label=label)
            fix = fix_text.format(*match.groups(), label=label)
            break
    return {"file": path, "line": line, "field": label, "what": what, "fix": fix,
            "message": str(problem)}


def _file_and_line(where: str) -> tuple[str, int | None]:
    path, _, line = where.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return where, None


def _field_key(message: str, path: str, line: int | None, labels: dict) -> str:
    """The field a problem is about: the field on its line of the file (or
    the text, for a line below an article's header), else the field the
    message begins with ("Title is missing")."""
    if line:
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        if path.endswith(MARKDOWN_SUFFIXES):
            header = read_header(text)
            keys = [key for key, (first, _value) in header.items() if first == line]
            if keys:  # as the form spells it ("imagecaption" is "ImageCaption")
                return next((name for name in labels if name.lower() == keys[0]), keys[0])
            if text and line > max((first for first, _value in header.values()), default=0):
                return "body"
        else:
            lines = text.splitlines()
            match = _YAML_KEY.match(lines[line - 1]) if line <= len(lines) else None
            if match and match.group(1) in labels:
                return match.group(1)
    match = _LEADING_WORD.match(message)
    return match.group(1) if match and match.group(1) in labels else ""
