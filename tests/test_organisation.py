"""Tổ chức và liên hệ: the "Cơ cấu tổ chức" and "Liên hệ" pages and every
page's footer, from the one organisation file; what is not filled in says
so, nothing is made up; a wrong file is one line naming its line."""

import re

import pytest

from conftest import ROOT, FixtureSite, article, parse
from portal.core.problems import BuildFailed

PLACEHOLDER = "Chưa cập nhật"

FILLED = """\
contact:
  address: Khu phố 1, thị trấn Thử Nghiệm
  phone: "0233 3 000 000"
  email: vanphong@example.vn
  hours: Sáng 7:00-11:30, chiều 13:30-17:00
  map: https://maps.example.vn/?q=16.6,106.9
units:
  - name: Ban Thử nghiệm
    about: Đơn vị dùng cho kiểm thử.
    phone: "0233 3 000 001"
    email: ban@example.vn
    people:
      - name: Người Thử Nhất
        position: Trưởng ban
        phone: "+84 233 3 000 002"
      - name: Người Thử Hai
        position: Phó Trưởng ban
"""


def text(soup) -> str:
    return " ".join(soup.get_text(" ").split())


def test_the_project_says_what_is_still_to_be_filled_in(all_pages):
    organisation, contact = all_pages["co-cau-to-chuc/index.html"], all_pages["lien-he/index.html"]
    assert organisation.body["data-page-type"] == "organisation"
    assert contact.body["data-page-type"] == "contact"
    assert [h2.get_text() for h2 in organisation.select(".app-unit__name")] == ["Ban Thường vụ Huyện ủy Đakrông"]
    for page in (organisation, contact):
        assert "Thông tin trên trang này đang được cập nhật" in page.select_one(".app-notice").get_text()
        main = page.select_one("main")
        assert PLACEHOLDER in text(main)
        # No name, number or address made up: no phone or mail link, no digits run.
        assert not main.select('a[href^="tel:"], a[href^="mailto:"]')
        assert not re.search(r"\d{3}", text(main))
    lines = {row.dt.get_text(): row.dd.get_text(strip=True) for row in contact.select("main .app-contact__line")}
    assert lines == {"Địa chỉ:": PLACEHOLDER, "Điện thoại:": PLACEHOLDER, "Thư điện tử:": PLACEHOLDER,
                     "Giờ làm việc:": PLACEHOLDER}
    assert "Bản đồ: Chưa cập nhật" in text(contact.select_one(".app-contact__map"))


def test_every_page_shows_the_contact_lines_in_its_footer(all_pages):
    for name, soup in all_pages.items():
        footer = soup.select_one("footer.app-footer")
        labels = [dt.get_text() for dt in footer.select(".app-contact dt")]
        assert labels == ["Địa chỉ:", "Điện thoại:", "Thư điện tử:"], name
        assert footer.select_one('a[href="/lien-he/"]'), name


def filled_site(root, organisation_text) -> FixtureSite:
    site = FixtureSite(root)
    site.write("to-chuc.yaml", organisation_text)
    site.write("tin-co-so/a.md", article())
    return site


def test_a_filled_file_gives_the_units_leaders_and_contacts(tmp_path):
    output = filled_site(tmp_path, FILLED).build()
    organisation, contact = parse(output / "co-cau-to-chuc/index.html"), parse(output / "lien-he/index.html")
    people = [text(li) for li in organisation.select(".app-unit__person")]
    assert people == ["Người Thử Nhất , Trưởng ban · +84 233 3 000 002", "Người Thử Hai , Phó Trưởng ban"]
    assert organisation.select_one('.app-unit__person a')["href"] == "tel:+842333000002"
    assert organisation.select_one(".app-unit__about").get_text() == "Đơn vị dùng cho kiểm thử."
    assert not organisation.select(".app-notice")  # complete: nothing to warn about
    links = {a.get_text(): a["href"] for a in contact.select("main a")}
    assert links["0233 3 000 000"] == "tel:02333000000"
    assert links["vanphong@example.vn"] == "mailto:vanphong@example.vn"
    assert links["Xem vị trí trên bản đồ"] == "https://maps.example.vn/?q=16.6,106.9"
    assert not contact.select("iframe, embed, object")  # a map is a link, never a frame
    footer = parse(output / "index.html").select_one("footer .app-contact")
    assert "Khu phố 1, thị trấn Thử Nghiệm" in text(footer) and PLACEHOLDER not in text(footer)


BAD_FILES = {
    "an unknown field": ("contact:\n  adress: Số 1\n",
                         'content/to-chuc.yaml:2: unknown field "adress" in contact; the fields are: '
                         "address, phone, email, hours, map"),
    "a phone that is not one": ('contact:\n  phone: "gọi văn phòng"\n',
                                'content/to-chuc.yaml:2: phone of contact "gọi văn phòng" is not a phone '
                                "number; write digits, e.g. 0233 3 123 456 (or leave it empty)"),
    "a map that is not https": ("contact:\n  map: http://maps.example.vn/x\n",
                                'content/to-chuc.yaml:2: contact: map "http://maps.example.vn/x" must be an '
                                "address starting with https:// (it is shown as a link, never embedded)"),
    "a leader without a position": ("units:\n  - name: Ban A\n    people:\n      - name: Người A\n",
                                    "content/to-chuc.yaml:4: a person of Ban A needs both 'name:' and "
                                    "'position:' (e.g. position: Bí thư Huyện ủy)"),
    "broken indentation": ("contact:\n  address: a\n phone: b\n",
                           "content/to-chuc.yaml:3: expected <block end>, but found '<block mapping "
                           "start>'; check the indentation, and put text that contains \": \" in double quotes"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_wrong_organisation_file_is_one_line_and_output_stays(tmp_path, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    site = filled_site(tmp_path, FILLED)
    site.build()
    before = site.snapshot()
    wrong, expected = BAD_FILES[case]
    site.write("to-chuc.yaml", wrong)
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert [str(problem) for problem in failure.value.problems] == [expected]
    assert site.snapshot() == before


def test_the_projects_file_reads_as_it_says(settings):
    from portal.organisation.data import load_organisation
    organisation = load_organisation(settings)
    assert [unit.name for unit in organisation.units] == ["Ban Thường vụ Huyện ủy Đakrông"]
    assert not organisation.complete
    assert (ROOT / "content" / "to-chuc.yaml").read_text(encoding="utf-8").count('""') >= 5
