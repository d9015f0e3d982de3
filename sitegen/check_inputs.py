"""What the checks read of each output, measured once a content: every output page parsed (ids,
references, images) and each page's reading grade. Both are pure functions of the bytes they read,
so the build cache keys them on those bytes alone, and the checks themselves run every build."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .cache_store import MISSING, BuildCache
from .htmlparse import parse_page
from .model import OutputFile, Site
from .readability import fk_grade
from .render_pool import parallel_map


@dataclass(frozen=True)
class Measured:
    parsed: dict  # output_path -> ParsedPage of every .html output
    texts: dict  # rel_path -> the page's rendered <main>
    grades: dict  # rel_path -> its reading grade (or None)


def measure_outputs(site: Site, outputs: list[OutputFile], cache: BuildCache, jobs: int = 1) -> Measured:
    pages = [o for o in outputs if o.output_path.endswith(".html")]
    parsed = _cached(cache, "parsed", parse_page, {o.output_path: o.content for o in pages}, jobs)
    texts = main_text(outputs, site)
    grades = _cached(cache, "grade", fk_grade, texts, jobs)
    return Measured(parsed, texts, grades)


def _cached(cache: BuildCache, kind: str, function, texts: dict, jobs: int) -> dict:
    """{name: function(text)} for each {name: text (str or UTF-8 bytes)}, from the cache where seen."""
    keys = {name: _key(text) for name, text in texts.items()}
    stored = cache.get_many(kind, keys.values())
    found = {name: stored[key] for name, key in keys.items()}
    missing = [name for name, value in found.items() if value is MISSING]
    work = [(function, texts[name]) for name in missing]
    for name, value in zip(missing, parallel_map(_apply, None, work, jobs), strict=True):
        found[name] = value
        cache.put(kind, keys[name], value)
    return found


def _key(text) -> str:
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode("utf-8")).hexdigest()


def _apply(_shared, work):
    function, text = work
    return function(text.decode("utf-8") if isinstance(text, bytes) else text)


def main_text(outputs: list[OutputFile], site: Site) -> dict[str, str]:
    """Each page's rendered <main> (body and the data the template adds), keyed by source rel_path."""
    by_output = {p.output_path: p.rel_path for p in site.pages}
    found = {}
    for item in outputs:
        if item.output_path in by_output:
            html = item.content.decode("utf-8")
            start, end = html.find("<main"), html.rfind("</main>")
            found[by_output[item.output_path]] = html[start:end] if 0 <= start < end else html
    return found
