"""The conductor: load -> assemble -> render -> check -> write, one named step a line."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import build_memo, edit_path
from .aliases import alias_outputs
from .assemble import assemble_site
from .cache_store import BuildCache
from .check_inputs import measure_outputs
from .checks import drop_knock_ons, run_checks
from .errors import Problem, SiteError, errors_in, sort_problems
from .images import image_outputs
from .load import (
    draft_pages,
    find_assets,
    find_page_files,
    find_static,
    load_config,
    load_data,
    load_pages,
    load_templates,
)
from .model import Site
from .outputs import resolve_outputs
from .render import render_site
from .search_index import search_step
from .write import check_output_dir, complete_update, write_output


@dataclass(frozen=True)
class BuildOptions:
    source_dir: Path
    out_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    write: bool = True
    jobs: int = 1  # processes for rendering and checks; the command line's default is every core
    use_cache: bool = True  # False: --no-cache, build from nothing and leave the disk cache alone
    cache_dir: Path | None = None  # default: SOURCE/.cache/sitegen


@dataclass
class BuildResult:
    pages: int
    assets: int
    warnings: list[Problem]
    seconds: float
    grades: dict = field(default_factory=dict)
    out_dir: Path | None = None
    notes: list[str] = field(default_factory=list)  # about the build cache: why it was not used
    quick: bool = False  # only edited pages were rebuilt (edit_path.py)


def today() -> dt.date:
    """The date checks compare review dates with; SOURCE_DATE_EPOCH pins it for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def build_site(options: BuildOptions, cache: BuildCache | None = None, progress=None, late=None) -> BuildResult:
    """Build (or with write=False, only check) a site. Raises SiteError with every problem found.
    ``cache`` is kept across builds by the preview; otherwise each build opens the one on disk.
    ``late`` (the preview's write.LateUpdates): a quick edit leaves its search index to it."""
    started = time.perf_counter()
    keep = cache is not None and options.write  # the preview: it keeps its last build for quick edits
    source_dir = options.source_dir.resolve()
    out_dir = (options.out_dir or source_dir / "_site").resolve()
    problems = check_output_dir(out_dir, source_dir) if options.write else []
    on_disk = options.use_cache and not problems  # a refused build writes nothing, no cache either
    cache = cache if cache is not None else BuildCache.for_site(source_dir, options.cache_dir, on_disk)
    memo = cache.folder if options.write and on_disk and cache.folder is not None else None
    settings = (str(source_dir), str(out_dir), options.base_url, options.drafts, today())
    statuses = build_memo.input_statuses(source_dir) if memo or keep else None
    key = build_memo.inputs_key(source_dir, settings, statuses) if memo else None
    remembered = build_memo.recall(memo, key, out_dir) if memo else None
    if remembered is not None:  # nothing changed since the last build into this folder
        return replace(remembered, seconds=time.perf_counter() - started, notes=[])
    last, cache.last = cache.last, None  # kept again only once this build has succeeded
    if keep and not problems:
        quick = _quick(last, statuses, settings, out_dir, late)
        if quick is not None:  # only pages' text changed: those pages were rebuilt, nothing else
            cache.last = quick
            return replace(_result(quick.site, list(quick.problems), quick.grades, started, out_dir, []), quick=True)
    if late is not None:
        late.wait()  # the search index has caught up with the quick edits before a whole build writes
    cache.begin()
    try:
        result, state = _build(options, (source_dir, out_dir, started), problems, cache, progress)
    finally:
        cache.finish()
    if memo and key == build_memo.inputs_key(source_dir, settings):
        build_memo.remember(memo, key, out_dir, result)
    if keep and state is not None:
        cache.last = edit_path.remember(settings, statuses, *state)
    return result


def _quick(last, statuses: dict | None, settings: tuple, out_dir: Path, late):
    """edit_path.quick_build, its writes completed: now, or by ``late`` (the search index)."""
    with late.lock if late is not None else contextlib.nullcontext():
        quick = edit_path.quick_build(last, statuses, settings, out_dir, late)
        if quick is None:
            return None
        state, written = quick
        if written and late is not None:
            late.add(out_dir, search_step(state.site), written)
    if written and late is None:
        complete_update(out_dir, search_step(state.site), written)
    return state


def _result(site: Site, problems: list, grades: dict, started: float, out_dir: Path | None, notes: list) -> BuildResult:
    return BuildResult(
        pages=len(site.pages),
        assets=len(site.assets),
        warnings=problems,
        seconds=time.perf_counter() - started,
        grades=grades,
        out_dir=out_dir,
        notes=notes,
    )


def _build(
    options: BuildOptions, where: tuple, problems: list, cache: BuildCache, progress
) -> tuple[BuildResult, tuple]:
    source_dir, out_dir, started = where
    site, load_problems = load_site(source_dir, options, problems, cache)
    rendered = render_site(site, cache, progress, options.jobs)
    redirects, alias_problems = alias_outputs(site)  # old addresses of moved pages
    redirects += image_outputs(site, cache.folder)  # pictures' resized copies (images.py)
    outputs, clash_problems = resolve_outputs(rendered.outputs + redirects, site.config.static_overrides)
    measured = measure_outputs(site, outputs, cache, options.jobs)
    check_problems, grades = run_checks(site, rendered, outputs, load_problems, today(), measured)
    found = problems + load_problems + rendered.problems + alias_problems + clash_problems + check_problems
    problems = sort_problems(drop_knock_ons(found, load_problems))
    if errors_in(problems):
        raise SiteError(problems)
    cache.finish()  # before writing: once pages appear, the preview's next step follows quickly
    if options.write:
        write_output(outputs, out_dir, finish=search_step(site))  # Pagefind indexes the staging folder
    result = _result(site, problems, grades, started, out_dir if options.write else None, list(cache.notes))
    return result, (site, rendered, outputs, measured, problems, grades)


def load_site(
    source_dir: Path, options: BuildOptions, problems: list[Problem], cache: BuildCache | None = None
) -> tuple[Site, list[Problem]]:
    """Load config, pages, data, assets and static files, and assemble them; raise if there is no
    config. Pages whose files are as they were come from ``cache``, if given."""
    config, config_problems = load_config(source_dir, options.base_url)
    if config is None:
        raise SiteError(problems + config_problems)
    content_dir = source_dir / "content"
    found = find_page_files(content_dir)
    pages, page_problems, unreadable = load_pages(content_dir, options.drafts, cache, found)
    data, data_problems = load_data(content_dir / "data")
    assets, asset_problems = find_assets(source_dir / "assets")
    static, static_problems = find_static(source_dir / "static")
    site, site_problems = assemble_site(config, pages, data, assets, source_dir, options.drafts, unreadable)
    drafts = draft_pages(content_dir, pages, unreadable, found)
    site = replace(site, static=static, templates=load_templates(source_dir / "templates"), draft_pages=drafts)
    found = config_problems + page_problems + data_problems + asset_problems + static_problems + site_problems
    return site, found
