"""The search index in slices (issue 16): one Pagefind run per slice of
years, merged in the browser, and a slice indexed again only when its pages'
indexed content changed. Real builds, real Pagefind, real Chromium.

Real sites of a few pages are one slice (slices.MIN_PAGES_PER_SLICE); these
tests lower the minimum so that every year is a slice of its own."""

import os
from pathlib import Path

import pytest

from browser_fixtures import search_results as search, serve_folder
from conftest import FixtureSite, article
from document_fixtures import NOW, library_site
from portal.search import slices
from portal.search.index import build_search_index, read_manifest
from portal.search.slices import IndexedPage, indexed_part, slice_pages

OLD = "tin-co-so/le-hoi-det-tho-cam.html"
NEW = "tin-co-so/doi-cong-chieng-xa-ta-long.html"
OLD_ARTICLE = article(title="Lễ hội dệt thổ cẩm", date="2016-04-02",
                      body="Các nghệ nhân dệt thổ cẩm ở Đakrông trình diễn khung dệt "
                           "bên ruộng lúa nước.")
NEW_ARTICLE = article(title="Đội cồng chiêng xã Tà Long", date="2024-03-09",
                      body="Đội cồng chiêng của xã biểu diễn tại Đakrông.")


@pytest.fixture(scope="module")
def every_year_a_slice():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(slices, "MIN_PAGES_PER_SLICE", 1)
        yield


# More 2024 articles on "lúa nước" than the results list shows (search.js MAX_RESULTS).
RICE_2024 = 21


def two_year_site(root: Path, rice_articles: int = 0) -> FixtureSite:
    site = FixtureSite(root)
    site.write("tin-co-so/le-hoi.md", OLD_ARTICLE)
    site.write("tin-co-so/cong-chieng.md", NEW_ARTICLE)
    for number in range(1, rice_articles + 1):
        site.write(f"tin-co-so/lua-nuoc-{number}.md", article(
            title=f"Vụ lúa nước thứ {number}", date=f"2024-02-{number:02d}",
            body=f"Thôn số {number} cấy lúa nước đúng khung thời vụ."))
    return site


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, every_year_a_slice):
    return two_year_site(tmp_path_factory.mktemp("two-years"), RICE_2024).build()


@pytest.fixture(scope="module")
def two_years_url(two_years):
    server, url = serve_folder(two_years)
    yield url
    server.terminate()
    server.wait()



def bundle_files(output: Path, name: str) -> dict[str, tuple[int, int]]:
    """{file: (inode, mtime)} of one slice's Pagefind bundle."""
    folder = output / "pagefind" / name
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


# --- Slicing ------------------------------------------------------------------------------


def pages_of(counts: dict[int, int]) -> list[IndexedPage]:
    return [IndexedPage(f"{year}/{number}.html", (year, number % 12 + 1), "digest")
            for year, count in counts.items() for number in range(count)]


def test_years_with_few_pages_are_grouped_and_the_newest_joins_the_one_before():
    found = slice_pages(pages_of({2015: 300, 2016: 300, 2017: 300, 2018: 300, 2019: 100})
                        + [IndexedPage("gioi-thieu.html", None, "digest")], min_pages=400)
    # 2015-2016 and 2017-2018 reach 400 pages; 2019 alone would not: it joins 2017-2018.
    # The page without a date goes with the oldest.
    assert {name: len(pages) for name, pages in found.items()} == {"2017-2019": 700, "2015-2016": 601}


def test_a_year_larger_than_a_slice_is_cut_between_months():
    found = slice_pages(pages_of({2023: 2400, 2024: 500}), min_pages=400, max_pages=1000)
    assert list(found) == ["2024", "2023-thang-09-12", "2023-thang-05-08", "2023-thang-01-04"]
    assert all(len(pages) <= 1000 for pages in found.values())
    assert sum(len(pages) for pages in found.values()) == 2900


def test_only_the_indexed_element_counts_for_a_pages_digest():
    page = (b'<html lang="vi"><body><main><article class="app-article" data-pagefind-body>'
            b'<p>Tin <article>trong</article> bai</p></article><aside>Tin cung chuyen muc</aside>')
    assert indexed_part(page) == (b'<article class="app-article" data-pagefind-body><p>Tin '
                                  b'<article>trong</article> bai</p></article>')
    assert indexed_part(b"<html><body><p>Trang danh sach</p></body></html>") is None


# --- Searching across slices, in the browser -------------------------------------------


def test_each_year_is_a_slice_listed_newest_first(two_years):
    assert list(read_manifest(two_years)) == ["2024", "2016"]
    for name in ("2024", "2016"):
        assert (two_years / "pagefind" / name / "pagefind-entry.json").is_file()
    assert sorted(entry.name for entry in (two_years / "pagefind").iterdir()) == [
        "2016", "2024", "slices.json"]


@pytest.mark.parametrize("query, expected", [
    ("tho cam", [f"/{OLD}"]),
    ("thổ cẩm", [f"/{OLD}"]),
    ("cong chieng", [f"/{NEW}"]),
    ("dakrong", [f"/{NEW}", f"/{OLD}"]),
])
def test_a_search_finds_articles_of_an_old_year_and_of_a_new_one(page, two_years_url, query, expected):
    assert sorted(search(page, two_years_url, q=query)) == sorted(expected)


