"""The build cache: keys change with everything a value depends on, a damaged or foreign cache is
set aside with a note, and any sequence of edits with warm builds ends where a clean build does."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, SITES, examples, write

from sitegen.build import BuildOptions, build_site, load_site
from sitegen.cache_store import CACHE_DIR, FILE_NAME, BuildCache
from sitegen.errors import SiteError
from sitegen.page_bodies import render_bodies
from sitegen.render_cache import body_key, link_fingerprint, site_fingerprint
from sitegen.render_pool import PARALLEL_MIN_ITEMS

FULL = SITES / "full"
GUIDE = "content/guides/first.md"


# Every page shows every page's title and headings: what a stale cache would get wrong.
SHOWN = "{% for p in pages %}[{{ p.title }}{% for t in p.toc %}/{{ t.title }}{% endfor %}]{% endfor %}"


def scratch(tmp_path: Path, name: str = "site") -> Path:
    target = tmp_path / name
    shutil.copytree(FULL, target, ignore=shutil.ignore_patterns("_site", ".*"))
    edit(target, "templates/base.html", "<main>", "<main>" + SHOWN)
    return target


def outcome(site: Path, out: Path, **options) -> tuple:
    """(every output file's bytes, every problem) of one build; a failed build has no files."""
    try:
        result = build_site(BuildOptions(site, out, **options))
    except SiteError as exc:
        return None, [p.format() for p in exc.problems]
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return files, [p.format() for p in result.warnings], result.notes


def clean_and_warm(site: Path, tmp_path: Path) -> tuple:
    warm = outcome(site, tmp_path / "warm")
    clean = outcome(site, tmp_path / "clean", use_cache=False)
    return clean[:2], warm[:2]


def edit(site: Path, rel_path: str, old: str, new: str) -> None:
    src_path = site / rel_path
    text = src_path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel_path}"
    write(src_path, text.replace(old, new, 1))


def keys_of(site_dir: Path) -> tuple:
    site, _ = load_site(site_dir, BuildOptions(site_dir), [])
    bodies, body_keys = render_bodies(site, BuildCache())
    return body_keys, site_fingerprint(site, bodies)


@pytest.mark.parametrize(
    ("rel_path", "old", "new", "body_changes", "site_changes"),
    [
        (GUIDE, "Massage may help for a short time", "Massage may help for a while", True, True),
        ("templates/base.html", "<main>", "<main data-x>", False, True),
        ("site.yaml", "Every feature once", "Every feature, once", False, True),
        ("content/data/sources.yaml", "title:", "title: Renamed", True, True),
    ],
)
def test_keys_follow_what_they_depend_on(tmp_path, rel_path, old, new, body_changes, site_changes):
    site = scratch(tmp_path)
    body_keys, site_print = keys_of(site)
    edit(site, rel_path, old, new)
    after_keys, after_print = keys_of(site)
    assert (after_keys[GUIDE] != body_keys[GUIDE]) is body_changes
    assert (after_print != site_print) is site_changes


def test_a_new_page_changes_every_link_fingerprint(tmp_path):
    site_dir = scratch(tmp_path)
    site, _ = load_site(site_dir, BuildOptions(site_dir), [])
    before = link_fingerprint(site)
    write(site_dir / "content/guides/third.md", "---\ntitle: Third\ndescription: A third.\n---\n\nText.\n")
    site, _ = load_site(site_dir, BuildOptions(site_dir), [])
    assert link_fingerprint(site) != before
    page = site.pages_by_rel_path[GUIDE]
    assert body_key(page, link_fingerprint(site)) != body_key(page, before)


def test_cache_lives_under_the_site_and_a_warm_build_reuses_it(tmp_path):
    site = scratch(tmp_path)
    first = outcome(site, tmp_path / "a")
    assert (site / CACHE_DIR / FILE_NAME).is_file()
    cache = BuildCache.for_site(site)
    build_site(BuildOptions(site, tmp_path / "b"), cache=cache)
    assert cache.misses == 0 and cache.hits > 0
    assert outcome(site, tmp_path / "c")[:2] == first[:2]


