"""Watch a site's sources and rebuild after each burst of saves, browser or no browser.

python-livereload's own watcher polls every 0.8 s, ignores changes within 3 s of the last reload and
only acts while a browser is connected (lepture/python-livereload issue 109). The preview needs a
rebuild after every save, fast, even with no page open, so it polls here and uses livereload only to
tell open pages to reload.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from tornado.ioloop import IOLoop, PeriodicCallback

# What an editor changes: site.yaml and these folders under the site folder.
WATCHED_DIRS = ("content", "templates", "assets", "static")
WATCHED_FILES = ("site.yaml",)
# Dot files and folders, backups (`~`), vim swap files, emacs autosaves (`#…#`) and vim's
# write-test file `4913`: editors make these while saving, and none is part of the site.
IGNORED_NAME = re.compile(r"^\.|~$|\.sw[a-p]$|^#.*#$|^4913$")
# Poll every 40 ms; a build starts once two polls in a row agree (so a burst of saves is one build).
POLL_MS = 40

Snapshot = dict[str, tuple[int, int, int]]  # rel_path -> (mtime_ns, size, inode)


def is_ignored(name: str) -> bool:
    """True for a file or folder name an editor or tool makes in passing."""
    return bool(IGNORED_NAME.search(name))


def scan_sources(source_dir: Path, out_dir: Path | None = None) -> Snapshot:
    """Every watched file under ``source_dir`` with what tells a change, skipping ``out_dir``."""
    snapshot: Snapshot = {}
    skip = out_dir.resolve() if out_dir is not None else None
    for name in WATCHED_FILES:
        _add(snapshot, source_dir / name, name)
    for folder in WATCHED_DIRS:
        for root, dirs, files in os.walk(source_dir / folder):
            root_path = Path(root)
            dirs[:] = sorted(d for d in dirs if not is_ignored(d) and (root_path / d).resolve() != skip)
            for name in files:
                if not is_ignored(name):
                    src_path = root_path / name
                    _add(snapshot, src_path, src_path.relative_to(source_dir).as_posix())
    return snapshot


def _add(snapshot: Snapshot, src_path: Path, rel_path: str) -> None:
    try:
        stat = src_path.stat()
    except OSError:  # gone between listing and looking: a deleted file is simply not in the snapshot
        return
    snapshot[rel_path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class SourceWatcher:
    """Poll the sources; after a burst of changes settles, run ``rebuild`` off the event loop and
    hand its result to ``on_built`` back on the loop. One build at a time; changes made during a
    build start another when it ends."""

    def __init__(
        self,
        source_dir: Path,
        out_dir: Path,
        built: Snapshot,
        rebuild: Callable[[list[str]], object],
        on_built: Callable[[object], None],
    ) -> None:
        self.source_dir, self.out_dir = source_dir, out_dir
        self.seen = self.built = built
        self.rebuild, self.on_built = rebuild, on_built
        self.building = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitegen-build")
        self.periodic = PeriodicCallback(self.poll, POLL_MS)

    def start(self) -> None:
        self.periodic.start()

    def stop(self) -> None:
        """Stop polling and wait for a build in progress, so its output is whole."""
        self.periodic.stop()
        self.executor.shutdown(wait=True, cancel_futures=True)

    def poll(self) -> None:
        current = scan_sources(self.source_dir, self.out_dir)
        if current != self.seen:  # still changing: wait for the next poll to agree
            self.seen = current
            return
        if self.building or current == self.built:
            return
        changed = changed_paths(self.built, current)
        self.built, self.building = current, True
        future = self.executor.submit(self.rebuild, changed)
        IOLoop.current().add_future(future, self._finished)

    def _finished(self, future: Future) -> None:
        self.building = False
        self.on_built(future.result())
