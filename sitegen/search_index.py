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

import functools
import importlib.metadata
import json
import math
import os
import shutil
import subprocess
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import SiteError, error
from .page_types import SEARCH, page_type
from .walk import plain_files

BUNDLE_DIR = "pagefind"  # under the output folder: /pagefind/pagefind-ui.js and the index
MORE_DIR = "more"  # /pagefind/more/1/ ...: the index's further parts on a large site
# Pages a part of the index: Pagefind re-indexes a part at a time (an edit costs one part, not the
# site), and its memory grows with a part's pages (about 1.8 GB for 10,000 pages in one).
PAGES_PER_PART = 500
# A part's pages are named to Pagefind in one --glob argument ("{a/index.html,b/index.html}"), which
# Linux caps at 128 KiB; paths with glob characters, or too many bytes, are linked into a folder.
PARALLEL_PARTS = os.cpu_count() or 1  # parts indexed at once (each a Pagefind process)
GLOB_SPECIAL, GLOB_MAX_BYTES = frozenset("{}[]*?,\\!"), 100_000
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
    if not any(page.template == SEARCH for page in site.pages):
        return None
    return functools.partial(index_search, pages=searchable_paths(site))


def searchable_paths(site) -> tuple[str, ...]:
    """Output paths of the pages in the search (their type is ``searchable``: data-pagefind-body)."""
    return tuple(sorted(page.output_path for page in site.pages if page_type(page.template).searchable))


def index_parts(pages: tuple[str, ...]) -> list[list[str]]:
    """The pages split into the index's parts: one part up to PAGES_PER_PART pages, then as many
    as it takes. A page's part depends only on its path and the number of parts, so an edit to
    one page re-indexes one part. (Never an empty part: Pagefind needs a page to index.)"""
    count = max(1, math.ceil(len(pages) / PAGES_PER_PART))
    while True:
        parts: list[list[str]] = [[] for _ in range(count)]
        for path in pages:
            parts[part_of(path, count)].append(path)
        if count == 1 or all(parts):
            return parts
        count -= 1


def part_of(path: str, count: int) -> int:
    return zlib.crc32(path.encode("utf-8")) % count


def more_bundles(pages: tuple[str, ...]) -> tuple[str, ...]:
    """Site paths of the index parts after the first (the search UI merges them), e.g.
    ("/pagefind/more/1/", ...); none for a site small enough for one index."""
    return tuple(f"/{BUNDLE_DIR}/{MORE_DIR}/{n}/" for n in range(1, len(index_parts(pages))))


def index_search(
    folder: Path, previous: Path | None = None, changed: set[str] | None = None, pages: tuple[str, ...] | None = None
) -> None:
    """Write the search index and UI into ``folder/pagefind/``; a failure is a SiteError.
    ``previous``: an earlier output whose HTML files are byte for byte the ones in ``folder``
    (write.py checks), so its index, made by this Pagefind version, is kept or linked instead of
    redone. ``changed``: after an in-place update, the output paths it wrote or removed, so only
    their parts of the index are redone. ``pages``: the output paths of the pages to index (all
    HTML files when not given). Each part is made beside the old one and then put in its place."""
    bundle = folder / BUNDLE_DIR
    if not (pages if pages is not None else any(folder.rglob("*.html"))):
        if bundle.is_dir() and not bundle.is_symlink():
            shutil.rmtree(bundle)  # an in-place update to a site with nothing left to search
        return  # nothing to index (Pagefind would fail on a site without pages)
    current = _index_version(bundle) == installed_version() and not bundle.is_symlink()
    if previous is not None and previous.resolve() == folder.resolve():
        if current:
            return  # an in-place update that changed no page: the index there is still right
    elif previous is not None and reuse_index(previous / BUNDLE_DIR, bundle):
        return
    parts = index_parts(pages) if pages is not None else [[]]
    if len(parts) == 1:
        _index_part(folder, None, bundle, keep=())
        return
    more = bundle / MORE_DIR
    had = 1 + sum(1 for p in more.iterdir() if p.is_dir()) if current and more.is_dir() else 0
    todo = set(range(len(parts)))
    if had == len(parts) and changed is not None and previous is None and bundle.is_dir():
        todo = {part_of(path, len(parts)) for path in changed if path.endswith(".html")}
    if 0 in todo and not _index_part(folder, parts[0], bundle, keep=(MORE_DIR,)):
        todo = set(range(len(parts)))  # the other parts went with the old folder: make them all
    rest = sorted(todo - {0})
    with ThreadPoolExecutor(max(1, min(PARALLEL_PARTS, len(rest)))) as pool:  # Pagefind runs, not Python
        done = [pool.submit(_index_part, folder, parts[n], more / str(n), ()) for n in rest]
        for future in done:
            future.result()  # a Pagefind failure is raised here
    for extra in sorted(more.iterdir()) if more.is_dir() else ():
        if not (extra.name.isdigit() and 0 < int(extra.name) < len(parts)):
            shutil.rmtree(extra)  # a part the index no longer has


