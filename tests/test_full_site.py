"""The full fixture site, which uses every feature, builds to its golden output byte for byte.

What this guards: the GENERATOR (Markdown, citations, URLs, feeds, sitemaps, JSON-LD, asset
names, data rendering). It does not guard the real site's design: tests/sites/full/templates/
is a frozen, simplified copy of the real templates, so a design change in templates/ does not
touch it. The real templates are covered by tests/test_real_site.py and the browser tests.

After an intended change to the output, regenerate with: UPDATE_GOLDEN=1 python -m pytest tests/test_full_site.py
"""

from __future__ import annotations

import difflib
import os
import shutil

from support import SITES, run_cli

GOLDEN = SITES / "full-expected"


def files_of(folder):
    """The generator's files; Pagefind's bundle (pagefind/) is its own, checked for reproducibility
    by tests/test_publish.py and for working by tests/browser/test_search.py."""
    files = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    return {name: p.read_bytes() for name, p in files.items() if not name.startswith("pagefind/")}


def test_full_site_matches_golden_output(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(SITES / "full"), "--out", str(out), "--no-cache")
    assert result.code == 0, result.err
    # The fixture has no search page, so no index is made (the real site's is tested elsewhere).
    assert not (out / "pagefind").exists()
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    built, golden = files_of(out), files_of(GOLDEN)
    assert sorted(built) == sorted(golden)
    changed = [name for name in built if built[name] != golden[name]]
    assert changed == [], "output differs from tests/sites/full-expected:\n" + "\n".join(
        unified_diff(name, golden[name], built[name]) for name in changed
    )


def unified_diff(name: str, expected: bytes, got: bytes, limit: int = 60) -> str:
    """What changed in one file, as a unified diff (first `limit` lines)."""
    try:
        old, new = expected.decode().splitlines(), got.decode().splitlines()
    except UnicodeDecodeError:
        return f"{name}: binary file differs ({len(expected)} -> {len(got)} bytes)"
    lines = list(difflib.unified_diff(old, new, f"expected/{name}", f"built/{name}", lineterm=""))
    more = f"\n… {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def test_full_site_warns_about_an_overdue_review(tmp_path):
    result = run_cli("check", "--source", str(SITES / "full"), "--no-cache")
    assert result.code == 0
    assert result.problem_lines == [
        "content/compare.md:6: warning: review was due on 2026-10-01 "
        "(check the page against its sources, then update 'reviewed')"
    ]
    strict = run_cli("check", "--strict", "--source", str(SITES / "full"), "--no-cache")
    assert strict.code == 1


def test_drafts_only_with_the_drafts_flag(tmp_path):
    plain = run_cli("build", "--source", str(SITES / "full"), "--out", str(tmp_path / "a"), "--no-cache")
    drafts = run_cli("build", "--drafts", "--source", str(SITES / "full"), "--out", str(tmp_path / "b"), "--no-cache")
    assert plain.code == drafts.code == 0
    assert not (tmp_path / "a/guides/draft/index.html").exists()
    assert (tmp_path / "b/guides/draft/index.html").exists()
