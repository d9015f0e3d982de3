"""Read HTML the way html.parser reads it, fast: the events (start and end tags, text) of a page or
fragment, and from them each output page's ids, local references and images, with their lines.

``events`` is the one reader of HTML for htmltext.py, glossary.py and ``parse_page``. A page this
generator made (our templates, Python-Markdown's output) is read by one compiled pattern, several
times faster than html.parser; anything that pattern is not sure of (a stray ``<``, a bare ``&``
where entities matter, a malformed tag or comment, an unclosed ``<script>``, ``<?``, ``<![``) makes
the whole string go through html.parser instead, so the events are html.parser's own either way
(tests/test_htmlparse.py compares the two on generated HTML). sanitize.py, which judges markup
editors wrote, keeps html.parser.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

# Attributes that hold one address the browser fetches or follows.
REF_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "form": ("action",),
    "use": ("href",),
}

# Event kinds: (kind, position in the string, tag or text, attributes or None).
START, STARTEND, END, DATA = 0, 1, 2, 3

_SPACE = r"[ \t\n\r\f]"
# A tag, found by where it ends (the first '>' outside quotes), then read strictly (``_tag_parts``).
# Only what html.parser reads the same way in every version passes: a plain start or end tag, a
# comment without '--' inside, a doctype. Anything else starting with '<' (or '&', when entities
# split the text) is "bad" and sends the string to html.parser.
_MARKUP = r"""
    (/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*)>
  | !--(?!-?>)(?:[^-]|-(?!-))*-->
  | ![dD][oO][cC][tT][yY][pP][eE][^>]*>
"""
# Each pattern starts with its one or two characters, so the search for the next token runs in C.
_TOKEN = re.compile(rf"<(?:{_MARKUP}|())", re.VERBOSE)
_TOKEN_ENTITIES = re.compile(
    rf"<(?:{_MARKUP}|())|&(?:(?:[a-zA-Z][-.a-zA-Z0-9]*|\#[0-9]+|\#[xX][0-9a-fA-F]+);|())", re.VERBOSE
)
_ATTR = rf"""{_SPACE}+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:{_SPACE}*={_SPACE}*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_ATTRS = re.compile(rf"(?:{_ATTR})*{_SPACE}*(/?)")
_ATTR_PARTS = re.compile(_ATTR)
_SPACES = re.compile(rf"{_SPACE}*")
RAW_TEXT = ("script", "style")  # html.parser's CDATA_CONTENT_ELEMENTS: text up to the end tag
_RAW_END = {name: re.compile(rf"</\s*{name}", re.IGNORECASE) for name in RAW_TEXT}


def events(html: str, entities: bool = False, starts_only: bool = False) -> list[tuple]:
    """What html.parser (``convert_charrefs=not entities``) reports for ``html``, fed whole and
    closed, as a list of ``(kind, position, tag or text, attributes)``: ``START`` and ``STARTEND``
    with the tag and its ``((name, value), ...)``, ``END`` with the tag, ``DATA`` with the text
    (entities decoded; or, with ``entities``, the raw text between tags and entity references).
    Comments, declarations and references are not reported (they only split the text). With
    ``starts_only``, only ``START`` and ``STARTEND``."""
    found = _fast_events(html, entities, starts_only)
    if found is None:
        found = _parser_events(html, entities)
        if starts_only:
            found = [event for event in found if event[0] <= STARTEND]
    return found


@functools.lru_cache(maxsize=4096)
def _tag_parts(raw: str) -> tuple | None:
    """(kind, attributes) of a start tag whose text after the name is ``raw``, as html.parser
    reads it, or None when ``raw`` is not plain ``name="value"`` attributes."""
    match = _ATTRS.fullmatch(raw)
    if match is None:
        return None
    pairs = []
    for name, value in _ATTR_PARTS.findall(raw):
        if not value:
            pairs.append((name.lower(), None))
            continue
        if value[0] in "\"'":
            value = value[1:-1]
        pairs.append((name.lower(), unescape(value) if value else value))
    return (STARTEND if match.group(3) else START), tuple(pairs)


