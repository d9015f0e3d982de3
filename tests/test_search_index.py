"""The search step: Pagefind writes only <output>/pagefind/, and a missing binary is a clear problem."""

from __future__ import annotations

import shutil

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


def test_a_part_named_by_glob_and_one_linked_into_a_folder_index_the_same(tmp_path, monkeypatch):
    """Pagefind reads a part's pages from a --glob naming them, or (paths with glob characters)
    from a folder of links to them: the index is the same either way."""
    site = tmp_path / "site"
    pages = ["a/index.html", "b/index.html", "c/index.html"]
    for number, path in enumerate(pages):
        (site / path).parent.mkdir(parents=True)
        text = '<!doctype html><html lang="en"><title>t</title><main data-pagefind-body><p>Page {} about massage</p>'
        text = text.format(number)
        (site / path).write_text(text, encoding="utf-8")
    (site / "not-indexed.html").write_text("<html><main><p>massage elsewhere</p></main></html>", encoding="utf-8")

    def bundle_after(way: str) -> dict:
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        if way == "linked":
            monkeypatch.setattr(search_index, "_glob_of", lambda chosen: [])
        search_index._index_part(site, pages[:2], site / "pagefind", keep=())
        monkeypatch.undo()
        bundle = site / "pagefind"
        return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}

    by_glob, by_links = bundle_after("glob"), bundle_after("linked")
    assert by_glob == by_links
    assert sum(1 for name in by_glob if name.startswith("fragment/")) == 2  # a/ and b/, not c/ or the other
    assert sorted(p.name for p in site.iterdir()) == ["a", "b", "c", "not-indexed.html", "pagefind"]


def test_an_index_with_no_pages_left_to_search_is_removed(tmp_path):
    """An in-place update of a site that no longer has a searchable page: a clean build has no index."""
    page = '<!doctype html><html lang="en"><title>t</title><main data-pagefind-body><p>Swedish massage</p></main>'
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    search_index.index_search(tmp_path)
    assert (tmp_path / search_index.BUNDLE_DIR).is_dir()
    search_index.index_search(tmp_path, None, {"index.html"}, pages=())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
