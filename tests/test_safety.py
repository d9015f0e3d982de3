"""Nothing outside the site is read into it, nothing outside the output folder is written, and a
generator bug is never passed off as the editor's mistake."""

from __future__ import annotations

import os

import pytest
from support import previous_build, run_cli

from sitegen.sanitize import blocked_scheme, scan_html
from sitegen.write import MARKER


@pytest.fixture
def secret(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret", encoding="utf-8")
    (outside / "page.md").write_text("---\ntitle: S\ndescription: S.\n---\n\ntop secret\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize(
    "link, target",
    [
        ("assets/leak.txt", "secret.txt"),
        ("static/leak.txt", "secret.txt"),
        ("content/leak.md", "page.md"),
        ("content/data/leak.yaml", "secret.txt"),
        ("static/folder", "."),
        ("assets", "."),
    ],
)
def test_symlink_out_of_the_site_is_refused(make_site, secret, tmp_path, link, target):
    site = make_site()
    src_path = site / link
    if src_path.is_dir():
        os.rename(src_path, site / "moved-away")
    src_path.parent.mkdir(parents=True, exist_ok=True)
    src_path.symlink_to(secret / target)
    out = tmp_path / "out"

    result = run_cli("build", "--source", str(site), "--out", str(out))

    assert result.code == 1, result.err
    assert f"{link}: is a symbolic link to {(secret / target).resolve()}, which points outside the site" in result.err
    assert "(copy the file in instead)" in result.err
    assert not out.exists()


def test_symlink_inside_the_site_is_followed(make_site, tmp_path):
    site = make_site()
    (site / "static").mkdir()
    (site / "static/copy.css").symlink_to(site / "assets/css/site.css")
    (site / "static/loop").symlink_to(site / "static")  # a loop is walked once, not forever
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    assert (out / "copy.css").read_text(encoding="utf-8") == "body { margin: 0; }\n"


def test_dangling_symlink_is_reported(make_site):
    site = make_site()
    (site / "assets/gone.css").symlink_to(site / "assets/nothing.css")
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert "assets/gone.css: is a symbolic link to" in result.err and "which does not exist" in result.err


def test_output_folder_holding_other_files_is_refused_and_left_alone(make_site, tmp_path):
    site = make_site()
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work", encoding="utf-8")

    result = run_cli("build", "--source", str(site), "--out", str(out))

    assert result.code == 1
    assert "refusing to write the site into a folder that holds other files" in result.err
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents", "site"]


@pytest.mark.parametrize("kind", ["new", "empty", "previous"])
def test_output_folder_that_is_new_empty_or_ours_is_written(make_site, tmp_path, kind):
    site = make_site()
    out = tmp_path / "out"
    if kind == "empty":
        out.mkdir()
    elif kind == "previous":
        previous_build(out)
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    assert (out / MARKER).is_file() and (out / "guides/first/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_output_that_is_a_file_is_refused(make_site, tmp_path):
    site = make_site()
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    result = run_cli("build", "--source", str(site), "--out", str(tmp_path / "out"))
    assert result.code == 1 and "it is a file" in result.err
    assert (tmp_path / "out").read_text(encoding="utf-8") == "a file"


def test_leftovers_of_a_killed_build_are_removed_only_if_ours(make_site, tmp_path):
    site = make_site()
    ours = previous_build(tmp_path / ".out.new-abc123")
    foreign = tmp_path / ".out.old-keepme"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    assert run_cli("build", "--source", str(site), "--out", str(tmp_path / "out")).code == 0
    assert not ours.exists()
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_static_file_replaces_a_generated_one_only_when_site_yaml_says_so(make_site, tmp_path):
    site = make_site(files={"static/robots.txt": "User-agent: *\nDisallow: /\n"})
    refused = run_cli("check", "--source", str(site))
    assert refused.code == 1 and "static/robots.txt: makes robots.txt, which the generator also makes" in refused.err
    config = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(config + "static_overrides: [robots.txt]\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(site), "--out", str(out)).code == 0
    assert (out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


@pytest.mark.parametrize("rel_path", ["content/guides/first.md", "content/data/sources.yaml", "site.yaml"])
def test_a_byte_order_mark_is_accepted(make_site, rel_path):
    site = make_site()
    src_path = site / rel_path
    src_path.write_bytes(b"\xef\xbb\xbf" + src_path.read_bytes())
    result = run_cli("check", "--strict", "--source", str(site))
    assert result.code == 0, result.err


def test_a_generator_bug_while_rendering_says_it_is_a_bug(make_site, monkeypatch):
    from sitegen import structured

    def broken(*args):
        raise KeyError("oops")

    monkeypatch.setattr(structured, "page_ld", broken)
    result = run_cli("check", "--source", str(make_site()))
    assert result.code == 1
    assert "Traceback" in result.err and "KeyError: 'oops'" in result.err
    assert "This is a bug in the site generator, not in your content." in result.err
    assert "templates/" not in result.err


def test_a_template_that_fails_in_a_filter_is_the_templates_fault(make_site):
    site = make_site(
        files={
            "templates/page.html": '{% extends "base.html" %}{% block main %}{{ page.title | date }}{% endblock %}\n',
            "content/about.md": "---\ntitle: A\ndescription: B.\n---\n\nC.\n",
        }
    )
    result = run_cli("check", "--source", str(site))
    assert result.code == 1 and "Traceback" not in result.err
    assert any(line.startswith("templates/page.html:1: AttributeError") for line in result.problem_lines)


def test_duplicate_ids_made_by_a_template_are_reported(make_site):
    site = make_site(
        files={
            "templates/home.html": '{% extends "base.html" %}{% block main %}<p id="x"></p>\n'
            '<p id="x"></p>{% endblock %}\n'
        }
    )
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert "the id 'x' is used twice (lines 9 and 10)" in result.err


@pytest.mark.parametrize(
    "value, scheme",
    [
        ("javascript:alert(1)", "javascript:"),
        (" JaVa\tScript:alert(1)", "javascript:"),
        ("java\nscript:x", "javascript:"),
        ("data:text/html,x", "data:"),
        ("a.png 1x, data:image/png;base64,AA 2x", "data:"),
        ("vbscript:x", "vbscript:"),
        ("https://example.org/javascript:", None),
        ("/guides/safety/", None),
    ],
)
def test_blocked_scheme(value, scheme):
    assert blocked_scheme(value) == scheme


@pytest.mark.parametrize(
    "html, found",
    [
        ("<p>plain <em>formatting</em> and <a href='/x/'>links</a></p>", 0),
        ("<SCRIPT>x</SCRIPT>", 1),
        ("<svg><circle onload=x /></svg>", 2),
        ("<a href='&#106;avascript:x'>entity</a>", 1),
        ("<img src=x onerror=y style=z>", 2),
        ("<code>&lt;script&gt;</code>", 0),
        ("<object data='x'></object><embed src='y'>", 2),
    ],
)
def test_scan_html(html, found):
    assert len(scan_html(html)) == found
