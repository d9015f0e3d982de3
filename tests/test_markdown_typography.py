"""The cheaper Markdown passes (sitegen/markdown_fast.py) give exactly what Python-Markdown's own
give: smart quotes, dashes and ellipses as smarty makes them, links, emphasis, code, heading ids and
the "On this page" entries. The oracle is the library itself with the site's extensions and
settings; the same two converters are reused across examples, as a build reuses one a process."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, examples

from sitegen import markdown_fast
from sitegen.markdown_render import EXTENSION_CONFIGS, EXTENSIONS, MarkdownRenderer


def converter(fast: bool) -> markdown.Markdown:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    if fast:
        markdown_fast.install(md)
    return md


LIBRARY, FAST = converter(fast=False), converter(fast=True)


def convert(md: markdown.Markdown, text: str) -> tuple[str, list]:
    md.reset()
    return md.convert(text), md.toc_tokens


def assert_same(text: str) -> None:
    assert convert(FAST, text) == convert(LIBRARY, text), text


WORDS = ["word", "it", "Don", "t", "s", "rock", "n", "roll", "80s", "1990s", "12", "é", "naïve", "x"]
PUNCTUATION = ["'", '"', "''", '""', "'\"", "\"'", "-", "--", "---", "----", "..", "...", "....", ". . ."]
PUNCTUATION += ["—", "–", ",", ".", "!", "?", ":", ";", "(", ")", "[", "]", "{", "}", "<", ">", "&", "/"]
INLINE = [
    "`code 'q' -- ...`",
    '``a ` "b"``',
    "`",
    "*",
    "**",
    "_",
    "__",
    "*'em'*",
    '**"strong"**',
    "[link 'a'](page.md \"Title 'q' -- x...\")",
    "[l](http://example.org/it's--here...)",
    "[ref][r]",
    '![alt "a" -- b](images/x.jpg \'Cap "c"\')',
    "<http://example.org/a--b>",
    "<a@b.org>",
    "<span title=\"it's -- 'q'\">",
    "</span>",
    "<!-- 'c' -- -->",
    "&nbsp;",
    "&mdash;",
    "&#8211;",
    "&amp;",
    "&lsquo;",
    "\\'",
    '\\"',
    "\\-",
    "\\.",
    "\\*",
    "\\`",
    "[^1]",
    "[^n]",
    "HTML",
    "{: #x}",
    '{: .c title="it\'s"}',
    "[TOC]",
    "[@src]",
    "\ue000cite:a\ue001",
    "  \n",
    " ",
    " ",
    "\t",
]
LINE_STARTS = ["", "", "", "# ", "## ", "### ", "- ", "* ", "1. ", "> ", "    ", ": ", '!!! note "It\'s"\n    ']
BLOCKS = [
    "| a 'b' | \"c\" |\n|---|---|\n| -- | ... |",
    "[r]: http://example.org/'r' \"T 'x'\"",
    '[^1]: A note -- with "quotes"...',
    "[^n]: It's",
    "*[HTML]: Hyper 'Text' -- Markup",
    "Term 'a'\n: Definition \"b\" -- c",
    "```\n'raw' -- \"code\" ...\n```",
    "<div title=\"'x'\">\n'block' -- html\n</div>",
    "## Heading 'one' -- \"two\"... {: #h}",
    "Setext 'a'\n--------",
    'Setext "b"\n===',
    "* * *",
    "[TOC]",
]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(INLINE),
    st.sampled_from([" ", " ", " ", "\n"]),
)
line = st.builds(
    lambda start, tokens: start + "".join(tokens), st.sampled_from(LINE_STARTS), st.lists(token, max_size=14)
)
block = st.one_of(st.lists(line, min_size=1, max_size=4).map("\n".join), st.sampled_from(BLOCKS))
document = st.lists(block, min_size=1, max_size=6).map("\n\n".join)

SETTINGS = settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(document, min_size=1, max_size=3))
def test_fast_passes_give_the_librarys_html(texts):
    for text in texts:  # several in a row: no state may leak from one text to the next
        assert_same(text)


@SETTINGS
@given(st.lists(st.one_of(token, st.sampled_from(["\n", "\n\n"])), max_size=40).map("".join))
def test_fast_passes_give_the_librarys_html_for_any_mix(text):
    assert_same(text)


@pytest.mark.parametrize(
    "text",
    [
        "\"Hello,\" she said -- 'it's the '80s'... isn't it?\"",
        "'Quoted' words in a \"larger 'nested' quote.\"",
        '"\'Twas" -- --- ---- ... .... "...',
        "`'code' -- ...` and 'after' [a 'link'](x.md \"t 'q'\") \\\"escaped\\\"",
        "Plain text, no quotes, no dashes.",
        '## Don\'t "panic"\n\n## Don\'t "panic"\n\n[TOC]',
        "*[HTML]: It's\n\nHTML -- 'HTML'",
    ],
)
def test_fast_passes_give_the_librarys_html_for_typography(text):
    assert_same(text)


def test_every_page_of_the_real_site_converts_the_same():
    pages = sorted((ROOT / "content").rglob("*.md"))
    assert pages
    for page in pages:
        assert_same(page.read_text(encoding="utf-8"))


def test_the_site_renderer_uses_the_fast_passes_on_the_pinned_markdown():
    # If this fails after upgrading Python-Markdown, the library's own passes run (correct, slower):
    # compare its new code with the copies in markdown_fast.py, then update SOURCE_SHA256.
    assert markdown_fast.supported("inline") and markdown_fast.supported("toc")
    md = MarkdownRenderer().md
    assert type(md.treeprocessors["inline"]) is markdown_fast.SkippingInlineProcessor
    assert type(md.treeprocessors["smarty"]) is markdown_fast.SkippingInlineProcessor
    assert type(md.treeprocessors["toc"]) is markdown_fast.MarkerOnlyToc


def test_every_inline_pattern_has_what_its_matches_need():
    # A pattern without an entry still works (it is tried on every text), only slower.
    for name in ("inline", "smarty"):
        for pattern in FAST.treeprocessors[name].inlinePatterns:
            assert markdown_fast.needs_of(pattern), (name, pattern.compiled_re.pattern)


def test_without_the_marker_the_toc_html_is_not_made():
    # md.toc (the table as HTML) is not used by the site: it is made only when the text places it.
    html, _ = convert(FAST, "## A\n\n## B")
    assert 'id="a"' in html and FAST.toc == ""
    html, _ = convert(FAST, "## A\n\n[TOC]")
    assert '<div class="toc">' in html and '<a href="#a">A</a>' in FAST.toc


@pytest.mark.parametrize("text", ["a\nb 'c' -- d", "x  \ny\n\n[[Wiki Link]] 'q'", "*a*\n_b_"])
def test_an_unknown_pattern_is_tried_everywhere(text):
    # nl2br's pattern and wikilinks' are not in NEEDS: every text is tried, as the library does.
    extensions = EXTENSIONS + ["nl2br", "wikilinks"]
    library = markdown.Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS)
    fast = markdown.Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS)
    markdown_fast.install(fast)
    assert fast.convert(text) == library.convert(text)
