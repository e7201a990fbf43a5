"""Old portals to import, rendered the way NukeViet 4 and mojoPortal render
them: NukeViet's pages from its own templates (tests/fixtures/old-portals/
nukeviet/*.tpl, through a small XTemplate), mojoPortal's from the markup of
its BlogViewControl.ascx; with a sitemap, category pages with pagination, a
customised theme, a body pasted from Word, attachments, a page that 404s,
two articles with one alias, and a NukeViet database backup.

Each site is {path with query: (status, bytes, content type)}: served over
HTTP by `serve_site`, packed into a WARC by `write_warc`, laid out as
`wget --mirror` leaves it by `write_mirror`.
"""

import functools
import io
import re
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TEMPLATES = Path(__file__).parent / "fixtures" / "old-portals" / "nukeviet"



def photo(colour=(180, 40, 30)) -> bytes:
    """A real JPEG; each photo of the fixtures its own colour (its own bytes)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 533), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# Small real files: a photo, a PDF, a DOCX (zip) header.
JPEG = photo()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + bytes(60)


# --- A minimal XTemplate: <!-- BEGIN: x --> blocks and {VAR.key} ------------------------------

_BLOCK = re.compile(r"<!-- BEGIN: (\w+) -->(.*?)<!-- END: \1 -->", re.S)
_VARIABLE = re.compile(r"\{([A-Z][A-Z0-9_]*)(?:\.([a-z_][a-z0-9_.]*))?\}")


def xtemplate(text: str, blocks: dict, variables: dict, path: str = "") -> str:
    """Render as XTemplate does after $xtpl->parse(...) of each path in
    `blocks` ({path: [extra variables per parse]}); blocks not parsed vanish."""
    def block(match):
        name, inner = match.group(1), match.group(2)
        full = f"{path}.{name}" if path else name
        return "".join(xtemplate(inner, blocks, {**variables, **extra}, full) for extra in blocks.get(full, []))

    rendered = _BLOCK.sub(block, text)

    def variable(match):
        value = variables.get(match.group(1), "")
        for key in (match.group(2) or "").split(".") if match.group(2) else []:
            value = value.get(key, "") if isinstance(value, dict) else ""
        return str(value)

    return _VARIABLE.sub(variable, rendered)


LANG = {"author": "Tác giả", "source": "Nguồn tin", "files": "File đính kèm", "tags": "Tags",
        "download": "Tập tin", "view": "Xem", "print": "In ra", "sendmail": "Gửi email", "savefile": "Lưu bài viết này"}
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]


def nukeviet_page(title: str, content: str, canonical: str = "", section: str = "") -> bytes:
    """NukeViet's layout around a module's output (the parts the import reads)."""
    head = [f"<title>{title} - Đảng bộ huyện Đakrông</title>", '<meta name="generator" content="NukeViet v4.5">']
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if section:
        head += ['<meta property="og:type" content="article">',
                 f'<meta property="article:section" content="{section}">',
                 # what NukeViet really prints (PHP date "T" is the zone's name): never used
                 '<meta property="article:published_time" content="2020-09-14ICT08:30:00">']
    menu = "".join(f'<li><a href="/news/{alias}/">{name}</a></li>' for alias, name in CATEGORIES.items())
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">{"".join(head)}</head><body>'
            f'<nav><ul class="nav navbar-nav"><li><a href="/">Trang chủ</a></li>{menu}</ul></nav>'
            f'<div class="col-md-18">{content}</div><footer>Cổng TTĐT</footer></body></html>').encode("utf-8")


CATEGORIES = {"tin-co-so": "Tin cơ sở", "xay-dung-dang": "Xây dựng Đảng", "kinh-te": "Kinh tế"}
HOST = "http://nukeviet.test"


def nukeviet_detail(article: dict) -> bytes:
    weekday = WEEKDAYS[article["weekday"]]
    detail = {**article, "publtime": f"{weekday} - {article['when']}", "image": article.get("image", {})}
    blocks = {"main": [{}], "main.showhometext": [{}], "main.allowed_print": [{}]}
    if article.get("image"):
        blocks["main.showhometext.imgfull"] = [{}]
        if article["image"].get("note"):
            blocks["main.showhometext.imgfull.note"] = [{}]
    if article.get("files"):
        blocks["main.files"] = [{}]
        blocks["main.files.loop"] = [{"FILE": file} for file in article["files"]]
    if article.get("author") or article.get("source"):
        blocks["main.author"] = [{}]
        if article.get("author"):
            blocks["main.author.name"] = [{}]
        if article.get("source"):
            blocks["main.author.source"] = [{}]
    if article.get("keywords"):
        blocks["main.keywords"] = [{}]
        blocks["main.keywords.loop"] = [{"KEYWORD": word, "LINK_KEYWORDS": f"/news/tag/{word}",
                                         "SLASH": ", " if i < len(article["keywords"]) - 1 else ""}
                                        for i, word in enumerate(article["keywords"])]
    html = xtemplate((TEMPLATES / "detail.tpl").read_text(encoding="utf-8"), blocks,
                     {"DETAIL": detail, "LANG": LANG, "URL_PRINT": "#", "TITLE": article["title"]})
    path = article_path(article)
    return nukeviet_page(article["title"], html, HOST + path, CATEGORIES[article["cat"]])


def article_path(article: dict) -> str:
    return f"/news/{article['cat']}/{article['alias']}-{article['id']}.html"


WORD_BODY = (
    '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->'
    '<p class="MsoNormal" style="margin-bottom:6.0pt;text-align:justify;mso-line-height-alt:14.0pt">'
    '<span lang="VI" style="font-size:14.0pt;font-family:&quot;Times New Roman&quot;;mso-ansi-language:VI">'
    + unicodedata.normalize("NFD", "Hội nghị học tập") +
    '&nbsp;&nbsp;&nbsp;&nbsp; chuyên đề năm 2021<o:p></o:p></span></p>'
    '<p class="MsoNormal"><span style="mso-spacerun:yes">&nbsp;</span><o:p>&nbsp;</o:p></p>'
    '<p class="MsoNormal" style="mso-list:l0 level1 lfo1"><b><span style="font-size:14.0pt">'
    'Các đồng chí&nbsp;Bí thư chi bộ</span></b><span> tham dự đầy đủ.</span></p>'
)

NUKEVIET_ARTICLES = [
    {"id": 9, "cat": "tin-co-so", "alias": "tap-huan-nghiep-vu-cong-tac-dang", "weekday": 2,
     "when": "05/08/2020 14:00", "title": "Tập huấn nghiệp vụ công tác Đảng năm 2020",
     "hometext": "Lớp tập huấn cho 120 cán bộ cơ sở.", "bodyhtml": "<p>Lớp tập huấn kéo dài hai ngày.</p>",
     "author": "Hồ Văn Dũng", "in_sitemap": False},
    {"id": 12, "cat": "tin-co-so", "alias": "dang-bo-huyen-dakrong-quyet-tam", "weekday": 0,
     "when": "14/09/2020 08:30",
     "title": "Đảng bộ huyện Đakrông quyết tâm đưa Nghị quyết Đại hội vào cuộc sống",
     "hometext": "Đại hội đại biểu Đảng bộ huyện Đakrông lần thứ VI đã thành công tốt đẹp.",
     "image": {"src": "/uploads/news/2020_09/dai-hoi.jpg", "alt": "Quang cảnh Đại hội", "width": 600,
               "note": "Quang cảnh Đại hội. Ảnh: T.B"},
     "bodyhtml": ('<p>Nghị quyết xác định <strong>phương hướng</strong> và mục tiêu tổng quát.</p>'
                  '<table class="table"><thead><tr><th>Chỉ tiêu</th><th>Năm 2025</th></tr></thead>'
                  '<tbody><tr><td>Tăng trưởng</td><td>14-15%</td></tr><tr><td>Nông thôn mới</td>'
                  '<td>03 - 04 xã</td></tr></tbody></table>'
                  '<p style="text-align:center"><img alt="Hội nghị quán triệt" src="/uploads/news/2020_09/hoi-nghi.jpg" '
                  'style="width:600px" /></p>'
                  '<p>Xem thêm <a href="/news/xay-dung-dang/hoi-nghi-hoc-tap-chuyen-de-15.html">hội nghị học tập</a>.</p>'),
     "author": "Nguyễn Thị Hảo", "source": "Ban Tuyên giáo Huyện ủy",
     "keywords": ["Nghị quyết Đại hội", "Xây dựng Đảng"]},
    {"id": 15, "cat": "xay-dung-dang", "alias": "hoi-nghi-hoc-tap-chuyen-de", "weekday": 3,
     "when": "11/03/2021 07:45", "title": "Hội nghị học tập chuyên đề năm 2021",
     "hometext": "Hội nghị trực tuyến đến 14 điểm cầu.", "bodyhtml": WORD_BODY, "author": "Lê Văn Bình"},
    {"id": 18, "cat": "tin-co-so", "alias": "ke-hoach-trien-khai-nghi-quyet", "weekday": 4,
     "when": "18/09/2020 10:00", "title": "Kế hoạch triển khai Nghị quyết Đại hội",
     "hometext": "Ban Thường vụ Huyện ủy ban hành Kế hoạch số 01.",
     "bodyhtml": "<p>Toàn văn kế hoạch và danh sách kèm theo.</p>", "source": "Văn phòng Huyện ủy",
     "files": ["2020_09/ke-hoach-01.pdf", "2020_09/danh-sach.docx"]},
    {"id": 25, "cat": "xay-dung-dang", "alias": "dang-bo-huyen-dakrong-quyet-tam", "weekday": 6,
     "when": "03/01/2021 09:00", "title": "Đảng bộ huyện Đakrông quyết tâm hoàn thành chỉ tiêu 2021",
     "hometext": "Cùng một đường dẫn với một bài năm 2020.", "bodyhtml": "<p>Năm 2021 bắt đầu.</p>",
     "author": "Nguyễn Thị Hảo"},
]
# A page of a theme a developer customised: none of the default classes.
CUSTOM_ARTICLE = {"id": 21, "cat": "kinh-te", "alias": "trong-rung-gan-voi-giam-ngheo",
                  "title": "Trồng rừng gắn với giảm nghèo bền vững"}
CUSTOM_PAGE = (
    '<div class="chi-tiet"><h1 class="tieu-de">Trồng rừng gắn với giảm nghèo bền vững</h1>'
    '<p class="ngay-dang">Ngày đăng: 05/01/2021 07:15</p>'
    '<div class="tom-tat">Mô hình trồng rừng ở xã Tà Rụt.</div>'
    '<div class="noi-dung"><p>Người dân được hỗ trợ cây giống.</p></div>'
    '<p class="tac-gia">Tác giả: Phan Thị Mai</p></div>')
CUSTOM_PROFILE = """\
nukeviet:
  article: "#news-bodyhtml, .chi-tiet .noi-dung"
  title: "h1.title[itemprop=headline], .chi-tiet h1.tieu-de"
  date: ".news_column span.h5, .chi-tiet .ngay-dang"
  lead: ".hometext, .chi-tiet .tom-tat"
  body: "#news-bodyhtml, .chi-tiet .noi-dung"
  byline: ".news_column p.h5, .chi-tiet .tac-gia"
