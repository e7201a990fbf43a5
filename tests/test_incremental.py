"""Every build is incremental, and its result is a clean build's, byte for byte.

For each kind of edit an editor makes, a small real site is built, edited,
built again (incrementally: it renders only the pages whose inputs changed
and keeps the others), and compared, every file's name and bytes, with a
clean build of the same content in another folder with an empty cache.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

import photo_files
from conftest import ROOT, article
from portal.build import rendered_pages
from portal.build import site as site_module
from portal.build.site import build_site
from portal.core.problems import BuildFailed

# Polls and documents are judged at a fixed time, so two builds may be compared.
NOW = {"POLLS_NOW": "2024-05-10 12:00"}

POLL = """\
id: chuyen-doi-so
question: Bạn đánh giá thế nào về dịch vụ công trực tuyến của huyện?
start: 2024-05-01 08:00
end: 2024-05-31 17:00
options:
  - Rất hữu ích
  - Hữu ích
vote_endpoint: https://binhchon.example.vn/vote
"""

CATEGORIES = [("tin-co-so", "Tin cơ sở"), ("xay-dung-dang", "Xây dựng Đảng")]
EDITED = "xay-dung-dang/bai-7.md"


def news(number: int, **changes) -> str:
    """Article `number` of the small site (14 of them: two pages of news)."""
    folder, category = CATEGORIES[number % 2]
    fields = dict(
        title=f"Tin số {number} của huyện Đakrông",
        date=f"2024-04-{number % 28 + 1:02d} {8 + number // 28:02d}:00",
        author="Lê Văn A" if number % 3 else "Hồ Thị B",
        category=category,
        tags="Chuyển đổi số, Nông thôn mới" if number % 2 else "Xây dựng Đảng",
        body=f"Đoạn đầu của tin số {number}.\n\nĐoạn thứ hai, dài hơn, của tin số {number}.",
        slug=f"bai-{number}",
    )
    if number == 7:  # with a summary and a lead photo
        fields.update(summary="Tóm tắt của tin số 7.", image="images/anh-7.jpg")
    fields.update(changes)
    if number == 7:  # citing the plan (content/van-ban/), whose page lists it
        fields["body"] += "\n\nTheo [Kế hoạch số 01]({van-ban}01)."
    return article(**fields)


class Project:
    """The small site: content and a theme of its own (a test may edit both)."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.theme = root / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        shutil.copytree(ROOT / "content" / "van-ban", self.content / "van-ban")  # its page lists citing articles
        (self.content / "pages").mkdir(parents=True)
        for number in range(14):
            folder = CATEGORIES[number % 2][0]
            self.write(f"{folder}/bai-{number}.md", news(number))
        self.write("pages/gioi-thieu.md", "Title: Giới thiệu\n\nTrang giới thiệu của Đảng bộ huyện.\n")
        self.write("polls/chuyen-doi-so.yaml", POLL)
        photo_files.small_jpeg(self.content / "images" / "anh-7.jpg", 160, 120, color=(20, 120, 200))

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, name: str, settings_file="pelicanconf.py") -> Path:
        return build_site(str(ROOT / settings_file), PATH=str(self.content), THEME=str(self.theme),
                          OUTPUT_PATH=str(self.root / f"{name}-output"),
                          CACHE_PATH=str(self.root / f"{name}-cache"), **NOW)


# Pagefind's bundles are not the same from one clean build to the next
# (the documents' bundle names and its pagefind-entry.json differ, with the
# same pages: its filters' order, it seems), so they are left out of the
# comparison, but not the list of slices that says which pages each holds.
NOT_DETERMINISTIC = "pagefind/"
KEPT_OF_IT = ("pagefind/slices.json",)


def files_of(output: Path) -> dict[str, bytes]:
    files = {path.relative_to(output).as_posix(): path.read_bytes()
             for path in sorted(output.rglob("*")) if path.is_file()}
    return {name: data for name, data in files.items()
            if not name.startswith(NOT_DETERMINISTIC) or name in KEPT_OF_IT}


def assert_same_site(incremental: Path, clean: Path) -> None:
    built, expected = files_of(incremental), files_of(clean)
    assert sorted(built) == sorted(expected), "not the same files"
    differing = [name for name in expected if built[name] != expected[name]]
    assert differing == [], "files whose bytes differ from a clean build's"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_body(project):
    project.write(EDITED, news(7, body="Một nội dung mới của tin số 7, sửa lại."))


