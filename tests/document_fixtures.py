"""The documents library the tests build: document files of several types,
years and relations, with real attachments (a PDF with a line of text, a
Word document, an Excel workbook), and an article citing documents."""

import io
import shutil
import zipfile

from conftest import ROOT, FixtureSite, article

NOW = "2024-05-10 12:00"  # the build's time: statuses are judged at it
SEED_PLAN_URL = "van-ban/2020/ke-hoach-01.html"

DOCUMENTS = {
    "nghi-quyet-07.md": """\
Number: 07-NQ/HU
Type: Nghị quyết
Issuer: Ban Chấp hành Đảng bộ huyện Đakrông
Signer: Lê Văn Thử
Date: 2021-03-02
Subjects: Xây dựng Đảng, Nông thôn mới
Summary: Về xây dựng nông thôn mới giai đoạn 2021-2025
Files: files/van-ban/2021/07-nq-hu.pdf
Related: 01@2020

Nghị quyết có **hiệu lực** từ ngày ký.
""",
    "quyet-dinh-125.md": """\
Number: 125/QĐ-UBND
Type: Quyết định
Issuer: Ủy ban nhân dân huyện Đakrông
Date: 2024-03-05
ValidFrom: 2024-03-15
Summary: Ban hành Quy chế làm việc của Ủy ban nhân dân huyện
Files: files/van-ban/2024/125-qd-ubnd.docx, files/van-ban/2024/Phụ lục 125.xlsx
Replaces: 12/QĐ-UBND
""",
    "quyet-dinh-12.md": """\
Number: 12/QĐ-UBND
Type: Quyết định
Issuer: Ủy ban nhân dân huyện Đakrông
Date: 2019-01-10
Summary: Ban hành Quy chế làm việc (bản cũ)
""",
    "thong-bao-15.md": """\
Number: 15-TB/HU
Type: Thông báo
Issuer: Ban Thường vụ Huyện ủy Đakrông
Date: 2022-06-01
ValidUntil: 2023-01-01
Summary: Thông báo lịch tiếp công dân năm 2022
""",
    # Its number holds "01" and its summary "kế hoạch": the plan "01" must still come first.
    "quyet-dinh-01.md": """\
Number: 01/QĐ-UBND
Type: Quyết định
Issuer: Ủy ban nhân dân huyện Đakrông
Date: 2024-01-02
Summary: Giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2024
""",
    "quyet-dinh-200.md": """\
Number: 200/QĐ-UBND
Type: Quyết định
Issuer: Ủy ban nhân dân huyện Đakrông
Date: 2024-05-01
ValidFrom: 2030-01-01
Summary: Quy định áp dụng từ năm 2030
""",
}
# Enough notices of one year for the lists to need a second page.
NOTICES = {f"thong-bao-2023-{n:02d}.md": f"""\
Number: {n}/TB-VP
Type: Thông báo
Issuer: Văn phòng Huyện ủy Đakrông
Date: 2023-{(n - 1) // 2 + 1:02d}-{(n - 1) % 2 * 14 + 1:02d}
Summary: Thông báo số {n} của Văn phòng
""" for n in range(1, 21)}

# In the resolution's PDF and nowhere else.
WORDS_ONLY_IN_THE_PDF = "Chuong trinh chuyen doi so vung dong bao"

CITING = article(
    title="Huyện triển khai quy chế làm việc mới", date="2024-03-20",
    body="Ủy ban nhân dân huyện ban hành [Quyết định 125]({van-ban}125/QD-UBND), thay thế "
         "quyết định cũ.\n\nNghị quyết [07-NQ/HU]({van-ban}07-NQ/HU) đã được quán triệt.")


def library_site(root) -> FixtureSite:
    """The project's content plus the test documents, their files and an article citing them."""
    site = FixtureSite(root)
    shutil.copytree(ROOT / "content", site.content, dirs_exist_ok=True)
    for name, text in {**DOCUMENTS, **NOTICES}.items():
        site.write(f"van-ban/{name}", text)
    site.write("files/van-ban/2021/07-nq-hu.pdf", pdf_bytes(WORDS_ONLY_IN_THE_PDF))
    site.write("files/van-ban/2024/125-qd-ubnd.docx", docx_bytes())
    site.write("files/van-ban/2024/Phụ lục 125.xlsx", xlsx_bytes())
    site.write("tin-co-so/quy-che-moi.md", CITING)
    return site


def pdf_bytes(text: str = "Quyet dinh so 125") -> bytes:
    """A one-page PDF 1.4 showing `text` (ASCII) in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx_bytes(text: str = "Quyết định") -> bytes:
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.'
            f'org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:body></w:document>"),
    })


def xlsx_bytes() -> bytes:
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>'),
    })
