"""Citations an editor meant to write: unknown keys, and keys written without '@' or in round brackets."""

from __future__ import annotations

import difflib
import re

from .errors import Problem, error
from .htmltext import text_outside_code

KEY = r"[a-z0-9][\w-]*"
# `[nccih-mt]` or `[a; b]`: a citation missing its '@' (only when every key is a known source).
MISSING_AT_RE = re.compile(rf"\[({KEY}(?:\s*[;,]\s*{KEY})*)\]", re.I)
# `(@key)` or `(@a; @b)`: a citation in round brackets.
ROUND_RE = re.compile(rf"\((@{KEY}(?:\s*[;,]\s*@?{KEY})*)\)", re.I)


def did_you_mean(word: str, options) -> str:
    """' (did you mean …?)'-style hint text, or '' when nothing is close."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


UNKNOWN_SOURCE = "unknown source '"


def is_unknown_source(problem: Problem) -> bool:
    """True for a citation of an unknown key: a knock-on when sources.yaml itself failed to load."""
    return problem.message.startswith(UNKNOWN_SOURCE)


def unknown_key_problem(key: str, rel_path: str, line: int, known, what: str = "in citation") -> Problem:
    guess = did_you_mean(key, known)
    hint = guess or "add it to content/data/sources.yaml or fix the key"
    return error(rel_path, line, f"{UNKNOWN_SOURCE}{key}' {what}".rstrip(), hint)


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
