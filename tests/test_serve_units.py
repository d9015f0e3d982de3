"""The live preview's pure parts, table-driven: the ignore rule, source scans, request paths,
fingerprints, the injected script and overlay, CSS-only reloads, and the render cache it keeps.
"""

from __future__ import annotations

import pytest
from preview_support import copy_site, minimal_site
from support import SITES, write

from sitegen.build import BuildOptions, build_site
from sitegen.cache_store import BuildCache
from sitegen.preview_build import css_only_path
from sitegen.preview_http import Redirect, current_fingerprint, inject_preview, resolve_request, url_segments
from sitegen.serve import preview_base_url
from sitegen.walk import is_ignored, rel, walk_files
from sitegen.watch import changed_paths, scan_sources


def test_render_cache_keeps_templates_and_data_until_they_change(tmp_path):
    """What makes a one-file edit fast: the same BuildCache across rebuilds, as `serve` does."""
    site, cache = minimal_site(tmp_path), BuildCache()
    options = BuildOptions(site, tmp_path / "out", None, False)
    index = tmp_path / "out" / "index.html"

    def rebuild_after(rel_path: str, old: str, new: str) -> object:
        src_path = site / rel_path
        write(src_path, src_path.read_text(encoding="utf-8").replace(old, new))
        build_site(options, cache=cache)
        return next(iter(cache.prepared.values()))

    build_site(options, cache=cache)
    prepared = next(iter(cache.prepared.values()))
    assert rebuild_after("content/index.md", "Welcome.", "Hello again.") is prepared
    assert "Hello again." in index.read_text(encoding="utf-8")
    assert rebuild_after("content/data/sources.yaml", "An example source", "A renamed source") is not prepared
    rebuild_after("templates/base.html", "<main>", "<main data-edited>")
    assert "<main data-edited>" in index.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        ("page.md", False),
        ("site.css", False),
        (".page.md.swp", True),
        ("page.md.swo", True),
        ("page.md~", True),
        ("#page.md#", True),
        (".#page.md", True),
        (".DS_Store", True),
        ("4913", True),
        ("#notes.md", False),
        ("content/guides/.first.md.swx", True),
        ("content/.git/HEAD", True),
        ("content/4913", True),
        ("content/4913.md", False),
        ("content/guides/_notes.md", False),
    ],
)
def test_is_ignored(name, ignored):
    assert is_ignored(name) is ignored


