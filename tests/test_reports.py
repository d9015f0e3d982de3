"""The editors' reports on the workbench fixture (overdue reviews, an unused, a stale and an http://
source, a draft): `sources`, `reviews`, and what `check` prints and in which order."""

from __future__ import annotations

import json

import pytest
from support import run_cli

from sitegen.cli_args import parse_within


@pytest.fixture
def bench(make_site):
    return make_site("workbench")


def test_sources_lists_each_key_with_title_and_citing_lines(bench):
    result = run_cli("sources", "--source", str(bench))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    at = lines.index("  example-source  An example source")
    assert lines[at + 1] == (
        "      cited at: content/guides/first.md:12, content/guides/second.md:6, content/guides/second.md:9"
    )
    assert "  other-source  Another source, checked long ago" in lines


def test_sources_flags_uncited_stale_and_plain_http(bench):
    out = run_cli("sources", "--source", str(bench)).out
    never = out.split("Never cited")[1].split("\n\n")[0]
    assert "unused-source  content/data/sources.yaml:12" in never and "example-source" not in never
    stale = out.split("Accessed more than 365 days ago")[1].split("\n\n")[0]
    assert "other-source  accessed 2024-01-15, content/data/sources.yaml:7" in stale
    assert "example-source" not in stale  # accessed 2026-11-01, 17 days before the fixed today
    plain = out.split("On plain http://")[1]
    assert "unused-source  http://example.org/plain" in plain and "example.org/source" not in plain


def test_sources_json_for_ci(bench):
    result = run_cli("sources", "--json", "--source", str(bench))
    data = json.loads(result.out)
    assert data["uncited"] == ["unused-source"]
    assert data["stale"] == ["other-source"]
    assert data["plain_http"] == ["unused-source"]
    assert [row["key"] for row in data["sources"]] == ["example-source", "other-source", "unused-source"]
    assert data["sources"][1]["cited_at"] == ["content/guides/second.md:9"]


def test_a_citation_only_in_a_draft_does_not_count(bench):
    # upcoming.md (a draft) cites example-source on its line 9; drafts are not published.
    out = run_cli("sources", "--source", str(bench)).out
    assert "upcoming.md" not in out


def test_reviews_soonest_first_with_overdue_marked(bench):
    result = run_cli("reviews", "--source", str(bench))
    assert result.code == 0
    rows = [line for line in result.out.splitlines() if line.startswith("  ")]
    assert [row.rsplit("  ", 1)[1] for row in rows] == [
        "content/guides/first.md",
        "content/guides/second.md",
        "content/index.md",
    ]
    assert rows[0].lstrip().startswith("OVERDUE  due 2026-06-01 (170 days ago)  reviewed 2025-06-01")
    assert "OVERDUE" not in rows[1] and "due 2027-10-01 (in 317 days)" in rows[1]
    assert result.out.splitlines()[-1] == "3 page(s), 1 overdue."


def test_reviews_within_looks_ahead(bench):
    result = run_cli("reviews", "--within", "320d", "--source", str(bench))
    assert [line.rsplit("  ", 1)[1] for line in result.out.splitlines() if line.startswith("  ")] == [
        "content/guides/first.md",
        "content/guides/second.md",
    ]
    data = json.loads(run_cli("reviews", "--json", "--within", "0d", "--source", str(bench)).out)
    assert [(row["rel_path"], row["overdue"], row["days_left"]) for row in data] == [
        ("content/guides/first.md", True, -170)
    ]


def test_a_page_never_reviewed_comes_first(bench):
    (bench / "content/about.md").write_text("---\ntitle: About\ndescription: d\n---\n\nText.\n", encoding="utf-8")
    rows = json.loads(run_cli("reviews", "--json", "--source", str(bench)).out)
    assert (rows[0]["rel_path"], rows[0]["due"], rows[0]["overdue"]) == ("content/about.md", "", True)


@pytest.mark.parametrize(("text", "days"), [("60d", 60), ("60", 60), ("8w", 56), (" 1D ", 1)])
def test_parse_within(text, days):
    assert parse_within(text) == days


def test_a_bad_within_is_a_usage_error(bench):
    result = run_cli("reviews", "--within", "soon", "--source", str(bench))
    assert result.code == 2 and "'soon' is not a time like 60d" in result.err


def test_a_report_on_a_broken_site_lists_the_problem_not_a_traceback(bench):
    (bench / "content/data/sources.yaml").write_text("x: [\n", encoding="utf-8")
    result = run_cli("sources", "--source", str(bench))
    assert result.code == 1
    assert result.problem_lines and result.problem_lines[0].startswith("content/data/sources.yaml:")
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chek"], "build.py: unknown command 'chek' (did you mean 'check'?)"),
        (["sorces"], "build.py: unknown command 'sorces' (did you mean 'sources'?)"),
        (["check", "--srict"], "build.py: check: unknown option '--srict' (did you mean '--strict'?)"),
        (["reviews", "--withn", "3d"], "build.py: reviews: unknown options '--withn' (did you mean '--within'?), '3d'"),
        (["xyzzy"], "build.py: unknown command 'xyzzy' (the commands are: build, check, new, serve, sources, reviews)"),
        (["check", "--zzzz"], "build.py: check: unknown option '--zzzz' (see 'build.py check --help')"),
    ],
)
def test_mistyped_commands_and_options_get_a_did_you_mean(args, message):
    result = run_cli(*args)
    assert result.code == 2
    assert result.err.strip() == message


def test_check_prints_grades_then_problems_and_counts_drafts(bench, capfd):
    import subprocess
    import sys

    from support import ROOT

    proc = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(bench)],
        cwd=ROOT,
        capture_output=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"SOURCE_DATE_EPOCH": "1795000000", "PATH": "/usr/bin:/bin"},
    )
    lines = proc.stdout.splitlines()
    problem_at = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    assert lines[problem_at].startswith("1. content/data/sources.yaml:12: warning: source 'unused-source'")
    assert lines[-1].endswith("; skipped 1 draft (check with --drafts)")
    assert lines[-1].startswith("Check passed: 3 pages, 0 error(s), 2 warning(s)")
    with_drafts = run_cli("check", "--drafts", "--source", str(bench))
    assert "skipped" not in with_drafts.out


DENSE = "Therapeutic interventions demonstrate considerable heterogeneity regarding effectiveness. "
MEDIUM = "Massage therapists usually ask about your health before the treatment begins. "


def test_a_reading_grade_warning_points_at_the_hardest_sentence(make_site):
    body = MEDIUM * 10 + "\n\n" + MEDIUM * 5 + "\n\n" + MEDIUM + DENSE + "\n\n" + MEDIUM * 5 + "\n"
    page = f"---\ntitle: T\ndescription: d\nreviewed: 2026-11-01\n---\n\n{body}"
    site = make_site(files={"content/about.md": page})
    result = run_cli("check", "--source", str(site))
    warned = [line for line in result.problem_lines if "reading grade" in line]
    assert len(warned) == 1
    assert warned[0].startswith("content/about.md:11: warning: reading grade ")
    assert warned[0].endswith("(use shorter sentences and plainer words; the hardest sentence starts on this line)")
    table = result.out.splitlines()
    assert any(line.endswith(" ! content/about.md") for line in table)
    assert not any(line.endswith(" ! content/index.md") for line in table)
