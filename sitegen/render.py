"""Render every page and machine-readable file to strings. Pure: nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from . import structured
from .bodies import PageBody, render_data
from .citations import REFERENCES_MARK, number_citations, references
from .context import Contexts, ReferencesContext
from .errors import Problem, error
from .glossary import link_terms, terms_for_page
from .markdown_render import MarkdownRenderer
from .model import OutputFile, Page, Site, values_of
from .page_bodies import render_bodies
from .page_types import page_type
from .related import related_pages
from .render_cache import MISSING, BuildCache, digest, link_fingerprint, meta_reprs, page_key, site_fingerprint
from .render_pool import parallel_map
from .templating import compile_templates, is_template_fault, make_env, template_problem
from .validation import Located


@dataclass
class RenderResult:
    outputs: list[OutputFile]
    problems: list[Problem]
    links: list  # (url, fragment, rel_path, line) from Markdown
    failures: list = field(default_factory=list)  # pages a template failed to render (may be knock-ons)
    parts: tuple = ()  # (bodies, contexts, env): what a quick edit reuses (edit_path.py)


def render_site(site: Site, cache: BuildCache | None = None, progress=None, jobs: int = 1) -> RenderResult:
    """Render every page, from ``cache`` where its inputs are unchanged, on up to ``jobs`` processes;
    ``progress(done, total)`` is called as pages finish, if given."""
    cache = cache if cache is not None else BuildCache()
    metas = meta_reprs(site)  # each page's front matter as the cache keys read it, once a build
    env, problems, data, links = _prepare(site, MarkdownRenderer(), cache, metas)
    bodies, body_keys = render_bodies(site, cache, jobs, metas)
    related = related_pages(site, bodies)  # worked out once: the contexts and the page keys read it
    contexts = Contexts.for_site(site, bodies, data, related)
    rendered = _render_pages(site, (bodies, body_keys, contexts, env), cache, jobs, (related, metas))
    outputs, failures = [], []
    for done, page in enumerate(site.pages, 1):
        if progress:
            progress(done, len(site.pages))
        body = bodies[page.rel_path]
        problems += body.problems
        links += body.links
        html, page_failures = rendered[page.rel_path]
        failures += page_failures
        if html is not None:
            outputs.append(OutputFile(page.output_path, html.encode("utf-8"), page.rel_path))
    outputs += _machine_files(site, bodies)
    return RenderResult(outputs, problems, links, failures, (bodies, contexts, env))


def _prepare(site: Site, renderer: MarkdownRenderer, cache: BuildCache, metas: dict | None = None):
    """The Jinja environment with every template compiled, and the data files' Markdown rendered.
    Kept in memory (it holds the site its filters read) and redone when anything it reads changes.
    The lists come back as copies: the caller extends them."""
    located = [(v.rel_path, v.line) for v in values_of(site.data, Located)]
    # Without bodies, related guides come from tags alone, which the pages' front matter in the key
    # holds already: not worked out again here (it cost a quarter of a second at 10,000 pages).
    site_print = site_fingerprint(site, {}, related={}, metas=metas)
    key = digest(link_fingerprint(site), site_print, located, sorted(site.unreadable.items()))
    if key not in cache.prepared:
        env = make_env(site, cache)
        problems = compile_templates(env)
        data, links, data_problems = render_data(site, renderer)
        cache.prepared = {key: (env, problems + data_problems, data, links)}
    env, problems, data, links = cache.prepared[key]
    return env, list(problems), data, list(links)


def _render_pages(site: Site, shared: tuple, cache: BuildCache, jobs: int, worked_out: tuple = (None, None)) -> dict:
    """{rel_path: (html or None, problems)}: unchanged pages from the cache, the rest rendered."""
    bodies, body_keys = shared[0], shared[1]
    related, metas = worked_out  # related_pages and meta_reprs, if render_site had them
    site_print = site_fingerprint(site, bodies, related, metas)
    keys = {p.rel_path: page_key(p, body_keys[p.rel_path], site_print) for p in site.pages}
    stored = cache.get_many("page", keys.values())
    found = {rel_path: stored[key] for rel_path, key in keys.items()}
    missing = [rel_path for rel_path, html in found.items() if html is MISSING]
    made = parallel_map(_render_page_task, (site, *shared), missing, jobs)
    result = {rel_path: (html, []) for rel_path, html in found.items()}
    for rel_path, (html, problems) in zip(missing, made, strict=True):
        result[rel_path] = (html, problems)
        if html is not None:
            cache.put("page", keys[rel_path], html)
    return result


def _render_page_task(shared: tuple, rel_path: str) -> tuple[str | None, list[Problem]]:
    site, bodies, _, contexts, env = shared
    page = site.pages_by_rel_path[rel_path]
    problems: list[Problem] = []
    html = render_page_checked(site, page, bodies[rel_path], contexts, env, problems)
    return html, problems


def render_page_checked(site, page, body, contexts, env, problems) -> str | None:
    try:
        return _render_page(site, page, body, contexts, env)
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


def _render_page(site: Site, page: Page, body: PageBody, contexts: Contexts, env: jinja2.Environment) -> str:
    template = env.get_template(f"{page.template}.html")
    html = template.render(contexts.page_context(page, body).as_mapping())
    known = site.data.get("sources", {})
    html, cited, keys = number_citations(html, known, tuple(page.meta.get("sources", ())))
    html = link_terms(html, *terms_for_page(site, page, contexts.glossary_page))
    refs = references(keys, cited, known)
    partial = env.get_template("partials/references.html")
    refs_html = partial.render(ReferencesContext(tuple(refs)).as_mapping()) if refs else ""
    return html.replace(REFERENCES_MARK, refs_html)


def _machine_files(site: Site, bodies: dict) -> list[OutputFile]:
    guides = [p for p in site.pages if page_type(p.template).in_feed]
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