def test_loader_and_watcher_skip_the_same_names(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    scratch = (".index.md.swp", "index.md~", "#index.md#", ".#index.md", "4913", ".git/HEAD", "#notes/a.md")
    for name in scratch:
        write(site / "static" / name, "editor scratch")
    write(site / "static" / "kept.txt", "a real file")
    loaded, problems = walk_files(site / "static", site)
    assert problems == [] and [rel(p, site) for p in loaded] == ["static/#notes/a.md", "static/kept.txt"]
    assert sorted(p for p in scan_sources(site) if p.startswith("static/")) == ["static/#notes/a.md", "static/kept.txt"]


def test_scan_skips_output_and_dot_folders_and_sees_changes(tmp_path):
    site = copy_site(SITES / "minimal", tmp_path / "site")
    write(site / "static" / "_site" / "index.html", "old output")
    write(site / "content" / ".git" / "HEAD", "ref")
    before = scan_sources(site, out_dir=site / "static" / "_site")
    assert "site.yaml" in before and "content/index.md" in before and "templates/base.html" in before
    assert not any("_site" in p or ".git" in p for p in before)
    write(site / "content" / "new.md", "x")
    (site / "content" / "index.md").unlink()
    after = scan_sources(site, site / "static" / "_site")
    assert changed_paths(before, after) == ["content/index.md", "content/new.md"]


@pytest.mark.parametrize(
    ("raw_path", "expected"),
    [
        ("/", "index.html"),
        ("/guides/", "guides/index.html"),
        ("/a%20b.txt", "a b.txt"),
        ("/assets/site.0123456789.css", "assets/site.0123456789.css"),
        ("/assets/site.aaaaaaaaaa.css", "assets/site.0123456789.css"),  # an old fingerprint
        ("/guides", Redirect("/guides/")),
        ("/missing.html", None),
        ("/../out/index.html", None),
        ("/%2e%2e/out/index.html", None),
        ("/guides%2findex.html", None),
    ],
)
def test_resolve_request(tmp_path, raw_path, expected):
    out = tmp_path / "out"
    for rel_path in ("index.html", "guides/index.html", "a b.txt", "assets/site.0123456789.css"):
        write(out / rel_path, "x")
    found = resolve_request(out, "/", raw_path)
    if isinstance(expected, str):
        assert found == (out / expected).resolve()
    else:
        assert found == expected


def test_resolve_request_under_a_sub_path(tmp_path):
    write(tmp_path / "out" / "index.html", "x")
    assert resolve_request(tmp_path / "out", "/guide/", "/guide") == Redirect("/guide/")
    assert resolve_request(tmp_path / "out", "/guide/", "/guide/") == (tmp_path / "out" / "index.html").resolve()
    assert resolve_request(tmp_path / "out", "/guide/", "/index.html") is None


@pytest.mark.parametrize(
    ("raw_path", "segments"),
    [("/a/b/", ["a", "b"]), ("/a%2Fb", None), ("/%2e%2e", None), ("/.", None), ("/a%5cb", None), ("/a%00", None)],
)
def test_url_segments(raw_path, segments):
    assert url_segments(raw_path) == segments


def test_current_fingerprint_needs_exactly_one_match(tmp_path):
    write(tmp_path / "site.1111111111.css", "")
    assert current_fingerprint(tmp_path / "site.2222222222.css") == tmp_path / "site.1111111111.css"
    write(tmp_path / "site.3333333333.css", "")
    assert current_fingerprint(tmp_path / "site.2222222222.css") is None
    assert current_fingerprint(tmp_path / "other.css") is None


def test_inject_preview_adds_script_and_escaped_overlay():
    page = b"<!doctype html><html><head><title>t</title></head><body class='x'><main>hi</main></body></html>"
    plain = inject_preview(page, 8123, [])
    assert b'<script src="/livereload.js?port=8123" defer></script></head>' in plain
    assert b"sitegen-build-error" not in plain
    failed = inject_preview(page, 8123, ["content/a.md:3: bad <tag> & more"]).decode()
    assert failed.index("<body class='x'>") < failed.index('role="alert"') < failed.index("<main>")
    assert "content/a.md:3: bad &lt;tag&gt; &amp; more" in failed


@pytest.mark.parametrize(
    ("changed", "path"),
    [
        (["assets/css/site.css"], "/assets/css/site.css"),
        (["assets/css/site.css", "assets/css/print.css"], "/assets/css/site.css"),
        (["assets/css/site.css", "content/index.md"], None),
        (["templates/base.html"], None),
        ([], None),
    ],
)
def test_css_only_path(changed, path):
    assert css_only_path(changed) == path


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("localhost", "http://localhost:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),
        ("::1", "http://[::1]:8000/"),
    ],
)
def test_preview_base_url(host, url):
    assert preview_base_url(host, 8000) == url


def test_the_preview_makes_its_first_build_on_every_core(tmp_path, monkeypatch):
    """The first build runs before the server's threads start, so it may fork workers; the
    rebuilds, on the build thread, run in this process (render_pool.can_fork)."""
    import sitegen.serve as serve_module
    from sitegen.render_pool import default_jobs

    site = minimal_site(tmp_path)
    seen = []
    monkeypatch.setattr(serve_module, "_serve", lambda options, *rest: seen.append(options.jobs))
    assert serve_module.serve(site, host="127.0.0.1", port=0, out_dir=tmp_path / "out") == 0
    assert seen == [default_jobs()]


def test_a_whole_preview_build_freezes_the_heap_it_keeps_and_a_quick_one_does_not(tmp_path, monkeypatch):
    """So the collector's full passes during quick edits skip the preview's last build and cache."""
    import gc

    import sitegen.preview_build as preview_build

    calls, real = [], preview_build.settle_memory
    monkeypatch.setattr(preview_build, "settle_memory", lambda: calls.append(1) or real())
    site = copy_site(SITES / "full", tmp_path / "site")
    options, cache = BuildOptions(site, tmp_path / "out"), BuildCache()
    try:
        gc.unfreeze()
        assert preview_build.run_build(options, cache, []).ok
        assert len(calls) == 1 and gc.get_freeze_count() > 0
        guide = site / "content/guides/second.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        assert preview_build.run_build(options, cache, ["content/guides/second.md"]).ok
        assert cache.last is not None and len(calls) == 1  # a quick edit: nothing frozen again
    finally:
        gc.unfreeze()


def test_the_preview_says_when_it_rebuilt_just_the_edited_page(tmp_path):
    from sitegen.preview_build import run_build

    site = copy_site(SITES / "full", tmp_path / "site")
    options, cache = BuildOptions(site, tmp_path / "out"), BuildCache()
    assert not run_build(options, cache, []).quick
    guide = site / "content/guides/second.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    outcome = run_build(options, cache, ["content/guides/second.md"])
    assert outcome.quick and outcome.summary.startswith("just the edited page (")
