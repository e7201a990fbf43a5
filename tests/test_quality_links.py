"""Every internal address resolves to a file in the output; nothing a page
needs to render comes from another host."""

from conftest import damage
from portal.quality.links import broken_links

pytest_plugins = ["quality_fixtures"]


def test_no_broken_links_in_the_preview_build(site):
    assert [str(problem) for problem in broken_links(site)] == []


def test_no_broken_links_in_the_publish_build_feeds_sitemap_and_robots(published_site):
    output = published_site.output
    assert (output / "sitemap.xml").is_file() and (output / "robots.txt").is_file()
    assert [str(p) for p in broken_links(output, published_site.siteurl)] == []


def test_a_dead_link_is_reported(site, copy_of):
    damaged = copy_of(site)
    damage(damaged, "gioi-thieu.html", "</main>", '<a href="/tin-co-so/khong-co.html">Tin cũ</a></main>')
    assert [str(p) for p in broken_links(damaged)] == [
        "gioi-thieu.html: <a href> /tin-co-so/khong-co.html: no such file in the output"]


def test_a_relative_link_to_a_missing_id_is_reported(site, copy_of):
    damaged = copy_of(site)
    damage(damaged, "gioi-thieu.html", "</main>", '<a href="index.html#khong-co">Mục</a></main>')
    assert [str(p) for p in broken_links(damaged)] == [
        'gioi-thieu.html: <a href> index.html#khong-co: index.html has no id="khong-co"']


def test_a_stylesheet_from_another_host_is_reported_but_a_link_to_it_is_not(site, copy_of):
    damaged = copy_of(site)
    damage(damaged, "index.html", "</head>",
           '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head>')
    damage(damaged, "index.html", "</main>", '<a href="https://quangtri.gov.vn/">Tỉnh</a></main>')
    assert [str(p) for p in broken_links(damaged)] == [
        "index.html: <link href> https://cdn.example.com/x.css: loads from another host; "
        "serve it from the site itself"]


def test_a_dead_link_in_a_feed_is_reported(published_site, copy_of):
    damaged = copy_of(published_site.output)
    base = published_site.siteurl
    damage(damaged, "feeds/tat-ca.atom.xml", f'href="{base}/tin-co-so/', f'href="{base}/tin-cu/')
    problems = broken_links(damaged, base)
    assert [p.where for p in problems] == ["feeds/tat-ca.atom.xml"]
