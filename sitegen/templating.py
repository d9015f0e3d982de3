"""The Jinja environment: strict, autoescaping, with the site's filters, and template errors as problems."""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from pathlib import Path

import jinja2
from markupsafe import Markup

from .bodies import link_context
from .citations import cite_all, uncited
from .errors import Problem, error
from .markdown_render import MarkdownRenderer
from .model import Site, TemplateFiles

MONTHS = ("January February March April May June July August September October November December").split()


class MissingAsset(Exception):
    pass


def format_date(value: dt.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


class _LoadedTemplates(jinja2.BaseLoader):
    """Templates from the files read at load time; each keeps its real file name, so a traceback
    (and so a message) points into templates/."""

    def __init__(self, templates: TemplateFiles) -> None:
        self.templates = templates

    def get_source(self, environment: jinja2.Environment, template: str):
        source = self.templates.files.get(template)
        if source is None:
            raise jinja2.TemplateNotFound(template)
        filename = os.path.normpath(os.path.join(str(self.templates.root), *template.split("/")))
        return source.decode("utf-8"), filename, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.templates.files)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in the build cache (kind ``jinja``), so a build compiles
    only templates it has not compiled before: Jinja keys each on the template's name and a
    checksum of its source, and the build cache starts afresh for another generator or library
    version (which is where the environment's options live)."""

    def __init__(self, cache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.cache.get("jinja", f"{bucket.key}:{bucket.checksum}")
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)  # a stale or foreign one is set aside by Jinja itself

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put("jinja", f"{bucket.key}:{bucket.checksum}", bucket.bytecode_to_string())


def make_env(site: Site, cache=None) -> jinja2.Environment:
    """A strict, autoescaping environment over the site's templates, with the site's helpers;
    compiled templates are kept in ``cache`` (a BuildCache), if given."""
    env = jinja2.Environment(
        loader=_LoadedTemplates(site.templates),
        bytecode_cache=CompiledTemplates(cache) if cache is not None else None,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    url, absolute_url = site.config.site_url, site.config.absolute_url
    env.globals.update(url=url, absolute_url=absolute_url, asset=_asset_url(site), cite_all=cite_all)
    env.filters.update(
        uncited=uncited,
        markdown=_markdown_filter(site),
        date=format_date,
        isodate=lambda d: d.isoformat(),
        url=url,
        absolute_url=absolute_url,
    )
    return env


def _asset_url(site: Site):
    def asset(name: str) -> str:
        found = site.assets.get(name)
        if found is None:
            raise MissingAsset(f"missing asset '{name}'")
        return site.config.site_url(found.output_path)

    return asset


def _markdown_filter(site: Site):
    renderer = MarkdownRenderer()

    def markdown_filter(text, inline: bool = False) -> Markup:
        """Markdown written in a template or site.yaml; links and citations work as in pages."""
        ctx = link_context(site, "templates", str(text), 1)
        rendered = renderer.render(str(text), ctx, site.data.get("sources", {}), inline=inline)
        if rendered.problems:
            raise jinja2.TemplateRuntimeError(rendered.problems[0].message)
        return Markup(rendered.html)

    return markdown_filter


def compile_templates(env: jinja2.Environment) -> list[Problem]:
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
