"""The no-change fast paths: a build whose inputs and output are as the last build left them is not
redone (build_memo.py); a build that changes a few files replaces only those, in place; a larger
change is written to a fresh folder where unchanged files are hard-linked from the previous output.
The Pagefind index is kept or reused only when every HTML file is unchanged. Whichever way, the
output equals a fresh build's, byte for byte, with the same warnings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import SITES, write

import sitegen.write as write_module
from sitegen import search_index
from sitegen.build import BuildOptions, build_site
from sitegen.search_index import BUNDLE_DIR

FULL = SITES / "full"
GUIDE = "content/guides/first.md"


SEARCH_TEMPLATE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>'
    "<body><main><h1>{{ page.title }}</h1>{{ content }}</main></body></html>\n"
)


def site_with_search(tmp_path: Path) -> Path:
    """The full fixture plus a search page, so the build makes a Pagefind index."""
    site = tmp_path / "site"
    shutil.copytree(FULL, site, ignore=shutil.ignore_patterns("_site", ".*"))
    write(site / "templates" / "search.html", SEARCH_TEMPLATE)
    write(
        site / "content" / "search.md",
        "---\ntitle: Search\ndescription: Search the site.\ntemplate: search\n---\n\nFind a page.\n",
    )
    return site


def files_of(out: Path) -> dict[str, tuple[int, bytes]]:
    """{output path: (inode, bytes)} of every file."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*") if p.is_file()}


def fresh(site: Path, out: Path) -> dict[str, bytes]:
    build_site(BuildOptions(site, out, use_cache=False))
    return {name: content for name, (_, content) in files_of(out).items()}


def writes(monkeypatch, way: str) -> None:
    """Make every build write in place, or a fresh folder swapped in, however small the change
    (how small a change goes in place depends on the site's size: the fixture is small)."""
    if way == "in place":
        monkeypatch.setattr(write_module, "IN_PLACE_MAX_SHARE", 1.0)
    else:
        monkeypatch.setattr(write_module, "_small_update", lambda outputs, out_dir: None)


@pytest.mark.parametrize("way", ["in place", "fresh folder"])
def test_a_no_change_build_keeps_or_links_every_file_and_the_index_and_equals_a_fresh_build(tmp_path, monkeypatch, way):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    before = files_of(out)
    writes(monkeypatch, way)
    os.utime(site / "site.yaml", ns=(1, 1))  # same bytes, another time: past build_memo's shortcut
    build_site(BuildOptions(site, out))
    after = files_of(out)
    assert after.keys() == before.keys()
    relinked = [name for name in after if after[name][0] != before[name][0]]
    # In place nothing is touched; a fresh folder gets a new marker and links to everything else.
    assert relinked == ([] if way == "in place" else [".sitegen-output"])
    assert any(name.startswith(BUNDLE_DIR + "/") for name in after)
    assert {name: content for name, (_, content) in after.items()} == fresh(site, tmp_path / "fresh")


def edit_guide(site: Path) -> None:
    text = (site / GUIDE).read_text(encoding="utf-8")
    assert "Massage may help for a short time" in text
    write(site / GUIDE, text.replace("Massage may help for a short time", "Massage may help for a while", 1))


@pytest.mark.parametrize("way", ["in place", "fresh folder"])
def test_an_edit_to_one_page_rewrites_only_its_output_and_reindexes(tmp_path, monkeypatch, way):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    before = files_of(out)
    writes(monkeypatch, way)
    edit_guide(site)
    build_site(BuildOptions(site, out))
    after = files_of(out)
    rewritten = {name for name in after if name in before and after[name][0] != before[name][0]}
    pages = {name for name in rewritten if not name.startswith(BUNDLE_DIR + "/")}
    marker = {".sitegen-output"} if way == "fresh folder" else set()
    assert pages == marker | {"guides/first/index.html"}
    index = {name for name in after if name.startswith(BUNDLE_DIR + "/")}
    reindexed = index & (rewritten | (after.keys() - before.keys()))
    assert any(before.get(name, (0, b""))[1] != after[name][1] for name in reindexed)  # the index changed
    if way == "fresh folder":
        assert reindexed == index
    else:  # the index is brought up to date: only files whose bytes changed are written
        assert reindexed != index
        assert all(after[name][1] != before.get(name, (0, None))[1] for name in reindexed)
    assert not (out / write_module.JOURNAL).exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".pagefind")]  # no index left half-made
    assert {name: content for name, (_, content) in after.items()} == fresh(site, tmp_path / "fresh")


def test_a_large_change_is_written_to_a_fresh_folder_and_swapped_in(tmp_path, monkeypatch):
    monkeypatch.setattr(write_module, "IN_PLACE_MAX_SHARE", 0.05)
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    before = files_of(out)
    base = site / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-edited", 1), encoding="utf-8")
    build_site(BuildOptions(site, out))
    after = files_of(out)
    assert after[".sitegen-output"][0] != before[".sitegen-output"][0]  # a new folder, with a new marker
    assert {name: content for name, (_, content) in after.items()} == fresh(site, tmp_path / "fresh")


