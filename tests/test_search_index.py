"""The search step: Pagefind writes only <output>/pagefind/, and a missing binary is a clear problem."""

from __future__ import annotations

import pytest

from sitegen import search_index
from sitegen.errors import SiteError


def test_a_missing_pagefind_binary_says_how_to_install_it(monkeypatch, tmp_path):
    import pagefind_bin

    def missing():
        raise FileNotFoundError("no binary")

    monkeypatch.setattr(pagefind_bin, "get_executable", missing)
    (tmp_path / "index.html").write_text("<main data-pagefind-body><p>Hello</p></main>", encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        search_index.index_search(tmp_path)
    assert [p.format() for p in caught.value.problems] == [
        "requirements.txt: the Pagefind binary is missing (pip install -r requirements.txt)"
    ]


def test_pagefind_writes_only_its_bundle_inside_the_folder(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><main data-pagefind-body><p>Swedish massage</p></main>',
        encoding="utf-8",
    )
    search_index.index_search(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "pagefind"]
    for name in search_index.UI_FILES:
        assert (site / name).is_file(), name


def test_a_folder_without_pages_is_left_alone(tmp_path):
    search_index.index_search(tmp_path)
    assert list(tmp_path.iterdir()) == []
