"""The one way this package turns HTML into text: html.parser's events (htmlparse.events), in three modes.

- ``prose_text``: the reading text of a page for the reading grade; labels, menus, the reference
  list, the review footer and citation markers left out, and each block ending a sentence.
- ``plain_text``: every word, tags as spaces, whitespace squeezed (JSON-LD and feeds).
- ``text_outside_code``: the text outside code, where a literal bracket is meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .htmlparse import DATA, END, START, events

BLOCK_TAGS = frozenset({"p", "li", "td", "dd", "blockquote"})
# Labels, not prose: a heading or a column header is a few words that would count as a
# whole "sentence" and make every page look simpler than its text is.
LABEL_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "th", "dt", "summary", "caption", "figcaption", "legend", "label", "button"}
)
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
CODE_TAGS = frozenset({"code", "pre", "kbd", "samp"})
SPACES = re.compile(r"\s+")


def _not_prose(tag: str, attrs: dict) -> bool:
    """Parts of <main> that are not prose to read: headings and other labels, citation
    markers, the page's own menus (on-this-page links), the reference list and the review
    footer with its change notes; a template marks other lists of labels (a decision table's
    cells, a list of links) with class ``not-prose``."""
    classes = (attrs.get("class") or "").split()
    return (
        tag in ("nav", "footer")
        or "not-prose" in classes
        or "hidden" in attrs  # e.g. a glossary link's definition, read out as its description
        or tag in LABEL_TAGS
        or (tag == "sup" and "cite" in classes)
        or (tag == "p" and ("callout-title" in classes or "label" in classes))
        or (tag == "section" and "references" in classes)
    )


def _is_code(tag: str, attrs: dict) -> bool:
    return tag in CODE_TAGS


def _nothing(tag: str, attrs: dict) -> bool:
    return False


def _parts(fragment: str, skip: Callable[[str, dict], bool], block_end: str = "", tag_gap: str = "") -> list[str]:
    """The text of an HTML fragment, as parts: elements ``skip`` picks are left out with all they
    hold; ``block_end`` is added after each block element and ``tag_gap`` wherever a tag was.
    (A tag written ``<x/>`` counts as its start and its end, as html.parser reports it.)"""
    parts: list[str] = []
    add = parts.append
    skip_depth = 0  # open elements inside a skipped part, the part itself included
    for kind, _, value, attrs in events(fragment):
        if kind == DATA:
            if not skip_depth:
                add(value)
            continue
        if kind != END:  # START or STARTEND: the start
            if tag_gap:
                add(tag_gap)
            if value not in VOID_TAGS and (skip_depth or skip(value, dict(attrs))):
                skip_depth += 1
            if kind == START:
                continue
        if tag_gap:  # END, or the end of a STARTEND
            add(tag_gap)
        if value in VOID_TAGS:
            continue
        if skip_depth:
            skip_depth -= 1
        elif block_end and value in BLOCK_TAGS:
            add(block_end)
    return parts


def prose_text(fragment: str) -> str:
    """Plain reading text of an HTML fragment; each block ends a sentence."""
    return " ".join(_parts(fragment, _not_prose, block_end=". "))


def plain_text(fragment: str) -> str:
    """Every word of an HTML fragment, entities decoded, tags read as spaces, spaces squeezed."""
    return SPACES.sub(" ", "".join(_parts(fragment, _nothing, tag_gap=" "))).strip()


def text_outside_code(fragment: str) -> str:
    """The text of an HTML fragment outside code, where a literal bracket is meant."""
    return "".join(_parts(fragment, _is_code))
