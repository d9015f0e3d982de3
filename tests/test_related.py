"""Related guides (related.py): chosen from shared tags and links, deterministic, and never stale in
a warm build when another guide's tags change."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build_site

RELATED = (
    '{% extends "base.html" %}{% block main %}{{ content }}'
    "<ol>{% for r in related %}<li>{{ r.title }}</li>{% endfor %}</ol>{% endblock %}"
)


def guide(title: str, tags: list[str], body: str = "Text [@example-source].", order: int = 5) -> str:
    return f"---\ntitle: {title}\ndescription: d\nreviewed: 2026-11-01\norder: {order}\ntags: {tags}\n---\n\n{body}\n"


def related_of(out: Path, slug: str) -> list[str]:
    html = (out / "guides" / slug / "index.html").read_text(encoding="utf-8")
    items = html.split("<ol>", 1)[1].split("</ol>", 1)[0]
    return [part.split("</li>")[0] for part in items.split("<li>")[1:]]


@pytest.fixture
def guides_site(make_site):
    return make_site(
        "minimal",
        {
            "templates/guide.html": RELATED,
            "content/guides/first.md": guide("First", ["pain", "back"], order=1),
            "content/guides/a.md": guide("A", ["pain"], order=2),
            "content/guides/b.md": guide("B", ["Pain", "back"], order=3),
            "content/guides/c.md": guide("C", ["cost"], "See [the first](first.md) [@example-source].", order=4),
            "content/guides/d.md": guide("D", ["pain"], order=2),
            "content/guides/e.md": guide("E", ["sleep"], order=1),
        },
    )


def test_shared_tags_count_twice_links_once_ties_by_order_then_path(guides_site, tmp_path):
    out = tmp_path / "out"
    build_site(BuildOptions(guides_site, out, use_cache=False))
    # B shares two tags (case does not matter); A and D one each (same order: path decides); C links here.
    assert related_of(out, "first") == ["B", "A", "D"]
    assert related_of(out, "c") == ["First"]  # a link counts both ways; nothing else shared
    assert related_of(out, "e") == []  # nothing shared: no list rather than a made-up one


def test_another_guides_tags_update_the_list_in_a_warm_build(guides_site, tmp_path):
    build_site(BuildOptions(guides_site, tmp_path / "one"))
    assert related_of(tmp_path / "one", "e") == []
    path = guides_site / "content/guides/a.md"
    path.write_text(path.read_text(encoding="utf-8").replace("['pain']", "['sleep']"), encoding="utf-8")
    build_site(BuildOptions(guides_site, tmp_path / "warm"))
    build_site(BuildOptions(guides_site, tmp_path / "clean", use_cache=False))
    assert related_of(tmp_path / "warm", "e") == ["A"]
    assert related_of(tmp_path / "warm", "first") == ["B", "D", "C"]
    for page in ("e", "first", "b"):
        assert related_of(tmp_path / "warm", page) == related_of(tmp_path / "clean", page)


def test_another_guides_new_link_updates_the_list_in_a_warm_build(guides_site, tmp_path):
    build_site(BuildOptions(guides_site, tmp_path / "one"))
    path = guides_site / "content/guides/e.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Text", "See [C](c.md)."), encoding="utf-8")
    build_site(BuildOptions(guides_site, tmp_path / "warm"))
    assert related_of(tmp_path / "warm", "c") == ["E", "First"]  # c.md itself did not change
