"""The preview's build loop: run one build, never raising; log how it went; reload open pages.

watch.py says when to build; this module builds, tells the terminal, and decides what open pages do.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

from .build import BuildOptions, build_site
from .cache_store import BuildCache
from .errors import Problem, SiteError, error, errors_in
from .livereload_adapter import reload_pages
from .write import LateUpdates

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    changed: list[str]
    problems: list[Problem]  # every problem of a failed build; the warnings of a good one
    summary: str = ""
    quick: bool = False  # only the edited pages were rebuilt (edit_path.py)


def run_build(
    options: BuildOptions, cache: BuildCache, changed: list[str], late: LateUpdates | None = None
) -> BuildOutcome:
    """One build; never raises, so a mistake in the content cannot stop the server. ``late``: the
    preview's search index catch-up after quick edits (write.LateUpdates)."""
    try:
        result = build_site(options, cache=cache, late=late)
    except SiteError as exc:
        return BuildOutcome(False, changed, exc.problems)
    except Exception:  # noqa: BLE001 - keep serving; the traceback goes to the terminal
        log.exception("The build crashed. This is a bug in the site generator, not in your content.")
        crash = error("(site generator)", 0, "the build crashed", "a bug in the generator: see the terminal")
        return BuildOutcome(False, changed, [crash])
    if not result.quick:
        settle_memory()
    summary = f"{result.pages} pages, {result.assets} assets in {result.seconds:.2f} s"
    if result.quick:  # edit_path.py: the rest is as the last build left it
        edited = "page" if len(changed) <= 1 else "pages"
        summary = f"just the edited {edited} ({result.pages} pages in all) in {result.seconds:.2f} s"
    return BuildOutcome(True, changed, result.warnings, summary, result.quick)


def settle_memory() -> None:
    """After a whole build the preview holds a large heap for a long time (its last build, the
    cache). Collected once and frozen, the garbage collector's full passes skip it; else one can
    pause a quick edit at 10,000 pages for a third of a second. Unfrozen again first, so what the
    last whole build let go is collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def report_build(shown: list[str], outcome: BuildOutcome, first_build: bool = False) -> list[str]:
    """Say how a build went, reload open pages, and return the errors pages show now (``shown``
    are those they showed before): none after a good build, the last good build's stay on."""
    errors = [] if outcome.ok else [p.format() for p in errors_in(outcome.problems) or outcome.problems]
    if outcome.ok:
        _log_good_build(outcome, first_build, bool(shown))
    else:
        _log_failed_build(outcome, first_build, len(errors))
    if first_build:
        return errors
    if outcome.ok:
        reload_pages(None if shown else css_only_path(outcome.changed))
    elif errors != shown:
        reload_pages(None)
    return errors


def _log_good_build(outcome: BuildOutcome, first_build: bool, was_failing: bool) -> None:
    if first_build:
        _log_problems(outcome.problems)
        log.info("Built %s.", outcome.summary)
        return
    warnings = f", {len(outcome.problems)} warning(s)" if outcome.problems else ""
    verb = "Fixed: rebuilt" if was_failing else "Rebuilt"
    log.info("%s %s%s after a change to %s.", verb, outcome.summary, warnings, describe(outcome.changed))


def _log_failed_build(outcome: BuildOutcome, first_build: bool, error_count: int) -> None:
    _log_problems(outcome.problems)
    if first_build:
        log.error("The first build failed: %d error(s). Every page shows them until a build succeeds.", error_count)
        return
    log.error(
        "Build failed after a change to %s: %d error(s). Still serving the last good build; "
        "open pages show the errors until a build succeeds.",
        describe(outcome.changed),
        error_count,
    )


def _log_problems(problems: list[Problem]) -> None:
    for number, problem in enumerate(problems, 1):
        log.warning("%d. %s", number, problem.format())


def describe(changed: list[str]) -> str:
    if len(changed) <= 3:
        return ", ".join(changed)
    return f"{len(changed)} files ({', '.join(changed[:2])}, ...)"


def css_only_path(changed: list[str]) -> str | None:
    """A stylesheet's path when only stylesheets changed: livereload then swaps CSS in place."""
    if changed and all(p.startswith("assets/") and p.endswith(".css") for p in changed):
        return "/" + changed[0]
    return None
