"""The no-change shortcut: a build whose inputs are exactly those of the last successful build into
the same output folder, which still holds exactly the files that build left, is not redone.

The inputs key covers every file under site.yaml, content/, templates/, assets/ and static/ (name,
size, inode, modification time and status-change time: any write, rename or `touch` changes the
last, which no program can set back, so no file needs reading), the options, the date the checks
compare with, the generator's and libraries' versions and Pagefind's. The output is compared by
each file's name, size, modification time and inode. Any symbolic link among either turns the
shortcut off. The record (the key, the
output's listing and the build's warnings and grades) lives in the cache folder; it is remembered
only when the inputs are the same after the build as before it, so an edit during a build is seen."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .cache_store import UNPICKLE_ERRORS, versions
from .search_index import installed_version
from .walk import plain_files

FILE_NAME = "last-build.pickle"
INPUTS = ("site.yaml", "content", "templates", "assets", "static")


def input_statuses(source_dir: Path) -> dict | None:
    """{path: (size, inode, mtime, ctime)} of every input file, in a fixed order; None when a
    symbolic link is among them. What tells which files changed since an earlier build."""
    statuses = {}
    for name in INPUTS:
        found = plain_files(str(source_dir / name), name)
        if found is None:
            return None
        for rel_path, stat in found:
            statuses[rel_path] = (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns)
    return statuses


def inputs_key(source_dir: Path, settings: tuple, statuses: dict | None = None) -> str | None:
    """A digest of what tells each input file's state (``statuses``: input_statuses, if had),
    and ``settings``; None when a symbolic link is among them."""
    statuses = statuses if statuses is not None else input_statuses(source_dir)
    if statuses is None:
        return None
    h = hashlib.sha256(repr((versions(), installed_version(), settings)).encode())
    for rel_path, (size, inode, mtime, ctime) in statuses.items():
        h.update(f"{rel_path}\0{size}\0{inode}\0{mtime}\0{ctime}\n".encode())
    return h.hexdigest()


def output_listing(out_dir: Path) -> dict | None:
    """{output path: (size, mtime, inode)} of every file, or None (no folder, or a link inside)."""
    if not out_dir.is_dir() or out_dir.is_symlink():
        return None
    found = plain_files(str(out_dir))
    if found is None:
        return None
    return {rel_path: (stat.st_size, stat.st_mtime_ns, stat.st_ino) for rel_path, stat in found}


def recall(folder: Path, key: str | None, out_dir: Path):
    """The result remembered for ``key`` if the output folder is as that build left it, else None."""
    if key is None:
        return None
    try:
        record = pickle.loads((folder / FILE_NAME).read_bytes())
    except (OSError, *UNPICKLE_ERRORS):
        return None
    if not isinstance(record, dict) or record.get("key") != key or record.get("out_dir") != str(out_dir):
        return None
    return record.get("result") if record.get("listing") == output_listing(out_dir) else None


def remember(folder: Path, key: str | None, out_dir: Path, result) -> None:
    """Record ``result`` for ``key`` (written atomically); a failure to write only loses the shortcut."""
    record = {"key": key, "out_dir": str(out_dir), "listing": output_listing(out_dir), "result": result}
    if key is None or record["listing"] is None:
        forget(folder)
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{FILE_NAME}.{os.getpid()}.tmp"
        partial.write_bytes(pickle.dumps(record))
        os.replace(partial, folder / FILE_NAME)
    except OSError:
        forget(folder)


def forget(folder: Path) -> None:
    try:
        (folder / FILE_NAME).unlink(missing_ok=True)
    except OSError:
        pass
