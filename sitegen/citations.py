"""Citations, the whole feature: `[@key]` in Markdown is found, marked, numbered in reading order and
listed as references; markers are stripped from text that leaves the page; and unknown keys and
misspelt citations (`[key]`, `(@key)`) are reported where they were written.

A citation travels through rendering as a marker (``CITE_OPEN cite:a,b CITE_CLOSE``) so that
citations from page text, data and templates are numbered together once the page is whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from .errors import Problem, error
from .hints import did_you_mean
from .htmltext import text_outside_code

KEY = r"[a-z0-9][\w-]*"
CITE_RE = re.compile(rf"\[(@{KEY}(?:\s*[;,]\s*@{KEY})*)\]", re.I)
# `[nccih-mt]` or `[a; b]`: a citation missing its '@' (only when every key is a known source).
MISSING_AT_RE = re.compile(rf"\[({KEY}(?:\s*[;,]\s*{KEY})*)\]", re.I)
# `(@key)` or `(@a; @b)`: a citation in round brackets.
ROUND_RE = re.compile(rf"\((@{KEY}(?:\s*[;,]\s*@?{KEY})*)\)", re.I)
CITE_OPEN, CITE_CLOSE = "\ue000", "\ue001"
MARKER_RE = re.compile(f"{CITE_OPEN}cite:([^{CITE_CLOSE}]*){CITE_CLOSE}")
REFERENCES_MARK = "\ue000references\ue001"
UNKNOWN_SOURCE = "unknown source '"


@dataclass(frozen=True)
class Reference:
    number: int
    key: str
    source: dict
    cited: bool


def _split_keys(group: str) -> list[str]:
    return [k.strip().lstrip("@") for k in re.split(r"[;,]", group)]


def cited_keys(text: str) -> set[str]:
    """The keys Markdown ``text`` cites, lower-cased (cite_keys without the line of each)."""
    return {key.lower() for match in CITE_RE.finditer(text) for key in _split_keys(match.group(1))}


def cites(text: str) -> bool:
    return CITE_RE.search(text) is not None


def cite_keys(text: str) -> list[tuple[list[str], int]]:
    """Each citation group in Markdown ``text`` with its line offset (0-based)."""
    return [(_split_keys(m.group(1)), text.count("\n", 0, m.start())) for m in CITE_RE.finditer(text)]


def marker(keys) -> str:
    """The marker that stands for a citation of ``keys`` until the page is numbered."""
    return f"{CITE_OPEN}cite:{','.join(keys)}{CITE_CLOSE}"


def mark_citations(text: str) -> str:
    """Markdown with each `[@a; @b]` replaced by its marker, before it is converted."""
    return CITE_RE.sub(lambda m: marker(k.lower() for k in _split_keys(m.group(1))), text)


def cite_all(keys) -> Markup:
    """Cite sources by key from a template; numbered with the page's other citations."""
    return Markup(marker(str(k) for k in keys)) if keys else Markup("")


def uncited(keys, html) -> list:
    """The keys not already cited in ``html``: a "Sources" line then does not repeat the text's."""
    cited = {k for group in MARKER_RE.findall(str(html)) for k in group.split(",")}
    return [k for k in keys or () if k not in cited]


def number_citations(html: str, known: dict, extra_keys: tuple = ()) -> tuple[str, list[str], list[str]]:
    """Replace citation markers with numbered links; return (html, cited keys, all keys in order).

    Keys not in ``known`` are dropped here: they were reported where they were written."""
    order: list[str] = []

    def replace(match) -> str:
        keys = [k for k in match.group(1).split(",") if k in known]
        if not keys:
            return ""
        for key in keys:
            if key not in order:
                order.append(key)
        numbers = sorted({order.index(k) + 1 for k in keys})
        links = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in numbers)
        return f'<sup class="cite">[{links}]</sup>'

    html = MARKER_RE.sub(replace, html)
    cited = list(order)
    everything = cited + [k for k in extra_keys if k not in cited]
    return html, cited, everything


def references(keys: list[str], cited: list[str], sources: dict) -> list[Reference]:
    return [Reference(index, key, sources[key], key in cited) for index, key in enumerate(keys, 1) if key in sources]


def plain_citations(html: str) -> str:
    """Citation markers removed, for text that leaves the page (feeds, structured data)."""
    return MARKER_RE.sub("", html)


def is_unknown_source(problem: Problem) -> bool:
    """True for a citation of an unknown key: a knock-on when sources.yaml itself failed to load."""
    return problem.message.startswith(UNKNOWN_SOURCE)


def unknown_key_problem(key: str, rel_path: str, line: int, known, what: str = "in citation") -> Problem:
    guess = did_you_mean(key, known)
    hint = guess or "add it to content/data/sources.yaml or fix the key"
    return error(rel_path, line, f"{UNKNOWN_SOURCE}{key}' {what}".rstrip(), hint)


def unknown_citations(text: str, rel_path: str, first_line: int, known) -> list[Problem]:
    """A problem for each key cited in Markdown ``text`` that is not a known source."""
    return [
        unknown_key_problem(key, rel_path, first_line + offset, known)
        for keys, offset in cite_keys(text)
        for key in keys
        if key.lower() not in known
    ]


def misspelled_citations(html: str, source_text: str, rel_path: str, first_line: int, known) -> list[Problem]:
    """Citations that rendered as plain text because they lack '@' or use round brackets."""
    text = text_outside_code(html)
    problems = []
    for match in MISSING_AT_RE.finditer(text):
        keys = [k.strip() for k in re.split(r"[;,]", match.group(1))]
        if all(k.lower() in known for k in keys):
            fixed = "[" + "; ".join(f"@{k}" for k in keys) + "]"
            line = _line_of(source_text, match.group(0), first_line)
            problems.append(error(rel_path, line, f"citation '{match.group(0)}' has no '@'", f"write '{fixed}'"))
    for match in ROUND_RE.finditer(text):
        keys = [k.strip().lstrip("@") for k in re.split(r"[;,]", match.group(1))]
        fixed = "[" + "; ".join(f"@{k}" for k in keys) + "]"
        line = _line_of(source_text, match.group(0), first_line)
        problems.append(error(rel_path, line, f"citation '{match.group(0)}' is in round brackets", f"write '{fixed}'"))
    return problems


def _line_of(source_text: str, needle: str, first_line: int) -> int:
    index = source_text.find(needle)
    return first_line + (source_text.count("\n", 0, index) if index >= 0 else 0)
