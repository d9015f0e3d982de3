"""What the checks read of each output, measured once a content: every output page parsed (ids,
references, images), each page's reading grade and, above the band, its hardest sentence. All are
pure functions of the text they read, so the build cache keys them on it alone, and the checks
themselves run every build."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .cache_store import MISSING, BuildCache
from .htmlparse import parse_page
from .model import OutputFile, Site
from .readability import fk_grade, hardest_sentence
from .render_pool import parallel_map


@dataclass(frozen=True)
class Measured:
    parsed: dict  # output_path -> ParsedPage of every .html output
    texts: dict  # rel_path -> the page's rendered <main>
    grades: dict  # rel_path -> its reading grade (or None)
    hardest: dict = field(default_factory=dict)  # rel_path -> hardest sentence, of pages above the band


def measure_outputs(site: Site, outputs: list[OutputFile], cache: BuildCache, jobs: int = 1) -> Measured:
    pages = [o for o in outputs if o.output_path.endswith(".html")]
    parsed = _cached(cache, "parsed", parse_page, {o.output_path: o.content for o in pages}, jobs)
    texts = main_text(outputs, site)
    grades = _cached(cache, "grade", fk_grade, texts, jobs)
    above = {name: texts[name] for name, grade in grades.items() if grade and grade > site.config.reading_grade_max}
    hardest = _cached(cache, "hardest", hardest_sentence, above, jobs)
    return Measured(parsed, texts, grades, hardest)


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
