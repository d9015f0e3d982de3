"""Find a folder's files without leaving the site: a symlink may point anywhere inside it, never out."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import Problem, error

# Dot files and editor temp files (backup~, .swp, #autosave#) are never part of the site.
IGNORED = re.compile(r"(^|/)\.|~$|\.sw[a-p]$|(^|/)#[^/]*#$")
OUTSIDE_HINT = "copy the file in instead"


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
        if IGNORED.search(rel(src_path, root)) or not _link_problem(src_path, root, real_root, problems):
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
