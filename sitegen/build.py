"""The conductor: load -> assemble -> render -> check -> write, one named step a line."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import assemble_site
from .checks import check_output_refs, check_pages, check_source_links, main_text, parse_outputs
from .errors import Problem, SiteError, errors_in, sort_problems
from .load import find_assets, load_config, load_data, load_pages
from .render import RenderCache, render_site
from .write import check_output_dir, write_output


@dataclass(frozen=True)
class BuildOptions:
    source_dir: Path
    out_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    write: bool = True


@dataclass
class BuildResult:
    pages: int
    assets: int
    warnings: list[Problem]
    seconds: float
    grades: dict = field(default_factory=dict)
    out_dir: Path | None = None


def today() -> dt.date:
    """The date checks compare review dates with; SOURCE_DATE_EPOCH pins it for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def build_site(options: BuildOptions, cache: RenderCache | None = None, progress=None) -> BuildResult:
    """Build (or with write=False, only check) a site. Raises SiteError with every problem found."""
    started = time.perf_counter()
    source_dir = options.source_dir.resolve()
    out_dir = (options.out_dir or source_dir / "_site").resolve()
    problems = check_output_dir(out_dir, source_dir) if options.write else []
    config, config_problems = load_config(source_dir, options.base_url)
    problems += config_problems
    if config is None:
        raise SiteError(problems)
    pages, page_problems, unreadable = load_pages(source_dir / "content", drafts=options.drafts)
    data, data_problems = load_data(source_dir / "content" / "data")
    assets = find_assets(source_dir / "assets")
    site, site_problems = assemble_site(config, pages, data, assets, source_dir, options.drafts, unreadable)
    result = render_site(site, source_dir / "templates", cache, progress)
    parsed = parse_outputs(result.outputs)
    source_urls = {(config.base_path + url.lstrip("/"), fragment) for url, fragment, _, _ in result.links}
    page_checks, grades = check_pages(site, main_text(result.outputs, site), today())
    problems += page_problems + data_problems + site_problems + result.problems
    problems += check_source_links(site, result.links, parsed)
    problems += check_output_refs(site, parsed, result.outputs, source_urls)
    problems += page_checks
    problems = sort_problems(problems)
    if errors_in(problems):
        raise SiteError(problems)
    if options.write:
        write_output(result.outputs, out_dir)
    return BuildResult(
        pages=len(site.pages),
        assets=len(site.assets),
        warnings=problems,
        seconds=time.perf_counter() - started,
        grades=grades,
        out_dir=out_dir if options.write else None,
    )
