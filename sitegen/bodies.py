"""Markdown to HTML for a whole site: each page's body, key points, summary and change notes, and
every Markdown field of the data files. Pure: what it reads is already loaded."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .markdown_render import LinkContext, MarkdownRenderer, Rendered
from .model import Page, Site
from .validation import MarkdownText


@dataclass(frozen=True)
class PageBody:
    """A page's Markdown rendered: body, its "On this page" headings, key points and summary."""

    html: str
    toc: tuple
    links: tuple
    problems: tuple
    key_points: tuple
    summary: Markup | None
    changes: tuple = ()  # ({"date": date, "note": Markup}, ...) newest first


def link_context(site: Site, rel_path: str, text: str, first_line: int) -> LinkContext:
    return LinkContext(
        rel_path=rel_path,
        text=text,
        first_line=first_line,
        base_path=site.config.base_path,
        page_urls=site.link_targets,
        asset_urls=site.asset_urls,
        draft_pages=site.draft_pages,
        assets={a.rel_path: a for a in site.assets.values()},
    )


def render_body(site: Site, page: Page, renderer: MarkdownRenderer) -> PageBody:
    ctx = link_context(site, page.rel_path, page.body, page.body_line)
    rendered = renderer.render(page.body, ctx, site.data.get("sources", {}))
    extras = [_inline(site, renderer, text) for text in page.meta.get("key_points", [])]
    summary = page.meta.get("summary")
    summary_html = _inline(site, renderer, summary) if summary else None
    complete = [c for c in page.meta.get("changes", []) if "date" in c and "note" in c]  # others: reported
    changes = sorted(complete, key=lambda c: c["date"], reverse=True)
    notes = [_inline(site, renderer, c["note"]) for c in changes]
    parts = [rendered] + extras + ([summary_html] if summary_html else []) + notes
    return PageBody(
        html=rendered.html,
        toc=rendered.toc,
        links=tuple(link for r in parts for link in r.links),
        problems=tuple(p for r in parts for p in r.problems),
        key_points=tuple(Markup(r.html) for r in extras),
        summary=Markup(summary_html.html) if summary_html else None,
        changes=tuple({"date": c["date"], "note": Markup(n.html)} for c, n in zip(changes, notes, strict=True)),
    )


def _inline(site: Site, renderer: MarkdownRenderer, text) -> Rendered:
    ctx = link_context(site, text.rel_path, text, text.line)
    return renderer.render(text, ctx, site.data.get("sources", {}), inline=True)


def render_data(site: Site, renderer: MarkdownRenderer) -> tuple[dict, list, list]:
    """Data with every Markdown field rendered to HTML once per build; also the links found."""
    links, problems = [], []

    def convert(value):
        if isinstance(value, MarkdownText):
            ctx = link_context(site, value.rel_path, value, value.line)
            rendered = renderer.render(value, ctx, site.data.get("sources", {}), inline=value.inline)
            links.extend(rendered.links)
            problems.extend(rendered.problems)
            return Markup(rendered.html)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert(site.data), links, problems