def _fast_events(html: str, entities: bool, starts_only: bool = False) -> list[tuple] | None:
    """The events of ``html`` read with one pattern, or None where html.parser must decide."""
    found: list[tuple] = []
    add = found.append
    tag_parts = _tag_parts
    i = 0  # the end of the last token
    skip_to = 0  # the end of a script's or style's raw text, already read
    for match in (_TOKEN_ENTITIES if entities else _TOKEN).finditer(html):
        start, end = match.span()
        if start < skip_to:
            if end > skip_to:
                return None
            continue
        if start > i and not starts_only:
            chunk = html[i:start]
            add((DATA, i, chunk if entities or "&" not in chunk else unescape(chunk), None))
        i = end
        groups = match.groups()
        tag = groups[1]
        if tag is None:  # a comment, a doctype, an entity reference, or something to leave to html.parser
            if groups[3] is not None or entities and groups[4] is not None:
                return None
            continue
        tag = tag.lower()
        if groups[0]:
            if groups[2] and _SPACES.fullmatch(groups[2]) is None:
                return None
            if not starts_only:
                add((END, start, tag, None))
            continue
        parts = tag_parts(groups[2])
        if parts is None:
            return None
        kind, pairs = parts
        add((kind, start, tag, pairs))
        if tag in RAW_TEXT and kind == START:  # its text is raw up to its end tag, which must be plain
            close = _RAW_END[tag].search(html, i)
            if close is None or html[close.start() : close.start() + len(tag) + 3].lower() != f"</{tag}>":
                return None
            if close.start() > i and not starts_only:
                add((DATA, i, html[i : close.start()], None))
            if not starts_only:
                add((END, close.start(), tag, None))
            i = skip_to = close.start() + len(tag) + 3
    if i < len(html) and not starts_only:
        chunk = html[i:]
        add((DATA, i, chunk if entities or "&" not in chunk else unescape(chunk), None))
    return found


class _Recorder(HTMLParser):
    """html.parser itself, writing down its events."""

    def __init__(self, entities: bool) -> None:
        super().__init__(convert_charrefs=not entities)
        self.found: list[tuple] = []
        self._line_starts = [0]

    def read(self, html: str) -> list[tuple]:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.feed(html)
        self.close()
        return self.found

    def _position(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.found.append((START, self._position(), tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.found.append((STARTEND, self._position(), tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.found.append((END, self._position(), tag, None))

    def handle_data(self, data):
        self.found.append((DATA, self._position(), data, None))


def readable(html: str) -> str:
    """``html`` with every '<!' that does not open a comment read as text: the same length, so
    positions hold, and nothing html.parser gives up on."""
    return re.sub(r"<!(?!--)", "< ", html)


def _parser_events(html: str, entities: bool) -> list[tuple]:
    try:
        return _Recorder(entities).read(html)
    except AssertionError:  # html.parser gives up on some '<!': read them as text (sanitize.py reports them)
        return _Recorder(entities).read(readable(html))


@dataclass
class ParsedPage:
    """The ids, local references and alt-less images of one output page."""

    ids: set = field(default_factory=set)
    refs: list = field(default_factory=list)  # (href or src, line)
    images_without_alt: list = field(default_factory=list)  # (src, line)
    duplicate_ids: list = field(default_factory=list)  # (id, line, first line)


def parse_page(html: str) -> ParsedPage:
    page = ParsedPage()
    id_lines: dict[str, int] = {}
    line, counted = 1, 0  # the line at position ``counted``
    for _, position, tag, attrs in events(html, starts_only=True):
        if not attrs and tag != "img":
            continue
        line += html.count("\n", counted, position)
        counted = position
        values = dict(attrs)
        element_id = values.get("id")
        if element_id is not None:
            if element_id in id_lines:
                page.duplicate_ids.append((element_id, line, id_lines[element_id]))
            else:
                id_lines[element_id] = line
            page.ids.add(element_id)
        for name in REF_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is not None:
                urls = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
                page.refs += [(url, line) for url in urls]
        if tag == "img" and "alt" not in values:
            page.images_without_alt.append((values.get("src") or "", line))
    return page
