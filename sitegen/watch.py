"""Watch a site's sources and ask for a rebuild after each burst of saves, browser or no browser.

python-livereload's own watcher looks every 0.8 s, ignores changes within 3 s of the last reload and
acts only while a browser is connected (lepture/python-livereload issue 109). The preview needs a
rebuild after every save, quickly, even with no page open, so it watches here and uses livereload
only to tell open pages to reload (livereload_adapter.py). What a build does is preview_build.py's.

The watcher waits on the operating system (inotify, through `watchfiles`' Rust `notify` binding)
instead of looking at every file, so an idle preview costs almost nothing at any site size. Two
waits, each on a daemon thread that hands its batches to the event loop:
- the site folder itself, not recursively: site.yaml, and a watched folder made, removed or moved
  (static/ is optional and may appear later), never `.venv/`, `.git/`, `.cache/` or the output;
- content/, templates/, assets/ and static/ (those that exist), recursively: folders made inside
  them later are watched too. It is remade whenever one of those four appears or is replaced.
Names walk.is_ignored skips (editors' temp files) and anything inside the output folder start no
build. If the system refuses (the inotify limit reached, say), the watcher says so in one line and
scans every 40 ms instead (`scan_sources`). Limits of the OS's events, not of the scan: a folder
made after the inotify watch limit was reached is not watched (notify says nothing), and an edit to
the target of a symbolic link to a single file is not seen (a linked folder is watched through).
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Generic, TypeVar

from tornado.ioloop import IOLoop, PeriodicCallback
from watchfiles import Change

# watchfiles' documented Rust backend, used directly (the pinned version) so that a refused watch
# raises in start(), on the event loop, and the watches are in place before start() returns.
from watchfiles._rust_notify import RustNotify

from .walk import is_ignored

log = logging.getLogger(__name__)

# What an editor changes: site.yaml and these folders under the site folder, less the names the
# loader skips too (walk.is_ignored: editors' temp files), so saving one starts no build.
WATCHED_DIRS = ("content", "templates", "assets", "static")
WATCHED_FILES = ("site.yaml",)
# A batch of OS events ends once 50 ms pass with no new one (STEP_MS; an idle wait wakes that
# often, for microseconds), or 1 s after its first event during a longer burst (DEBOUNCE_MS).
# Batches from both waits within 50 ms of each other (SETTLE_S) make one build. So a burst of saves,
# or an editor's rename-aside-then-write, is one build, started about 0.1-0.15 s after the last save.
STEP_MS = 50
DEBOUNCE_MS = 1000
SETTLE_S = 0.05
# The fallback: look every 40 ms (about 1 ms of work for a 50-file site, most of a core at 10,000).
POLL_MS = 40

Snapshot = dict[str, tuple[int, int, int]]  # rel_path -> (mtime_ns, size, inode)
Outcome = TypeVar("Outcome")
Batch = set[tuple[int, str]]  # (watchfiles.Change, absolute path) as notify reports them
FolderIds = dict[str, tuple[int, int]]  # watched folder name -> (device, inode)


def scan_sources(source_dir: Path, out_dir: Path | None = None) -> Snapshot:
    """Every watched file under ``source_dir`` with what tells a change, skipping ``out_dir``.
    Sticks to strings and os.scandir (about 1 ms for a 50-file site)."""
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
        info = os.stat(src_path)
    except OSError:  # gone between listing and looking: a deleted file is simply not in the snapshot
        return
    snapshot[rel_path] = (info.st_mtime_ns, info.st_size, info.st_ino)


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def watched_folders(source_dir: Path) -> FolderIds:
    """The watched folders that exist now, each with what tells it from a new one of the same name."""
    found: FolderIds = {}
    for name in WATCHED_DIRS:
        try:
            info = os.stat(os.path.join(source_dir, name))
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            found[name] = (info.st_dev, info.st_ino)
    return found


class _Notifier:
    """One OS watch (RustNotify) and the daemon thread that waits on it, handing each batch of
    events to ``deliver`` and an error to ``failed``. Raises OSError or RuntimeError if the
    system refuses the watch (FileNotFoundError: a path is gone)."""

    def __init__(
        self,
        paths: list[str],
        recursive: bool,
        deliver: Callable[[Batch], None],
        failed: Callable[[Exception], None],
    ) -> None:
        self.deliver, self.failed = deliver, failed
        self.stop_event = threading.Event()
        # paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied (a folder
        # nobody may read is the build's to report, as the scan would skip it)
        self.notify = RustNotify(paths, False, False, POLL_MS, recursive, True)
        self.thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while not self.stop_event.is_set():
                batch = self.notify.watch(DEBOUNCE_MS, STEP_MS, 0, self.stop_event)
                if isinstance(batch, set) and not self.stop_event.is_set():
                    self.deliver(batch)
        except Exception as exc:  # noqa: BLE001 - the watcher falls back to scanning, never dies
            if not self.stop_event.is_set():
                self.failed(exc)
        finally:
            self.notify.close()

    def close(self) -> None:
        """Stop waiting (within STEP_MS) and wait for the thread to end."""
        self.stop_event.set()
        if self.thread is not threading.current_thread():
            self.thread.join()

    def close_soon(self) -> None:
        """Stop waiting, without waiting for the thread (close() it later)."""
        self.stop_event.set()


class SourceWatcher(Generic[Outcome]):
    """Watch the sources; once a burst of changes settles, run ``rebuild`` (with the changed paths,
    relative to the site, sorted) off the event loop and hand its result to ``on_built`` back on the
    loop. One build at a time; changes made during a build start another when it ends. ``built`` is
    a snapshot taken before the last build: what changed since is built once the watcher starts."""

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
        self.pending: set[str] = set()
        self.known = set(built)  # the files there at the last build: one gone since is a change
        self.settle: object | None = None  # the IOLoop timeout that starts the next build
        self.root = os.path.realpath(source_dir)
        self.skip = os.path.realpath(out_dir)
        self.top: _Notifier | None = None  # the site folder, not recursive
        self.tree: _Notifier | None = None  # the watched folders, recursive
        self.tree_folders: FolderIds = {}
        self.periodic: PeriodicCallback | None = None  # only when scanning instead
        self.loop: IOLoop | None = None

    @property
    def mode(self) -> str:
        """How the watcher learns of saves: 'os events' or 'scanning'."""
        return "scanning" if self.periodic is not None else "os events"

    def start(self) -> None:
        self.loop = IOLoop.current()
        try:
            self.top = _Notifier([self.root], False, self._deliver_top, self._failed)
            self._watch_tree()
        except (OSError, RuntimeError) as exc:  # RuntimeError: watchfiles' WatchfilesRustInternalError
            self._fall_back(exc, started=False)
            return
        # The watches are in place: what was saved since ``built`` (during the first build) is built now.
        self._note(changed_paths(self.built, scan_sources(self.source_dir, self.out_dir)))

    def stop(self) -> None:
        """Stop watching and wait for a build in progress, so its output is whole."""
        self.stopped = True
        if self.periodic is not None:
            self.periodic.stop()
        self._close_notifiers()
        self.executor.shutdown(wait=True, cancel_futures=True)

    # -- on the notifier threads: turn OS events into site paths, hand them to the loop --

    def _deliver_top(self, batch: Batch) -> None:
        names = {os.path.basename(path) for _, path in batch}
        files = {name for name in names if name in WATCHED_FILES}
        refresh = any(name in WATCHED_DIRS for name in names)
        if files or refresh:
            self.loop.add_callback(self._on_changes, files, refresh)

    def _deliver_tree(self, batch: Batch) -> None:
        paths = self.site_paths(batch)
        if paths:
            self.loop.add_callback(self._on_changes, paths, False)

    def _failed(self, exc: Exception) -> None:
        try:
            self.loop.add_callback(self._fall_back, exc)
        except RuntimeError:  # the loop has closed: nothing is watching any more
            pass

    def site_paths(self, batch: Iterable[tuple[int, str]]) -> set[str]:
        """The site-relative paths of a batch, less ignored names and the output folder. A folder
        made (or moved in) stands for the files in it; a folder's own metadata is no change."""
        found: set[str] = set()
        prefix = self.root + os.sep
        for change, path in batch:
            if not path.startswith(prefix):
                continue
            rel_path = path[len(prefix) :].replace(os.sep, "/")
            if is_ignored(rel_path) or self._in_output(path):
                continue
            if change != Change.deleted and os.path.isdir(path) and not os.path.islink(path):
                if change == Change.added:  # its files, in case some came before its watch
                    found.update(_files_in(path, rel_path, self.skip))
                continue
            found.add(rel_path)
        return found

    def _in_output(self, path: str) -> bool:
        skip = self.skip
        if path == skip or path.startswith(skip + os.sep):
            return True
        real = os.path.realpath(path)  # the output reached through a symbolic link
        return real == skip or real.startswith(skip + os.sep)

    # -- on the event loop --

    def _watch_tree(self) -> set[str]:
        """Watch the watched folders that exist now, if that changed; return the paths that
        changed with it: every file of a folder that appeared, the name of one that went."""
        for attempt in range(3):
            folders = watched_folders(self.source_dir)
            if folders == self.tree_folders:
                return set()
            paths = [os.path.join(self.root, name) for name in folders]
            try:
                new = _Notifier(paths, True, self._deliver_tree, self._failed) if paths else None
                break
            except FileNotFoundError:  # a folder went while we looked: look again
                if attempt == 2:
                    raise
        old, self.tree, before = self.tree, new, self.tree_folders
        self.tree_folders = folders
        if old is not None:  # after the new one is in place, so nothing falls between the two
            old.close()
        changed = {name for name in before if before[name] != folders.get(name)}
        for name, ident in folders.items():
            if before.get(name) != ident:
                changed.update(_files_in(os.path.join(self.root, name), name, self.skip))
        return changed

    def _on_changes(self, paths: set[str], refresh: bool) -> None:
        if self.stopped or self.periodic is not None:
            return
        if refresh:
            try:
                paths = paths | self._watch_tree()
            except (OSError, RuntimeError) as exc:
                self._fall_back(exc)
                return
        self._note(paths)

    def _note(self, paths: Iterable[str]) -> None:
        """Remember changed paths; build once no more arrive for SETTLE_S."""
        self.pending.update(paths)
        if not self.pending or self.stopped:
            return
        if self.settle is not None:
            self.loop.remove_timeout(self.settle)
        self.settle = self.loop.call_later(SETTLE_S, self._build_pending)

    def _build_pending(self) -> None:
        self.settle = None
        if self.stopped or self.building or not self.pending:
            return
        changed, self.pending = sorted(self.pending), set()
        # A file made and removed again since the last build (a tool's temporary file) is no change.
        there = {path for path in changed if os.path.lexists(os.path.join(self.root, path))}
        changed = [path for path in changed if path in there or self._was_there(path)]
        for path in changed:
            if path not in there:  # gone: so is whatever it held
                self.known = {known for known in self.known if known != path and not known.startswith(path + "/")}
        self.known.update(there)
        if not changed:
            return
        self.building = True
        future = self.executor.submit(self.rebuild, changed)
        self.loop.add_future(future, self._finished)

    def _was_there(self, path: str) -> bool:
        """Whether ``path`` was a file, or a folder of files, at the last build."""
        return path in self.known or any(known.startswith(path + "/") for known in self.known)

    def _finished(self, future: Future) -> None:
        self.building = False
        if self.stopped:
            return
        self.on_built(future.result())
        if self.settle is None:  # saved during the build and settled since: build again now
            self._build_pending()

    def _close_notifiers(self) -> None:
        notifiers = [n for n in (self.top, self.tree) if n is not None]
        for notifier in notifiers:  # both at once: each ends within STEP_MS
            notifier.close_soon()
        for notifier in notifiers:
            notifier.close()
        self.top = self.tree = None

    # -- the fallback: scan every POLL_MS --

    def _fall_back(self, exc: BaseException, started: bool = True) -> None:
        if self.stopped or self.periodic is not None:
            return
        self._close_notifiers()
        log.warning(
            "The preview cannot use the system's file events (%s: %s), so it scans for saves every %d ms instead.",
            type(exc).__name__,
            exc,
            POLL_MS,
        )
        if started:  # from now on, compare with the sources as they are (``built`` is old news)
            self.seen = self.built = scan_sources(self.source_dir, self.out_dir)
        self.periodic = PeriodicCallback(self.poll, POLL_MS)
        self.periodic.start()

    def poll(self) -> None:
        if self.stopped:
            return
        current = scan_sources(self.source_dir, self.out_dir)
        if current != self.seen:  # still changing: look again shortly
            self.seen = current
            self.loop.call_later(SETTLE_S, self.poll)
            return
        if current == self.built:
            return
        changed = changed_paths(self.built, current)
        self.built = current
        self.pending.update(changed)
        self._build_pending()


def _files_in(folder: str, rel_folder: str, skip: str) -> list[str]:
    """The watched files under ``folder`` (a folder made while watching), as site paths."""
    snapshot: Snapshot = {}
    _scan_folder(snapshot, folder, rel_folder, skip)
    return list(snapshot)
