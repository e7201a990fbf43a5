"""The menu, the header and the home page in real headless Chromium: on a
small phone the header and menu take about a quarter of the first screen,
and the menu opens and closes without JavaScript, by touch, keyboard and
screen reader; on a wide screen the menu is a row of links. The home page's
"Văn bản mới" is beside the news on a wide screen and after it on a phone."""

import pytest

# 320 x 568: the smallest phone screen still in use (iPhone SE, first generation).
SMALL_PHONE = {"width": 320, "height": 568}
PAGES = ["/", "/van-ban/2020/ke-hoach-01.html", "/lien-he/", "/tim-kiem/"]
MENU = ["Trang chủ", "Tin cơ sở", "Văn bản", "Giới thiệu", "Cơ cấu tổ chức", "Liên hệ", "Lưu trữ"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=SMALL_PHONE, locale="vi-VN", java_script_enabled=False)
    yield context.new_page()
    context.close()


def first_screen_share(page) -> float:
    """How much of the first screen the header and the (closed) menu take."""
    bottom = page.evaluate("document.querySelector('nav.app-nav').getBoundingClientRect().bottom")
    return bottom / SMALL_PHONE["height"]


@pytest.mark.parametrize("address", PAGES)
def test_on_a_small_phone_header_and_menu_take_a_quarter_of_the_screen(phone, site_url, address,
                                                                       record_property):
    phone.goto(site_url + address)
    share = first_screen_share(phone)
    record_property(f"header_and_menu_share_at_320x568{address}", round(share, 3))
    assert share <= 0.25
    # Nothing sticks out sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") == SMALL_PHONE["width"]


def test_the_menu_opens_and_closes_without_javascript(phone, site_url):
    phone.goto(site_url + "/")
    toggle = phone.get_by_text("Danh mục")
    links = phone.locator(".app-nav__link")
    assert not links.first.is_visible()
    toggle.click()
    assert [link.inner_text() for link in links.all()] == MENU
    assert all(link.is_visible() for link in links.all())
    opened = first_screen_share(phone)
    toggle.click()
    assert not links.first.is_visible()
    assert opened > first_screen_share(phone)


def test_the_menu_is_a_disclosure_the_keyboard_and_screen_readers_can_use(phone, site_url):
    phone.goto(site_url + "/")
    phone.keyboard.press("Tab")  # the skip link
    for _ in range(3):  # the emblem's link, the search box, its button
        phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Danh mục"
    tree = phone.locator("nav.app-nav").aria_snapshot()
    assert 'navigation "Chuyên mục"' in tree and "Trang chủ" not in tree  # closed: links not announced
    phone.keyboard.press("Enter")
    tree = phone.locator("nav.app-nav").aria_snapshot()
    assert all(f'link "{name}"' in tree for name in MENU)
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "Trang chủ"
    assert phone.evaluate("document.activeElement.getAttribute('aria-current')") == "page"


def test_on_a_wide_screen_the_menu_is_one_row_of_links_without_a_toggle(page, site_url):
    page.goto(site_url + "/van-ban/")
    assert not page.get_by_text("Danh mục").is_visible()
    tops = page.eval_on_selector_all(".app-nav__link", "links => links.map(l => l.getBoundingClientRect().top)")
    assert len(tops) == len(MENU) and len(set(tops)) == 1
    current = page.locator('.app-nav__link[aria-current="page"]')
    assert current.inner_text() == "Văn bản" and current.is_visible()
    page.keyboard.press("Tab")
    for _ in range(3):
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Trang chủ"


def box(page, selector) -> dict:
    return page.locator(selector).bounding_box()


def test_on_a_wide_screen_the_newest_documents_are_beside_the_news(page, site_url):
    page.goto(site_url + "/")
    news, documents = box(page, ".app-news-list--front"), box(page, ".app-latest-documents")
    assert documents["x"] >= news["x"] + news["width"]  # to the right of the news
    assert documents["y"] < news["y"] + news["height"]  # from the news's top, not below it
    assert documents["y"] < page.viewport_size["height"] / 3  # and in the first screen
    assert page.get_by_role("heading", name="Văn bản mới").is_visible()


def test_on_a_phone_the_newest_documents_come_after_the_news(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
    phone = context.new_page()
    try:
        phone.goto(site_url + "/")
        news, documents = box(phone, ".app-news-list--front"), box(phone, ".app-latest-documents")
        polls = box(phone, ".app-polls")
    finally:
        context.close()
    assert documents["y"] >= news["y"] + news["height"]  # under the news
    assert documents["y"] + documents["height"] <= polls["y"]  # before the polls
    assert documents["x"] >= 0 and documents["x"] + documents["width"] <= 375
