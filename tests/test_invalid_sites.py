"""Each kind of editor mistake gives its exact one-line message, exit 1, and leaves the output alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SITES, previous_build, run_cli

from sitegen.write import MARKER

CASES = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_mistake_gives_its_message_and_keeps_previous_output(case, make_site, tmp_path):
    site = make_site(overlay=SITES / "invalid" / case)
    out = previous_build(tmp_path / "out")

    result = run_cli("build", "--source", str(site), "--out", str(out))

    expected = (SITES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.problem_lines == expected
    assert result.code == 1
    assert "Traceback" not in result.err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # nothing left beside it


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_problems(case, make_site):
    site = make_site(overlay=SITES / "invalid" / case)
    result = run_cli("check", "--source", str(site))
    expected = (SITES / "invalid" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1
    assert result.problem_lines == expected


def test_every_problem_in_every_file_in_one_run(make_site):
    site = make_site(
        files={
            "content/guides/first.md": "---\ntitle: A\ndescription: B\ntilte: C\n---\n\n[x](nope.md)\n",
            "content/index.md": "---\ntitle: Home\ndescription: D\ndraft: maybe\n---\n\nHi.\n",
            "content/data/sources.yaml": "example-source:\n  title: T\n  year: soon\n",
        }
    )
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert [line.split(":", 2)[:2] for line in result.problem_lines if "warning" not in line] == [
        ["content/data/sources.yaml", "2"],  # missing publisher
        ["content/data/sources.yaml", "3"],  # year is not a number
        ["content/guides/first.md", "4"],
        ["content/guides/first.md", "7"],
        ["content/index.md", "4"],
    ]


def test_fixture_cases_cover_each_kind_of_mistake():
    kinds = {"yaml", "unknown-key", "misspelled", "link", "anchor", "template", "asset", "citation", "alt"}
    names = " ".join(CASES)
    assert all(kind in names for kind in kinds), sorted(k for k in kinds if k not in names)
    assert all(Path(SITES / "invalid" / c / "expected.txt").read_text().strip() for c in CASES)