def edit_title(project):
    project.write(EDITED, news(7, title="Tin số 7, tiêu đề đã sửa"))


def edit_summary(project):
    project.write(EDITED, news(7, summary="Một tóm tắt khác."))


def edit_date(project):
    project.write(EDITED, news(7, date="2024-06-30 09:00"))  # to the front of every list


def edit_category(project):
    """An article's folder names its category: the file moves with it."""
    (project.content / EDITED).unlink()
    project.write("tin-co-so/bai-7.md", news(7, category="Tin cơ sở"))


def edit_tags(project):
    project.write(EDITED, news(7, tags="Giáo dục"))


def edit_author(project):
    project.write(EDITED, news(7, author="Trần Văn C"))


def edit_status(project):
    project.write(EDITED, news(7, status="draft"))


def add_article(project):
    project.write("xay-dung-dang/bai-moi.md", news(
        21, slug="bai-moi", date="2024-04-09 10:00",
        body="Tin mới, theo [Kế hoạch số 01]({van-ban}01)."))  # the plan's page lists it


def delete_article(project):
    (project.content / EDITED).unlink()


def delete_article_without_photo(project):
    # Nothing else of it stays in the site: the preview groups it out of its kept build.
    (project.content / "xay-dung-dang" / "bai-9.md").unlink()


def unpublish_article_without_photo(project):
    project.write("tin-co-so/bai-4.md", news(4, status="draft"))


def change_photo(project):
    photo_files.small_jpeg(project.content / "images" / "anh-7.jpg", 160, 120, color=(200, 40, 20))


def change_poll(project):
    project.write("polls/chuyen-doi-so.yaml", POLL.replace("Hữu ích", "Chưa hữu ích"))


def change_page(project):
    # Its title is in every page's menu; its text on its own page only.
    project.write("pages/gioi-thieu.md", "Title: Giới thiệu\n\nTrang giới thiệu, sửa lại.\n")


def change_template(project):
    replace_in(project.theme / "templates" / "partials" / "footer.html",
               "Lên đầu trang", "Về đầu trang")


