"""The Jinja environment: strict, autoescaping, with the site's filters, and template errors as problems."""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from .assemble import link_context
from .citations import cite_all, uncited
from .errors import Problem, error
from .markdown_render import MarkdownRenderer
from .model import Site

MONTHS = ("January February March April May June July August September October November December").split()


class MissingAsset(Exception):
    pass


def format_date(value: dt.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def make_env(templates_dir: Path, site: Site) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    url, absolute_url = site.config.site_url, site.config.absolute_url

    def asset(name: str) -> str:
        found = site.assets.get(name)
        if found is None:
            raise MissingAsset(f"missing asset '{name}'")
        return url(found.output_path)

    renderer = MarkdownRenderer()

    def markdown_filter(text, inline: bool = False) -> Markup:
        """Markdown written in a template or site.yaml; links and citations work as in pages."""
        ctx = link_context(site, "templates", str(text), 1)
        rendered = renderer.render(str(text), ctx, site.data.get("sources", {}), inline=inline)
        if rendered.problems:
            raise jinja2.TemplateRuntimeError(rendered.problems[0].message)
        return Markup(rendered.html)

    env.globals.update(url=url, absolute_url=absolute_url, asset=asset, cite_all=cite_all)
    env.filters.update(
        uncited=uncited,
        markdown=markdown_filter,
        date=format_date,
        isodate=lambda d: d.isoformat(),
        url=url,
        absolute_url=absolute_url,
    )
    return env


def compile_templates(env: jinja2.Environment, templates_dir: Path) -> list[Problem]:
    """Load every template once so every syntax error shows up in one run."""
    problems = []
    for name in sorted(env.list_templates()):
        if name.startswith(".") or not name.endswith((".html", ".xml", ".txt")):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            rel_path = f"templates/{exc.name or name}"
            problems.append(
                error(rel_path, exc.lineno, f"template syntax error: {exc.message}", "check the {% %} and {{ }} tags")
            )
    return problems


def is_template_fault(exc: Exception, templates_dir: Path) -> bool:
    """True when a template's own code failed (a Jinja error, a missing asset, or an exception raised
    by template code or a filter it called); False for a bug in the generator's Python."""
    if isinstance(exc, (jinja2.TemplateError, MissingAsset)):
        return True
    root = str(templates_dir.resolve())
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):  # innermost first: skip Jinja's and our filters' own frames
        filename = str(Path(frame.filename).resolve()) if frame.filename else ""
        if filename.startswith(root):
            return True
        if filename == str(Path(__file__).resolve()) or {"jinja2", "markupsafe"} & set(Path(filename).parts):
            continue
        return False
    return False


def template_problem(exc: Exception, templates_dir: Path, page_rel_path: str, fallback: str) -> Problem:
    """Turn an exception raised while rendering into templates/x.html:line: message (while rendering page)."""
    rel_path, line = f"templates/{fallback}", 0
    root = str(templates_dir.resolve())
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(root):
            rel_path = "templates/" + Path(frame.filename).resolve().relative_to(root).as_posix()
            line = frame.lineno or 0
    if isinstance(exc, jinja2.TemplateNotFound):
        return error(rel_path, line, f"template '{exc.name}' not found", f"create templates/{exc.name}")
    if isinstance(exc, jinja2.UndefinedError):
        message = re.sub(
            r"^'[\w .]+ object' has no attribute '([^']+)'$",
            r"the template asks for '\1', which does not exist here",
            exc.message or "undefined value",
        )
        return error(rel_path, line, f"{message} (while rendering {page_rel_path})", "check the variable name")
    if isinstance(exc, MissingAsset):
        return error(rel_path, line, f"{exc} (while rendering {page_rel_path})", "put the file under assets/")
    if isinstance(exc, jinja2.TemplateError):
        return error(rel_path, line, f"{exc} (while rendering {page_rel_path})", "check the template")
    name = type(exc).__name__
    return error(rel_path, line, f"{name}: {exc} (while rendering {page_rel_path})", "check the template")


def json_markup(text: str) -> Markup:
    """JSON safe to place inside a <script> element."""
    return Markup(text.replace("</", "<\\/"))
