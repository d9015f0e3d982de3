"""Helpers the tests share: where fixtures live, and the CLI run in-process."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from sitegen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
# A fixed "today" so review-date warnings do not change with the calendar (2026-11-18).
FIXED_EPOCH = "1795000000"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def problem_lines(self) -> list[str]:
        """The numbered problem lines, without their numbers."""
        return [line.split(". ", 1)[1] for line in self.err.splitlines() if line[:1].isdigit()]


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), default_source=ROOT)
    return Run(code, out.getvalue(), err.getvalue())
