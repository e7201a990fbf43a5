"""The content cache's key: a cache is loaded only by a build with the
settings, the reader's code and the libraries it was made with."""

from conftest import ROOT
from portal.build import content_cache
from portal.core.settings import load_settings


def key_in_a_new_process(settings) -> str:
    content_cache._libraries.cache_clear()  # a process takes the libraries' digest once
    return content_cache.cache_key(settings)


def test_installing_or_upgrading_a_library_changes_the_key(tmp_path, monkeypatch):
    settings = load_settings(str(ROOT / "pelicanconf.py"))
    installed = tmp_path / "site-packages"
    (installed / "thu_vien-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(installed))
    try:
        before = key_in_a_new_process(settings)
        assert key_in_a_new_process(settings) == before  # nothing changed: the cache is used
        (installed / "thu_vien-1.0.dist-info").rename(installed / "thu_vien-1.1.dist-info")
        upgraded = key_in_a_new_process(settings)
        assert upgraded != before
        (installed / "thu_vien_moi-2.0.dist-info").mkdir()
        assert key_in_a_new_process(settings) not in (before, upgraded)
    finally:
        monkeypatch.undo()
        content_cache._libraries.cache_clear()
