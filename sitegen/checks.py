"""Checks over the rendered site. Each returns problems and never raises."""

from __future__ import annotations

import datetime as dt
import posixpath
from urllib.parse import unquote, urlsplit

from .check_inputs import Measured
from .citations import cites, is_unknown_source
from .errors import ERROR, Problem, error, errors_in, warning
from .hints import did_you_mean
from .model import OutputFile, Site
from .page_types import page_type, type_showing
from .readability import hardest_sentence, line_of_sentence
from .render import RenderResult
from .scaffold import check_placeholders
from .search_index import UI_FILES

SOURCES = "content/data/sources.yaml"


def run_checks(
    site: Site,
    rendered: RenderResult,
    outputs: list[OutputFile],
    load_problems: list[Problem],
    today: dt.date,
    measured: Measured,
) -> tuple[list[Problem], dict]:
    """Every check over the rendered site; returns (problems, reading grades by rel_path).
    ``measured`` holds what the checks read of each output (check_inputs.measure_outputs).

    After a load error, pages that failed to render and broken references in the output would be
    knock-ons of the broken data file or page, so those checks wait for a clean load."""
    problems, grades = check_pages(site, measured.texts, today, measured.grades, measured.hardest)
    config = site.config
    problems += check_description("site.yaml", config.description, config.description_line, config)
    if not errors_in(load_problems):
        problems += rendered.failures + check_outputs(site, rendered.links, outputs, measured.parsed)
    return problems, grades


def drop_knock_ons(problems: list[Problem], load_problems: list[Problem]) -> list[Problem]:
    """Without the unknown-source citations a broken sources.yaml causes everywhere."""
    if any(p.rel_path == SOURCES and p.level == ERROR for p in load_problems):
        return [p for p in problems if not is_unknown_source(p)]
    return problems


def check_outputs(site: Site, links: list, outputs: list[OutputFile], parsed: dict) -> list[Problem]:
    """Links and anchors written in Markdown, and every reference in the output HTML."""
    source_urls = {(site.config.site_url(url), fragment) for url, fragment, _, _ in links}
    return check_source_links(site, links, parsed) + check_output_refs(site, parsed, outputs, source_urls)


def output_for(url_path: str, base_path: str, files: set[str]) -> str | None:
    """The output file a site-absolute URL path serves, or None."""
    if not url_path.startswith(base_path):
        return None
    rest = unquote(url_path[len(base_path) :])
    for candidate in (rest + "index.html" if rest.endswith("/") or not rest else rest, rest + "/index.html"):
        if candidate.lstrip("/") in files or (candidate == "index.html" and "index.html" in files):
            return candidate.lstrip("/")
    return None


def check_source_links(site: Site, links: list, parsed: dict) -> list[Problem]:
    """Links written in Markdown: the page and the anchor they point at exist."""
    problems = []
    files = set(parsed)
    unreadable = set(site.unreadable.values())
    for url, fragment, rel_path, line in links:
        if url in unreadable:
            continue
        page = site.pages_by_url.get(url) if url else _page_showing(site, rel_path)
        target = page.output_path if page else output_for(site.config.site_url(url), site.config.base_path, files)
        if target is None:
            problems.append(error(rel_path, line, f"link to a page that does not exist: {url}", "check the address"))
        elif fragment and target in parsed and fragment not in parsed[target].ids:
            where = url or "this page"
            hint = did_you_mean(f"{fragment}", sorted(parsed[target].ids)) or "check the heading's id"
            problems.append(error(rel_path, line, f"link to a missing anchor '#{fragment}' on {where}", hint))
    return problems


