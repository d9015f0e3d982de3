"""Problems an editor can fix, the one exception that carries them, and the exit codes that report them."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
# What every command returns: 0 ok, 1 a problem in the site (or a bug), 2 a usage mistake.
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: ``path:line: message (hint)``."""

    rel_path: str
    line: int
    message: str
    hint: str = ""
    level: str = ERROR

    def format(self) -> str:
        where = f"{self.rel_path}:{self.line}" if self.line else self.rel_path
        hint = f" ({self.hint})" if self.hint else ""
        prefix = "warning: " if self.level == WARNING else ""
        # One problem is one line, even when it quotes a value that spans lines.
        return f"{where}: {prefix}{self.message}{hint}".replace("\r", "\\r").replace("\n", "\\n")


def error(rel_path: str, line: int | None, message: str, hint: str = "") -> Problem:
    return Problem(rel_path, line or 0, message, hint, ERROR)


def warning(rel_path: str, line: int | None, message: str, hint: str = "") -> Problem:
    return Problem(rel_path, line or 0, message, hint, WARNING)


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == ERROR]


class SiteError(Exception):
    """Raised when a site has problems that stop a build; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(set(problems), key=_problem_order)


def _problem_order(problem: Problem) -> tuple:
    return (problem.rel_path, problem.line, problem.message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Deduplicate and order problems by file, then line."""
    return sorted(set(problems), key=_problem_order)
