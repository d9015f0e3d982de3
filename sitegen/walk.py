"""Find a folder's files without leaving the site: a symlink may point anywhere inside it, never out."""

from __future__ import annotations

import os
import re
import stat as stat_module
from pathlib import Path

from .errors import Problem, error

# The one rule for what is never part of the site, used by the loader (walk_files) and the preview's
# watcher alike: a name that starts with a dot (`.git/`, `.DS_Store`, emacs' `.#lock`), a backup
# (`page.md~`), a vim swap file (`.swp` to `.swa`), an emacs autosave (`#page.md#`), or vim's
# write test `4913`, made and deleted while it saves. A folder's rule covers everything in it.
# No page, data file, asset or static file is named like that; `#notes.md` or `_draft.md` still count.
IGNORED = re.compile(r"(^|/)(\.|#[^/]*#$|4913$)|~$|\.sw[a-p]$")
OUTSIDE_HINT = "copy the file in instead"


def is_ignored(rel_path: str) -> bool:
    """True for a name, or a POSIX path relative to the site root, an editor or tool makes in passing."""
    return bool(IGNORED.search(rel_path))


def rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def walk_files(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """Every file under ``folder`` (sorted, ignored names skipped) and a problem for each symlink that
    points outside ``root`` or at nothing. Symlinks inside the site are followed; a loop is walked once."""
    files: list[Path] = []
    problems: list[Problem] = []
    real_root = Path(os.path.realpath(root))
    if not folder.is_dir() and not folder.is_symlink():
        return files, problems
    if _link_problem(folder, root, real_root, problems):
        _visit(folder, root, real_root, files, problems, set())
    return sorted(files), problems


def _visit(folder: Path, root: Path, real_root: Path, files: list, problems: list, seen: set) -> None:
    real = os.path.realpath(folder)
    if real in seen or not os.path.isdir(real):
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(
            error(rel(folder, root), 0, f"cannot read this folder: {exc.strerror}", "check its permissions")
        )
        return
    for entry in entries:
        src_path = Path(entry.path)
        if is_ignored(rel(src_path, root)) or not _link_problem(src_path, root, real_root, problems):
            continue
        if entry.is_dir():
            _visit(src_path, root, real_root, files, problems, seen)
        elif entry.is_file():
            files.append(src_path)


def _link_problem(src_path: Path, root: Path, real_root: Path, problems: list) -> bool:
    """True if ``src_path`` may be used; otherwise adds why not to ``problems``."""
    if not src_path.is_symlink():
        return True
    target = Path(os.path.realpath(src_path))
    rel_path = rel(src_path, root)
    if not target.is_relative_to(real_root):
        problems.append(
            error(rel_path, 0, f"is a symbolic link to {target}, which points outside the site", OUTSIDE_HINT)
        )
        return False
    if not target.exists():
        problems.append(error(rel_path, 0, f"is a symbolic link to {target}, which does not exist", "fix or remove it"))
        return False
    return True


def plain_files(root: str, name: str = "", skip: frozenset = frozenset()) -> list | None:
    """[(path, stat)] of every regular file under the folder ``root`` (or ``root`` itself, a file),
    paths under ``name`` ("" for none), sorted; None when a symbolic link is found. FIFOs and
    devices are left out, as are folders whose path is in ``skip``. For what tells a change (the
    no-change shortcut, the in-place writer), not for what the site is made of (walk_files)."""
    try:
        top = os.lstat(root)
    except FileNotFoundError:
        return []
    if stat_module.S_ISLNK(top.st_mode):
        return None
    if stat_module.S_ISREG(top.st_mode):
        return [(name, top)]
    found, pending = [], [(root, name)]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel_path = f"{prefix}/{entry.name}" if prefix else entry.name
                if entry.is_symlink():
                    return None
                if entry.is_dir():
                    if rel_path not in skip:
                        pending.append((entry.path, rel_path))
                elif entry.is_file():
                    found.append((rel_path, entry.stat()))
    return sorted(found, key=lambda item: item[0])
