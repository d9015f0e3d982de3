"""The no-change shortcut: a build whose inputs are exactly those of the last successful build into
the same output folder, which still holds exactly the files that build left, is not redone.

The inputs key covers every file under site.yaml, content/, templates/, assets/ and static/ (name,
bytes and modification time), the options, the date the checks compare with, the generator's and
libraries' versions and Pagefind's. The output is compared by each file's name, size, modification
time and inode. Any symbolic link among either turns the shortcut off. The record (the key, the
output's listing and the build's warnings and grades) lives in the cache folder; it is remembered
only when the inputs are the same after the build as before it, so an edit during a build is seen."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .cache_store import UNPICKLE_ERRORS, versions
from .search_index import installed_version

FILE_NAME = "last-build.pickle"
INPUTS = ("site.yaml", "content", "templates", "assets", "static")


def inputs_key(source_dir: Path, settings: tuple) -> str | None:
    """A digest of every input file and ``settings``; None when a symbolic link is among them."""
    h = hashlib.sha256(repr((versions(), installed_version(), settings)).encode())
    for name in INPUTS:
        for src_path in _files(source_dir / name):
            if src_path is None:
                return None
            stat = src_path.stat()
            h.update(f"{src_path.relative_to(source_dir).as_posix()}\0{stat.st_mtime_ns}\0".encode())
            h.update(src_path.read_bytes())
    return h.hexdigest()


def output_listing(out_dir: Path) -> dict | None:
    """{output path: (size, mtime, inode)} of every file, or None (no folder, or a link inside)."""
    if not out_dir.is_dir() or out_dir.is_symlink():
        return None
    found = {}
    for path in _files(out_dir):
        if path is None:
            return None
        stat = path.stat()
        found[path.relative_to(out_dir).as_posix()] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return found


def _files(root: Path):
    """Every file under ``root`` (or ``root`` itself), sorted; None for a symbolic link found."""
    if root.is_symlink():
        yield None
    elif root.is_file():
        yield root
    for folder, dirs, files in sorted(os.walk(root)) if root.is_dir() else ():
        for name in sorted(dirs + files):
            path = Path(folder, name)
            if path.is_symlink():
                yield None
            elif name in files and path.is_file():  # not a FIFO or device: reading one could block
                yield path


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
