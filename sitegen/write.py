"""Write the rendered site: a few changed files in place, or everything into a folder beside the
output, then swapped in whole.

A build that changes only a few files of an output this generator made (an edited page) replaces
just those, each atomically (written beside it, then renamed over it), under a journal file: a
build killed part-way leaves every file whole, old or new, and the journal, and the next build then
writes the whole folder afresh. Any larger change (a template, a first build, an output left by a
killed update) is written to a new folder and swapped in, so a killed build leaves the previous
output exactly as it was.

Only folders this generator made are ever replaced or removed: each carries a marker file, and an
existing folder without one (holding someone's other files) is refused before anything is written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from .errors import Problem, SiteError, error
from .model import OutputFile
from .search_index import BUNDLE_DIR
from .walk import plain_files

log = logging.getLogger(__name__)

MARKER = ".sitegen-output"
MARKER_TEXT = b"This folder is made by build.py. Every build replaces all of it: do not keep other files here.\n"
JOURNAL = ".sitegen-updating"  # present only while files are replaced in place (see above)
# In place when at most this share of the files change: beyond that (and always on a small site,
# where writing everything is quick) the whole folder is written afresh and swapped in, one step.
IN_PLACE_MAX_SHARE = 0.02
WRITE_THREADS = 4  # folders written at once into a fresh output folder
KEPT = (MARKER, JOURNAL)  # ours, not outputs: never counted as removed


def check_output_dir(out_dir: Path, source_dir: Path) -> list[Problem]:
    """The output folder must not be, hold, or sit inside the site's sources; never the root or home;
    and an existing one must be empty or one this generator made."""
    out, src = out_dir.resolve(), source_dir.resolve()
    inputs = [src / "content", src / "templates", src / "assets", src / "static"]
    for folder in [src] + inputs:
        inside_input = folder in inputs and folder in out.parents
        if out == folder or out in folder.parents or inside_input:
            return [
                error(
                    str(out_dir),
                    0,
                    f"refusing to write the site into {out_dir}: it is or holds {folder.name or folder}",
                    "choose an output folder such as _site",
                )
            ]
    if out == Path(out.anchor) or out == Path.home().resolve():
        return [error(str(out_dir), 0, "refusing to use this folder for output", "choose a folder such as _site")]
    return _foreign_folder_problems(out_dir, out)


def _foreign_folder_problems(out_dir: Path, out: Path) -> list[Problem]:
    if out.exists() and not out.is_dir():
        return [
            error(str(out_dir), 0, "refusing to write the site here: it is a file", "choose a folder such as _site")
        ]
    if is_foreign(out):
        return [
            error(
                str(out_dir),
                0,
                "refusing to write the site into a folder that holds other files: a build replaces the whole "
                f"folder, and it has no {MARKER} file saying the generator made it",
                "choose a new or empty folder; if it is an old build, delete it yourself first",
            )
        ]
    return []


def is_foreign(folder: Path) -> bool:
    """True for an existing, non-empty folder that this generator did not make."""
    try:
        return any(True for _ in folder.iterdir()) and not (folder / MARKER).is_file()
    except (FileNotFoundError, NotADirectoryError):
        return False


def _safe_target(root: Path, output_path: str) -> Path:
    pure = PurePosixPath(output_path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"output path escapes the output folder: {output_path}")
    return root.joinpath(*pure.parts)


def write_output(outputs: list[OutputFile], out_dir: Path, finish: Callable[..., None] | None = None) -> None:
    """Write every file to ``out_dir``: in place when only a few files change, else into a fresh
    folder next to it, swapped in. A file whose bytes equal the previous output's (a folder we
    made: it has the marker) is kept (in place) or hard-linked from it (a fresh folder).

    ``finish(folder, previous, changed)`` runs once every file is in ``folder`` (the search index:
    search_index.py); ``previous`` is the old output when its HTML files are exactly the new ones,
    else None; ``changed`` names the files an in-place update wrote or removed (else None). If it
    raises, a fresh folder goes and the old output stays; an in-place update keeps its journal, so
    the next build writes everything afresh. A build killed at any point leaves whole files; the
    next build removes what a killed one left beside the output (only folders carrying the marker)."""
    out_dir = out_dir.resolve()
    if is_foreign(out_dir):  # checked before the build too: this guards against a race
        raise FileExistsError(f"{out_dir} holds files the generator did not make")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    previous = out_dir if (out_dir / MARKER).is_file() and not out_dir.is_symlink() else None
    plan = _small_update(outputs, previous) if previous is not None else None
    if plan is not None:
        _update_in_place(previous, plan, finish)
        return
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        changed = _write_files(outputs, staging, previous)
        if finish is not None:
            # an update left unfinished (its journal is there) may not have brought the index up to date
            whole = previous is not None and not (previous / JOURNAL).exists()
            same_html = whole and _same_html(outputs, changed, previous)
            finish(staging, previous if same_html else None, None)
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        _remove_ours(staging)
        raise


def write_changed(outputs: list[OutputFile], out_dir: Path, journal_ours: bool = False) -> set[str] | None:
    """Replace just ``outputs`` in ``out_dir``, each atomically, under the journal, for a caller
    that knows nothing else differs from the folder's files (the preview's quick edits,
    edit_path.py); returns the output paths written. The caller completes the update
    (``complete_update``: the search index, then the journal goes). ``journal_ours``: a journal
    there is the caller's own, of updates still being completed (LateUpdates), and is added to.
    None, with nothing written, when the folder is not one a build of ours left whole or a file
    cannot be put in place: build it all then."""
    out_dir = out_dir.resolve()
    if out_dir.is_symlink() or not (out_dir / MARKER).is_file():
        return None
    if (out_dir / JOURNAL).exists() and not journal_ours:
        return None
    if not all(_fits(out_dir, item.output_path) for item in outputs):
        return None
    _replace_files(out_dir, outputs, [])
    return {item.output_path for item in outputs}


class LateUpdates:
    """The preview's search index, brought up to date after quick edits on a thread of its own, so
    open pages reload without waiting for Pagefind and a save made meanwhile need not wait either:
    the pages changed by then are indexed in one go. The journal stays until the index has caught
    up (a preview stopped before then leaves it, and the next build writes a fresh folder). Quick
    edits write under ``lock``; a whole build first waits for the index (``wait``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.caught_up = threading.Event()
        self.caught_up.set()
        self.pending: set[str] = set()
        self.out_dir: Path | None = None
        self.finish: Callable[..., None] | None = None
        self.failed = False  # the last catch-up failed: its journal stays, the next build is whole

    def journal_ours(self, out_dir: Path) -> bool:
        """Whether a journal in ``out_dir`` is one this object will remove (call under ``lock``)."""
        return not self.failed and self.out_dir == out_dir.resolve() and not self.caught_up.is_set()

    def add(self, out_dir: Path, finish: Callable[..., None] | None, paths: set[str]) -> None:
        """Index ``paths`` (just written under the journal) later; call under ``lock``."""
        self.out_dir, self.finish = out_dir.resolve(), finish
        self.pending |= paths
        if self.caught_up.is_set():
            self.failed = False
            self.caught_up.clear()
            threading.Thread(target=self._catch_up, name="sitegen-search", daemon=True).start()

    def wait(self) -> None:
        self.caught_up.wait()

    def _catch_up(self) -> None:
        while True:
            with self.lock:
                paths, self.pending, finish, out_dir = self.pending, set(), self.finish, self.out_dir
                if not paths:
                    (out_dir / JOURNAL).unlink(missing_ok=True)
                    self.caught_up.set()
                    return
            try:
                if finish is not None:
                    finish(out_dir, None, paths)
            except Exception as exc:  # noqa: BLE001 - the preview keeps serving; it says what failed
                _log_late_failure(exc)
                with self.lock:
                    self.failed, self.pending = True, set()
                    self.caught_up.set()
                return


def _log_late_failure(exc: Exception) -> None:
    if isinstance(exc, SiteError):
        for problem in exc.problems:
            log.error("%s", problem.format())
    else:
        log.error("Updating the search index crashed (a bug in the site generator).", exc_info=exc)
    log.error("The search index was not brought up to date after that change; the next build redoes it.")


def _small_update(outputs: list[OutputFile], out_dir: Path) -> tuple[list, list] | None:
    """(outputs to write, output paths to remove) when few files differ from ``out_dir``'s, whose
    files are whole (no journal left by a killed update); None when the folder is to be redone."""
    if (out_dir / JOURNAL).exists():
        return None
    old = _listing(out_dir)
    if old is None:
        return None
    limit = int(len(outputs) * IN_PLACE_MAX_SHARE)
    changed = []
    for item in outputs:
        size = old.get(PurePosixPath(item.output_path).as_posix())
        if size != len(item.content) or _safe_target(out_dir, item.output_path).read_bytes() != item.content:
            changed.append(item)
            if len(changed) > limit:
                return None
    new_paths = {PurePosixPath(o.output_path).as_posix() for o in outputs}
    removed = sorted(path for path in old if path not in new_paths)
    if len(changed) + len(removed) > limit or not all(_fits(out_dir, item.output_path) for item in changed):
        return None
    return changed, removed


def _fits(out_dir: Path, output_path: str) -> bool:
    """Whether a file can be put at ``output_path`` as things stand: nothing but a plain file
    there, and nothing but folders above it (else a fresh folder sorts it out)."""
    target = _safe_target(out_dir, output_path)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return False
    folder = target.parent
    while folder != out_dir:
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return False
        folder = folder.parent
    return True


def _listing(out_dir: Path) -> dict[str, int] | None:
    """{output path: size} of every plain file outside the search bundle; None if a link is found."""
    found = plain_files(str(out_dir), skip=frozenset({BUNDLE_DIR}))
    return None if found is None else {path: stat.st_size for path, stat in found if path not in KEPT}


def _update_in_place(out_dir: Path, plan: tuple[list, list], finish) -> None:
    """Replace the changed files and remove the gone ones under the journal; then ``finish``."""
    changed, removed = plan
    if not changed and not removed:
        if finish is not None:
            finish(out_dir, out_dir, set())
        return
    _replace_files(out_dir, changed, removed)
    complete_update(out_dir, finish, {o.output_path for o in changed} | set(removed))


def _replace_files(out_dir: Path, changed: list[OutputFile], removed: list[str]) -> None:
    """Write the journal naming every file about to change, then replace and remove them."""
    with open(out_dir / JOURNAL, "a", encoding="utf-8") as journal:  # added to while LateUpdates catch up
        journal.write("".join(f"{path}\n" for path in [o.output_path for o in changed] + removed))
    for item in changed:
        target = _safe_target(out_dir, item.output_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.parent / f".{target.name}.sitegen-new"
        partial.write_bytes(item.content)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    for output_path in removed:
        target = _safe_target(out_dir, output_path)
        target.unlink(missing_ok=True)
        _remove_empty_folders(target.parent, out_dir)


def complete_update(out_dir: Path, finish, paths: set[str]) -> None:
    """An in-place update's last step: ``finish`` over the ``paths`` written or removed, then the
    journal goes (if ``finish`` raises it stays, and the next build writes a fresh folder)."""
    if finish is not None:
        same_html = not any(path.endswith(".html") for path in paths)
        finish(out_dir, out_dir if same_html else None, paths)
    (out_dir / JOURNAL).unlink()


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty
        folder = folder.parent


def _write_files(outputs: list[OutputFile], staging: Path, previous: Path | None) -> set[str]:
    """Put every output in ``staging``; return the output paths not linked unchanged from ``previous``.
    Folders are written on a few threads at once (the time goes in system calls, which run in
    parallel; on a disk where making a folder takes a millisecond that adds up over thousands)."""
    by_folder: dict[Path, list[tuple[Path, OutputFile]]] = {}
    for item in sorted(outputs, key=lambda o: o.output_path):
        target = _safe_target(staging, item.output_path)
        by_folder.setdefault(target.parent, []).append((target, item))

    def write_folder(folder: Path) -> set[str]:
        folder.mkdir(parents=True, exist_ok=True)
        written = set()
        for target, item in by_folder[folder]:
            if previous is None or not _link_unchanged(_safe_target(previous, item.output_path), item.content, target):
                target.write_bytes(item.content)
                written.add(item.output_path)
        return written

    folders = list(by_folder)
    if len(folders) < WRITE_THREADS * 4:
        return set().union(*map(write_folder, folders))
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        return set().union(*pool.map(write_folder, folders))


def _link_unchanged(old: Path, content: bytes, target: Path) -> bool:
    """Hard-link ``old`` at ``target`` if it is a plain file holding exactly ``content``."""
    try:
        if not old.is_file() or old.is_symlink() or old.stat().st_size != len(content):
            return False
        if old.read_bytes() != content:
            return False
        os.link(old, target)
    except OSError:
        return False  # another file system, or links not allowed: write it instead
    return True


def _same_html(outputs: list[OutputFile], changed: set[str], previous: Path) -> bool:
    """True when the new HTML files are exactly the previous output's (names and bytes)."""
    new_html = {o.output_path for o in outputs if o.output_path.endswith(".html")}
    if new_html & changed:
        return False
    old_html = {p.relative_to(previous).as_posix() for p in previous.rglob("*.html") if p.is_file()}
    return old_html == new_html


def _remove_ours(folder: Path) -> None:
    """Remove ``folder`` only if it is a real folder carrying our marker."""
    if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
        shutil.rmtree(folder, ignore_errors=True)
    elif folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _remove_leftovers(out_dir: Path) -> None:
    for prefix in (f".{out_dir.name}.new-", f".{out_dir.name}.old-"):
        for leftover in out_dir.parent.glob(prefix + "*"):
            _remove_ours(leftover)


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` at ``out_dir``; the old output (ours: checked) is removed afterwards."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if exchange(staging, out_dir):
        _remove_ours(staging)  # now holds the previous output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    _remove_ours(old)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0
