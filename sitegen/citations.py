"""Number a page's citations in reading order and build its reference list."""

from __future__ import annotations

from dataclasses import dataclass

from .markdown_render import MARKER_RE

REFERENCES_MARK = "\ue000references\ue001"


@dataclass(frozen=True)
class Reference:
    number: int
    key: str
    source: dict
    cited: bool


def number_citations(html: str, known: dict, extra_keys: tuple = ()) -> tuple[str, list[str], list[str]]:
    """Replace citation markers with numbered links; return (html, cited keys, all keys in order).

    Keys not in ``known`` are dropped here: they were reported where they were written."""
    order: list[str] = []

    def replace(match) -> str:
        keys = [k for k in match.group(1).split(",") if k in known]
        if not keys:
            return ""
        for key in keys:
            if key not in order:
                order.append(key)
        numbers = sorted({order.index(k) + 1 for k in keys})
        links = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in numbers)
        return f'<sup class="cite">[{links}]</sup>'

    html = MARKER_RE.sub(replace, html)
    cited = list(order)
    everything = cited + [k for k in extra_keys if k not in cited]
    return html, cited, everything


def references(keys: list[str], cited: list[str], sources: dict) -> list[Reference]:
    return [Reference(index, key, sources[key], key in cited) for index, key in enumerate(keys, 1) if key in sources]


def plain_citations(html: str) -> str:
    """Citation markers removed, for text that leaves the page (feeds, structured data)."""
    return MARKER_RE.sub("", html)
