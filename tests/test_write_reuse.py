"""The no-change fast paths: a build whose inputs and output are as the last build left them is not
redone (build_memo.py); otherwise unchanged output files are hard-linked from the previous output
and the Pagefind index is reused only when every HTML file is unchanged. Either way the output
equals a fresh build's, byte for byte, with the same warnings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import SITES, write

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


def test_a_no_change_build_links_every_file_and_the_index_and_equals_a_fresh_build(tmp_path):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    before = files_of(out)
    os.utime(site / "site.yaml", ns=(1, 1))  # same bytes, another time: past build_memo's shortcut
    build_site(BuildOptions(site, out))
    after = files_of(out)
    assert after.keys() == before.keys()
    relinked = [name for name in after if after[name][0] != before[name][0]]
    assert relinked == [".sitegen-output"]  # the marker is written afresh; everything else is linked
    assert any(name.startswith(BUNDLE_DIR + "/") for name in after)
    assert {name: content for name, (_, content) in after.items()} == fresh(site, tmp_path / "fresh")


def test_an_edit_to_one_page_rewrites_only_its_output_and_reindexes(tmp_path):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    build_site(BuildOptions(site, out))
    before = files_of(out)
    text = (site / GUIDE).read_text(encoding="utf-8")
    assert "Massage may help for a short time" in text
    write(site / GUIDE, text.replace("Massage may help for a short time", "Massage may help for a while", 1))
    build_site(BuildOptions(site, out))
    after = files_of(out)
    rewritten = {name for name in after if name in before and after[name][0] != before[name][0]}
    pages = {name for name in rewritten if not name.startswith(BUNDLE_DIR + "/")}
    assert pages == {".sitegen-output", "guides/first/index.html"}
    assert {name for name in after if name.startswith(BUNDLE_DIR + "/")} <= rewritten | (after.keys() - before.keys())
    assert {name: content for name, (_, content) in after.items()} == fresh(site, tmp_path / "fresh")


def test_a_no_change_build_is_not_redone_and_reports_the_same_warnings(tmp_path):
    site = site_with_search(tmp_path)
    out = tmp_path / "out"
    first = build_site(BuildOptions(site, out))
    before = files_of(out)
    again = build_site(BuildOptions(site, out))
    assert files_of(out) == before  # not even the marker rewritten
    assert [p.format() for p in again.warnings] == [p.format() for p in first.warnings]
    assert (again.pages, again.assets, again.grades) == (first.pages, first.assets, first.grades)


@pytest.mark.parametrize("change", ["delete an output", "edit an output", "add an output", "edit a source"])
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
    else:
        text = (site / GUIDE).read_text(encoding="utf-8")
        write(site / GUIDE, text.replace("Massage may help for a short time", "Massage may help for a while", 1))
    build_site(BuildOptions(site, out))
    built = {name: content for name, (_, content) in files_of(out).items()}
    assert built == fresh(site, tmp_path / "fresh")
