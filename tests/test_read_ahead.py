"""Reading ahead (Markdown converted in worker processes before Pelican asks)
changes the time a build takes, nothing else: the same pages, the same
messages, and never a result made from other text than the file has."""

import logging

import pytest

from conftest import FixtureSite, article
from portal.read import read_ahead
from portal.core.problems import BuildFailed

ARTICLES = {
    "tin-co-so/mot.md": article(
        title="Tin một", slug="tin-mot", summary="Tóm tắt có **chữ đậm**.",
        body="Đoạn có chú thích.[^1]\n\n[^1]: Chú thích của tin một.\n\n*[HĐND]: Hội đồng nhân dân\n\nHĐND huyện họp."),
    "tin-co-so/hai.md": article(
        title="Tin hai", slug="tin-hai", date="2024-05-02",
        body="Không chú thích, không viết tắt: HĐND.\n\n| Cột | Số |\n|---|---|\n| a | 1 |"),
    "tin-co-so/ba.md": article(
        title="Tin ba", slug="tin-ba", date="2024-05-03",
        body="Đoạn đầu.\n\n<script>alert(1)</script>\n\n<p onclick=\"x()\">Đoạn cuối.</p>"),
    "tin-co-so/bon.md": article(
        title="Tin bốn", slug="tin-bon", date="2024-05-04",
        body="Bi\u0300a nhà văn hoá (văn bản chưa dựng sẵn NFC)."),
}


def build(root, monkeypatch, caplog, ahead: bool):
    """Pages {path: text} and the portal's warnings of one build of ARTICLES."""
    site = FixtureSite(root)
    for relative, text in ARTICLES.items():
        site.write(relative, text)
    monkeypatch.chdir(root)  # messages name files relative to the project
    monkeypatch.setattr(read_ahead, "READ_AHEAD_FROM", 1 if ahead else 10**9)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal"):
        output = site.build()
    pages = {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(output.rglob("*.html"))}
    return pages, [record.getMessage() for record in caplog.records]


@pytest.fixture
def taken(monkeypatch):
    """Paths whose worker result the reader used."""
    used = []
    real_take = read_ahead.ReadAhead.take

    def take(self, path, text):
        prepared = real_take(self, path, text)
        if prepared is not None:
            used.append(path)
        return prepared

    monkeypatch.setattr(read_ahead.ReadAhead, "take", take)
    return used


def test_read_ahead_gives_the_same_pages_and_messages(tmp_path, monkeypatch, caplog, taken):
    pages_in_process, warnings_in_process = build(tmp_path / "in-process", monkeypatch, caplog, ahead=False)
    assert taken == []
    pages_ahead, warnings_ahead = build(tmp_path / "ahead", monkeypatch, caplog, ahead=True)

    assert len(taken) == len(ARTICLES)
    assert pages_ahead == pages_in_process
    assert sorted(warnings_ahead) == sorted(warnings_in_process)  # Pelican reads in set order
    assert any("tin-co-so/ba.md: removed" in w and "<script>" in w for w in warnings_ahead)
    assert any("tin-co-so/bon.md: text was not in composed Unicode" in w for w in warnings_ahead)
    # One Markdown object serves every file: nothing leaks from one to the next.
    second = pages_ahead["tin-co-so/tin-hai.html"]
    assert "Chú thích của tin một" not in second and "<abbr" not in second
    assert "<abbr" in pages_ahead["tin-co-so/tin-mot.html"]
    # The Summary went through Markdown (the lists show it without tags).
    assert "Tóm tắt có chữ đậm." in pages_ahead["index.html"]


def test_a_worker_result_from_other_text_is_not_used(tmp_path, monkeypatch, caplog, taken):
    def prepare_other_text(path):  # as if the file changed after the worker read it
        return read_ahead._converter.prepare(read_ahead.read_source_text(path) + "\n\nĐoạn lạ.")

    monkeypatch.setattr(read_ahead, "_prepare_file", prepare_other_text)
    pages, _ = build(tmp_path, monkeypatch, caplog, ahead=True)
    assert taken == []
    assert "Tin một" in pages["tin-co-so/tin-mot.html"]
    assert not any("Đoạn lạ" in text for text in pages.values())


def test_a_file_a_worker_cannot_read_gets_the_readers_own_message(fixture_site, monkeypatch):
    monkeypatch.chdir(fixture_site.root)
    monkeypatch.setattr(read_ahead, "READ_AHEAD_FROM", 1)
    fixture_site.write("tin-co-so/mot.md", ARTICLES["tin-co-so/mot.md"])
    fixture_site.write("tin-co-so/hong.md", b"Title: T\xe1ng\n\nx\n")
    with pytest.raises(BuildFailed) as failure:
        fixture_site.build()
    assert failure.value.report().splitlines()[0] == (
        "content/tin-co-so/hong.md:1: the file is not UTF-8 text (byte 0xE1); "
        "save it again with the encoding UTF-8")


def test_with_the_content_cache_only_new_and_changed_files_are_read_ahead(fixture_site, monkeypatch, taken):
    monkeypatch.chdir(fixture_site.root)
    monkeypatch.setattr(read_ahead, "READ_AHEAD_FROM", 1)
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    for relative, text in ARTICLES.items():
        fixture_site.write(relative, text)
    fixture_site.build(**cached)
    assert len(taken) == len(ARTICLES)  # an empty cache: every file

    taken.clear()
    edited = fixture_site.write("tin-co-so/hai.md", ARTICLES["tin-co-so/hai.md"] + "\nĐoạn mới.\n")
    output = fixture_site.build(**cached)
    # The edited file, and the two whose reading warned (a script removed,
    # text not in NFC): the cache never keeps those, so that every build
    # says their warnings again.
    warned = [str(fixture_site.content / name) for name in ("tin-co-so/ba.md", "tin-co-so/bon.md")]
    assert sorted(taken) == sorted([str(edited), *warned])
    assert "Đoạn mới." in (output / "tin-co-so" / "tin-hai.html").read_text(encoding="utf-8")
