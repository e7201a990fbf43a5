"""The W3C Nu validator (current vnu.jar) finds no error on any page."""

from portal.quality.html_validator import validate_html

pytest_plugins = ["quality_fixtures"]


def test_every_page_of_the_preview_build_is_valid_html(site):
    assert [str(problem) for problem in validate_html(site)] == []


def test_every_page_of_the_publish_build_is_valid_html(published_site):
    assert [str(problem) for problem in validate_html(published_site.output)] == []


def test_the_validator_reports_invalid_nesting(site, copy_of):
    damaged = copy_of(site)
    page = damaged / "gioi-thieu.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</main>", "<ul><p>Đoạn văn trong danh sách</p></ul></main>"), encoding="utf-8")
    problems = validate_html(damaged)
    assert [p.where.split(":")[0] for p in problems] == ["gioi-thieu.html"]
    assert "“p” not allowed as child of element “ul”" in problems[0].message


def test_the_validator_reports_invalid_css(site, copy_of):
    damaged = copy_of(site)
    with (damaged / "theme" / "css" / "site.css").open("a", encoding="utf-8") as css:
        css.write("\n.app-broken { colour: red; }\n")
    problems = validate_html(damaged)
    assert [p.where.split(":")[0] for p in problems] == ["theme/css/site.css"]
