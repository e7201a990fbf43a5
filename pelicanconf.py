"""Settings for building and previewing the portal locally.

publishconf.py imports everything here and changes only what publishing
needs (absolute URLs, feeds, the deploy target).
"""

import sys
from pathlib import Path

# Our own plugin package lives in plugins/; make it importable however
# Pelican is started (invoke, pytest, or `pelican` by hand).
sys.path.insert(0, str(Path(__file__).resolve().parent / "plugins"))

# --- The site: one source of truth for names and block texts -------------
SITENAME = "Đảng bộ huyện Đakrông"
SITE_SUBTITLE = "Cổng thông tin điện tử Đảng bộ huyện Đakrông, tỉnh Quảng Trị"
SITE_DESCRIPTION = (
    "Tin tức về hoạt động của Đảng bộ, chính quyền và các đoàn thể "
    "huyện Đakrông, tỉnh Quảng Trị."
)
AUTHOR = "Ban Thường vụ Huyện ủy Đakrông"
DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"
# Empty in development: links are root-relative ("/tin-co-so/...") so they
# work from the dev server and from the 404 page at any depth, which
# RELATIVE_URLS would break. publishconf.py sets the real address.
SITEURL = ""
RELATIVE_URLS = False

# Categories an article may use, in menu order. A typo in an article's
# Category would otherwise silently create a new menu entry.
PORTAL_CATEGORIES = [
    "Tin tức - Sự kiện",
    "Xây dựng Đảng",
    "Kinh tế - Xã hội",
    "Tin cơ sở",
]

# Texts of the polls block (the slot the check-and-fill step fills).
POLLS_HEADING = "Bình chọn"
POLLS_EMPTY_TEXT = "Hiện tại không có bình chọn nào đang hoạt động."

# --- Content ----------------------------------------------------------------
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "extra", "images", "polls", "files"]
# files/: attached documents (PDF, Word...), e.g. those `invoke import` brings from the old portal.
STATIC_PATHS = ["images", "files", "extra/robots.txt"]
EXTRA_PATH_METADATA = {"extra/robots.txt": {"path": "robots.txt"}}
# Editor backup and lock files never become pages or static files, and the
# preview server does not rebuild for them. "4913": the file vim creates and
# deletes to test that it may write in a folder.
IGNORE_FILES = [".*", "*~", "#*#", "*.swp", "*.bak", "*.tmp", "4913"]
# Dates come from the header's Date: line alone. Pelican would also read one
# from a file name ("2024-02-31-tin.md"): a second source, and one that fails
# naming neither the file's folder nor a fix.
FILENAME_METADATA = ""
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang-{number}/", "{base_name}/trang-{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 50
TYPOGRIFY = False
# Editors write Markdown only; other readers would only add surprises.
READERS = {"rst": None, "html": None, "htm": None}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# --- URLs: Vietnamese, ASCII, one file per address ---------------------------
ARTICLE_URL = "{category}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = PAGE_URL
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = "chu-de/{slug}/index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = "tac-gia/{slug}/index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = "chuyen-muc/index.html"
TAGS_URL = "chu-de/"
TAGS_SAVE_AS = "chu-de/index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = "tac-gia/index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
# The archive lists months; each month has a page of its own (render.listings:
# one page of every article would be 3 MB at 10,000 articles). Pelican's own
# period archives stay off: it makes each with a loop over every article.
ARCHIVE_MONTH_URL = "luu-tru/{date:%Y}/{date:%m}/"
ARCHIVE_MONTH_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
# Pelican's defaults that our theme does not offer as pages.
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "search", "404"]
SEARCH_URL = "tim-kiem/"
SEARCH_SAVE_AS = "tim-kiem/index.html"
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
TEMPLATE_PAGES = {}

# --- Feeds: none while previewing (see publishconf.py) -----------------------
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Theme and plugins -------------------------------------------------------
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# Older/newer links come from pelican-neighbors; the rest is our own.
PLUGINS = ["portal", "pelican.plugins.neighbors"]
# Titles, tags and authors are text, never markup: escape everything the
# templates print, and mark only the sanitised article body as safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_PATH = "output"
CACHE_PATH = ".cache/pelican"

# --- Photos -------------------------------------------------------------------
# Every photo an article shows (body photos, the `Image:` lead) is published
# as resized copies without metadata, by plugins/portal/images; the originals
# in content/images/ are never copied to output/. README.md, "Ảnh".
# Widths offered to browsers (srcset), never larger than the original.
PHOTO_WIDTHS = [360, 720, 1080, 1600]
# Formats in the order browsers are offered them: WebP first, JPEG for the rest.
PHOTO_FORMATS = ["webp", "jpeg"]
PHOTO_QUALITY = {"webp": 72, "jpeg": 78}
# Larger photos are refused (decompression bombs); 120 MP admits a 108 MP phone.
PHOTO_MAX_PIXELS = 120_000_000
# Thumbnails in lists (home, category, tag, author, search) are cropped to this.
PHOTO_THUMB_RATIO = (3, 2)
PHOTO_THUMB_WIDTHS = [360, 720]
# The image shared on Zalo and Facebook (og:image): a JPEG of this size.
PHOTO_SHARE_SIZE = (1200, 630)
# Where the published copies go in output/; processed copies are kept in
# CACHE_PATH/photos, so a second build (and a staging build) processes none.
PHOTO_OUTPUT_DIR = "images"