"""


def _nukeviet_files(article):
    files = []
    for index, name in enumerate(article.get("files", [])):
        files.append({"key": index, "title": name.rsplit("/", 1)[-1], "titledown": f"{LANG['download']} {index + 1}",
                      "url": f"{article_path(article)}?download=1&amp;id={index}", "ext": name.rsplit(".", 1)[-1]})
    return files


def nukeviet_site() -> dict:
    site = {}
    for article in NUKEVIET_ARTICLES:
        shown = {**article, "files": _nukeviet_files(article)}
        site[article_path(article)] = (200, nukeviet_detail(shown), "text/html; charset=utf-8")
        for index, name in enumerate(article.get("files", [])):
            body = PDF if name.endswith(".pdf") else DOCX
            site[f"{article_path(article)}?download=1&id={index}"] = (200, body, "application/octet-stream")
            site[f"/uploads/news/{name}"] = (200, body, "application/octet-stream")
    site[article_path(CUSTOM_ARTICLE)] = (200, nukeviet_page(CUSTOM_ARTICLE["title"], CUSTOM_PAGE), "text/html")
    site["/uploads/news/2020_09/dai-hoi.jpg"] = (200, JPEG, "image/jpeg")
    site["/uploads/news/2020_09/hoi-nghi.jpg"] = (200, photo((30, 120, 40)), "image/jpeg")
    # Category pages: NukeViet's viewcat_page.tpl with nv_alias_page()'s pagination.
    pages = {"tin-co-so": [[12, 18], [9]], "xay-dung-dang": [[15, 25]], "kinh-te": [[21]]}
    by_id = {a["id"]: a for a in NUKEVIET_ARTICLES + [CUSTOM_ARTICLE]}
    for cat, listed in pages.items():
        for number, ids in enumerate(listed, start=1):
            contents = [{"CONTENT": {"link": article_path(by_id[i]), "title": by_id[i]["title"],
                                     "publtime": by_id[i].get("when", ""), "hometext": by_id[i].get("hometext", "")}}
                        for i in ids]
            blocks = {"main": [{}], "main.viewcatloop": [{}], "main.viewcatloop.news": contents}
            if len(listed) > 1:
                blocks["main.generate_page"] = [{"GENERATE_PAGE": _pagination(cat, number, len(listed))}]
            html = xtemplate((TEMPLATES / "viewcat_page.tpl").read_text(encoding="utf-8"), blocks, {"LANG": LANG})
            path = f"/news/{cat}/" if number == 1 else f"/news/{cat}/page-{number}"
            site[path] = (200, nukeviet_page(CATEGORIES[cat], html), "text/html; charset=utf-8")
    site["/"] = (200, nukeviet_page("Trang chủ", "<p>Chào mừng</p>"), "text/html; charset=utf-8")
    listed = [a for a in NUKEVIET_ARTICLES if a.get("in_sitemap", True)] + [CUSTOM_ARTICLE]
    urls = "".join(f"<url><loc>{HOST}{article_path(a)}</loc></url>" for a in listed)
    urls += f"<url><loc>{HOST}/news/tin-co-so/bai-da-xoa-30.html</loc></url>"  # deleted since: a 404
    site["/sitemap-vi.news.xml"] = (200, f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(), "application/xml")
    site["/sitemap.xml"] = (200, f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{HOST}/sitemap-vi.news.xml</loc></sitemap></sitemapindex>'.encode(), "application/xml")
    site["/robots.txt"] = (200, f"User-agent: *\nDisallow: /admin/\nSitemap: {HOST}/sitemap.xml\n".encode(), "text/plain")
    return site


def _pagination(cat, on_page, total):
    """nv_alias_page()'s markup (includes/functions.php), up to 7 pages."""
    base = f"/news/{cat}"
    items = []
    for number in range(1, total + 1):
        if number == on_page:
            items.append(f'<li class="page-item active"><a class="page-link" href="javascript:void(0)">{number}</a></li>')
        else:
            href = base if number == 1 else f"{base}/page-{number}"
            rel = "next" if number > on_page else "prev"
            items.append(f'<li class="page-item"><a class="page-link" rel="{rel}" title="Trang {number}" href="{href}">{number}</a></li>')
    return f'<ul class="pagination">{"".join(items)}</ul>'


