"""Site search: Pagefind indexes the finished output, in the staging folder, before it is swapped in.

Pagefind (``pagefind[bin]``, pinned in requirements.txt) is a required part of the build, not an
extra: without it the build fails with a hint. It runs with the staging folder as its working
folder, with no config file of ours or the caller's and no ``PAGEFIND_*`` settings from the
environment, and writes only ``<output>/pagefind/``. It reads pages marked ``data-pagefind-body``
(page types with ``searchable``: base.html), so the 404 and redirect pages stay out of the index.
It needs no network. Not cached apart from this: when every HTML file of the new output is byte for
byte the previous output's (write.py checks), the previous index is hard-linked instead (the same
Pagefind version gives the same bytes for the same pages), so the index always matches the pages."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
from pathlib import Path

from .errors import SiteError, error
from .page_types import SEARCH

BUNDLE_DIR = "pagefind"  # under the output folder: /pagefind/pagefind-ui.js and the index
# What pages link to in the bundle Pagefind adds after the checks ran (checks.check_output_refs).
UI_FILES = (f"{BUNDLE_DIR}/pagefind-ui.js", f"{BUNDLE_DIR}/pagefind-ui.css")
ENTRY_FILE = "pagefind-entry.json"  # what the search UI reads first: written last
INSTALL_HINT = "pip install -r requirements.txt"
TIMEOUT_S = 120


def pagefind_command() -> list[str]:
    """The Pagefind binary that ``pagefind[bin]`` installs, or a SiteError saying how to get it."""
    try:
        from pagefind_bin import get_executable  # the binary's own package; no download, ever
    except ImportError as exc:
        raise SiteError([error("requirements.txt", None, "Pagefind is not installed", INSTALL_HINT)]) from exc
    try:
        executable = get_executable()
    except FileNotFoundError as exc:
        raise SiteError([error("requirements.txt", None, "the Pagefind binary is missing", INSTALL_HINT)]) from exc
    return [str(executable)]


def search_step(site):
    """The write stage's finishing step: index the output when the site has a search page
    (a page of type ``search`` shows Pagefind's UI); a site without one needs no index."""
    return index_search if any(page.template == SEARCH for page in site.pages) else None


def index_search(folder: Path, previous: Path | None = None) -> None:
    """Write the search index and UI into ``folder/pagefind/``; a failure is a SiteError.
    ``previous``: an earlier output whose HTML files are byte for byte the ones in ``folder``
    (write.py checks), so its index, made by this Pagefind version, is kept or linked instead of
    redone. A new index is made beside the old one and then put in its place, so the folder never
    holds half an index."""
    if not any(folder.rglob("*.html")):
        return  # nothing to index (Pagefind would fail on a site without pages)
    bundle = folder / BUNDLE_DIR
    if previous is not None and previous.resolve() == folder.resolve():
        if _index_version(bundle) == installed_version() and not bundle.is_symlink():
            return  # an in-place update that changed no page: the index there is still right
    elif previous is not None and reuse_index(previous / BUNDLE_DIR, bundle):
        return
    fresh = folder / f".{BUNDLE_DIR}-new-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    command = [*pagefind_command(), "--site", ".", "--output-subdir", fresh.name, "--silent"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        run = subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SiteError([error("requirements.txt", None, f"Pagefind could not run: {exc}", INSTALL_HINT)]) from exc
    if run.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        said = " ".join((run.stderr or run.stdout).split())[:500] or f"exit status {run.returncode}"
        raise SiteError([error("requirements.txt", None, f"Pagefind failed to index the site: {said}", INSTALL_HINT)])
    _put_in_place(fresh, bundle)


def _put_in_place(fresh: Path, bundle: Path) -> None:
    """Make ``bundle`` hold exactly what ``fresh`` holds, then remove ``fresh``. An existing index
    is brought up to date rather than replaced: Pagefind names most of its files by their content,
    so after an edit few differ, and only those are written or removed (removing thousands of old
    files costs seconds on some disks). New files go in first and the entry file last, so the
    index there stays whole while it changes."""
    if not bundle.is_dir() or bundle.is_symlink():
        fresh.rename(bundle)
        return
    new = _bundle_files(fresh)
    old = _bundle_files(bundle)
    if new is None or old is None:  # a link inside: do not update through it
        shutil.rmtree(bundle)
        fresh.rename(bundle)
        return
    changed = [name for name in new if name not in old or _differs(fresh / name, bundle / name)]
    for name in sorted(changed, key=lambda name: name == ENTRY_FILE):
        target = bundle / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh / name, target)
    for name in sorted(old.keys() - new.keys()):
        (bundle / name).unlink()
    shutil.rmtree(fresh)  # its files were written a moment ago: removing them is quick
    for folder in sorted({p.parent for p in bundle.rglob("*")}, reverse=True):
        if folder != bundle and not any(folder.iterdir()):
            folder.rmdir()


def _bundle_files(folder: Path) -> dict[str, int] | None:
    """{path under ``folder``: size} of its files; None if a symbolic link is found."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_symlink():
            return None
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = path.stat().st_size
    return found


def _differs(first: Path, second: Path) -> bool:
    return first.stat().st_size != second.stat().st_size or first.read_bytes() != second.read_bytes()


def reuse_index(old: Path, new: Path) -> bool:
    """Hard-link the folder ``old`` (an index of the same pages) at ``new`` if this Pagefind made it."""
    version = installed_version()
    if version is None or new.exists() or old.is_symlink() or not old.is_dir() or _index_version(old) != version:
        return False
    try:
        shutil.copytree(old, new, symlinks=True, copy_function=os.link)
    except (OSError, shutil.Error):
        shutil.rmtree(new, ignore_errors=True)
        return False  # run Pagefind instead
    return True


def _index_version(bundle: Path) -> str | None:
    try:
        entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry.get("version") if isinstance(entry, dict) else None


def installed_version() -> str | None:
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return None
