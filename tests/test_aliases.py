"""A moved page keeps its old addresses: `aliases:` makes redirect pages and `_redirects` lines;
an alias that collides with a page, points nowhere or is claimed twice is an error at its line."""

from __future__ import annotations

import pytest
from support import run_cli

from sitegen.aliases import alias_output_path
from sitegen.htmlparse import parse_page

MOVED = """---
title: The first guide
description: A guide that used to live elsewhere.
reviewed: 2026-11-01
order: 1
aliases:
  - /guides/old-first/
  - /first.html
---

Back [home](../index.md). Some text [@example-source].
"""


@pytest.mark.parametrize(
    ("alias", "output_path"),
    [
        ("/guides/old/", "guides/old/index.html"),
        ("/guides/old", "guides/old/index.html"),
        ("/old.html", "old.html"),
        ("guides/old/", None),
        ("/", None),
        ("//evil.example/x/", None),
        ("/a/../b/", None),
        ("/a b/", None),
        ("/x/?q=1", None),
    ],
)
def test_alias_output_path(alias, output_path):
    assert alias_output_path(alias) == output_path


def test_each_alias_becomes_a_redirect_page_and_a_redirects_line(make_site, tmp_path):
    site = make_site(files={"content/guides/first.md": MOVED})
    out = tmp_path / "out"
    result = run_cli("build", "--source", str(site), "--out", str(out))
    assert result.code == 0, result.err
    page = (out / "guides/old-first/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/guides/first/">' in page
    assert '<link rel="canonical" href="https://example.org/guides/first/">' in page
    assert '<a href="/guides/first/">The first guide</a>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<script" not in page and "style=" not in page and "<style" not in page  # the CSP allows neither
    assert not parse_page(page).images_without_alt
    assert (out / "first.html").is_file()
    assert (out / "_redirects").read_text(encoding="utf-8") == (
        "/first.html /guides/first/ 301\n/guides/old-first/ /guides/first/ 301\n"
    )
    assert "old-first" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_redirects_follow_the_base_path(make_site, tmp_path):
    site = make_site(files={"content/guides/first.md": MOVED})
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(site), "--out", str(out), "--base-url", "https://h.example/sub/").code == 0
    assert "/sub/guides/old-first/ /sub/guides/first/ 301\n" in (out / "_redirects").read_text(encoding="utf-8")
    assert 'url=/sub/guides/first/"' in (out / "guides/old-first/index.html").read_text(encoding="utf-8")


def test_a_site_without_aliases_writes_no_redirects_file(make_site, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--source", str(make_site()), "--out", str(out)).code == 0
    assert not (out / "_redirects").exists()


@pytest.mark.parametrize(
    ("aliases", "expected"),
    [
        (
            ["/"],
            "content/guides/first.md:7: alias '/' points nowhere: it is not an address on this site "
            "(write the old address as it was, starting with '/', like /guides/old-name/)",
        ),
        (
            ["guides/old/"],
            "content/guides/first.md:7: alias 'guides/old/' points nowhere: it is not an address on this site "
            "(write the old address as it was, starting with '/', like /guides/old-name/)",
        ),
        (
            ["/guides/old/", "/"],
            "content/guides/first.md:8: alias '/' points nowhere: it is not an address on this site "
            "(write the old address as it was, starting with '/', like /guides/old-name/)",
        ),
        (
            ["/guides/first/"],
            "content/guides/first.md:7: alias '/guides/first/' is this page's own address (remove it from 'aliases')",
        ),
    ],
)
def test_a_bad_alias_is_an_error_at_its_line(make_site, aliases, expected):
    listed = "".join(f"  - {a}\n" for a in aliases)
    front = f"title: T\ndescription: d\nreviewed: 2026-11-01\norder: 1\naliases:\n{listed}"
    text = f"---\n{front}---\n\nText [@example-source].\n"
    site = make_site(files={"content/guides/first.md": text})
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert result.problem_lines == [expected]


def test_an_alias_at_a_real_page_or_on_two_pages_is_an_error(make_site):
    other = "---\ntitle: About\ndescription: d\nreviewed: 2026-11-01\n"
    other += "aliases:\n  - /guides/old-first/\n  - /\n---\n\nText.\n"
    site = make_site(files={"content/guides/first.md": MOVED, "content/about.md": other})
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert result.problem_lines == [
        "content/about.md:7: alias '/' points nowhere: it is not an address on this site "
        "(write the old address as it was, starting with '/', like /guides/old-name/)",
        "content/guides/first.md:7: alias '/guides/old-first/' is also an alias of content/about.md "
        "(keep it on one page)",
    ]
    (site / "content/about.md").write_text(other.replace("/guides/old-first/\n  - /\n", "/guides/first/\n"))
    (site / "content/guides/first.md").write_text(
        MOVED.replace("aliases:\n  - /guides/old-first/\n  - /first.html\n", "")
    )
    clash = run_cli("check", "--source", str(site))
    assert clash.problem_lines == [
        "content/about.md:6: alias '/guides/first/' is the address of a page "
        "(content/guides/first.md lives there; remove the alias or move that page)"
    ]


def test_a_static_redirects_file_clashes_with_the_generated_one(make_site):
    site = make_site(files={"content/guides/first.md": MOVED, "static/_redirects": "/a /b 301\n"})
    result = run_cli("check", "--source", str(site))
    assert result.code == 1
    assert any("static/_redirects: makes _redirects, which the generator also makes" in p for p in result.problem_lines)