# --- mojoPortal --------------------------------------------------------------------------------------

MOJO_HOST = "http://mojo.test"


def mojo_post(title, date, author, tags, body, featured="") -> bytes:
    """BlogViewControl.ascx as mojoPortal renders it (HeadingControl: h2.moduletitle)."""
    tag_links = "".join(f'<a href="/Blog/ViewCategory.aspx?cat=3&amp;mid=12&amp;pageid=5" data-category="{t}">{t}</a>'
                        for t in tags)
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            '<form method="post" action="./" id="aspnetForm"><div class="wrapcenter">'
            '<div class="panelwrapper blogwrapper blogview"><h2 class=" moduletitle ">' + title + '</h2>'
            '<div class="modulecontent"><div class="blogcenter-nonav">'
            f'<div class="blogdate blog-list-view__post-date--top"><span class="blogauthor">Posted by {author}</span>'
            f'<span class="bdate">{date}</span><span class="blogtags tagslabel">Categories:</span>'
            f'<span class="blogtags">{tag_links}</span></div>'
            f'<div>{featured}<div class="blogtext">{body}</div></div>'
            '<div class="clear blogdate"><span class="blogauthor"></span></div>'
            '</div></div></div></div></form></body></html>').encode("utf-8")


MOJO_POSTS = {
    "/Blog/ViewPost.aspx?pageid=5&mid=12&ItemID=123": mojo_post(
        "Hội nghị tổng kết công tác Mặt trận năm 2020", "14 Tháng Mười Hai 2020 2:30:00 CH",
        "Trần Văn Cường", ["Tin cơ sở"],
        '<p>Hội nghị diễn ra tại hội trường huyện.</p><p><img src="/Data/Sites/1/media/hoi-nghi-mat-tran.jpg" '
        'alt="Đại biểu dự hội nghị" /></p><p>Tải <a href="/Data/Sites/1/media/bao-cao-tong-ket.pdf">báo cáo</a>.</p>'),
    "/le-ra-quan-xay-dung-nong-thon-moi.aspx": mojo_post(
        "Lễ ra quân xây dựng nông thôn mới", "02/03/2021 07:30", "Hồ Thị Lan", ["Kinh tế"],
        "<p>Hơn 500 đoàn viên tham gia.</p>",
        '<figure class="blog-post__featured-image-figure"><img class="blog-post__featured-image" '
        'alt="Lễ ra quân xây dựng nông thôn mới" src="/Data/Sites/1/blog/featured/ra-quan.jpg" /></figure>'),
}


