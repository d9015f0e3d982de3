"""Property-based: whatever an editor types into front matter, a data file, Markdown or site.yaml,
the build either succeeds or fails with `path:line: message` lines and exit 1, never a traceback,
and a failed build leaves the previous output exactly as it was."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SITES, examples, previous_build, run_cli

PROBLEM_RE = re.compile(r"^(site\.yaml|(content|templates|assets|static)/[^:]+)(:\d+)?: \S.*$")
TOKENS = list("ab :-\n\t'\"[]{}()#|>@*!<&%,.0_~`\\") + [
    "title: ",
    "description: ",
    "reviewed: 2026-11-01",
    "date: ",
    "draft: true",
    "order: ",
    "key_points:\n  - ",
    "sources: [example-source]",
    "id: ",
    "myths:\n  - ",
    "truth: |\n      ",
    "myth: ",
    "[@example-source]",
    "[@nope]",
    "[example-source]",
    "](../index.md)",
    "](missing.md#x)",
    "{#anchor}",
    "## Heading\n",
    '!!! note "T"\n    ',
    "<script>",
    "<b onclick=x>",
    "javascript:",
    "\ufeff",
    "\u00e9",
    "---\n",
    "base_url: https://example.org/",
]
text = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), text, st.dates())
keys = st.sampled_from(["id", "myth", "truth", "sources", "myths", "title", "description", "base_url", "x"])
structures = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4))
yaml_text = st.one_of(text, structures.map(lambda v: yaml.safe_dump(v, allow_unicode=True)))

MINIMAL_GUIDE = (SITES / "minimal/content/guides/first.md").read_text(encoding="utf-8")
FUZZ = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build_with(files: dict[str, str]) -> None:
    """Build the minimal site with ``files`` written over it and check the property."""
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        shutil.copytree(SITES / "minimal", site)
        for rel_path, content in files.items():
            (site / rel_path).parent.mkdir(parents=True, exist_ok=True)
            (site / rel_path).write_text(content, encoding="utf-8")
        out = previous_build(Path(scratch) / "out")
        before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")}

        result = run_cli("build", "--source", str(site), "--out", str(out))

        assert "Traceback" not in result.err and "This is a bug" not in result.err, result.err
        assert result.code in (0, 1), result.err
        assert all(PROBLEM_RE.match(line) for line in result.problem_lines), result.err
        assert sorted(p.name for p in Path(scratch).iterdir()) == ["out", "site"]  # nothing left beside it
        if result.code == 1:
            assert result.problem_lines and "Build failed" in result.err
            assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*")} == before
        else:
            assert (out / "index.html").read_text(encoding="utf-8") != "previous build"


@FUZZ
@given(front_matter=yaml_text)
def test_any_front_matter(front_matter):
    build_with({"content/guides/first.md": f"---\n{front_matter}\n---\n\nText [@example-source].\n"})


@FUZZ
@given(body=text)
def test_any_markdown(body):
    build_with({"content/guides/first.md": MINIMAL_GUIDE + body})


@FUZZ
@given(data=yaml_text)
def test_any_data_file(data):
    build_with({"content/data/myths.yaml": data})


@FUZZ
@given(sources=yaml_text)
def test_any_sources_file(sources):
    build_with({"content/data/sources.yaml": sources})


@FUZZ
@given(config=yaml_text)
def test_any_site_yaml(config):
    build_with({"site.yaml": config})
