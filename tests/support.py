"""Helpers the tests share: where fixtures live, writing scratch files, and the CLI run in-process.
The live-preview harness is in preview_support.py."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; nothing downloads a browser of its own
INSTALL_HINT = "install it with: bash scripts/install_system_deps.sh (as root, from the repo root)"
# Flags for headless chromium as root on a closed network.
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Makes any request to a host other than this machine fail, so a test can see it.
ONLY_THIS_MACHINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"
# axe-core's rule tags for WCAG 2.2 A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def require_chromium() -> None:
    """Fail, never skip, when the browser is missing, saying how to install it."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Debian's chromium is missing at {CHROMIUM}; {INSTALL_HINT}", pytrace=False)


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


def write(src_path: Path, text: str) -> None:
    """Write ``text`` as UTF-8, making the folders it needs."""
    src_path.parent.mkdir(parents=True, exist_ok=True)
    src_path.write_text(text, encoding="utf-8")


def previous_build(out: Path, text: str = "previous build") -> Path:
    """An output folder as an earlier build left it: the generator's marker and one page."""
    from sitegen.write import MARKER, MARKER_TEXT

    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_bytes(MARKER_TEXT)
    (out / "index.html").write_text(text, encoding="utf-8")
    return out


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), default_source=ROOT)
    return Run(code, out.getvalue(), err.getvalue())


# `make test-fast` sets SITEGEN_TEST_FAST=1: property tests then try a quarter of their examples.
# `make test` (and CI) runs them all.
FAST = os.environ.get("SITEGEN_TEST_FAST") == "1"


def examples(full: int) -> int:
    """How many examples a property test tries: ``full`` in the full suite, fewer in the fast loop."""
    return max(3, full // 4) if FAST else full


def copy_real_site(target: Path) -> Path:
    """A scratch copy of the real site: content, templates, assets, static and site.yaml."""
    for name in ("content", "templates", "assets", "static"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns(".*"))
    shutil.copy2(ROOT / "site.yaml", target / "site.yaml")
    return target
