"""The command line end to end: exit codes, help, new, atomic output, guards, determinism."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import ROOT, SITES, previous_build, run_cli


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"], ["serve"]])
def test_help_on_each_command(command):
    result = run_cli(*command, "--help")
    assert result.code == 0
    assert "usage: build.py" in result.out


@pytest.mark.parametrize("args", [["--no-such-option"], ["check", "--port", "x"], ["new", "recipe", "T"], ["new"]])
def test_usage_mistakes_exit_2(args):
    assert run_cli(*args).code == 2


def test_build_writes_site_and_summary(make_site, tmp_path):
    site = make_site()
    result = run_cli("build", "--source", str(site), "--out", str(tmp_path / "out"))
    assert result.code == 0
    assert result.out.startswith("Built 2 pages, 1 assets, 0 warnings in ")
    assert (tmp_path / "out/guides/first/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging folders left behind


def test_default_output_is_site_folder(make_site):
    site = make_site()
    assert run_cli("--source", str(site)).code == 0
    assert (site / "_site/index.html").is_file()


def test_a_good_build_replaces_the_previous_output(make_site, tmp_path):
    site = make_site()
    out = previous_build(tmp_path / "out")
    (out / "stale.html").write_text("old", encoding="utf-8")
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    assert not (out / "stale.html").exists()
    assert (out / "index.html").read_text(encoding="utf-8") != "previous build"


@pytest.mark.parametrize("out", [".", "content", "templates/x"])
def test_refuses_output_over_sources(make_site, out):
    site = make_site()
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = run_cli("build", "--source", str(site), "--out", str(site / out))
    assert result.code == 1
    assert "refusing to write the site into" in result.err
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_same_input_builds_byte_identical_output(make_site, tmp_path):
    site = make_site()
    for name in ("a", "b"):
        assert run_cli("build", "--source", str(site), "--out", str(tmp_path / name)).code == 0
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert files_a == files_b


def test_base_url_override_reaches_links_and_canonical(make_site, tmp_path):
    site = make_site()
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(site), "--out", str(out), "--base-url", "https://h.example/sub").code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/sub/guides/first/"' in home
    assert "https://h.example/sub/" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_new_guide_scaffolds_a_valid_draft_and_never_overwrites(make_site):
    site = make_site()
    result = run_cli("new", "guide", "Hot stone massage", "--source", str(site))
    assert result.code == 0
    created = site / "content/guides/hot-stone-massage.md"
    text = created.read_text(encoding="utf-8")
    assert 'title: "Hot stone massage"' in text and "draft: true" in text
    preview = run_cli("check", "--drafts", "--source", str(site))
    assert preview.code == 0  # a fresh scaffold previews with --drafts: its placeholders are warnings
    lines = [line.split(":", 2)[1] for line in preview.problem_lines if "placeholder text" in line]
    assert lines == ["3", "8", "10", "13", "15", "17"]
    assert "\norder: 2\n" in text  # the minimal site's one guide has order 1
    assert '\nsummary: "' in text
    assert all(": warning: " in line for line in preview.problem_lines)
    assert any("this guide cites no sources" in line for line in preview.problem_lines)
    published = run_cli("check", "--source", str(site))
    assert published.out.splitlines()[-1].startswith("Check passed: 2 pages")  # a draft until published
    again = run_cli("new", "guide", "Hot stone massage", "--source", str(site))
    assert again.code == 1 and "already exists" in again.err
    assert created.read_text(encoding="utf-8") == text


def test_missing_site_yaml_is_a_problem_not_a_traceback(tmp_path):
    result = run_cli("check", "--source", str(tmp_path))
    assert result.code == 1
    assert result.problem_lines == [f"site.yaml: site.yaml is missing (create it in {tmp_path})"]


def test_build_py_runs_as_a_script(make_site, tmp_path):
    site = make_site()
    proc = subprocess.run(
        [sys.executable, "build.py", "check", "--source", str(site)], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "Check passed: 2 pages" in proc.stdout


def test_a_long_description_is_a_warning_at_its_line(make_site):
    long = "A description that goes on. " * 8
    site = make_site(
        files={
            "content/guides/first.md": f"---\ntitle: T\nreviewed: 2026-11-01\ndescription: {long}\n---\n\n"
            "Text [@example-source].\n"
        }
    )
    result = run_cli("check", "--source", str(site))
    assert result.code == 0
    assert result.problem_lines == [
        f"content/guides/first.md:4: warning: description is {len(long.strip())} characters "
        "(search results show about 160; shorten it)"
    ]
    assert run_cli("check", "--strict", "--source", str(site)).code == 1


CHOPPY = "Rest. Then sleep. " * 40
DENSE = "Therapeutic interventions demonstrate considerable heterogeneity regarding effectiveness. " * 16


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        (CHOPPY, 6, "is below 6 (join very short sentences and list items into full sentences)"),
        # Above the band: the warning points at the hardest sentence's line, not the body's start.
        (DENSE, 7, "is above 8 (use shorter sentences and plainer words; the hardest sentence starts on this line)"),
    ],
)
def test_a_page_outside_the_reading_grade_band_warns_which_way_to_go(make_site, body, line, expected):
    base = (SITES / "minimal" / "site.yaml").read_text(encoding="utf-8")
    site = make_site(
        files={
            "site.yaml": base + "reading_grade_min: 6\nreading_grade_max: 8\n",
            "content/guides/first.md": f"---\ntitle: T\nreviewed: 2026-11-01\ndescription: D\n---\n\n"
            f"{body}[@example-source]\n",
        }
    )
    result = run_cli("check", "--source", str(site))
    assert result.code == 0
    [found] = [found for found in result.problem_lines if "reading grade" in found]
    assert found.startswith(f"content/guides/first.md:{line}: warning: reading grade ") and found.endswith(expected)
    # Again, with the grade and the hardest sentence from the build cache: the same warning.
    assert run_cli("check", "--source", str(site)).problem_lines == result.problem_lines
