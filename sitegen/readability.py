"""Flesch-Kincaid reading grade of a page's text, with syllables counted by pyphen's dictionaries."""

from __future__ import annotations

import functools
import html
import re

import pyphen

BLOCK_END = re.compile(r"</(p|li|h[1-6]|td|th|dd|dt|summary|figcaption)>", re.I)
SENTENCE_END = re.compile(r"[.!?:;]+(?=\s|$)")
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


def text_of(fragment: str) -> str:
    """Plain text of an HTML fragment; each block ends a sentence."""
    fragment = re.sub(r"<sup class=\"cite\">.*?</sup>", "", fragment, flags=re.S)
    fragment = BLOCK_END.sub(". ", fragment)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def fk_grade(fragment: str) -> float | None:
    """US school grade for the text, or None when there is too little text to judge."""
    text = text_of(fragment)
    sentences = [s for s in SENTENCE_END.split(text) if WORD.search(s)]
    words = WORD.findall(text)
    if len(words) < 100 or not sentences:
        return None
    total_syllables = sum(syllables(w) for w in words)
    return round(0.39 * len(words) / len(sentences) + 11.8 * total_syllables / len(words) - 15.59, 1)