def _page_showing(site: Site, rel_path: str):
    """The page a link written in ``rel_path`` appears on: the page itself, or for a data file the
    page whose template is named like it (myths.yaml -> the myths page)."""
    if rel_path.startswith("content/data/"):
        name = type_showing(rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        return next((p for p in site.pages if p.template == name), None)
    return site.pages_by_rel_path.get(rel_path)


def check_output_refs(
    site: Site, parsed: dict, outputs: list[OutputFile], source_urls: set, only: tuple | None = None
) -> list[Problem]:
    """Every local link and asset reference in every output file (``only``: in these) resolves
    (catches template mistakes)."""
    problems = []
    files = {o.output_path for o in outputs} | set(UI_FILES)  # the search step adds these
    origin = {o.output_path: o.source for o in outputs}
    base_path = site.config.base_path
    unreadable = {site.config.site_url(url) for url in site.unreadable.values()}
    resolved: dict = {}  # ref, or (ref, page folder) when it depends on it -> ref_target's answer

    def ref_target(ref: str, page_dir: str):
        """None for a reference not to check here, else (the output file it reaches or None, its fragment)."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("mailto:", "tel:")):
            return None
        path = parts.path or page_dir + "/"
        if parts.path and not path.startswith("/"):
            path = posixpath.normpath(posixpath.join(page_dir, path))
        target = output_for(path, base_path, files)
        if (path, parts.fragment) in source_urls or parts.path.endswith(".md") or path in unreadable:
            return None  # written in Markdown: checked, and reported, at its source line
        return target, parts.fragment

    checked = sorted(parsed.items()) if only is None else [(path, parsed[path]) for path in only]
    for output_path, collector in checked:
        page_dir = posixpath.dirname(site.config.site_url(output_path))
        here = page_dir + "/"  # what a "#fragment" reference reaches: this page (as ref_target finds)
        here_target = output_for(here, base_path, files)
        for ref, line in collector.refs:
            if ref.startswith("#"):  # most references of a page: its own headings, "skip to content"
                skip = (here, ref[1:]) in source_urls or here in unreadable
                found = None if skip else (here_target, ref[1:])
            else:
                # the same reference resolves the same way everywhere unless its path is relative
                key = ref if urlsplit(ref).path.startswith("/") else (ref, page_dir)
                if key not in resolved:
                    resolved[key] = ref_target(ref, page_dir)
                found = resolved[key]
            if found is None:
                continue
            target, fragment = found
            if target is None:
                problems.append(_ref_problem(output_path, line, origin, f"broken link or missing file '{ref}'"))
            elif fragment and target in parsed and fragment not in parsed[target].ids:
                problems.append(_ref_problem(output_path, line, origin, f"link to a missing anchor '{ref}'"))
        for src, line in collector.images_without_alt:
            problems.append(_ref_problem(output_path, line, origin, f"image '{src}' has no alt attribute"))
        for element_id, line, first in collector.duplicate_ids:
            message = f"the id '{element_id}' is used twice (lines {first} and {line})"
            problems.append(_ref_problem(output_path, line, origin, message))
    return problems


def _ref_problem(output_path: str, line: int, origin: dict, message: str) -> Problem:
    return error(
        origin.get(output_path) or output_path,
        0,
        f"{message} in {output_path} line {line}",
        "fix the template or data that makes it",
    )


def check_pages(
    site: Site, page_html: dict, today: dt.date, measured_grades: dict, hardest: dict | None = None
) -> tuple[list[Problem], dict]:
    """Descriptions, review dates and reading grade of each page; returns (problems, grades).
    ``page_html`` is each page's <main>, ``measured_grades`` its reading grade and ``hardest`` its
    hardest sentence when above the band (check_inputs; worked out here when not given)."""
    problems, grades = [], {}
    for page in site.pages:
        found, grade = check_page(page, site.config, today, measured_grades, page_html, hardest)
        problems += found
        if page.template != "404":
            grades[page.rel_path] = grade
    return problems, grades


def check_page(page, config, today: dt.date, grades: dict, page_html: dict, hardest: dict | None = None):
    """One page's part of check_pages: (its problems, its reading grade)."""
    meta = page.meta
    description = meta.get("description", "")
    problems = check_description(page.rel_path, description, getattr(description, "line", 1), config)
    problems += check_placeholders(page)
    if page.template == "404":
        return problems, None
    problems += _review_problems(page, config.review_interval_days, today) + _citation_problems(page)
    grade = grades.get(page.rel_path)
    known = (hardest or {}).get(page.rel_path)
    problems += _grade_problems(page, grade, config, page_html.get(page.rel_path, ""), known)
    return problems, grade


def check_description(rel_path: str, description: str, line: int, config) -> list[Problem]:
    """The one rule for descriptions (pages' and the site's): at most site.yaml's description_max."""
    if len(description) <= config.description_max:
        return []
    message = f"description is {len(description)} characters"
    return [warning(rel_path, line, message, f"search results show about {config.description_max}; shorten it")]


def _grade_problems(page, grade: float | None, config, html: str = "", sentence: str | None = None) -> list[Problem]:
    """A page outside the site's reading-grade band gets a warning saying which way to go; one
    above it points at its hardest sentence."""
    if grade is None:
        return []
    if grade > config.reading_grade_max:
        message = f"reading grade {grade} is above {config.reading_grade_max}"
        hint = "use shorter sentences and plainer words"
        sentence = sentence if sentence is not None else hardest_sentence(html)
        line = line_of_sentence(sentence, page.source_text) if sentence else None
        if line:
            return [warning(page.rel_path, line, message, f"{hint}; the hardest sentence starts on this line")]
    elif grade < config.reading_grade_min:
        message = f"reading grade {grade} is below {config.reading_grade_min}"
        hint = "join very short sentences and list items into full sentences"
    else:
        return []
    return [warning(page.rel_path, page.body_line, message, hint)]


def _citation_problems(page) -> list[Problem]:
    """A guide makes health claims, so one that cites nothing gets a warning."""
    if not page_type(page.template).must_cite or page.meta.get("sources"):
        return []
    texts = [page.body, page.meta.get("summary") or ""] + list(page.meta.get("key_points", []))
    if any(cites(text) for text in texts):
        return []
    hint = "back its claims with citations like [@key] from content/data/sources.yaml; see docs/editing.md section 7"
    return [warning(page.rel_path, page.body_line, "this guide cites no sources", hint)]


def _review_problems(page, interval_days: int, today: dt.date) -> list[Problem]:
    reviewed = page.meta.get("reviewed")
    line = page.meta.line_of("reviewed") if hasattr(page.meta, "line_of") else 1
    if reviewed is None:
        return [
            warning(
                page.rel_path,
                1,
                "no 'reviewed' date",
                "add 'reviewed: YYYY-MM-DD' after checking the page against its sources",
            )
        ]
    due = reviewed + dt.timedelta(days=interval_days)
    if due < today:
        return [
            warning(
                page.rel_path,
                line,
                f"review was due on {due.isoformat()}",
                "check the page against its sources, then update 'reviewed'",
            )
        ]
    return []
