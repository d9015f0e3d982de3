"""Watch a site's sources and ask for a rebuild after each burst of saves, browser or no browser.

python-livereload's own watcher looks every 0.8 s, ignores changes within 3 s of the last reload and
acts only while a browser is connected (lepture/python-livereload issue 109). The preview needs a
rebuild after every save, quickly, even with no page open, so it watches here and uses livereload
only to tell open pages to reload (livereload_adapter.py). What a build does is preview_build.py's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Generic, TypeVar

from tornado.ioloop import IOLoop, PeriodicCallback

from .walk import is_ignored

# What an editor changes: site.yaml and these folders under the site folder, less the names the
# loader skips too (walk.is_ignored: editors' temp files), so saving one starts no build.
WATCHED_DIRS = ("content", "templates", "assets", "static")
WATCHED_FILES = ("site.yaml",)
# Look every 40 ms (about 1 ms of work each time). A build starts once a second look, 20 ms after
# a change was seen, finds nothing newer: a burst of saves (or an editor's write-then-rename) is one build.
POLL_MS = 40
SETTLE_S = 0.02

Snapshot = dict[str, tuple[int, int, int]]  # rel_path -> (mtime_ns, size, inode)
Outcome = TypeVar("Outcome")


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
        rel_path = f"{rel_folder}/{entry.name}"
        if is_ignored(rel_path):
            continue
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


class SourceWatcher(Generic[Outcome]):
    """Poll the sources; once a burst of changes settles, run ``rebuild`` off the event loop and
    hand its result to ``on_built`` back on the loop. One build at a time; changes made during a
    build start another when it ends."""

    def __init__(
        self,
        source_dir: Path,
        out_dir: Path,
        built: Snapshot,
        rebuild: Callable[[list[str]], Outcome],
        on_built: Callable[[Outcome], None],
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