def change_stylesheet(project):
    css = project.theme / "static" / "css" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.app-page { color: #111; }\n", encoding="utf-8")


EDITS = [edit_body, edit_title, edit_summary, edit_date, edit_category, edit_tags, edit_author,
         edit_status, add_article, delete_article, delete_article_without_photo,
         unpublish_article_without_photo, change_photo, change_poll, change_page, change_template,
         change_stylesheet]


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_after_one_edit_an_incremental_build_is_a_clean_build(tmp_path, edit):
    project = Project(tmp_path)
    project.build("incremental")
    edit(project)
    incremental = project.build("incremental")
    assert site_module.last_build_stats["kept"] > 0 or edit in (change_template,)
    assert_same_site(incremental, project.build("clean"))


# What the preview's kept build leaves to a whole build (build.resident): an
# article whose photo's copies would be left behind (made a draft, deleted);
# a photo, a poll, the theme. Every other edit is patched in, or grouped
# again (a new category: the file moves to its folder, one deleted, one new).
WHOLE_BUILD_IN_THE_PREVIEW = {edit_status, delete_article, change_photo, change_poll, change_template,
                              change_stylesheet}


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_after_one_edit_the_preview_shows_a_clean_build(tmp_path, edit):
    """The preview server, after each kind of edit (patched into its kept
    build, the kept build grouped again, or a whole build, as the edit
    needs), against a clean build with the preview's settings."""
    from portal.build.devserver import PREVIEW_SETTINGS, Preview

    project = Project(tmp_path)
    folders = {"PATH": str(project.content), "THEME": str(project.theme), **NOW}
    preview = Preview(str(ROOT / "pelicanconf.py"), OUTPUT_PATH=str(tmp_path / "preview-output"),
                      CACHE_PATH=str(tmp_path / "preview-cache"), **folders)
    assert preview.rebuild()
    edit(project)
    if edit in (change_template, change_stylesheet):
        assert preview.rebuild_everything()  # what the server does when the theme changes
    else:
        assert preview.rebuild()
    assert (preview.last == "rebuilt") == (edit in WHOLE_BUILD_IN_THE_PREVIEW), preview.last
    preview.finish()
    clean = build_site(str(ROOT / "pelicanconf.py"), OUTPUT_PATH=str(tmp_path / "clean-output"),
                       CACHE_PATH=str(tmp_path / "clean-cache"), **PREVIEW_SETTINGS, **folders)
    assert_same_site(tmp_path / "preview-output", clean)


@pytest.mark.parametrize("edit", [edit_title, change_poll, change_stylesheet],
                         ids=lambda edit: edit.__name__)
def test_a_publish_build_is_incremental_too(tmp_path, edit):
    """Feeds, the sitemap, fingerprinted theme files and the hosts' files."""
    project = Project(tmp_path)
    project.build("incremental", "publishconf.py")
    edit(project)
    incremental = project.build("incremental", "publishconf.py")
    assert_same_site(incremental, project.build("clean", "publishconf.py"))


def test_a_body_edit_renders_only_the_articles_page_and_nothing_changed_renders_nothing(tmp_path):
    project = Project(tmp_path)
    project.build("incremental")
    project.build("incremental")
    assert site_module.last_build_stats["rendered"] == 0
    edit_body(project)
    project.build("incremental")
    assert site_module.last_build_stats["rendered"] == 1  # its summary is its own: lists stay


def test_a_title_edit_renders_the_pages_that_show_the_title(tmp_path):
    project = Project(tmp_path)
    output = project.build("incremental")
    before = {name: output / name for name in files_of(output)}
    showing = {name for name, path in before.items()
               if name.endswith(".html") and "Tin số 7 của huyện" in path.read_text(encoding="utf-8")}
    edit_title(project)
    project.build("incremental")
    assert site_module.last_build_stats["rendered"] == len(showing)


def test_a_kept_page_is_the_last_builds_file_and_a_failed_build_changes_nothing(tmp_path,
                                                                              monkeypatch):
    """Kept pages are linked, never written through: a build that fails
    after its pages were written and filled leaves every byte of output/
    as it was."""
    project = Project(tmp_path)
    output = project.build("incremental")
    before = files_of(output)
    kept = output / "tin-co-so" / "bai-4.html"
    inode = os.stat(kept).st_ino
    change_poll(project)  # every page's polls slot changes: filled into the kept pages too
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # then the search index fails
    with pytest.raises(BuildFailed) as failure:
        project.build("incremental")
    assert "search index failed" in failure.value.report()
    assert files_of(output) == before
    assert os.stat(kept).st_ino == inode
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    incremental = project.build("incremental")
    assert "Chưa hữu ích" in (incremental / "tin-co-so" / "bai-4.html").read_text(encoding="utf-8")
    assert os.stat(incremental / "tin-co-so" / "bai-4.html").st_ino != inode  # filled: a new file
    assert os.stat(incremental / "tin-co-so" / "bai-6.html").st_nlink == 1  # the old site is gone


def test_deleting_an_article_another_links_to_fails_as_a_clean_build_does(tmp_path):
    """The other article comes from the content cache, where its link was
    checked when the linked file still existed: it is read again."""
    project = Project(tmp_path)
    project.write("tin-co-so/bai-lien-ket.md", news(
        30, slug="bai-lien-ket", body="Xem [tin số 4]({filename}/tin-co-so/bai-4.md)."))
    output = project.build("incremental")
    before = files_of(output)
    (project.content / "tin-co-so" / "bai-4.md").unlink()
    with pytest.raises(BuildFailed) as incremental:
        project.build("incremental")
    with pytest.raises(BuildFailed) as clean:
        project.build("clean")
    assert "bai-lien-ket.md" in incremental.value.report()
    assert incremental.value.report() == clean.value.report().replace("clean-output", "incremental-output")
    assert files_of(output) == before


def test_a_page_changed_in_output_since_the_build_is_rendered_again(tmp_path):
    project = Project(tmp_path)
    output = project.build("incremental")
    page = output / "tin-co-so" / "bai-4.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Tin số 4", "Tin bị sửa tay"),
                    encoding="utf-8")
    incremental = project.build("incremental")
    assert "Tin bị sửa tay" not in (incremental / "tin-co-so" / "bai-4.html").read_text(encoding="utf-8")
    assert_same_site(incremental, project.build("clean"))


def test_builds_in_one_process_do_not_keep_the_articles_of_the_builds_before(tmp_path):
    """Pelican memoises every article's text for the whole process: the
    preview server, which builds again and again, grew by all the articles
    at each build (about 400 MB a rebuild at 10,000 articles)."""
    import gc
    import weakref

    from pelican import signals

    project = Project(tmp_path)
    made = []

    def remember(content):
        made.append(weakref.ref(content))

    signals.content_object_init.connect(remember)
    try:
        project.build("incremental")
        first = list(made)
        assert len(first) >= 14  # the small site's articles, at least
        edit_body(project)
        project.build("incremental")
    finally:
        signals.content_object_init.disconnect(remember)
    gc.collect()
    assert [ref() for ref in first if ref() is not None] == []



