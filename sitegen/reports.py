"""The editors' reports: where each source is cited and which need attention, and when each page's
review is due. Pure: they read a loaded Site and return plain data (``as_json``) or text."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from .citations import cite_keys
from .model import Site, values_of
from .validation import MarkdownText, SourceKey

SOURCES_FILE = "content/data/sources.yaml"


@dataclass(frozen=True)
class SourceRow:
    key: str
    title: str
    line: int  # where sources.yaml defines it
    url: str
    accessed: str  # ISO date or ''
    cited_at: tuple = ()  # ('content/guides/x.md:12', ...)
    stale: bool = False  # accessed longer ago than the review interval
    plain_http: bool = False


@dataclass(frozen=True)
class ReviewRow:
    rel_path: str
    url: str
    reviewed: str  # ISO date or '' (never reviewed)
    due: str  # ISO date or '' (due now: never reviewed)
    days_left: int | None
    overdue: bool


@dataclass(frozen=True)
class SourcesReport:
    sources: tuple
    uncited: tuple = field(default=())
    stale: tuple = field(default=())
    plain_http: tuple = field(default=())
    review_interval_days: int = 365


def citation_places(site: Site) -> dict[str, list[tuple[str, int]]]:
    """source key -> [(rel_path, line), ...] of every citation in page text, front matter and data."""
    places: dict[str, list[tuple[str, int]]] = {}
    texts = [(page.body, page.rel_path, page.body_line) for page in site.pages]
    everywhere = [site.data] + [page.meta for page in site.pages]
    texts += [(text, text.rel_path, text.line) for text in values_of(everywhere, MarkdownText)]
    for text, rel_path, first_line in texts:
        for keys, offset in cite_keys(text):
            for key in keys:
                places.setdefault(key.lower(), []).append((rel_path, first_line + offset))
    for key in values_of(everywhere, SourceKey):
        places.setdefault(str(key), []).append((key.rel_path, key.line))
    return {key: sorted(set(found)) for key, found in places.items()}


def sources_report(site: Site, today: dt.date) -> SourcesReport:
    known = site.data.get("sources", {})
    interval = site.config.review_interval_days
    places = citation_places(site)
    rows = []
    for key in sorted(known):
        entry = known[key]
        accessed = entry.get("accessed")
        url = str(entry.get("url") or "")
        rows.append(
            SourceRow(
                key=key,
                title=str(entry.get("title", "")),
                line=known.line_of(key) if hasattr(known, "line_of") else 0,
                url=url,
                accessed=accessed.isoformat() if accessed else "",
                cited_at=tuple(f"{rel_path}:{line}" for rel_path, line in places.get(key, [])),
                stale=bool(accessed) and accessed + dt.timedelta(days=interval) < today,
                plain_http=url.lower().startswith("http://"),
            )
        )
    return SourcesReport(
        sources=tuple(rows),
        uncited=tuple(r.key for r in rows if not r.cited_at),
        stale=tuple(r.key for r in rows if r.stale),
        plain_http=tuple(r.key for r in rows if r.plain_http),
        review_interval_days=interval,
    )


def reviews_report(site: Site, today: dt.date, within_days: int | None = None) -> tuple[ReviewRow, ...]:
    """Each page with its review dates, soonest due first; never-reviewed pages first of all.
    With ``within_days``, only pages due by then (overdue ones included)."""
    interval = dt.timedelta(days=site.config.review_interval_days)
    rows = []
    for page in site.pages:
        if page.template == "404":
            continue
        reviewed = page.meta.get("reviewed")
        due = reviewed + interval if reviewed else None
        days_left = (due - today).days if due else None
        if within_days is not None and days_left is not None and days_left > within_days:
            continue
        rows.append(
            ReviewRow(
                rel_path=page.rel_path,
                url=page.url,
                reviewed=reviewed.isoformat() if reviewed else "",
                due=due.isoformat() if due else "",
                days_left=days_left,
                overdue=due is None or due < today,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.due != "", r.due, r.rel_path)))


def as_json(report) -> str:
    """A report as stable, sorted JSON (for CI)."""
    data = [asdict(row) for row in report] if isinstance(report, tuple) else asdict(report)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def sources_text(report: SourcesReport) -> str:
    lines = [f"Sources ({len(report.sources)}), and where each is cited:"]
    for row in report.sources:
        lines.append(f"  {row.key}  {row.title}")
        cited = ", ".join(row.cited_at) if row.cited_at else "NOT CITED"
        lines.append(f"      cited at: {cited}")
    by_key = {row.key: row for row in report.sources}
    interval = report.review_interval_days
    sections = [
        ("Never cited (cite it with [@key] or remove it)", report.uncited, lambda r: f"{SOURCES_FILE}:{r.line}"),
        (
            f"Accessed more than {interval} days ago (re-check it, then update 'accessed')",
            report.stale,
            lambda r: f"accessed {r.accessed}, {SOURCES_FILE}:{r.line}",
        ),
        ("On plain http:// (use the https:// address if there is one)", report.plain_http, lambda r: r.url),
    ]
    for heading, keys, detail in sections:
        lines.append("")
        lines.append(f"{heading}: {len(keys) or 'none'}")
        lines += [f"  {key}  {detail(by_key[key])}" for key in keys]
    return "\n".join(lines) + "\n"


def reviews_text(rows: tuple[ReviewRow, ...], interval_days: int, within_days: int | None) -> str:
    scope = f"due within {within_days} days" if within_days is not None else "every page"
    lines = [f"Reviews ({scope}; a review is due {interval_days} days after 'reviewed'), soonest first:"]
    for row in rows:
        if not row.reviewed:
            lines.append(f"  OVERDUE  never reviewed       {row.rel_path}  (add 'reviewed: YYYY-MM-DD')")
            continue
        mark = "OVERDUE " if row.overdue else "        "
        when = f"{-row.days_left} days ago" if row.overdue else f"in {row.days_left} days"
        lines.append(f"  {mark} due {row.due} ({when})  reviewed {row.reviewed}  {row.rel_path}")
    overdue = sum(1 for row in rows if row.overdue)
    lines.append(f"{len(rows)} page(s), {overdue} overdue.")
    return "\n".join(lines) + "\n"
