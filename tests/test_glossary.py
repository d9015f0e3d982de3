"""Glossary links (glossary.py): the first use of a term inside <main> links to its entry, never in
headings, links, code or an opted-out passage; the data's forms belong to one term each."""

from __future__ import annotations

import pytest

from sitegen.build import BuildOptions, build_site
from sitegen.errors import SiteError
from sitegen.glossary import Term, link_terms

TERMS = (
    Term("trigger-point", ("Trigger point", "trigger points"), "A tender spot."),
    Term("doms", ("DOMS",), "Soreness <after> exercise."),
)


def linked(html: str) -> str:
    return link_terms(f"<p>before trigger point</p><main>{html}</main>", TERMS, "/glossary/")


def link(text: str, term_id: str, definition: str) -> str:
    return (
        f'<a class="term" href="/glossary/#{term_id}" aria-describedby="define-{term_id}">{text}</a>'
        f'<span id="define-{term_id}" hidden>{definition}</span>'
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>A trigger point.</p>", f"<p>A {link('trigger point', 'trigger-point', 'A tender spot.')}.</p>"),
        (
            "<p>Trigger points hurt. A trigger point.</p>",
            f"<p>{link('Trigger points', 'trigger-point', 'A tender spot.')} hurt. A trigger point.</p>",
        ),
        ("<p>DOMS</p>", f"<p>{link('DOMS', 'doms', 'Soreness &lt;after&gt; exercise.')}</p>"),
        ("<h2>Trigger point</h2><p>x</p>", "<h2>Trigger point</h2><p>x</p>"),
        ('<p><a href="/x/">trigger point</a> <code>DOMS</code></p>', None),
        ('<p class="no-glossary">A trigger point.</p>', None),
        ('<div class="no-glossary"><p>A <em>trigger point</em>.</p></div>', None),
        ("<nav>DOMS</nav><footer>DOMS</footer>", None),
        ("<p>untrigger pointy, trigger-points, DOMSes</p>", None),
        ("<p>A <br>trigger&nbsp;point &amp; DOMS<img alt=DOMS></p>", None),
    ],
    ids=["first", "once", "escaped", "heading", "link-code", "passage", "nested", "menus", "words", "entities"],
)
def test_first_use_is_linked_where_it_may_be(html, expected):
    result = linked(html)
    assert result.startswith("<p>before trigger point</p><main>")  # outside <main>: untouched
    inner = result.removeprefix("<p>before trigger point</p><main>").removesuffix("</main>")
    if expected is None and "&amp; DOMS" in html:
        assert inner == html.replace("&amp; DOMS", f"&amp; {link('DOMS', 'doms', 'Soreness &lt;after&gt; exercise.')}")
    else:
        assert inner == (html if expected is None else expected)


GLOSSARY_TEMPLATE = (
    '{% extends "base.html" %}{% block main %}'
    '{% for t in data.glossary.terms %}<p id="{{ t.id }}">{{ t.term }}</p>{% endfor %}{% endblock %}'
)


GLOSSARY_PAGE = "---\ntitle: Glossary\ndescription: d\ntemplate: glossary\n---\n\nTrigger point here.\n"
GUIDE = "---\ntitle: First\ndescription: d\nreviewed: 2026-11-01\n---\n\n## A trigger point\n\nA trigger point [@example-source].\n"  # noqa: E501


def glossary_site(make_site, terms: str):
    return make_site(
        "minimal",
        {
            "content/data/glossary.yaml": terms,
            "content/glossary.md": GLOSSARY_PAGE,
            "templates/glossary.html": GLOSSARY_TEMPLATE,
            "content/guides/first.md": GUIDE,
        },
    )


TERMS_YAML = "terms:\n  - id: trigger-point\n    term: Trigger point\n    kind: term\n    definition: A tender spot.\n"


def test_a_page_links_to_the_glossary_page_and_can_opt_out(make_site, tmp_path):
    site = glossary_site(make_site, TERMS_YAML)
    build_site(BuildOptions(site, tmp_path / "on", use_cache=False))
    guide = (tmp_path / "on/guides/first/index.html").read_text(encoding="utf-8")
    assert guide.count('href="/glossary/#trigger-point"') == 1
    assert "<h2" in guide and "A trigger point</h2>" in guide  # not in the heading
    assert "term" not in (tmp_path / "on/glossary/index.html").read_text(encoding="utf-8").split("<main>")[1]
    page = site / "content/guides/first.md"
    page.write_text(page.read_text(encoding="utf-8").replace("reviewed:", "glossary: false\nreviewed:"))
    build_site(BuildOptions(site, tmp_path / "off", use_cache=False))
    assert "/glossary/#" not in (tmp_path / "off/guides/first/index.html").read_text(encoding="utf-8")


def test_a_form_on_two_terms_is_an_error_at_its_line(make_site, tmp_path):
    twice = TERMS_YAML + "  - id: tp\n    term: TP\n    also: [trigger point]\n    kind: term\n    definition: x\n"
    site = glossary_site(make_site, twice)
    with pytest.raises(SiteError) as caught:
        build_site(BuildOptions(site, tmp_path / "out", use_cache=False))
    messages = [p.format() for p in caught.value.problems if p.level == "error"]
    assert messages == [
        "content/data/glossary.yaml:8: 'trigger point' is already a form of the term 'trigger-point' "
        "(keep 'trigger point' in one entry ('trigger-point') and remove it here)"
    ]


def test_an_edit_to_the_glossary_updates_a_warm_build(make_site, tmp_path):
    site = glossary_site(make_site, TERMS_YAML)
    build_site(BuildOptions(site, tmp_path / "one"))
    (site / "content/data/glossary.yaml").write_text(TERMS_YAML.replace("A tender spot.", "A sore spot."))
    build_site(BuildOptions(site, tmp_path / "two"))
    assert "A sore spot." in (tmp_path / "two/guides/first/index.html").read_text(encoding="utf-8")
