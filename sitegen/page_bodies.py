"""Every page's Markdown rendered: from the build cache where its inputs are unchanged, the rest
on up to ``jobs`` processes."""

from __future__ import annotations

from .bodies import PageBody, render_body
from .markdown_render import MarkdownRenderer
from .model import Site
from .render_cache import MISSING, BuildCache, body_key, link_fingerprint
from .render_pool import parallel_map

_RENDERER: dict = {}  # one MarkdownRenderer a process (workers make their own)


def render_bodies(site: Site, cache: BuildCache, jobs: int = 1, metas: dict | None = None) -> tuple[dict, dict]:
    """({rel_path: PageBody}, {rel_path: cache key}) of every page. ``metas``: render_cache.meta_reprs."""
    links = link_fingerprint(site)
    metas = metas if metas is not None else {}
    keys = {p.rel_path: body_key(p, links, metas.get(p.rel_path)) for p in site.pages}
    found = cache.get_many("body", keys.values())
    bodies = {rel_path: found[key] for rel_path, key in keys.items()}
    missing = [rel_path for rel_path, body in bodies.items() if body is MISSING]
    for rel_path, body in zip(missing, parallel_map(render_page_body, site, missing, jobs), strict=True):
        bodies[rel_path] = body
        cache.put("body", keys[rel_path], body)
    return bodies, keys


def render_page_body(site: Site, rel_path: str) -> PageBody:
    """One page's Markdown rendered, with this process's renderer (a worker's, or a quick edit's)."""
    renderer = _RENDERER.get("renderer") or _RENDERER.setdefault("renderer", MarkdownRenderer())
    return render_body(site, site.pages_by_rel_path[rel_path], renderer)
