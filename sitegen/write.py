"""Write the rendered site: into a folder beside the output, then swapped in whole.

Only folders this generator made are ever replaced or removed: each carries a marker file, and an
existing folder without one (holding someone's other files) is refused before anything is written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .errors import Problem, error
from .model import OutputFile

MARKER = ".sitegen-output"
MARKER_TEXT = b"This folder is made by build.py. Every build replaces all of it: do not keep other files here.\n"


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


def write_output(
    outputs: list[OutputFile], out_dir: Path, finish: Callable[[Path, Path | None], None] | None = None
) -> None:
    """Write every file to a fresh folder next to ``out_dir``, then swap it in. A file whose bytes
    equal the previous output's (a folder we made: it has the marker) is hard-linked from it.

    ``finish(staging, previous)`` runs on the staging folder once every file is in it, before the
    swap (the search index: search_index.py); ``previous`` is the old output when its HTML files
    are exactly the new ones, else None. If it raises, the staging folder goes and the old output
    stays. A build killed at any point leaves the previous output in place; the next build removes
    what the killed one left beside it (only folders carrying the marker)."""
    out_dir = out_dir.resolve()
    if is_foreign(out_dir):  # checked before the build too: this guards against a race
        raise FileExistsError(f"{out_dir} holds files the generator did not make")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    previous = out_dir if (out_dir / MARKER).is_file() and not out_dir.is_symlink() else None
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        changed = _write_files(outputs, staging, previous)
        if finish is not None:
            same_html = previous is not None and _same_html(outputs, changed, previous)
            finish(staging, previous if same_html else None)
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except BaseException:
        _remove_ours(staging)
        raise


def _write_files(outputs: list[OutputFile], staging: Path, previous: Path | None) -> set[str]:
    """Put every output in ``staging``; return the output paths not linked unchanged from ``previous``."""
    changed, folders = set(), set()
    for item in sorted(outputs, key=lambda o: o.output_path):
        target = _safe_target(staging, item.output_path)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if previous is None or not _link_unchanged(_safe_target(previous, item.output_path), item.content, target):
            target.write_bytes(item.content)
            changed.add(item.output_path)
    return changed


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
    if _exchange(staging, out_dir):
        _remove_ours(staging)  # now holds the previous output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.rename(old)
    staging.rename(out_dir)
    _remove_ours(old)


def _exchange(first: Path, second: Path) -> bool:
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