def _index_part(folder: Path, pages: list[str] | None, target: Path, keep: tuple[str, ...]) -> bool:
    """Index ``pages`` of ``folder`` (all its pages when None) into ``target``. Pagefind reads only a
    part's pages: named in a glob, or else linked into a folder of their own."""
    fresh = folder / f".{BUNDLE_DIR}-new-{os.getpid()}-{target.name}"
    shutil.rmtree(fresh, ignore_errors=True)
    chosen = _glob_of(pages) if pages is not None else []
    site = _linked(folder, pages, target.name) if pages is not None and not chosen else folder
    command = [*pagefind_command(), "--site", ".", *chosen, "--output-path", str(fresh), "--silent"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        try:
            run = subprocess.run(
                command, cwd=site, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        finally:
            if site != folder:
                shutil.rmtree(site, ignore_errors=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SiteError([error("requirements.txt", None, f"Pagefind could not run: {exc}", INSTALL_HINT)]) from exc
    if run.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        said = " ".join((run.stderr or run.stdout).split())[:500] or f"exit status {run.returncode}"
        raise SiteError([error("requirements.txt", None, f"Pagefind failed to index the site: {said}", INSTALL_HINT)])
    return _put_in_place(fresh, target, keep)


def _glob_of(pages: list[str]) -> list[str]:
    """Pagefind's ``--glob`` option naming exactly ``pages``, or [] when their paths hold a character
    a glob gives a meaning to, or are too long for one argument: then the pages are linked."""
    if any(GLOB_SPECIAL.intersection(path) for path in pages):
        return []
    pattern = pages[0] if len(pages) == 1 else "{" + ",".join(pages) + "}"
    return ["--glob", pattern] if len(pattern.encode("utf-8")) < GLOB_MAX_BYTES else []


def _linked(folder: Path, pages: list[str], name: str) -> Path:
    """A folder beside the pages holding hard links to ``pages`` at the same paths under it."""
    linked = folder / f".{BUNDLE_DIR}-pages-{os.getpid()}-{name}"
    shutil.rmtree(linked, ignore_errors=True)
    made = set()
    for path in pages:
        target = linked / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(folder / path, target)
        except OSError:
            shutil.copyfile(folder / path, target)
    return linked


def _put_in_place(fresh: Path, bundle: Path, keep: tuple[str, ...] = ()) -> bool:
    """Make ``bundle`` hold exactly what ``fresh`` holds, then remove ``fresh``. An existing index
    is brought up to date rather than replaced: Pagefind names most of its files by their content,
    so after an edit few differ, and only those are written or removed (removing thousands of old
    files costs seconds on some disks). New files go in first and the entry file last, so the
    index there stays whole while it changes. Folders named in ``keep`` (the other parts of the
    index) are left alone; False when they are gone (a link inside: the folder was replaced)."""
    if bundle.is_symlink():
        bundle.unlink()
    if not bundle.is_dir():
        bundle.parent.mkdir(parents=True, exist_ok=True)
        fresh.rename(bundle)
        return not keep
    new = _bundle_files(fresh)
    old = _bundle_files(bundle, keep)
    if new is None or old is None:  # a link inside: do not update through it
        shutil.rmtree(bundle)
        fresh.rename(bundle)
        return False
    changed = [
        name
        for name, size in new.items()
        if old.get(name) != size or (fresh / name).read_bytes() != (bundle / name).read_bytes()
    ]
    for name in sorted(changed, key=lambda name: name == ENTRY_FILE):
        target = bundle / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh / name, target)
    gone = sorted(old.keys() - new.keys())
    for name in gone:
        (bundle / name).unlink()
    shutil.rmtree(fresh)  # its files were written a moment ago: removing them is quick
    for folder in sorted({(bundle / name).parent for name in gone}, reverse=True):
        if folder != bundle and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return True


def _bundle_files(folder: Path, keep: tuple[str, ...] = ()) -> dict[str, int] | None:
    """{path under ``folder``: size} of its files, not looking in the folders ``keep`` names; None
    if a symbolic link is found."""
    found = plain_files(str(folder), skip=frozenset(keep))
    return None if found is None else {name: stat.st_size for name, stat in found}


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
