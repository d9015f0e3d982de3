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
    """Put the new index folder at ``bundle`` (in one step where the system can swap two folders);
    the old one is removed."""
    from .write import exchange  # write.py imports this module

    if not bundle.is_dir() or bundle.is_symlink():
        fresh.rename(bundle)
    elif exchange(fresh, bundle):
        shutil.rmtree(fresh, ignore_errors=True)  # now the old index
    else:
        old = bundle.parent / f".{BUNDLE_DIR}-old-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        bundle.rename(old)
        fresh.rename(bundle)
        shutil.rmtree(old, ignore_errors=True)


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
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry.get("version") if isinstance(entry, dict) else None


def installed_version() -> str | None:
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return None
