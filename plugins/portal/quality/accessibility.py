"""Accessibility in a real browser: axe-core's WCAG 2.1 A and AA rules, and
the keyboard path every page must offer (skip link first, focus visible).

The axe-core version is the one bundled with the pinned
axe-playwright-python: new axe releases add rules, so it changes only on purpose.
"""

from axe_playwright_python.sync_playwright import Axe

from ..core.problems import Problem
from .browser import chromium
from .pages import WIDTHS, page_of_each_type, served

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SKIP_LINK_TARGET = "#main-content"
MAX_TAB_STOPS = 200  # a page with more tab stops than this is a problem of its own

_axe = Axe()


def axe_violations(page, where: str) -> list[Problem]:
    """WCAG 2.1 A/AA violations on the page open in `page`, one problem per element."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    return [
        Problem(where, f"{violation['id']}: {violation['help']} at {node['target']}")
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def skip_link_problems(page, where: str) -> list[Problem]:
    """The first Tab shows the skip link; following it moves focus to the main content."""
    page.keyboard.press("Tab")
    first = page.evaluate("""() => {
        const el = document.activeElement, box = el.getBoundingClientRect();
        return {href: el.getAttribute('href'), text: el.textContent.trim(),
                visible: box.width > 0 && box.height > 0 && box.top >= 0 && box.top < innerHeight};
    }""")
    if first["href"] != SKIP_LINK_TARGET:
        return [Problem(where, f'the first tab stop is "{first["text"]}" ({first["href"]}), '
                              f"not the skip link to {SKIP_LINK_TARGET}")]
    problems = []
    if not first["visible"]:
        problems.append(Problem(where, "the skip link stays out of sight when it has focus"))
    page.keyboard.press("Enter")
    focused = page.evaluate("() => document.activeElement.id")
    if f"#{focused}" != SKIP_LINK_TARGET:
        problems.append(Problem(where, f"following the skip link leaves focus on #{focused or 'body'}"))
    return problems


# For the element that has focus: a name for people, and whether its focused
# look differs from its resting look (an outline, a shadow, colours...).
_FOCUSED_ELEMENT = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const look = () => {
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
                s.backgroundColor, s.color, s.borderColor, s.textDecorationLine].join('|');
    };
    const focused = look();
    el.blur();
    const resting = look();
    el.focus({focusVisible: true});
    const label = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
    return {name: `${el.tagName.toLowerCase()} "${label.slice(0, 40)}" ${el.getAttribute('href') || ''}`,
            visible: focused !== resting};
}"""


def focus_style_problems(page, where: str) -> list[Problem]:
    """Tab through the page: every element that takes focus must look different while focused.

    Returns the problems and how many tab stops were visited.
    """
    problems, seen = [], []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUSED_ELEMENT)
        if stop is None or (seen and stop["name"] == seen[0]):
            break  # back at the start: every tab stop was visited
        seen.append(stop["name"])
        if not stop["visible"]:
            problems.append(Problem(where, f"{stop['name']} shows no visible focus style"))
    return problems, len(seen)


def page_problems(browser, url: str, width: int, where: str) -> list[Problem]:
    """axe, the skip link and focus styles on one page at one width."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(url)
        problems = axe_violations(page, where)
        page.goto(url)
        problems += skip_link_problems(page, where)
        page.goto(url)
        problems += focus_style_problems(page, where)[0]
        return problems
    finally:
        context.close()


def check_site(output) -> list[Problem]:
    """Every page type of `output`, at each width, served on 127.0.0.1."""
    problems = []
    with served(output) as base_url, chromium() as browser:
        for address in page_of_each_type(output).values():
            for width in WIDTHS:
                problems += page_problems(browser, base_url + address, width, f"{address} at {width}px")
    return problems
