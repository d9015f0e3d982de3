"""Flesch-Kincaid reading grade of a page's text, with syllables counted by pyphen's dictionaries."""

from __future__ import annotations

import functools
import re

import pyphen

from .htmltext import prose_text

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


def fk_grade(fragment: str) -> float | None:
    """US school grade for the text, or None when there is too little text to judge."""
    text = prose_text(fragment)
    sentences = [s for s in SENTENCE_END.split(text) if WORD.search(s)]
    words = WORD.findall(text)
    if len(words) < 100 or not sentences:
        return None
    total_syllables = sum(map(syllables, words))  # syllables() is cached per word
    return round(0.39 * len(words) / len(sentences) + 11.8 * total_syllables / len(words) - 15.59, 1)


def _sentence_grade(sentence: str) -> float:
    words = WORD.findall(sentence)
    return 0.39 * len(words) + 11.8 * sum(map(syllables, words)) / max(1, len(words))


def hardest_sentence(fragment: str) -> str | None:
    """The sentence of the page's prose with the highest grade, where rewording helps most."""
    text = prose_text(fragment)
    sentences = [s.strip() for s in SENTENCE_END.split(text) if WORD.search(s)]
    return max(sentences, key=_sentence_grade) if sentences else None


def line_of_sentence(sentence: str, source_text: str) -> int | None:
    """The 1-based line of ``source_text`` where ``sentence`` (rendered text) was written: the first
    run of five of its words found there, with anything (markup, a link) between them."""
    words = WORD.findall(sentence)
    for start in range(max(1, len(words) - 4)):
        run = words[start : start + 5]
        pattern = r"\W+(?:\S*?\W+)??".join(re.escape(w) for w in run)
        match = re.search(pattern, source_text)
        if match:
            return source_text.count("\n", 0, match.start()) + 1
    return None
