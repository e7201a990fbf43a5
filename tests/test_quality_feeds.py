"""Atom feeds, sitemap.xml and robots.txt of a publish build, as other
software reads them."""

import feedparser

from conftest import damage
from portal.quality.feeds import (
    feed_files, feed_problems, public_page_urls, robots_problems, sitemap_problems,
)

pytest_plugins = ["quality_fixtures"]


def test_every_feed_has_the_elements_atom_requires(published_site):
    output = published_site.output
    names = [p.relative_to(output).as_posix() for p in feed_files(output)]
    assert {"feeds/tat-ca.atom.xml", "feeds/tin-co-so.atom.xml"} <= set(names)
    assert feed_problems(output) == []
    feed = feedparser.parse(output / "feeds" / "tat-ca.atom.xml")
    assert feed.entries[0].link.startswith(published_site.siteurl + "/")


def test_a_feed_without_updated_is_reported(published_site, copy_of):
    damaged = copy_of(published_site.output)
    text = (damaged / "feeds" / "tat-ca.atom.xml").read_text(encoding="utf-8")
    updated = text[text.index("<updated>"):text.index("</updated>") + len("</updated>")]
    damage(damaged, "feeds/tat-ca.atom.xml", updated, "")
    assert [str(p) for p in feed_problems(damaged)] == ["feeds/tat-ca.atom.xml: the feed has no <updated>"]


def test_the_sitemap_is_valid_and_lists_every_public_page_once(published_site):
    output, siteurl = published_site.output, published_site.siteurl
    assert sitemap_problems(output, siteurl) == []
    public = public_page_urls(output, siteurl)
    assert f"{siteurl}/" in public and f"{siteurl}/404.html" not in public
    assert f"{siteurl}/gioi-thieu.html" in public


def test_a_sitemap_that_breaks_the_schema_or_misses_a_page_is_reported(published_site, copy_of):
    damaged, siteurl = copy_of(published_site.output), published_site.siteurl
    damage(damaged, "sitemap.xml", "<changefreq>monthly</changefreq>", "<changefreq>often</changefreq>")
    damage(damaged, "sitemap.xml", f"<loc>{siteurl}/gioi-thieu.html</loc>", f"<loc>{siteurl}/</loc>")
    problems = [str(p) for p in sitemap_problems(damaged, siteurl)]
    assert any("changefreq" in p and "'often'" in p for p in problems), problems
    assert f"sitemap.xml: {siteurl}/ is listed more than once" in problems
    assert f"sitemap.xml: {siteurl}/gioi-thieu.html is a public page but is not listed" in problems


def test_robots_txt_names_the_sitemap(published_site):
    output, siteurl = published_site.output, published_site.siteurl
    assert robots_problems(output, siteurl) == []
    lines = (output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {siteurl}/sitemap.xml" in lines


def test_the_preview_build_has_no_robots_txt_or_sitemap(site):
    assert not (site / "robots.txt").exists()
    assert not (site / "sitemap.xml").exists()