def test_no_cache_writes_no_cache(tmp_path):
    site = scratch(tmp_path)
    outcome(site, tmp_path / "a", use_cache=False)
    assert not (site / ".cache").exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(b"not a database at all"), id="garbage"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:1500]), id="truncated"),
        pytest.param(lambda path: _set_meta(path, "versions", "from another generator"), id="foreign-version"),
        pytest.param(lambda path: _set_values(path, b"\x80\x05broken"), id="damaged-entries"),
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_with_a_note(tmp_path, damage):
    site = scratch(tmp_path)
    clean = outcome(site, tmp_path / "clean", use_cache=False)
    outcome(site, tmp_path / "first")
    damage(site / CACHE_DIR / FILE_NAME)
    warm = outcome(site, tmp_path / "warm")
    assert warm[:2] == clean[:2]
    assert warm[2], "a note says the cache was set aside"
    again = outcome(site, tmp_path / "again")
    assert again[:2] == clean[:2] and not again[2]


def _set_meta(path: Path, name: str, value: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE name = ?", (value, name))


def _set_values(path: Path, value: bytes) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET value = ?", (value,))


def test_preview_cache_drops_entries_no_build_uses(tmp_path):
    site = scratch(tmp_path)
    cache = BuildCache()
    for n in range(3):  # each a whole build: a title is shown on other pages (no quick edit)
        edit(site, GUIDE, "title: ", f"title: T{n} ")
        assert not build_site(BuildOptions(site, tmp_path / "out"), cache=cache).quick
    assert len(cache.memory) == len(cache.used)


def test_a_template_showing_other_pages_headings_is_not_stale(tmp_path):
    """The old preview cache keyed a page on its own file only; the home page lists others."""
    site = scratch(tmp_path)
    cache = BuildCache()
    build_site(BuildOptions(site, tmp_path / "out"), cache=cache)
    edit(site, GUIDE, "title: The first guide", "title: The renamed guide")
    build_site(BuildOptions(site, tmp_path / "out"), cache=cache)
    edit(site, GUIDE, "## A third heading", "## A third heading\n\nText.\n\n## An added heading")
    build_site(BuildOptions(site, tmp_path / "out"), cache=cache)
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "[The renamed guide/A heading/" in home and "/An added heading" in home


NEW_PAGE = "---\ntitle: Page {n}\ndescription: Added {n}.\nreviewed: 2026-11-01\n---\n\n## Part {n}\n\nSome text.\n"
EDITS = st.sampled_from(["text", "heading", "title", "template", "data", "config", "new", "delete"])


def apply_edit(site: Path, kind: str, n: int) -> None:
    if kind == "text":
        edit(site, GUIDE, "The HTML spec is long", f"The HTML spec is long {n}")
    elif kind == "heading":
        with open(site / GUIDE, "a", encoding="utf-8") as handle:
            handle.write(f"\n## Added heading {n}\n\nMore text.\n")
    elif kind == "title":
        edit(site, GUIDE, "title: ", f"title: T{n} ")
    elif kind == "template":
        edit(site, "templates/base.html", "<main", f"<main data-edit-{n}")  # still '<main' after
    elif kind == "data":
        edit(site, "content/data/sources.yaml", "title: ", f"title: S{n} ")
    elif kind == "config":
        edit(site, "site.yaml", "tagline: ", f"tagline: v{n} ")
    elif kind == "new":
        write(site / f"content/guides/added-{n}.md", NEW_PAGE.format(n=n))
    else:
        for added in sorted((site / "content/guides").glob("added-*.md"))[:1]:
            added.unlink()


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=5))
def test_any_edits_with_warm_builds_end_like_a_clean_build(tmp_path_factory, edits):
    tmp_path = tmp_path_factory.mktemp("edits")
    site = scratch(tmp_path)
    preview_cache = BuildCache.for_site(site)  # as `serve` keeps it: in memory and on disk
    outcome(site, tmp_path / "warm")
    for n, kind in enumerate(edits):
        apply_edit(site, kind, n)
        try:
            build_site(BuildOptions(site, tmp_path / "preview"), cache=preview_cache)
        except SiteError:
            pass
        clean, warm = clean_and_warm(site, tmp_path)
        assert warm == clean, f"after {edits[: n + 1]}"
    if clean[0] is not None:
        preview = tmp_path / "preview"
        shown = {p.relative_to(preview).as_posix(): p.read_bytes() for p in preview.rglob("*") if p.is_file()}
        assert shown == clean[0]


