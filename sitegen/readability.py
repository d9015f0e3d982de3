"""Flesch-Kincaid reading grade of a page's text, with syllables counted by pyphen's dictionaries."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

import pyphen

SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


@functools.lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


VOWEL_GROUP = re.compile(r"[aeiouy]+")


@functools.lru_cache(maxsize=50000)
def syllables(word: str) -> int:
    """The larger of two estimates: pyphen's hyphenation points (which skip breaks near a word's
    ends, so undercount) and vowel groups less a silent final 'e'."""
    word = word.lower()
    groups = len(VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups, len(_dictionary().positions(word)) + 1)


BLOCK_TAGS = {"p", "li", "td", "dd", "blockquote"}
# Labels, not prose: a heading or a column header is a few words that would count as a
# whole "sentence" and make every page look simpler than its text is.
LABEL_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "dt", "summary", "caption", "figcaption"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _skipped(tag: str, attrs: dict) -> bool:
    """Parts of <main> that are not prose to read: headings and other labels, citation
    markers, the page's own menus (on-this-page links), the reference list and the review
    footer with its change notes."""
    classes = (attrs.get("class") or "").split()
    return (
        tag in ("nav", "footer")
        or tag in LABEL_TAGS
        or (tag == "sup" and "cite" in classes)
        or (tag == "p" and "callout-title" in classes)
        or (tag == "section" and "references" in classes)
    )


class _Prose(HTMLParser):
    """The reading text of an HTML fragment; each block ends a sentence."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0  # open elements inside a skipped part, the part itself included

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        if self._skip_depth or _skipped(tag, dict(attrs)):
            self._skip_depth += 1

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if self._skip_depth:
            self._skip_depth -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append(". ")

    def handle_data(self, data):
        if not self._skip_depth:
            self.parts.append(data)


def text_of(fragment: str) -> str:
    """Plain reading text of an HTML fragment; each block ends a sentence."""
    parser = _Prose()
    parser.feed(fragment)
    parser.close()
    return " ".join(parser.parts)


def fk_grade(fragment: str) -> float | None:
    """US school grade for the text, or None when there is too little text to judge."""
    text = text_of(fragment)
    sentences = [s for s in SENTENCE_END.split(text) if WORD.search(s)]
    words = WORD.findall(text)
    if len(words) < 100 or not sentences:
        return None
    total_syllables = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / len(sentences) + 11.8 * total_syllables / len(words) - 15.59, 1)
