"""Quick edits (edit_path.py): the preview rebuilds only a page whose text changed, and only when
nothing else can change; after any sequence of edits, its output and its messages are a clean
build's, byte for byte and line for line."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, copy_real_site, examples, write
from test_cache import GUIDE, SEARCH_PAGE, SEARCH_TEMPLATE, edit, scratch

from sitegen.build import BuildOptions, build_site
from sitegen.cache_store import BuildCache
from sitegen.errors import SiteError, error
from sitegen.write import JOURNAL, LateUpdates

SECOND = "content/guides/second.md"
LONG = (
    " Notwithstanding considerable methodological heterogeneity, investigators consistently"
    " characterised therapeutic manipulation as physiologically inconsequential regarding"
    " circulatory, immunological and endocrinological parameters."
)
# kind -> whether the preview may rebuild just the edited page(s)
KINDS = {
    "sentence": True,  # text below the front matter
    "long": True,  # a sentence that moves the reading grade: the warnings change
    "second": True,  # another page
    "both": True,  # two pages in one save
    "touch": True,  # saved again unchanged: nothing to write
    "same-link": True,  # one more link to a page it already links to
    "heading": False,  # its "On this page" list is shown by other pages
    "footnote": False,  # a new id in its output: links from elsewhere land on ids
    "new-link": False,  # links count towards related guides
    "cite": False,  # a source cited for the first time
    "title": False,  # front matter
    "template": False,  # not a page
    "broken": False,  # an error: the whole build reports it, then the fix is built whole
}


def files_of(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def apply(site: Path, kind: str, n: int) -> None:
    if kind == "sentence":
        edit(site, GUIDE, "The HTML spec is long.", f"The HTML spec is long. Edit {n} is short.")
    elif kind == "long":
        edit(site, GUIDE, "The HTML spec is long.", "The HTML spec is long." + LONG * 2)
    elif kind == "second":
        edit(site, SECOND, "said so", f"said so, {n} times")
    elif kind == "both":
        apply(site, "sentence", n)
        apply(site, "second", n)
    elif kind == "touch":
        write(site / GUIDE, (site / GUIDE).read_text(encoding="utf-8"))
    elif kind == "same-link":
        edit(site, GUIDE, "## A third heading\n", "## A third heading\n\nAgain, [the second](second.md).\n")
    elif kind == "heading":
        edit(site, GUIDE, "## A third heading\n", f"## A third heading\n\n## Heading {n}\n")
    elif kind == "footnote":
        edit(site, GUIDE, "## A third heading\n", f"## A third heading\n\nMore.[^n{n}]\n\n[^n{n}]: Note {n}.\n")
    elif kind == "new-link":
        edit(site, SECOND, "said so", "said so (see [compare](../compare.md))")
    elif kind == "cite":
        edit(site, SECOND, "said so", "said so [@further-reading]")
    elif kind == "title":
        edit(site, GUIDE, "title: ", f"title: T{n} ")
    elif kind == "template":
        edit(site, "templates/base.html", "<main", f"<main data-edit-{n}")
    elif kind == "broken":
        edit(site, GUIDE, "The HTML spec is long.", "The HTML spec is long. [Gone](/nowhere/).")


def outcome(site: Path, out: Path, cache: BuildCache | None = None, late=None, **options) -> tuple:
    """(files, problems, quick) of one build; a failed build has no files."""
    try:
        result = build_site(BuildOptions(site, out, **options), cache=cache, late=late)
    except SiteError as exc:
        return None, [p.format() for p in exc.problems], False
    return files_of(out), [p.format() for p in result.warnings], result.quick


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=6))
def test_quick_edits_end_where_a_clean_build_does(tmp_path_factory, kinds):
    tmp_path = tmp_path_factory.mktemp("quick")
    site = scratch(tmp_path)  # every page shows every page's title and headings
    cache = BuildCache.for_site(site)  # as the preview keeps it
    assert outcome(site, tmp_path / "preview", cache)[2] is False
    for n, kind in enumerate(kinds):
        before = (site / GUIDE).read_text(encoding="utf-8")
        apply(site, kind, n)
        files, problems, quick = outcome(site, tmp_path / "preview", cache)
        clean = outcome(site, tmp_path / f"clean-{n}", use_cache=False)
        assert (files, problems) == clean[:2], f"after {kinds[: n + 1]}"
        again = kind in ("cite", "new-link") and kind in kinds[:n]  # the page cites it, links there already
        assert quick is (KINDS[kind] or again), f"{kind} after {kinds[:n]}"
        if kind == "broken":  # mended: the build after a failed one is a whole one
            write(site / GUIDE, before)
            files, problems, quick = outcome(site, tmp_path / "preview", cache)
            assert (files, problems) == outcome(site, tmp_path / f"mended-{n}", use_cache=False)[:2]
            assert quick is False


REAL_PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.md"))
REAL_EDITS = {
    "plain": "\n\nAn added plain sentence {n}.\n",
    "term": "\n\nEffleurage and petrissage are two of the moves {n}.\n",  # glossary links
    "long": "\n\n" + LONG.strip() * 2 + " {n}\n",  # the reading grade moves
    "cite-again": "\n\nA claim said again {n} [@{key}].\n",  # a source the page cites already
}


def _real_edit(site: Path, rel_path: str, kind: str, n: int) -> None:
    src_path = site / rel_path
    text = src_path.read_text(encoding="utf-8")
    cited = re.findall(r"\[@([a-z0-9-]+)\]", text)
    if kind == "cite-again" and not cited:
        kind = "plain"
    write(src_path, text.rstrip("\n") + REAL_EDITS[kind].format(n=n, key=cited[0] if cited else ""))


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(REAL_PAGES), st.sampled_from(sorted(REAL_EDITS))), max_size=4))
def test_quick_edits_to_the_real_site_end_where_a_clean_build_does(tmp_path_factory, steps):
    """The real site: glossary links, citations, related guides, the chooser, the search page.
    A glossary term a page did not use before adds ids to it (its links' descriptions), so that
    edit may be a whole build; the others are quick."""
    tmp_path = tmp_path_factory.mktemp("real")
    site = tmp_path / "site"
    copy_real_site(site)
    cache = BuildCache()
    outcome(site, tmp_path / "preview", cache)
    for n, (rel_path, kind) in enumerate(steps):
        _real_edit(site, rel_path, kind, n)
        files, problems, quick = outcome(site, tmp_path / "preview", cache)
        assert quick or kind == "term", f"{kind} on {rel_path} after {steps[:n]}: a whole build"
    if steps:
        assert (files, problems) == outcome(site, tmp_path / "clean", use_cache=False)[:2]


def test_a_quick_edit_to_the_glossary_page_does_not_link_its_own_terms(tmp_path):
    """The glossary page links no term to itself; a quick edit of it renders it as a whole build does."""
    site = tmp_path / "site"
    copy_real_site(site)
    cache = BuildCache()
    outcome(site, tmp_path / "preview", cache)
    glossary = site / "content/glossary.md"
    write(glossary, glossary.read_text(encoding="utf-8") + "\nEffleurage and tapotement are named here too.\n")
    files, problems, quick = outcome(site, tmp_path / "preview", cache)
    assert quick
    assert (files, problems) == outcome(site, tmp_path / "clean", use_cache=False)[:2]


def test_a_page_citing_another_source_in_place_of_one_is_a_whole_build(tmp_path):
    """Whether each source is cited anywhere is a site-wide check. A page that cites one source
    where it cited another keeps the same ids (its reference list still has one entry), so only
    the sources it cites tell that the check's answer may change."""
    site = scratch(tmp_path)
    with open(site / "content/data/sources.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "spare-source:\n  title: A spare source\n  publisher: P\n  year: 2022\n  url: https://example.org/s\n"
        )
    cache = BuildCache()
    assert any("'spare-source' is not cited anywhere" in line for line in outcome(site, tmp_path / "out", cache)[1])
    edit(site, SECOND, "said so [@example-source]", "said so [@spare-source]")
    files, problems, quick = outcome(site, tmp_path / "out", cache)
    assert not quick and not any("spare-source" in line for line in problems)
    assert (files, problems) == outcome(site, tmp_path / "clean", use_cache=False)[:2]


def test_a_quick_edit_rewrites_only_the_edited_page(tmp_path):
    site = scratch(tmp_path)
    out = tmp_path / "out"
    cache = BuildCache()
    outcome(site, out, cache)
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    apply(site, "long", 0)
    files, problems, quick = outcome(site, out, cache)
    assert quick
    changed = {name for name, inode in inodes.items() if (out / name).stat().st_ino != inode}
    assert changed == {"guides/first/index.html"}
    assert any("reading grade" in line and GUIDE in line for line in problems)


def searchable(tmp_path: Path, monkeypatch) -> Path:
    """The fixture site with a search page and an index of two pages a part."""
    import sitegen.search_index as search_index

    monkeypatch.setattr(search_index, "PAGES_PER_PART", 2)
    site = scratch(tmp_path)
    write(site / "templates/search.html", SEARCH_TEMPLATE)
    write(site / "content/search.md", SEARCH_PAGE)
    return site


def test_the_search_index_catches_up_after_quick_edits(tmp_path, monkeypatch):
    """The preview reloads open pages before Pagefind runs: the journal stays until the index has
    caught up, so a build that finds it (a preview stopped too soon) writes a fresh folder."""
    site, out, cache, late = searchable(tmp_path, monkeypatch), tmp_path / "out", BuildCache(), LateUpdates()
    build_site(BuildOptions(site, out), cache=cache, late=late)
    apply(site, "sentence", 0)
    assert build_site(BuildOptions(site, out), cache=cache, late=late).quick
    late.wait()
    assert not (out / JOURNAL).exists()
    assert files_of(out) == outcome(site, tmp_path / "clean", use_cache=False)[0]


def test_a_save_while_the_index_catches_up_waits_for_nothing(tmp_path, monkeypatch):
    import sitegen.search_index as search_index

    site, out, cache, late = searchable(tmp_path, monkeypatch), tmp_path / "out", BuildCache(), LateUpdates()
    build_site(BuildOptions(site, out), cache=cache, late=late)
    entered, release, calls, real = threading.Event(), threading.Event(), [], search_index.index_search

    def slow(folder, previous=None, changed=None, pages=None):
        calls.append(set(changed))
        entered.set()
        assert release.wait(30)
        real(folder, previous, changed, pages)

    monkeypatch.setattr(search_index, "index_search", slow)
    apply(site, "sentence", 0)
    assert build_site(BuildOptions(site, out), cache=cache, late=late).quick
    assert entered.wait(30)
    apply(site, "second", 1)  # while Pagefind (held back here) still indexes the first edit
    assert build_site(BuildOptions(site, out), cache=cache, late=late).quick
    journal = (out / JOURNAL).read_text(encoding="utf-8").split()
    assert journal == ["guides/first/index.html", "guides/number-two/index.html"]
    release.set()
    late.wait()
    assert calls == [{"guides/first/index.html"}, {"guides/number-two/index.html"}]
    assert not (out / JOURNAL).exists()
    monkeypatch.setattr(search_index, "index_search", real)
    assert files_of(out) == outcome(site, tmp_path / "clean", use_cache=False)[0]


def test_a_failed_catch_up_is_logged_and_the_next_build_is_whole(tmp_path, monkeypatch, caplog):
    import sitegen.search_index as search_index

    site, out, cache, late = searchable(tmp_path, monkeypatch), tmp_path / "out", BuildCache(), LateUpdates()
    build_site(BuildOptions(site, out), cache=cache, late=late)

    def fails(*args, **kwargs):
        raise SiteError([error("requirements.txt", None, "Pagefind failed to index the site: boom", "reinstall")])

    monkeypatch.setattr(search_index, "index_search", fails)
    apply(site, "sentence", 0)
    with caplog.at_level(logging.ERROR):
        assert build_site(BuildOptions(site, out), cache=cache, late=late).quick
        late.wait()
    assert "Pagefind failed to index the site: boom" in caplog.text
    assert "the next build redoes it" in caplog.text
    assert (out / JOURNAL).exists()
    monkeypatch.undo()
    monkeypatch.setattr(search_index, "PAGES_PER_PART", 2)
    apply(site, "sentence", 1)
    files, problems, quick = outcome(site, out, cache, late=late)
    assert not quick and not (out / JOURNAL).exists()
    assert (files, problems) == outcome(site, tmp_path / "clean", use_cache=False)[:2]


def test_a_build_after_a_preview_stopped_before_the_index_caught_up_writes_everything(tmp_path, monkeypatch):
    site, out, cache, late = searchable(tmp_path, monkeypatch), tmp_path / "out", BuildCache(), LateUpdates()
    build_site(BuildOptions(site, out), cache=cache, late=late)
    monkeypatch.setattr(late, "add", lambda *args: None)  # stopped: its catch-up never ran
    apply(site, "sentence", 0)
    assert build_site(BuildOptions(site, out), cache=cache, late=late).quick
    assert (out / JOURNAL).exists()
    files, problems, quick = outcome(site, out)  # the command line, afterwards
    assert not quick and not (out / JOURNAL).exists()
    assert (files, problems) == outcome(site, tmp_path / "clean", use_cache=False)[:2]


@pytest.mark.parametrize("kind", ["sentence", "heading"])
def test_the_command_line_never_takes_the_quick_path(tmp_path, kind):
    """Each command-line build starts with nothing in memory: only the preview keeps a last build."""
    site = scratch(tmp_path)
    outcome(site, tmp_path / "out")
    apply(site, kind, 0)
    assert outcome(site, tmp_path / "out")[2] is False