def test_an_update_left_half_done_is_redone_whole(tmp_path, monkeypatch):
    """A journal left by a killed in-place update: the next build does not trust the folder."""
    writes(monkeypatch, "in place")  # were it not for the journal, this change would go in place
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    (out / "guides/first/index.html").write_bytes(b"half")  # as a killed update might leave it
    (out / write_module.JOURNAL).write_text("guides/first/index.html\n", encoding="utf-8")
    os.utime(site / "site.yaml", ns=(1, 1))
    build_site(BuildOptions(site, out))
    built = {name: content for name, (_, content) in files_of(out).items()}
    assert built == fresh(site, tmp_path / "fresh")


def test_a_no_change_build_is_not_redone_and_reports_the_same_warnings(tmp_path):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    first = build_site(BuildOptions(site, out))
    before = files_of(out)
    again = build_site(BuildOptions(site, out))
    assert files_of(out) == before  # not even the marker rewritten
    assert [p.format() for p in again.warnings] == [p.format() for p in first.warnings]
    assert (again.pages, again.assets, again.grades) == (first.pages, first.assets, first.grades)


CHANGES = ["delete an output", "edit an output", "add an output", "edit a source", "edit a source, same size and time"]


@pytest.mark.parametrize("change", CHANGES)
def test_the_shortcut_is_not_taken_when_the_output_or_an_input_changed(tmp_path, change):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    page = out / "guides/first/index.html"
    if change == "delete an output":
        page.unlink()
    elif change == "edit an output":
        page.write_bytes(page.read_bytes().replace(b"<main", b"<main data-x", 1))
    elif change == "add an output":
        (out / "stray.txt").write_text("x", encoding="utf-8")
    elif change == "edit a source":
        edit_guide(site)
    else:  # as a tool that keeps a file's time might: only its status-change time tells
        guide = site / GUIDE
        before = guide.stat()
        text = guide.read_text(encoding="utf-8")
        write(guide, text.replace("for a short time", "for a shorT time", 1))
        os.utime(guide, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert guide.stat().st_size == before.st_size
    build_site(BuildOptions(site, out))
    built = {name: content for name, (_, content) in files_of(out).items()}
    assert built == fresh(site, tmp_path / "fresh")


def parts_of(out: Path) -> list[str]:
    more = out / BUNDLE_DIR / search_index.MORE_DIR
    return sorted(p.name for p in more.iterdir()) if more.is_dir() else []


def site_with_parts(tmp_path: Path) -> Path:
    """The site with search, its search page showing the further parts of the index, as the real one does."""
    site = site_with_search(tmp_path)
    template = SEARCH_TEMPLATE.replace("</main>", "<p id=more>{{ search_more | join(' ') }}</p></main>")
    write(site / "templates" / "search.html", template)
    return site


def test_a_large_index_comes_in_parts_and_an_edit_redoes_only_its_part(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 2)  # the fixture is small: make its parts small
    site = site_with_parts(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    parts = parts_of(out)
    assert len(parts) >= 2  # /pagefind/ and /pagefind/more/1/, /pagefind/more/2/, ...
    for number in parts:
        assert (out / BUNDLE_DIR / "more" / number / "pagefind-entry.json").is_file()
    search_page = (out / "search/index.html").read_text(encoding="utf-8")
    listed = " ".join(f"/{BUNDLE_DIR}/more/{n}/" for n in sorted(parts, key=int))
    assert f"<p id=more>{listed}</p>" in search_page  # what the search page's UI merges
    before = files_of(out)
    writes(monkeypatch, "in place")
    edit_guide(site)
    build_site(BuildOptions(site, out))
    after = files_of(out)
    number = search_index.part_of("guides/first/index.html", len(parts) + 1)
    redone = f"{BUNDLE_DIR}/more/{number}/" if number else None
    more = f"{BUNDLE_DIR}/more/"
    for name, (inode, _) in after.items():
        in_part_zero = name.startswith(BUNDLE_DIR + "/") and not name.startswith(more)
        in_other_part = name.startswith(more) and not (redone and name.startswith(redone))
        if in_other_part or (number and in_part_zero):
            assert before[name][0] == inode, f"{name} was rewritten, but its part has no edited page"
    assert {name: content for name, (_, content) in after.items()} == fresh(site, tmp_path / "fresh")


def test_an_index_in_fewer_parts_loses_the_parts_it_no_longer_has(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 2)
    site = site_with_parts(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    assert parts_of(out)
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 500)  # one part will do, as if pages were deleted
    build_site(BuildOptions(site, out, use_cache=False))  # the cache knows the generator's code, not this patch
    assert parts_of(out) == []
    assert {name: content for name, (_, content) in files_of(out).items()} == fresh(site, tmp_path / "fresh")


def test_a_file_where_a_folder_now_goes_is_sorted_out_by_a_fresh_folder(tmp_path, monkeypatch):
    """A static file 'notes' replaced by a page at /notes/: the path is a file, then a folder."""
    writes(monkeypatch, "in place")
    site = site_with_search(tmp_path)
    write(site / "static" / "notes", "a plain file")
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    assert (out / "notes").is_file()
    (site / "static" / "notes").unlink()
    write(site / "content" / "notes.md", "---\ntitle: Notes\ndescription: Some notes.\n---\n\nA page of notes.\n")
    build_site(BuildOptions(site, out))
    assert (out / "notes" / "index.html").is_file()
    assert {name: content for name, (_, content) in files_of(out).items()} == fresh(site, tmp_path / "fresh")