# --- Polls and visit statistics ---------------------------------------------
# One YAML file per poll in content/polls/ (see README.md, "Bình chọn"). The
# check-and-fill step and `invoke polls` fill the sidebar block and the
# results page from them, judging "open" at POLLS_NOW ("2024-05-10 08:00",
# site time) when set, else at SOURCE_DATE_EPOCH, else at the real time.
POLLS_PATH = "polls"
POLLS_NOW = None
POLL_RESULTS_TITLE = "Kết quả bình chọn"
POLL_RESULTS_EMPTY_TEXT = "Chưa có cuộc bình chọn nào kết thúc."
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "poll_results"]
POLL_RESULTS_URL = "ket-qua-binh-chon/"
POLL_RESULTS_SAVE_AS = "ket-qua-binh-chon/index.html"
# Off while empty: the static site has no counts of its own. Set it to a
# counter's JSON address (HTTPS, or a path on this site proxied to it), and
# name the fields holding the two counts ("a.b" for nested ones).
VISIT_STATS_URL = ""
VISIT_STATS_FIELDS = {"online": "online", "total": "total"}
VISIT_STATS_HEADING = "Thống kê truy cập"

# --- Documents and organisation ----------------------------------------------
# Văn bản: one Markdown file per document in content/van-ban/ (README.md,
# "Văn bản"; the fields are plugins/portal/core/document_fields.py), read by
# plugins/portal/documents, never as articles. A document's files (PDF, Word,
# Excel) go into content/files/, which is published as it is.
DOCUMENTS_PATH = "van-ban"
ARTICLE_EXCLUDES = [*ARTICLE_EXCLUDES, DOCUMENTS_PATH]
# The types a document may have (its Type: line), in the order lists show them.
DOCUMENT_TYPES = [
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Kết luận",
    "Quy định",
    "Quy chế",
    "Kế hoạch",
    "Chương trình",
    "Hướng dẫn",
    "Thông báo",
    "Báo cáo",
    "Công văn",
]
DOCUMENTS_TITLE = "Văn bản"
DOCUMENTS_HOME_HEADING = "Văn bản mới"
DOCUMENTS_ON_HOME = 5  # the newest, in the home page's "Văn bản mới" block
# A document's page lists the newest articles citing it, up to this many, and
# says how many there are (a plan cited by every article for ten years would
# make a page of 10,000 links: 3 MB).
DOCUMENT_CITING_SHOWN = 20
# The list of all documents, and one per type and per year (same pagination).
DOCUMENTS_URL = "van-ban/"
DOCUMENTS_SAVE_AS = "van-ban/index.html"
DOCUMENT_TYPE_URL = "van-ban/{slug}/"
DOCUMENT_TYPE_SAVE_AS = "van-ban/{slug}/index.html"
DOCUMENT_YEAR_URL = "van-ban/{year}/"
DOCUMENT_YEAR_SAVE_AS = "van-ban/{year}/index.html"
# A document's own page: its year, then its type and number ("ke-hoach-01").
DOCUMENT_URL = "van-ban/{year}/{slug}.html"
DOCUMENT_SAVE_AS = DOCUMENT_URL
PAGINATED_TEMPLATES = {**PAGINATED_TEMPLATES, "documents": 20, "document_type": 20,
                       "document_year": 20}
# A document's status (Còn hiệu lực, Hết hiệu lực, Chưa có hiệu lực) is judged
# at the build's time, as polls are: POLLS_NOW, else SOURCE_DATE_EPOCH, else now.

# Cơ cấu tổ chức and Liên hệ: units, their leaders and the contacts, from one
# YAML file (plugins/portal/organisation); its empty fields are shown as
# "chưa cập nhật" until someone fills them in. The footer shows the contacts.
ORGANISATION_FILE = "to-chuc.yaml"
ORGANISATION_TITLE = "Cơ cấu tổ chức"
CONTACT_TITLE = "Liên hệ"
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "organisation", "contact"]
ORGANISATION_URL = "co-cau-to-chuc/"
ORGANISATION_SAVE_AS = "co-cau-to-chuc/index.html"
CONTACT_URL = "lien-he/"
CONTACT_SAVE_AS = "lien-he/index.html"
