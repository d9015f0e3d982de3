"""'Did you mean …?' hints: the closest known word to a mistyped one."""

from __future__ import annotations

import difflib


def closest(word: str, options) -> str | None:
    """The option most like ``word``, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, options) -> str:
    """ "did you mean '…'?" hint text, or '' when nothing is close."""
    guess = closest(word, options)
    return f"did you mean '{guess}'?" if guess else ""