def mojo_site() -> dict:
    site = {path: (200, body, "text/html; charset=utf-8") for path, body in MOJO_POSTS.items()}
    site["/Blog/ViewPost.aspx?pageid=5&mid=12&ItemID=999"] = (404, b"<html><body>Not found</body></html>", "text/html")
    site["/Data/Sites/1/media/hoi-nghi-mat-tran.jpg"] = (200, photo((40, 60, 160)), "image/jpeg")
    site["/Data/Sites/1/blog/featured/ra-quan.jpg"] = (200, photo((200, 160, 30)), "image/jpeg")
    site["/Data/Sites/1/media/bao-cao-tong-ket.pdf"] = (200, PDF, "application/pdf")
    return site


# --- Serving, archiving, mirroring --------------------------------------------------------------------


class _OldSiteHandler(BaseHTTPRequestHandler):
    def __init__(self, *args, site, requests, **kwargs):
        self.site, self.requests = site, requests
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self.requests.append((self.path, self.headers.get("User-Agent", "")))
        status, body, content_type = self.site.get(self.path, (404, b"<html><body>404</body></html>", "text/html"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def serve_site(site: dict):
    """(server, address, requests): the old site on 127.0.0.1; `requests`
    lists (path, User-Agent) of each request, in order."""
    requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_OldSiteHandler, site=site, requests=requests))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", requests


