"""Render every page and machine-readable file to strings. Pure: nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from . import structured
from .bodies import PageBody, render_data
from .citations import REFERENCES_MARK, number_citations, references
from .context import Contexts, ReferencesContext
from .errors import Problem, error
from .markdown_render import MarkdownRenderer
from .model import OutputFile, Page, Site, values_of
from .render_cache import RenderCache, digest, site_fingerprint
from .render_pool import render_bodies
from .templating import compile_templates, is_template_fault, make_env, template_problem
from .validation import Located


@dataclass
class RenderResult:
    outputs: list[OutputFile]
    problems: list[Problem]
    links: list  # (url, fragment, rel_path, line) from Markdown
    failures: list = field(default_factory=list)  # pages a template failed to render (may be knock-ons)


def render_site(site: Site, cache: RenderCache | None = None, progress=None) -> RenderResult:
    """Render every page; ``progress(done, total)`` is called as pages finish, if given."""
    cache = cache if cache is not None else RenderCache()
    renderer = MarkdownRenderer()
    fingerprint = site_fingerprint(site)
    env, problems, data, links = _prepare(site, renderer, cache, fingerprint)
    bodies = render_bodies(site, renderer, cache, fingerprint)
    contexts = Contexts.for_site(site, bodies, data)
    outputs, failures = [], []
    for done, page in enumerate(site.pages, 1):
        if progress:
            progress(done, len(site.pages))
        body = bodies[page.rel_path]
        problems += body.problems
        links += body.links
        html = _render_page_cached(site, page, body, contexts, env, cache, fingerprint, failures)
        if html is not None:
            outputs.append(OutputFile(page.output_path, html.encode("utf-8"), page.rel_path))
    outputs += _machine_files(site, bodies)
    return RenderResult(outputs, problems, links, failures)


def _prepare(site: Site, renderer: MarkdownRenderer, cache: RenderCache, fingerprint: str):
    """The Jinja environment with every template compiled, and the data files' Markdown rendered.
    Redone only when templates, config, data (or its lines), pages' front matter or assets change.
    The lists come back as copies: the caller extends them."""
    key = digest(
        fingerprint, [(v.rel_path, v.line) for v in values_of(site.data, Located)], sorted(site.unreadable.items())
    )
    if key in cache.prepared:
        cache.hits += 1
    else:
        env = make_env(site)
        problems = compile_templates(env)
        data, links, data_problems = render_data(site, renderer)
        cache.prepared = {key: (env, problems + data_problems, data, links)}
    env, problems, data, links = cache.prepared[key]
    return env, list(problems), data, list(links)


def _render_page_cached(site, page, body, contexts, env, cache, fingerprint, problems):
    key = digest(page.rel_path, page.source_text, fingerprint)
    if key in cache.pages:
        cache.hits += 1
        return cache.pages[key]
    try:
        html = _render_page(site, page, body, contexts, env)
    except jinja2.TemplateNotFound as exc:
        if exc.name != f"{page.template}.html":
            raise
        problems.append(missing_template_problem(page))
        return None
    except jinja2.TemplateSyntaxError:
        return None  # compile_templates reported it, once
    except Exception as exc:  # noqa: BLE001 - re-raised below unless the template itself failed
        templates_dir = site.templates.root
        if not is_template_fault(exc, templates_dir):
            raise  # our own bug: the CLI prints the traceback and says so
        problems.append(template_problem(exc, templates_dir, page.rel_path, f"{page.template}.html"))
        return None
    cache.pages[key] = html
    return html


def _render_page(site: Site, page: Page, body: PageBody, contexts: Contexts, env: jinja2.Environment) -> str:
    template = env.get_template(f"{page.template}.html")
    html = template.render(contexts.page_context(page, body).as_mapping())
    known = site.data.get("sources", {})
    html, cited, keys = number_citations(html, known, tuple(page.meta.get("sources", ())))
    refs = references(keys, cited, known)
    partial = env.get_template("partials/references.html")
    refs_html = partial.render(ReferencesContext(tuple(refs)).as_mapping()) if refs else ""
    return html.replace(REFERENCES_MARK, refs_html)


def _machine_files(site: Site, bodies: dict) -> list[OutputFile]:
    guides = [p for p in site.pages if p.section == "guides" and not p.is_section_index]
    entries = [(p, p.meta.get("summary") or p.meta.get("description", "")) for p in guides]
    files = [
        ("sitemap.xml", structured.render_sitemap(site)),
        ("robots.txt", structured.render_robots(site)),
        ("feed.xml", structured.render_feed(site, entries)),
    ]
    out = [OutputFile(name, text.encode("utf-8"), "site.yaml", generated=True) for name, text in files]
    out += [OutputFile(a.output_path, a.content, a.rel_path) for a in site.assets.values()]
    out += [OutputFile(name, content, f"static/{name}") for name, content in site.static]
    return out


def missing_template_problem(page: Page) -> Problem:
    return error(page.rel_path, 1, f"no template '{page.template}.html'", f"create templates/{page.template}.html")
