"""Watch a site's sources, rebuild after each burst of saves (browser or no browser), report, reload.

python-livereload's own watcher looks every 0.8 s, ignores changes within 3 s of the last reload and
acts only while a browser is connected (lepture/python-livereload issue 109). The preview needs a
rebuild after every save, quickly, even with no page open, so it watches here and uses livereload
only to tell open pages to reload.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop, PeriodicCallback

from .build import BuildOptions, build_site
from .errors import Problem, SiteError, error, errors_in
from .render import RenderCache

log = logging.getLogger("sitegen.serve")
# What an editor changes: site.yaml and these folders under the site folder.
WATCHED_DIRS = ("content", "templates", "assets", "static")
WATCHED_FILES = ("site.yaml",)
# Dot files and folders, backups (`~`), vim swap files, emacs autosaves (`#…#`) and vim's
# write-test file `4913`: editors make these while saving, and none is part of the site.
IGNORED_NAME = re.compile(r"^\.|~$|\.sw[a-p]$|^#.*#$|^4913$")
# Look every 40 ms (about 1 ms of work each time). A build starts once a second look, 20 ms after
# a change was seen, finds nothing newer: a burst of saves (or an editor's write-then-rename) is one build.
POLL_MS = 40
SETTLE_S = 0.02

Snapshot = dict[str, tuple[int, int, int]]  # rel_path -> (mtime_ns, size, inode)


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    changed: list[str]
    problems: list[Problem]  # every problem of a failed build; the warnings of a good one
    summary: str = ""


def is_ignored(name: str) -> bool:
    """True for a file or folder name an editor or tool makes in passing."""
    return bool(IGNORED_NAME.search(name))


def scan_sources(source_dir: Path, out_dir: Path | None = None) -> Snapshot:
    """Every watched file under ``source_dir`` with what tells a change, skipping ``out_dir``.
    Runs every poll, so it sticks to strings and os.scandir (about 1 ms for a 50-file site)."""
    snapshot: Snapshot = {}
    skip = os.path.realpath(out_dir) if out_dir is not None else None
    for name in WATCHED_FILES:
        _add(snapshot, os.path.join(source_dir, name), name)
    for folder in WATCHED_DIRS:
        _scan_folder(snapshot, os.path.join(source_dir, folder), folder, skip)
    return snapshot


def _scan_folder(snapshot: Snapshot, folder: str, rel_folder: str, skip: str | None) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing (static/ is optional) or removed while we looked
        return
    for entry in entries:
        if is_ignored(entry.name):
            continue
        rel_path = f"{rel_folder}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if os.path.realpath(entry.path) != skip:
                _scan_folder(snapshot, entry.path, rel_path, skip)
        else:
            _add(snapshot, entry.path, rel_path)


def _add(snapshot: Snapshot, src_path: str, rel_path: str) -> None:
    try:
        stat = os.stat(src_path)
    except OSError:  # gone between listing and looking: a deleted file is simply not in the snapshot
        return
    snapshot[rel_path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class SourceWatcher:
    """Poll the sources; once a burst of changes settles, run ``rebuild`` off the event loop and
    hand its result to ``on_built`` back on the loop. One build at a time; changes made during a
    build start another when it ends."""

    def __init__(
        self,
        source_dir: Path,
        out_dir: Path,
        built: Snapshot,
        rebuild: Callable[[list[str]], BuildOutcome],
        on_built: Callable[[BuildOutcome], None],
    ) -> None:
        self.source_dir, self.out_dir = source_dir, out_dir
        self.seen = self.built = built
        self.rebuild, self.on_built = rebuild, on_built
        self.building = self.stopped = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitegen-build")
        self.periodic = PeriodicCallback(self.poll, POLL_MS)

    def start(self) -> None:
        self.periodic.start()

    def stop(self) -> None:
        """Stop watching and wait for a build in progress, so its output is whole."""
        self.stopped = True
        self.periodic.stop()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def poll(self) -> None:
        if self.stopped:
            return
        current = scan_sources(self.source_dir, self.out_dir)
        if current != self.seen:  # still changing: look again shortly
            self.seen = current
            IOLoop.current().call_later(SETTLE_S, self.poll)
            return
        if self.building or current == self.built:
            return
        changed = changed_paths(self.built, current)
        self.built, self.building = current, True
        future = self.executor.submit(self.rebuild, changed)
        IOLoop.current().add_future(future, self._finished)

    def _finished(self, future: Future) -> None:
        self.building = False
        if not self.stopped:
            self.on_built(future.result())


def run_build(options: BuildOptions, cache: RenderCache, changed: list[str]) -> BuildOutcome:
    """One build; never raises, so a mistake in the content cannot stop the server."""
    try:
        result = build_site(options, cache=cache)
    except SiteError as exc:
        return BuildOutcome(False, changed, exc.problems)
    except Exception:  # noqa: BLE001 - keep serving; the traceback goes to the terminal
        log.exception("The build crashed. This is a bug in the site generator, not in your content.")
        crash = error("(site generator)", 0, "the build crashed", "a bug in the generator: see the terminal")
        return BuildOutcome(False, changed, [crash])
    summary = f"{result.pages} pages, {result.assets} assets in {result.seconds:.2f} s"
    return BuildOutcome(True, changed, result.warnings, summary)


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


def reload_pages(css_path: str | None) -> None:
    """Tell every open page to reload; a `.css` path makes livereload refresh stylesheets only."""
    LiveReloadHandler.reload_waiters(path=css_path or "*")
