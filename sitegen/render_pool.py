"""Page bodies rendered from the cache where unchanged, and a large uncached batch on all CPUs."""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

from .bodies import PageBody, render_body
from .markdown_render import MarkdownRenderer
from .model import Site
from .render_cache import RenderCache, digest

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_MIN_PAGES = 64
_FORKED: dict = {}  # what forked workers inherit: the site being built


def render_bodies(site: Site, renderer: MarkdownRenderer, cache: RenderCache, fingerprint: str) -> dict:
    """{rel_path: PageBody} of every page."""
    keys = {p.rel_path: digest(p.rel_path, p.body, p.body_line, fingerprint) for p in site.pages}
    missing = [p for p in site.pages if keys[p.rel_path] not in cache.bodies]
    cache.hits += len(site.pages) - len(missing)
    workers = min(os.cpu_count() or 1, 8)
    if len(missing) >= PARALLEL_MIN_PAGES and workers > 1 and "fork" in mp.get_all_start_methods():
        _FORKED["site"] = site
        try:
            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                names = [p.rel_path for p in missing]
                for page, body in zip(missing, pool.map(_body_in_worker, names, chunksize=16), strict=True):
                    cache.bodies[keys[page.rel_path]] = body
        finally:
            _FORKED.clear()
    for page in missing:
        if keys[page.rel_path] not in cache.bodies:
            cache.bodies[keys[page.rel_path]] = render_body(site, page, renderer)
    return {p.rel_path: cache.bodies[keys[p.rel_path]] for p in site.pages}


def _body_in_worker(rel_path: str) -> PageBody:
    site = _FORKED["site"]
    renderer = _FORKED.setdefault("renderer", MarkdownRenderer())
    return render_body(site, site.pages_by_rel_path[rel_path], renderer)