def test_older_years_are_searched_only_when_the_newer_do_not_fill_the_list(page, two_years_url):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    found = search(page, two_years_url, q="lua nuoc")
    assert len(found) == 20 and f"/{OLD}" not in found
    assert not [url for url in asked if "/pagefind/2016/" in url]  # 2016 not even loaded
    status = page.inner_text("[data-search-status]")
    assert f"Tìm thấy {RICE_2024} kết quả cho “lua nuoc” trong các bài từ năm 2024 đến nay." in status
    page.click("text=Tìm cả trong các năm trước 2024")
    page.wait_for_selector("[data-search-results][data-search-done]", timeout=15000, state="attached")
    assert page.url.endswith("moi-nam=1")
    assert f"Tìm thấy {RICE_2024 + 1} kết quả cho “lua nuoc”." in page.inner_text("[data-search-status]")


def test_the_search_page_offering_older_years_passes_axe(page, two_years_url):
    from portal.quality.accessibility import axe_violations

    search(page, two_years_url, q="lua nuoc")
    assert page.query_selector(".app-search-page__more")
    assert [str(problem) for problem in axe_violations(page, "search page")] == []


@pytest.fixture(scope="module")
def sliced_library(tmp_path_factory, every_year_a_slice):
    output = library_site(tmp_path_factory.mktemp("sliced-library")).build(POLLS_NOW=NOW)
    server, url = serve_folder(output)
    yield output, url
    server.terminate()
    server.wait()


def test_the_documents_filters_and_numbers_work_across_slices(page, sliced_library):
    output, url = sliced_library
    # The documents have slices of their own: filters and numbers load only theirs.
    assert list(read_manifest(output)) == [
        "2024", "van-ban-2024", "van-ban-2023", "van-ban-2022", "van-ban-2021", "2020",
        "van-ban-2020", "van-ban-2019"]
    decisions = ["/van-ban/2024/quyet-dinh-200-qd-ubnd.html", "/van-ban/2024/quyet-dinh-125-qd-ubnd.html",
                 "/van-ban/2024/quyet-dinh-01-qd-ubnd.html", "/van-ban/2019/quyet-dinh-12-qd-ubnd.html"]
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    assert search(page, url, loai="Quyết định") == decisions  # newest first, 2024 then 2019
    # Pagefind reads every index chunk for a search without words: only the documents'.
    loaded = {url.split("/pagefind/")[1].split("/")[0] for url in asked if "/pagefind/" in url}
    assert loaded == {"slices.json", "van-ban-2024", "van-ban-2023", "van-ban-2022",
                      "van-ban-2021", "van-ban-2020", "van-ban-2019"}
    assert search(page, url, loai="Quyết định", nam="2019") == decisions[3:]
    # The plan (2020) is numbered 01; the decision 01/QĐ-UBND (2024) is about a "kế hoạch" too.
    assert search(page, url, q="ke hoach 01")[0] == "/van-ban/2020/ke-hoach-01.html"
    assert search(page, url, q="01/QĐ-UBND")[0] == decisions[2]
    assert search(page, url, q="12/qd-ubnd")[0] == decisions[3]


# --- Indexing a slice again only when its pages changed ---------------------------------


def test_a_slice_is_indexed_again_only_when_its_pages_indexed_content_changed(tmp_path, every_year_a_slice):
    site = two_year_site(tmp_path)
    output = site.build()
    old_bundle, new_bundle = bundle_files(output, "2016"), bundle_files(output, "2024")
    old_page = (output / OLD).read_bytes()

    # Nothing changed: no slice is indexed again.
    site.build()
    assert bundle_files(output, "2016") == old_bundle
    assert bundle_files(output, "2024") == new_bundle

    # A 2024 article is edited and another added in the 2016 article's category: the
    # 2016 page changes (its "Tin cùng chuyên mục" list), but not what is indexed of it.
    site.write("tin-co-so/cong-chieng.md", NEW_ARTICLE.replace("biểu diễn", "biểu diễn cồng chiêng"))
    site.write("tin-co-so/moi.md", article(title="Tin mới của xã", date="2024-06-01"))
    site.build()
    assert (output / OLD).read_bytes() != old_page
    assert bundle_files(output, "2016") == old_bundle
    rebuilt = bundle_files(output, "2024")
    assert rebuilt["pagefind-entry.json"] != new_bundle["pagefind-entry.json"]

    # The preview indexes output/ in place: with nothing changed, nothing is run again;
    # what an index of one piece (before slices) left there goes.
    (output / "pagefind" / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    (output / "pagefind" / "fragment").mkdir()
    digests = read_manifest(output)
    assert build_search_index(output) == []
    assert read_manifest(output) == digests
    assert bundle_files(output, "2024") == rebuilt
    assert sorted(entry.name for entry in (output / "pagefind").iterdir()) == [
        "2016", "2024", "slices.json"]

    # The 2016 article deleted: its slice goes.
    os.remove(site.content / "tin-co-so" / "le-hoi.md")
    site.build()
    assert list(read_manifest(output)) == ["2024"]
    assert not (output / "pagefind" / "2016").exists()


def test_two_small_slices_are_indexed_side_by_side_and_a_full_one_alone():
    """Pagefind's memory grows with the pages it reads: two runs at once only
    while their pages together fit in one full slice (search.index._PageBudget)."""
    import threading
    import time

    from portal.search.index import _PageBudget

    budget = _PageBudget(10)
    started, finish = [], threading.Event()

    def run(pages):
        with budget.taking(pages):
            started.append(pages)
            finish.wait(10)

    with budget.taking(4), budget.taking(5):  # 9 pages: both under way at once
        assert budget.left == 1
        later = threading.Thread(target=run, args=(8,))
        later.start()
        time.sleep(0.3)
        assert started == []  # 4 + 5 + 8 pages would pass 10: it waits
    deadline = time.monotonic() + 10
    while not started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started == [8] and budget.left == 2
    finish.set()
    later.join(10)
    assert budget.left == 10
    with budget.taking(25):  # more than the whole budget: all of it, so alone
        assert budget.left == 0
    assert budget.left == 10