def write_warc(site: dict, host: str, path: Path) -> Path:
    """The site as a web archive would hold it (warcio), 404s included."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for address, (status, body, content_type) in site.items():
            reason = "OK" if status == 200 else "Not Found"
            headers = StatusAndHeaders(f"{status} {reason}", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(host + address, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    return path


def write_mirror(site: dict, host: str, folder: Path) -> Path:
    """The site as `wget --mirror --adjust-extension` leaves it: host/path, "?" kept in names."""
    root = folder / host.split("://", 1)[1]
    for address, (status, body, _type) in site.items():
        if status != 200 or address.endswith((".xml", ".txt")):
            continue
        relative = address.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return folder


# --- A NukeViet database backup (includes/core/dump.php and assets/tpl/dump.tpl) ------------------------

ROWS_COLUMNS = ["id", "catid", "listcatid", "topicid", "admin_id", "author", "sourceid", "addtime", "edittime",
                "status", "weight", "publtime", "exptime", "archive", "title", "alias", "hometext", "homeimgfile",
                "homeimgalt", "homeimgthumb", "inhome", "allowed_comm", "allowed_rating", "external_link",
                "hitstotal", "hitscm", "total_rating", "click_rating", "instant_active", "instant_template",
                "instant_creatauto"]
DETAIL_COLUMNS = ["id", "titlesite", "description", "bodyhtml", "voicedata", "keywords", "sourcetext", "files",
                  "imgposition", "layout_func", "copyright", "allowed_send", "allowed_print", "allowed_save"]
CAT_COLUMNS = ["catid", "parentid", "title", "titlesite", "alias", "description", "descriptionhtml", "image",
               "viewdescription", "weight", "sort", "lev", "viewcat", "numsubcat", "subcatid", "numlinks", "newday",
               "featured", "ad_block_cat", "layout_func", "keywords", "admins", "add_time", "edit_time",
               "groups_view", "status"]
INT_COLUMNS = {"id", "catid", "topicid", "admin_id", "sourceid", "addtime", "edittime", "status", "weight", "publtime",
               "exptime", "archive", "homeimgthumb", "inhome", "allowed_rating", "external_link", "hitstotal",
               "hitscm", "total_rating", "click_rating", "instant_active", "instant_creatauto", "imgposition",
               "copyright", "allowed_send", "allowed_print", "allowed_save", "parentid", "viewdescription", "sort",
               "lev", "numsubcat", "numlinks", "newday", "featured", "add_time", "edit_time"}


def _addslashes(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"').replace("\0", "\\0")


def _dump_table(name, columns, rows) -> str:
    create = ",\n".join(f"  `{c}` {'int(11)' if c in INT_COLUMNS else 'text'} NOT NULL" for c in columns)
    values = []
    for row in rows:
        cells = [str(row.get(c, 0)) if c in INT_COLUMNS else "'" + _addslashes(str(row.get(c, ""))) + "'" for c in columns]
        values.append("\n(" + ", ".join(cells) + ")")
    return (f"\n\n-- ---------------------------------------\n\n\n--\n-- Table structure for table `{name}`\n--\n\n"
            f"DROP TABLE IF EXISTS `{name}`;\nCREATE TABLE `{name}` (\n{create},\n  PRIMARY KEY (`{columns[0]}`)\n)"
            f" ENGINE=MyISAM  DEFAULT CHARSET=utf8mb4;\n\n--\n-- Dumping data for table `{name}`\n--\n\n"
            f"INSERT INTO `{name}` VALUES" + ", ".join(values) + ";")


# 2020-09-14 08:30 and 2021-03-11 07:45 in Asia/Ho_Chi_Minh (UTC+7)
DUMP_ROWS = [
    {"id": 12, "catid": 2, "author": "Nguyễn Thị Hảo", "status": 1, "publtime": 1600047000, "edittime": 1600100000,
     "title": "Đảng bộ huyện Đakrông quyết tâm đưa Nghị quyết Đại hội vào cuộc sống",
     "alias": "dang-bo-huyen-dakrong-quyet-tam", "hometext": "Đại hội đại biểu Đảng bộ huyện lần thứ VI.",
     "homeimgfile": "2020_09/dai-hoi.jpg", "homeimgalt": "Quang cảnh Đại hội", "homeimgthumb": 1},
    {"id": 15, "catid": 3, "author": "", "status": 1, "publtime": 1615423500, "title": "Hội nghị học tập chuyên đề",
     "alias": "hoi-nghi-hoc-tap-chuyen-de", "hometext": "Hội nghị trực tuyến.", "homeimgthumb": 0},
    {"id": 16, "catid": 3, "author": "X", "status": 0, "publtime": 1615423500, "title": "Bản nháp chưa đăng",
     "alias": "ban-nhap", "hometext": "", "homeimgthumb": 0},
]
DUMP_DETAILS = [
    {"id": 12, "bodyhtml": "<p>Nghị quyết \"xác định\" phương hướng; mục tiêu 'tổng quát'.</p>"
                           "<p><img alt=\"Hội nghị\" src=\"/uploads/news/2020_09/hoi-nghi.jpg\" /></p>",
     "keywords": "Nghị quyết Đại hội, Xây dựng Đảng", "sourcetext": "", "files": "2020_09/ke-hoach-01.pdf"},
    {"id": 15, "bodyhtml": WORD_BODY, "keywords": "", "sourcetext": "Ban Tuyên giáo Huyện ủy", "files": ""},
    {"id": 16, "bodyhtml": "<p>Nháp</p>", "keywords": "", "sourcetext": "", "files": ""},
]
DUMP_CATS = [{"catid": 2, "title": "Tin cơ sở", "alias": "tin-co-so", "status": 1},
             {"catid": 3, "title": "Xây dựng Đảng", "alias": "xay-dung-dang", "status": 1}]


def write_nukeviet_backup(folder: Path) -> Path:
    """backup.sql.gz as NukeViet's "Sao lưu CSDL" writes it, and uploads/news/."""
    import gzip

    text = ("-- NUKEVIET 4.0\n-- Module: Database\n-- http://www.nukeviet.vn\n--\n-- Host: localhost\n\n"
            "SET SQL_MODE=\"NO_AUTO_VALUE_ON_ZERO\";\nSET NAMES 'utf8mb4';\n\n--\n-- Database: `dakrong`\n--"
            + _dump_table("nv4_vi_news_cat", CAT_COLUMNS, DUMP_CATS)
            + _dump_table("nv4_vi_news_rows", ROWS_COLUMNS, DUMP_ROWS)
            + _dump_table("nv4_vi_news_detail", DETAIL_COLUMNS, DUMP_DETAILS) + "\n")
    dump = folder / "backup.sql.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as stream:
        stream.write(text)
    uploads = folder / "uploads" / "news" / "2020_09"
    uploads.mkdir(parents=True)
    (uploads / "dai-hoi.jpg").write_bytes(JPEG)
    (uploads / "hoi-nghi.jpg").write_bytes(photo((30, 120, 40)))
    (uploads / "ke-hoach-01.pdf").write_bytes(PDF)
    return dump
