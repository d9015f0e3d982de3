"""Drafts, for the editors' tools: which pages are drafts (so `check` can say how many it skipped
and the preview can explain a draft's address), and the next free `order` for a new page."""

from __future__ import annotations

import html
from pathlib import Path

from .load import find_page_files, load_page


def _pages(content_dir: Path):
    files, _ = find_page_files(content_dir)
    for src_path in files:
        page, _ = load_page(src_path, content_dir.parent)
        if page is not None:
            yield page


def find_drafts(content_dir: Path) -> dict[str, str]:
    """{url: rel_path} of every page marked 'draft: true' (pages that fail to load are left out:
    the build reports them)."""
    return {page.url: page.rel_path for page in _pages(content_dir) if page.draft}


def next_order(folder: Path, content_dir: Path) -> int:
    """One more than the highest `order` of the pages directly in ``folder`` (1 if none has one)."""
    orders = [
        page.meta["order"]
        for page in _pages(content_dir)
        if page.src_path.parent == folder and isinstance(page.meta.get("order"), int)
    ]
    return max(orders, default=0) + 1


def draft_notice(rel_path: str, url: str) -> bytes:
    """The preview's answer at a draft's address when drafts are not shown: what it is and how to
    see it, instead of a bare 'not found'. No script or inline style (the site's CSP allows none)."""
    name, address = html.escape(rel_path), html.escape(url)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>Draft: {name}</title></head>\n"
        f'<body><main id="draft-notice"><h1>This page is a draft</h1>\n'
        f"<p><code>{name}</code> has <code>draft: true</code>, so it is left out of this preview"
        f" and of the published site. Its address will be <code>{address}</code>.</p>\n"
        "<p>To preview drafts, stop this preview (Ctrl+C) and run <code>make serve-drafts</code>"
        " (or <code>.venv/bin/python build.py serve --drafts</code>).</p>\n"
        "<p>To publish it, delete the line <code>draft: true</code> from its front matter.</p>\n"
        "</main></body></html>\n"
    ).encode()