def change_document(project):
    # Shown on its own page, in the documents' lists, on the home page
    # (newest documents) and on the page of the article citing it.
    replace_in(project.content / "van-ban" / "ke-hoach-01-2020.md",
               "Summary: Tổ chức học tập", "Summary: Tổ chức học tập, sửa lại,")


def inputs_of_pages(project) -> dict[str, str]:
    """{page: its inputs' digest} of the last incremental build (build.rendered_pages)."""
    record = json.loads((project.root / "incremental-cache" / rendered_pages.FILE).read_text(encoding="utf-8"))
    return {page: entry[0] for page, entry in record["pages"].items()}


def test_the_documents_pages_are_made_of_their_documents_and_a_document_edit_builds_as_a_clean_build(tmp_path):
    """A documents' page shows its own documents (and, through them, the
    articles citing them): an edit of an article citing none leaves its
    inputs as they were (page_inputs.TEMPLATE_READS), an edit of a document
    changes what it must, as a clean build shows."""
    project = Project(tmp_path)
    project.build("incremental")
    before = inputs_of_pages(project)
    documents_pages = sorted(page for page in before if page.startswith("van-ban/"))
    assert len(documents_pages) >= 2  # the plan's page and the documents' list
    replace_in(project.content / "tin-co-so" / "bai-4.md", "Tin số 4 của", "Tin số bốn của")  # cites none
    project.build("incremental")
    after = inputs_of_pages(project)
    assert [after[page] for page in documents_pages] == [before[page] for page in documents_pages]
    change_document(project)
    incremental = project.build("incremental")
    assert site_module.last_build_stats["kept"] > 0
    assert_same_site(incremental, project.build("clean"))


def test_the_poll_blocks_are_compared_as_text():
    """A build passes the poll blocks as Markup, the preview's rebuilds as
    str: the same blocks, so a page rendered to the same bytes is kept."""
    from markupsafe import Markup

    from portal.render.selective_writer import blocks_digest

    text = '<p class="app-poll-archive__empty">Chưa có cuộc bình chọn nào kết thúc.</p>'
    assert blocks_digest({"archive": Markup(text)}) == blocks_digest({"archive": text})
    assert blocks_digest({"archive": text}) != blocks_digest({"archive": text + " "})


def test_a_kept_request_makes_the_local_contexts_pelicans_writer_renders_with(tmp_path, monkeypatch):
    """The preview's kept build asks whether a request's pages stay before
    Pelican's writer makes them (render.selective_writer.ChangedPagesWriter):
    from local contexts of its own making, which must describe each page as
    the one Pelican renders it with, lists of many pages included."""
    from portal.build.resident import KeptBuild
    from portal.render.page_inputs import PageInputs
    from portal.render.selective_writer import IncrementalWriter

    rendered = {}
    real = IncrementalWriter.render_or_keep

    def remember(writer, template, localcontext):
        rendered[os.path.normpath(localcontext["output_file"])] = (template.name, writer.context,
                                                                   dict(localcontext))
        return real(writer, template, localcontext)

    monkeypatch.setattr(IncrementalWriter, "render_or_keep", remember)
    project = Project(tmp_path)
    for number in range(14, 40):  # lists of several pages
        project.write(f"tin-co-so/bai-{number}.md", news(number))
    kept = KeptBuild()
    build_site(str(ROOT / "pelicanconf.py"), PATH=str(project.content), THEME=str(project.theme),
               OUTPUT_PATH=str(tmp_path / "output"), CACHE_PATH=str(tmp_path / "cache"), PORTAL_KEPT_BUILD=kept,
               **NOW)
    inputs = PageInputs("")
    made = {}
    for call in {id(call): call for call in kept.calls.values()}.values():
        for name, localcontext in call.local_contexts(kept.settings):
            made[os.path.normpath(name)] = inputs.page_digest(call.template.name, call.context, localcontext)
    assert made.keys() == rendered.keys()
    assert any("/trang-3/" in page for page in made)
    for page, (template_name, context, localcontext) in rendered.items():
        assert made[page] == inputs.page_digest(template_name, context, localcontext), page
