"""Cache keys: each a digest of everything its value depends on (BuildCache stores the values).

A page body (its Markdown) depends on the page file and on what its links and citations resolve
against; a whole page depends on its file, on every template, the config, the data, the assets,
and on what the templates show of other pages (titles, summaries, headings, navigation). The
generator's and libraries' versions are checked once for the whole cache (cache_store.versions)."""

from __future__ import annotations

from .cache_store import MISSING, BuildCache, digest
from .model import Page, Site
from .related import related_pages
from .validation import Located

__all__ = [
    "MISSING",
    "BuildCache",
    "digest",
    "link_fingerprint",
    "site_fingerprint",
    "body_key",
    "meta_reprs",
    "page_key",
]


def link_fingerprint(site: Site) -> str:
    """What a page's Markdown resolves links, images and citations against."""
    return digest(
        site.config.base_path,
        sorted(site.link_targets.items()),
        sorted(site.asset_urls.items()),
        sorted(site.draft_pages.items()),
        data_repr(site.data.get("sources", {})),
    )


def site_fingerprint(site: Site, bodies: dict, related: dict | None = None, metas: dict | None = None) -> str:
    """Everything a page's template may show besides its own body: the config, templates, data,
    assets and every page's URL, front matter and rendered headings, summary, key points and changes.
    ``related``: related_pages(site, bodies), and ``metas``: meta_reprs(site), if already worked out."""
    templates = sorted(site.templates.files.items())
    metas = metas if metas is not None else meta_reprs(site)
    pages = [
        (p.rel_path, p.url, p.output_path, p.template, metas[p.rel_path], _shown(bodies.get(p.rel_path)))
        for p in site.pages
    ]
    assets = sorted((a.name, a.output_path) for a in site.assets.values())
    return digest(
        site.config,
        str(site.templates.root),
        templates,
        pages,
        assets,
        data_repr(site.data),
        site.drafts,
        sorted(site.unreadable.items()),
        sorted(site.draft_pages.items()),
        [p.rel_path for p in site.nav_pages],
        sorted(site.breadcrumbs.items()),
        sorted((related if related is not None else related_pages(site, bodies)).items()),  # tags, links
    )


def _shown(body) -> tuple:
    if body is None:
        return ()
    return (body.toc, body.summary, body.key_points, data_repr(list(body.changes)))


def body_key(page: Page, links: str, meta: tuple | None = None) -> str:
    meta = meta if meta is not None else data_repr(page.meta)
    return digest("body", page.rel_path, page.body_line, page.source_text, meta, links)


def meta_reprs(site: Site) -> dict:
    """{rel_path: data_repr of the page's front matter}: worked out once a build for every key."""
    return {page.rel_path: data_repr(page.meta) for page in site.pages}


def page_key(page: Page, body_digest: str, site_print: str) -> str:
    return digest("page", page.rel_path, body_digest, site_print)


def data_repr(value):
    """A repr of loaded data that also records where each value was written (messages name lines)."""
    if isinstance(value, Located):
        return (type(value).__name__, str(value), value.rel_path, value.line, getattr(value, "inline", None))
    if isinstance(value, dict):
        lines = [getattr(value, name, None) for name in ("line", "key_lines", "value_lines")]
        return (repr(lines), [(repr(k), data_repr(v)) for k, v in value.items()])  # in order: order shows
    if isinstance(value, (list, tuple)):
        return (getattr(value, "line", None), getattr(value, "item_lines", None), [data_repr(v) for v in value])
    return repr(value)
