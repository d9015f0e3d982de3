"""htmlparse.events reads HTML as html.parser does: its fast pattern, where it is sure, gives
html.parser's own events, and it is sure of every tag, comment and entity this generator writes.
The readers built on it (parse_page, prose_text, plain_text, text_outside_code, link_terms) give
what their earlier html.parser versions, kept below as the reference, gave on the same HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import examples

from sitegen import glossary, htmlparse, htmltext
from sitegen.glossary import Term, link_terms
from sitegen.htmlparse import DATA, END, START, STARTEND, ParsedPage, events, parse_page
from sitegen.htmltext import plain_text, prose_text, text_outside_code

SETTINGS = settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- HTML this generator writes: plain tags, quoted or bare values, entities, comments, a doctype

TAGS = ["p", "div", "main", "a", "img", "nav", "footer", "code", "pre", "h2", "section", "sup", "span", "br"]
TAGS += ["li", "td", "th", "label", "summary", "details", "input", "source", "my-el", "P", "Main", "IMG"]
ATTR_NAMES = ["class", "id", "href", "src", "srcset", "alt", "hidden", "data-x", "aria-describedby", "CLASS", "Id"]
VALUES = ["not-prose", "cite", "no-glossary", "callout-title", "label", "references", "hidden", "a b", "x>y"]
VALUES += ["", "a&amp;b", "/guides/x/", "#frag", "x/", "a.png 1x, b.png 2x", "&quot;q&quot;", "dup", "é"]
WORDS = ["trigger point", "Trigger Points", "DOMS", "doms-like", "Swedish", "massage", "x", "end.", "Hi!"]
WORDS += [" ", "\n", "\t", "[nccih]", "(@key)", "a [b]", "é", "\xa0", ">", '"', "'", "=", "/", ";", "-"]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&#39;", "&#x27;", "&#X1f;", "&nbsp;", "&bogus;", "&quot;"]
SPACE = ["", " ", "  ", "\n", "\t"]


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTR_NAMES))
    value = draw(st.sampled_from(VALUES))
    quote = draw(st.sampled_from(['"', "'", "bare", "none"]))
    gap = draw(st.sampled_from([" ", "\n", "  ", "\t"]))
    if quote == "none":
        return f"{gap}{name}"
    if quote == "bare":
        value = re.sub(r"[\s\"'=<>`]", "", value) or "v"
    else:
        value = value.replace(quote, "")
        value = f"{quote}{value}{quote}"
    return f"{gap}{name}{draw(st.sampled_from(['=', ' = ', '= ']))}{value}"


@st.composite
def start_tag(draw) -> str:
    name = draw(st.sampled_from(TAGS))
    attrs = "".join(draw(st.lists(attribute(), max_size=3)))
    end = draw(st.sampled_from([">", " >", "/>", " />", "\n>"]))
    return f"<{name}{attrs}{end}"


end_tag = st.builds(lambda name, gap: f"</{name}{gap}>", st.sampled_from(TAGS), st.sampled_from(SPACE))
comment = st.sampled_from(["<!-- note -->", "<!---->", "<!-- <p>not a tag</p> -->", "<!-- a - b -->"])
doctype = st.sampled_from(["<!DOCTYPE html>", "<!doctype html>"])
raw_text = st.builds(
    lambda name, body, case: f"<{name}>{body}</{name.upper() if case else name}>",
    st.sampled_from(["script", "style"]),
    st.sampled_from(["", "a < b && c", '{"a": "</p>"}', "x<!--y-->", "p{color:red}"]),
    st.booleans(),
)
text = st.sampled_from(WORDS)
leaf = st.one_of(text, text, start_tag(), st.sampled_from(ENTITIES), comment, raw_text)
# Elements inside elements, each closed (so end tags close what they should, and text follows them).


def _element(name: str, attrs: list, children: list, upper: bool) -> str:
    return f"<{name}{''.join(attrs)}>{''.join(children)}</{name.upper() if upper else name}>"


nested = st.recursive(
    leaf,
    lambda inner: st.builds(
        _element,
        st.sampled_from([t for t in TAGS if t.lower() not in ("img", "br", "input", "source")]),
        st.lists(attribute(), max_size=2),
        st.lists(inner, max_size=4),
        st.booleans(),
    ),
    max_leaves=25,
)
CLEAN = st.lists(st.one_of(nested, nested, start_tag(), end_tag, text, comment, doctype), max_size=12)

# --- and what it does not write: stray '<' and '&', broken tags and comments, odd whitespace
ODD = st.sampled_from(
    ["<", "< p>", "<3", "a<b", "&", "& ", "&#", "&#;", "&#12a;", "&amp", "&x", "</", "</>", "</ p>", "</p x>", "<?pi?>"]
    + ["<![CDATA[x]]>", "<!bogus>", "<!-->", "<!--->", "<!-- a -- b -->", "<!-- a --->", "<!--x", "<p", '<a href="x>']
    + ['<a href="x"class="y">', "<a href=x<y>", "<a b=`c`>", "<a\xa0b>", "<a b\x0b=c>", "<a / b>", "<a b==c>", "<a.b>"]
    + ["<a b='c'/d>", "<p\x0c>", "<script>x", "<script>a</script x>b</script>", "</script>", "<style>a</ style>b"]
    + ["<br/>", "<img src=a/>", "<A HREF=X>", "\x00", "\r\n", "<svg><path d='M0'/></svg>", "<scriptx>a</scriptx>"]
    + ['</p x=">">', "<!-- a -- > b -->", "<!-- a --!> b -->", "<script>a</script\n>b", "<style>a</STYLE >"]
)
# Something odd among what we write (more than one would mostly hide all but the first).
ANY = st.builds(
    lambda parts, odd, at: parts[:at] + odd + parts[at:],
    CLEAN,
    st.lists(ODD, min_size=1, max_size=2),
    st.integers(0, 30),
)


def _outcome(function, *args):
    """What ``function`` returns, or the AssertionError it raises (html.parser's way of giving up,
    e.g. on a marked section split by a line break; the readers and the references here read such
    a '<!' as text instead, so neither should raise)."""
    try:
        return function(*args)
    except AssertionError as problem:
        return ("raised", str(problem))


@SETTINGS
@given(parts=CLEAN)
def test_the_pattern_reads_what_we_write_as_html_parser_does(parts):
    html = "".join(parts)
    for entities in (False, True):
        fast = htmlparse._fast_events(html, entities)
        assert fast is not None, html  # never left to html.parser
        assert fast == htmlparse._parser_events(html, entities), html


@SETTINGS
@given(parts=ANY)
def test_the_pattern_gives_way_to_html_parser_where_unsure(parts):
    html = "".join(parts)
    for entities in (False, True):
        expected = _outcome(htmlparse._parser_events, html, entities)  # a list, or ("raised", why)
        fast = htmlparse._fast_events(html, entities)
        assert fast is None or fast == expected, html
        assert _outcome(events, html, entities) == expected
        starts = expected if isinstance(expected, tuple) else [e for e in expected if e[0] <= STARTEND]
        assert _outcome(events, html, entities, True) == starts


def test_events_report_tags_text_and_positions():
    html = '<!DOCTYPE html>\n<p class="a">x &amp; y<br/></p><script>a<b</script>'
    assert events(html) == [
        (DATA, 15, "\n", None),
        (START, 16, "p", (("class", "a"),)),
        (DATA, 29, "x & y", None),
        (STARTEND, 38, "br", ()),
        (END, 43, "p", None),
        (START, 47, "script", ()),
        (DATA, 55, "a<b", None),
        (END, 58, "script", None),
    ]
    assert [e[2] for e in events("x &amp; y", entities=True)] == ["x ", " y"]


# --- the readers, against their html.parser versions as they were


class _ReferencePageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self.id_lines: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        element_id = values.get("id")
        if element_id is not None:
            if element_id in self.id_lines:
                self.page.duplicate_ids.append((element_id, line, self.id_lines[element_id]))
            else:
                self.id_lines[element_id] = line
            self.page.ids.add(element_id)
        for name in htmlparse.REF_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is not None:
                urls = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
                self.page.refs += [(url, line) for url in urls]
        if tag == "img" and "alt" not in values:
            self.page.images_without_alt.append((values.get("src") or "", line))

    handle_startendtag = handle_starttag


class _ReferenceTextParser(HTMLParser):
    def __init__(self, skip, block_end: str = "", tag_gap: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.skip, self.block_end, self.tag_gap = skip, block_end, tag_gap
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if self.tag_gap:
            self.parts.append(self.tag_gap)
        if tag in htmltext.VOID_TAGS:
            return
        if self._skip_depth or self.skip(tag, dict(attrs)):
            self._skip_depth += 1

    def handle_endtag(self, tag):
        if self.tag_gap:
            self.parts.append(self.tag_gap)
        if tag in htmltext.VOID_TAGS:
            return
        if self._skip_depth:
            self._skip_depth -= 1
        elif self.block_end and tag in htmltext.BLOCK_TAGS:
            self.parts.append(self.block_end)

    def handle_data(self, data):
        if not self._skip_depth:
            self.parts.append(data)


class _ReferenceTextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.spans: list[tuple[int, str]] = []
        self._open: list[tuple[str, bool]] = []
        self._line_starts = [0]

    def feed(self, data: str) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", data)]
        super().feed(data)

    def handle_starttag(self, tag, attrs):
        if tag in glossary.VOID_TAGS:
            return
        classes = (dict(attrs).get("class") or "").split()
        inside = bool(self._open) and self._open[-1][1] is not None
        skipped = (inside and self._open[-1][1]) or tag in glossary.SKIP_TAGS or glossary.OFF_CLASS in classes
        self._open.append((tag, skipped if (inside or tag == "main") else None))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                return

    def handle_data(self, data):
        if self._open and self._open[-1][1] is False:
            line, column = self.getpos()
            self.spans.append((self._line_starts[line - 1] + column, data))


def _fed(make, html):
    """A new parser from ``make`` fed ``html``. Where html.parser gives up (some '<!'), the readers
    read those '<!' as text (htmlparse.readable; sanitize.py reports them), and so does this."""
    parser = make()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:
        parser = make()
        parser.feed(htmlparse.readable(html))
        parser.close()
    return parser


TERMS = (
    Term("trigger-point", ("Trigger point", "trigger points"), "A tender spot."),
    Term("doms", ("DOMS",), "Soreness <after> exercise."),
    Term("swedish", ("Swedish", "Swedish massage"), "The usual kind."),
)


def _reference_link_terms(page_html: str, terms, glossary_url: str) -> str:
    finder = _fed(_ReferenceTextFinder, page_html)
    forms = sorted({form for term in terms for form in term.forms}, key=lambda f: (-len(f), f))
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", re.IGNORECASE)
    by_form = {form.lower(): term for term in terms for form in term.forms}
    used: set[str] = set()
    edits = []
    for offset, text in finder.spans:
        new = pattern.sub(lambda m: glossary._link(m, by_form, used, glossary_url), text)
        if new != text:
            edits.append((offset, len(text), new))
    for offset, length, new in reversed(edits):
        page_html = page_html[:offset] + new + page_html[offset + length :]
    return page_html


def _reference_prose(html):
    return " ".join(_fed(lambda: _ReferenceTextParser(htmltext._not_prose, block_end=". "), html).parts)


def _reference_plain(html):
    gapped = "".join(_fed(lambda: _ReferenceTextParser(htmltext._nothing, tag_gap=" "), html).parts)
    return htmltext.SPACES.sub(" ", gapped).strip()


def _reference_outside_code(html):
    return "".join(_fed(lambda: _ReferenceTextParser(htmltext._is_code), html).parts)


@SETTINGS
@given(parts=st.one_of(CLEAN, ANY), newlines=st.lists(st.integers(0, 200), max_size=5))
def test_the_readers_give_what_html_parser_gave(parts, newlines):
    html = "".join(parts)
    for at in newlines:  # lines matter to parse_page
        html = html[:at] + "\n" + html[at:]
    assert _outcome(parse_page, html) == _outcome(lambda h: _fed(_ReferencePageParser, h).page, html)
    assert _outcome(prose_text, html) == _outcome(_reference_prose, html)
    assert _outcome(plain_text, html) == _outcome(_reference_plain, html)
    assert _outcome(text_outside_code, html) == _outcome(_reference_outside_code, html)
    page = f"<p>before Swedish</p><main>{html}</main><p>after</p>"
    for candidate in (html, page):
        found = _outcome(link_terms, candidate, TERMS, "/glossary/")
        assert found == _outcome(_reference_link_terms, candidate, TERMS, "/glossary/")