def test_jobs_give_the_same_output_as_one_process(tmp_path):
    """In a fresh process (this one may run threads, e.g. a browser test's: then no pool is forked),
    with enough pages that --jobs 2 forks workers for bodies, pages and check parsing."""
    site = scratch(tmp_path)
    for n in range(PARALLEL_MIN_ITEMS):
        write(site / f"content/guides/added-{n}.md", NEW_PAGE.format(n=n))
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        command = [sys.executable, str(ROOT / "build.py"), "--source", str(site), "--out", str(out)]
        run = subprocess.run([*command, "--no-cache", "--jobs", jobs], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        trees.append((files, run.stderr))
    assert trees[0] == trees[1]


def test_get_many_answers_as_get_does_across_query_chunks(tmp_path):
    from sitegen.cache_store import MISSING, READ_CHUNK, BuildCache

    keys = [f"key-{n}" for n in range(READ_CHUNK * 2 + 7)]
    writer = BuildCache(tmp_path)
    writer.begin()
    for key in keys[::2]:
        writer.put("kind", key, {"value": key})
    writer.finish()
    reader = BuildCache(tmp_path)
    reader.begin()
    many = reader.get_many("kind", keys)
    reader.finish()
    one_by_one = BuildCache(tmp_path)
    one_by_one.begin()
    assert many == {key: one_by_one.get("kind", key) for key in keys}
    one_by_one.finish()
    assert [key for key, value in many.items() if value is not MISSING] == keys[::2]
    assert (reader.hits, reader.misses) == (len(keys[::2]), len(keys[1::2]))


def test_a_warm_build_compiles_no_template_it_compiled_before(tmp_path, monkeypatch):
    import jinja2

    site = scratch(tmp_path)
    clean = outcome(site, tmp_path / "clean", use_cache=False)
    outcome(site, tmp_path / "first")  # fills the cache, compiled templates too
    compiled = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert outcome(site, tmp_path / "warm")[:2] == clean[:2]  # another folder: past the no-change shortcut
    assert compiled == []
    base = site / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    outcome(site, tmp_path / "edited")
    assert compiled == ["base.html"]  # only the template that changed


SEARCH_TEMPLATE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>'
    "<body><main><h1>{{ page.title }}</h1>{{ content }}<p>{{ search_more | join(' ') }}</p></main></body></html>\n"
)
SEARCH_PAGE = "---\ntitle: Search\ndescription: Search the site.\ntemplate: search\n---\n\nFind a page.\n"


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=5))
def test_any_edits_written_in_place_with_the_index_in_parts_end_like_a_fresh_build(tmp_path_factory, edits):
    """The same, with every warm build written in place (on a site this small, only an unchanged one
    would be) and a search index of two pages a part, against a clean build into a new folder."""
    import sitegen.search_index as search_index
    import sitegen.write as write_module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(write_module, "IN_PLACE_MAX_SHARE", 1.0)
        patch.setattr(search_index, "PAGES_PER_PART", 2)
        tmp_path = tmp_path_factory.mktemp("in-place")
        site = scratch(tmp_path)
        write(site / "templates/search.html", SEARCH_TEMPLATE)
        write(site / "content/search.md", SEARCH_PAGE)
        outcome(site, tmp_path / "warm")
        for n, kind in enumerate(edits):
            apply_edit(site, kind, n)
            warm = outcome(site, tmp_path / "warm")
            fresh = outcome(site, tmp_path / f"fresh-{n}", use_cache=False)
            assert warm[:2] == fresh[:2], f"after {edits[: n + 1]}"
            assert not (tmp_path / "warm" / write_module.JOURNAL).exists()
            if warm[0] is not None:
                assert any(name.startswith("pagefind/more/") for name in warm[0])  # the index is in parts
