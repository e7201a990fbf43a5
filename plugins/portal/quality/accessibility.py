"""Accessibility in a real browser: axe-core's WCAG 2.1 A and AA rules, and
the keyboard path every page must offer (skip link first, focus visible).

The axe-core version is the one bundled with the pinned
axe-playwright-python: new axe releases add rules, so it changes only on purpose.
"""

from axe_playwright_python.sync_playwright import Axe

from ..problems import Problem

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


# The element's focus indicator: what :focus-visible changes from its resting look.
_FOCUS_LOOK = """el => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
            s.backgroundColor, s.color, s.borderColor, s.textDecorationLine].join('|');
}"""


def focus_style_problems(page, where: str) -> list[Problem]:
    """Tab through the page: every element that takes focus must look different while focused."""
    problems, seen = [], set()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        element = page.evaluate_handle("() => document.activeElement")
        name = page.evaluate("""el => el === document.body ? null :
            el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            ' "' + (el.textContent || el.value || '').trim().slice(0, 40) + '"'
            + ' ' + (el.getAttribute('href') || '')""", element)
        if name is None or name in seen:
            break  # back at the start: every tab stop was visited
        seen.add(name)
        focused_look = page.evaluate(_FOCUS_LOOK, element)
        outline = page.evaluate("el => { const s = getComputedStyle(el); "
                                "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 "
                                "|| s.boxShadow !== 'none'; }", element)
        page.evaluate("el => el.blur()", element)
        resting_look = page.evaluate(_FOCUS_LOOK, element)
        if not outline and focused_look == resting_look:
            problems.append(Problem(where, f"{name} shows no visible focus style"))
        page.evaluate("el => el.focus({focusVisible: true})", element)
    return problems
