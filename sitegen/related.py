"""Related guides: for each page of a type marked ``related`` (page_types.py), two or three others
chosen from shared front matter ``tags`` and links between them. Nobody keeps a list by hand.

Score: 2 for each shared tag (compared lower-case), 1 for a link from one page to the other and 1
more for a link back. Ties go to the lower ``order``, then the source path, so the same site
always gives the same lists. Pure: it reads the loaded pages and their rendered bodies' links."""

from __future__ import annotations

from .model import Page, Site
from .page_types import page_type

MOST = 3


def related_pages(site: Site, bodies: dict) -> dict[str, tuple[str, ...]]:
    """{rel_path: (rel_path of each related page, best first)} for every page that shows the list.
    Only pages that share a tag or a link can score above 0, so only those are scored."""
    pages = [p for p in site.pages if page_type(p.template).related]
    links = {p.rel_path: linked_pages(site, bodies.get(p.rel_path)) for p in pages}
    tags = {p.rel_path: _tags(p) for p in pages}
    by_rel_path = {p.rel_path: p for p in pages}
    tagged: dict[str, list[Page]] = {}
    linked_from: dict[str, set[str]] = {}
    for page in pages:
        for tag in tags[page.rel_path]:
            tagged.setdefault(tag, []).append(page)
        for target in links[page.rel_path]:
            linked_from.setdefault(target, set()).add(page.rel_path)
    result = {}
    for page in pages:
        near = {p.rel_path: p for tag in tags[page.rel_path] for p in tagged[tag]}
        for rel_path in links[page.rel_path] | linked_from.get(page.rel_path, set()):
            if rel_path in by_rel_path:
                near[rel_path] = by_rel_path[rel_path]
        near.pop(page.rel_path, None)
        scored = [(_score(page, other, links, tags), other) for other in near.values()]
        ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1].order, s[1].rel_path))
        result[page.rel_path] = tuple(other.rel_path for _, other in ranked[:MOST])
    return result


def _score(page: Page, other: Page, links: dict, tags: dict) -> int:
    shared = tags[page.rel_path] & tags[other.rel_path]
    return 2 * len(shared) + (other.rel_path in links[page.rel_path]) + (page.rel_path in links[other.rel_path])


def _tags(page: Page) -> set[str]:
    return {str(tag).strip().lower() for tag in page.meta.get("tags", ())}


def linked_pages(site: Site, body) -> set[str]:
    """The source paths of the pages a body links to."""
    if body is None:
        return set()
    found = (site.pages_by_url.get(url) for url, _fragment, _rel_path, _line in body.links if url)
    return {p.rel_path for p in found if p is not None}
