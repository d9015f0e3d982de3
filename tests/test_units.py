"""Table-driven tests of the pure pieces: URLs, YAML lines, schemas, citations, readability, paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen import shapes
from sitegen.checks import output_for
from sitegen.citations import cite_keys, mark_citations, number_citations
from sitegen.cli import slugify
from sitegen.htmltext import plain_text, text_outside_code
from sitegen.load import default_template, url_for
from sitegen.model import SiteConfig
from sitegen.readability import fk_grade, syllables
from sitegen.validation import Ctx, validate
from sitegen.walk import IGNORED
from sitegen.write import check_output_dir
from sitegen.yamlfile import parse_yaml


@pytest.mark.parametrize(
    "rel_path, slug, url, output_path",
    [
        ("content/index.md", None, "/", "index.html"),
        ("content/compare.md", None, "/compare/", "compare/index.html"),
        ("content/guides/index.md", None, "/guides/", "guides/index.html"),
        (
            "content/guides/what-is-swedish-massage.md",
            None,
            "/guides/what-is-swedish-massage/",
            "guides/what-is-swedish-massage/index.html",
        ),
        ("content/guides/x.md", "y", "/guides/y/", "guides/y/index.html"),
        ("content/404.md", None, "/404.html", "404.html"),
    ],
)
def test_url_for(rel_path, slug, url, output_path):
    assert url_for(rel_path, slug) == (url, output_path)


@pytest.mark.parametrize(
    "rel_path, template",
    [
        ("content/index.md", "home"),
        ("content/404.md", "404"),
        ("content/guides/index.md", "list"),
        ("content/guides/a.md", "guide"),
        ("content/about.md", "page"),
    ],
)
def test_default_template(rel_path, template):
    assert default_template(rel_path) == template


@pytest.mark.parametrize(
    "name, ignored",
    [
        ("content/a.md", False),
        ("content/.a.md", True),
        ("content/a.md~", True),
        ("content/.a.md.swp", True),
        ("content/#a.md#", True),
        ("content/guides/_notes.md", False),
    ],
)
def test_editor_temp_files_are_ignored(name, ignored):
    assert bool(IGNORED.search(name)) is ignored


@pytest.mark.parametrize(
    "text, first_line, key, line",
    [("a: 1\nb: 2\n", 1, "b", 2), ("a: 1\n\n\nb: 2\n", 2, "b", 5), ("x:\n  y: 1\n", 1, "x", 1)],
)
def test_yaml_remembers_lines(text, first_line, key, line):
    value, problems = parse_yaml(text, "f.yaml", first_line)
    assert problems == []
    assert value.line_of(key) == line


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("a: [1\n", 2, "not valid YAML"),
        ("a: 1\na: 2\n", 2, "appears twice"),
        ("a: b: c\n", 1, "has a colon"),
        ("a:\n\tb: 1\n", 2, "a tab"),
    ],
)
def test_yaml_problems_have_lines(text, line, fragment):
    _, problems = parse_yaml(text, "f.yaml")
    assert problems[0].line == line and fragment in problems[0].message


@pytest.mark.parametrize(
    "front_matter, message",
    [
        ({"title": "T", "description": "D", "tilte": "x"}, "unknown front matter key 'tilte'"),
        ({"description": "D"}, "missing 'title'"),
        ({"title": "T", "description": "D", "order": "2"}, "'order' should be a whole number"),
        ({"title": "T", "description": "D", "reviewed": "soon"}, "'reviewed' should be a date"),
        ({"title": "T", "description": "D", "template": "fqa"}, "'template' cannot be 'fqa'"),
        ({"title": "T", "description": "D", "tags": "one"}, "'tags' should be a list"),
        ({"title": "", "description": "D"}, "'title' is empty"),
        ({"title": "T", "description": "D", "slug": "Bad Slug"}, "'slug' should be a short id"),
    ],
)
def test_front_matter_schema(front_matter, message):
    _, problems = validate(front_matter, shapes.FRONT_MATTER, Ctx("p.md", 1, ""))
    assert [p.message for p in problems if message in p.message], [p.message for p in problems]


def test_valid_front_matter_has_no_problems():
    meta = {"title": "T", "description": "D", "reviewed": dt.date(2026, 1, 1), "key_points": ["a"], "draft": False}
    clean, problems = validate(meta, shapes.FRONT_MATTER, Ctx("p.md", 1, ""))
    assert problems == [] and clean["reviewed"] == dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    "text, groups",
    [("a [@x] b", [["x"]]), ("[@x; @y-2]", [["x", "y-2"]]), ("no cite [x]", []), ("line\n[@z]", [["z"]])],
)
def test_cite_keys(text, groups):
    assert [keys for keys, _ in cite_keys(text)] == groups


def test_citations_are_numbered_in_reading_order_and_reused():
    html = mark_citations("A [@b]. B [@a; @b]. C [@a]. D [@unknown].")
    out, cited, keys = number_citations(html, {"a": {}, "b": {}}, ("c",))
    assert cited == ["b", "a"] and keys == ["b", "a", "c"]
    assert out.count('href="#ref-1"') == 2 and out.count('href="#ref-2"') == 2
    assert "ref-3" not in out and "unknown" not in out


@pytest.mark.parametrize("word, at_least", [("the", 1), ("massage", 2), ("relaxation", 4), ("therapeutic", 4)])
def test_syllables(word, at_least):
    assert syllables(word) >= at_least


def test_reading_grade_orders_plain_and_dense_text():
    plain = "<p>" + "The cat sat on the mat. It was warm. " * 20 + "</p>"
    dense = (
        "<p>"
        + "Therapeutic interventions demonstrate considerable heterogeneity regarding effectiveness. " * 20
        + "</p>"
    )
    assert fk_grade(plain) < 3 < 14 < fk_grade(dense)
    assert fk_grade("<p>Too short.</p>") is None


PROSE = "<p>" + "Massage may ease pain for a while, and the benefit tends to fade. " * 12 + "</p>"


@pytest.mark.parametrize(
    "extra",
    [
        '<section class="references"><ol><li>Doe J. Title. n.d.</li><li>Roe K. Other. 2020.</li></ol></section>',
        '<nav class="on-this-page"><ul><li><a href="#a">Why</a></li><li><a href="#b">How</a></li></ul></nav>',
        '<footer class="review-dates"><p>Last reviewed December 2, 2026.</p></footer>',
        "<h2>Safety</h2><h3>Who</h3><table><tr><th>Aspect</th></tr></table>",
        '<p class="callout-title">Good to know</p><dl><dt>Effleurage</dt></dl>',
        '<p class="label"><strong>What the evidence shows:</strong></p>',
        '<sup class="cite"><a href="#ref-1">1</a></sup>',
    ],
)
def test_reading_grade_counts_prose_not_labels_lists_of_references_or_menus(extra):
    """Headings, reference lists, page menus and citation markers would each count as short
    "sentences" and make a page look simpler than its prose is."""
    assert fk_grade(PROSE + extra) == fk_grade(PROSE)


def test_a_colon_does_not_end_a_sentence():
    with_colons = PROSE.replace(", and", ": and")
    assert fk_grade(with_colons) == fk_grade(PROSE)


@pytest.mark.parametrize(
    "html, text",
    [
        ("<p>A <em>b</em> &amp; c.</p>", "A b & c."),
        ("<p>One</p>\n<p>two<br/>three</p>", "One two three"),
        ("<ul><li>x</li><li>y &lt;z&gt;</li></ul>", "x y <z>"),
        ("  plain  ", "plain"),
    ],
)
def test_plain_text_reads_tags_as_spaces(html, text):
    assert plain_text(html) == text


def test_text_outside_code_leaves_code_out():
    assert text_outside_code("<p>a [x] <code>[y]</code> <pre><code>[z]</code></pre>b</p>") == "a [x]  b"


@pytest.mark.parametrize(
    "url_path, found",
    [
        ("/sub/", "index.html"),
        ("/sub/guides/", "guides/index.html"),
        ("/sub/guides", "guides/index.html"),
        ("/sub/feed.xml", "feed.xml"),
        ("/sub/nope/", None),
        ("/other/", None),
    ],
)
def test_output_for(url_path, found):
    assert output_for(url_path, "/sub/", {"index.html", "guides/index.html", "feed.xml"}) == found


@pytest.mark.parametrize(
    "base_url, base_path",
    [("https://example.org/", "/"), ("https://example.org/guide/", "/guide/"), ("http://127.0.0.1:8000/", "/")],
)
def test_base_path(base_url, base_path):
    assert SiteConfig(title="t", description="d", base_url=base_url).base_path == base_path


@pytest.mark.parametrize(
    "out, refused",
    [
        (".", True),
        ("content", True),
        ("content/out", True),
        ("templates", True),
        ("_site", False),
        ("../elsewhere", False),
    ],
)
def test_output_dir_guard(tmp_path, out, refused):
    source = tmp_path / "site"
    source.mkdir()
    assert bool(check_output_dir(source / out, source)) is refused


def test_output_dir_guard_refuses_a_parent_of_the_source(tmp_path):
    assert check_output_dir(tmp_path, tmp_path / "site")


@pytest.mark.parametrize(
    "title, slug", [("Some title", "some-title"), ("Café & Spa: Tips!", "cafe-spa-tips"), ("  ", "")]
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_repo_has_the_design_card_layout():
    root = Path(__file__).resolve().parent.parent
    for name in ("content", "templates", "assets", "build.py", "site.yaml", "tests", "README.md"):
        assert (root / name).exists(), name


def test_markdown_filter_in_templates_is_base_path_aware():
    from sitegen.model import Site
    from sitegen.templating import make_env

    config = SiteConfig(title="t", description="d", base_url="https://example.org/sub/")
    env = make_env(Site(config, (), {}, {}, Path(".")))
    out = env.from_string('{{ "A *b* [faq](/faq/)" | markdown }}|{{ "*c*" | markdown(inline=true) }}').render()
    assert out == '<p>A <em>b</em> <a href="/sub/faq/">faq</a></p>|<em>c</em>'


def test_a_problem_that_quotes_a_multi_line_value_stays_one_line():
    from sitegen.errors import error

    line = error("site.yaml", 3, "'title' should be text, not '---\n\n  0'", "write text").format()
    assert "\n" not in line
    assert line == "site.yaml:3: 'title' should be text, not '---\\n\\n  0' (write text)"
