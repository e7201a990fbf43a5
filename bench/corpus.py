"""A synthetic corpus of Vietnamese news articles made from the seed article.

The same articles are written twice: as our Markdown with Pelican's
"Key: value" header, and as Hugo Markdown with YAML front matter, so every
system builds the same text, titles, dates, authors, categories and tags.
"""

import datetime
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = next((REPO / "content" / "tin-co-so").glob("*.md"))

# Our four configured categories plus four a district portal also has;
# the build gets all eight through a PORTAL_CATEGORIES override.
CATEGORIES = [
    "Tin tức - Sự kiện",
    "Xây dựng Đảng",
    "Kinh tế - Xã hội",
    "Tin cơ sở",
    "Quốc phòng - An ninh",
    "Mặt trận - Đoàn thể",
    "Văn hóa - Giáo dục",
    "Học tập và làm theo Bác",
]
AUTHORS = [
    "Nguyễn Thị Hảo", "Trần Văn Minh", "Hồ Thị Lan", "Lê Văn Đức",
    "Phạm Quang Vinh", "Hồ Văn Chiến", "Nguyễn Đình Thắng", "Văn phòng Huyện ủy",
]
TAGS = [
    "Nghị quyết Đại hội", "Đại hội Đảng bộ", "Xây dựng Đảng", "Nông thôn mới",
    "Cải cách hành chính", "Giảm nghèo bền vững", "Đồng bào dân tộc", "Vân Kiều",
    "Pa Kô", "Quốc phòng", "An ninh trật tự", "Biên giới", "Giáo dục", "Y tế",
    "Văn hóa", "Thể thao", "Du lịch", "Nông nghiệp", "Lâm nghiệp", "Hợp tác xã",
    "Doanh nghiệp", "Đầu tư công", "Giao thông", "Thủy lợi", "Phòng chống thiên tai",
    "Mặt trận Tổ quốc", "Hội Nông dân", "Hội Phụ nữ", "Đoàn Thanh niên", "Cựu chiến binh",
    "Kiểm tra giám sát", "Tuyên giáo", "Dân vận", "Tổ chức cán bộ", "Kết nạp đảng viên",
    "Học tập và làm theo Bác", "Chuyển đổi số", "Môi trường", "Khe Sanh", "Krông Klang",
]
PLACES = [
    "Krông Klang", "Mò Ó", "Hướng Hiệp", "Đakrông", "Ba Lòng", "Hải Phúc", "Triệu Nguyên",
    "Tà Rụt", "A Ngo", "A Bung", "A Vao", "Húc Nghì", "Tà Long", "Ba Nang",
]
TITLE_OPENINGS = [
    "Đảng bộ xã {place} quyết tâm đưa Nghị quyết vào cuộc sống",
    "Hội nghị sơ kết công tác {topic} tại {place}",
    "{place}: nâng cao hiệu quả công tác {topic}",
    "Ban Thường vụ Huyện ủy làm việc với xã {place} về {topic}",
    "Triển khai kế hoạch {topic} năm {year} ở {place}",
    "Nhìn lại một năm thực hiện {topic} tại {place}",
    "Kiểm tra việc thực hiện {topic} ở xã {place}",
    "Tuyên truyền sâu rộng về {topic} đến đồng bào {place}",
]


@dataclass
class Article:
    number: int
    title: str
    slug: str
    date: datetime.datetime
    author: str
    category: str
    tags: list
    summary: str
    paragraphs: list

    @property
    def folder(self) -> str:
        return ascii_slug(self.category)


def ascii_slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def seed_paragraphs() -> list:
    text = SEED.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    return [p.strip() for p in body.split("\n\n") if p.strip()]


def make_articles(count: int, seed: int = 7) -> list:
    """`count` articles of about a thousand words, dated over ten years."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    start = datetime.datetime(2015, 1, 1, 7, 0)
    span_minutes = 10 * 365 * 24 * 60
    articles = []
    for number in range(1, count + 1):
        place = rng.choice(PLACES)
        topic = rng.choice(TAGS).lower()
        date = start + datetime.timedelta(minutes=rng.randrange(span_minutes))
        date = date.replace(second=0, microsecond=0)
        title = rng.choice(TITLE_OPENINGS).format(place=place, topic=topic, year=date.year)
        title = f"{title} (bài {number})"
        body = rng.sample(paragraphs, len(paragraphs))
        # A sentence of its own so every page differs and the search index grows.
        body.insert(0, f"Ngày {date:%d/%m/%Y}, tại xã {place}, {rng.choice(AUTHORS)} "
                       f"ghi nhận kết quả công tác {topic} năm {date.year}.")
        articles.append(Article(
            number=number,
            title=title,
            slug=f"{ascii_slug(title)}",
            date=date,
            author=rng.choice(AUTHORS),
            category=rng.choice(CATEGORIES),
            tags=rng.sample(TAGS, rng.randint(2, 5)),
            summary=body[1][:240].rsplit(" ", 1)[0] + "…",
            paragraphs=body,
        ))
    return articles


def pelican_text(article: Article) -> str:
    header = [
        f"Title: {article.title}",
        f"Date: {article.date:%Y-%m-%d %H:%M}",
        f"Author: {article.author}",
        f"Category: {article.category}",
        f"Tags: {', '.join(article.tags)}",
        f"Slug: {article.slug}",
        f"Summary: {article.summary}",
    ]
    return "\n".join(header) + "\n\n" + "\n\n".join(article.paragraphs) + "\n"


def hugo_text(article: Article) -> str:
    def quoted(value):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    front = [
        "---",
        f"title: {quoted(article.title)}",
        f"date: {article.date:%Y-%m-%dT%H:%M:00}+07:00",
        f"slug: {quoted(article.slug)}",
        f"summary: {quoted(article.summary)}",
        f"categories: [{quoted(article.category)}]",
        f"authors: [{quoted(article.author)}]",
        f"tags: [{', '.join(quoted(t) for t in article.tags)}]",
        "---",
    ]
    return "\n".join(front) + "\n\n" + "\n\n".join(article.paragraphs) + "\n"


def write_pelican_corpus(articles, content_dir: Path) -> None:
    """Articles by category folder, plus the real site's pages and extras."""
    shutil.rmtree(content_dir, ignore_errors=True)
    # van-ban/: the seed article links to its plan ({van-ban}01).
    for folder in ("pages", "extra", "images", "van-ban"):
        source = REPO / "content" / folder
        if source.is_dir():
            shutil.copytree(source, content_dir / folder)
    for article in articles:
        path = content_dir / article.folder / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pelican_text(article), encoding="utf-8")


def write_hugo_corpus(articles, content_dir: Path) -> None:
    shutil.rmtree(content_dir, ignore_errors=True)
    (content_dir / "bai-viet").mkdir(parents=True)
    # The archives page of our theme; Hugo's layout lists every article on it.
    (content_dir / "luu-tru.md").write_text(
        '---\ntitle: "Lưu trữ"\nlayout: archives\n---\n', encoding="utf-8")
    (content_dir / "gioi-thieu.md").write_text(
        '---\ntitle: "Giới thiệu"\n---\n\nCổng thông tin điện tử Đảng bộ huyện Đakrông.\n',
        encoding="utf-8")
    for article in articles:
        path = content_dir / "bai-viet" / f"{article.slug}.md"
        path.write_text(hugo_text(article), encoding="utf-8")


def pelican_source(content_dir: Path, article: Article) -> Path:
    return content_dir / article.folder / f"{article.slug}.md"
