"""Put loaded pages, data and assets together: URLs, navigation, breadcrumbs, cross-checks of source keys."""

from __future__ import annotations

from pathlib import Path

from .chooser import check_chooser_rules
from .citations import cited_keys, unknown_key_problem
from .errors import Problem, error, warning
from .glossary import check_glossary_forms
from .model import Asset, Page, Site, SiteConfig, values_of
from .validation import MarkdownText, SourceKey


def assemble_site(
    config: SiteConfig,
    pages: list[Page],
    data: dict,
    assets: dict[str, Asset],
    source_dir: Path,
    drafts: bool,
    unreadable: dict | None = None,
) -> tuple[Site, list[Problem]]:
    problems = _duplicate_urls(pages)
    ordered = tuple(sorted(pages, key=lambda p: (p.order, p.url)))
    by_url = {p.url: p for p in ordered}
    site = Site(
        config=config,
        pages=ordered,
        data=data,
        assets=assets,
        source_dir=source_dir,
        drafts=drafts,
        pages_by_rel_path={p.rel_path: p for p in ordered},
        pages_by_url=by_url,
        unreadable=dict(unreadable or {}),
        nav_pages=tuple(p for p in ordered if p.meta.get("nav")),
        breadcrumbs={p.rel_path: breadcrumb_trail(by_url, p) for p in ordered},
    )
    problems += check_source_keys(site)
    problems += check_uncited_sources(site)
    problems += check_data_rules(site)
    return site, problems


# Rules a data file must keep beyond its shape: {file stem: check(value, rel_path, site) -> problems}.
DATA_RULES = {"glossary": check_glossary_forms, "chooser": check_chooser_rules}


def check_data_rules(site: Site) -> list[Problem]:
    problems = []
    for stem, check in DATA_RULES.items():
        if stem in site.data:
            problems += check(site.data[stem], f"content/data/{stem}.yaml", site)
    return problems


def breadcrumb_trail(pages_by_url: dict, page: Page) -> tuple[tuple[str, str], ...]:
    """(nav title, url) from Home down to ``page`` through the section pages that exist."""
    if page.url == "/" or page.template == "404":
        return ()
    trail = [("Home", "/")]
    parts = page.url.strip("/").split("/")
    for depth in range(1, len(parts)):
        parent = pages_by_url.get("/" + "/".join(parts[:depth]) + "/")
        if parent is not None:
            trail.append((parent.nav_title, parent.url))
    trail.append((page.nav_title, page.url))
    return tuple(trail)


def _duplicate_urls(pages: list[Page]) -> list[Problem]:
    seen: dict[str, Page] = {}
    problems = []
    for page in sorted(pages, key=lambda p: p.rel_path):
        other = seen.setdefault(page.url, page)
        if other is not page:
            problems.append(
                error(
                    page.rel_path,
                    1,
                    f"{page.url} is also the URL of {other.rel_path}",
                    "change one file's name or slug",
                )
            )
    return problems


def check_source_keys(site: Site) -> list[Problem]:
    """Every `sources:` entry in front matter and data names a known source."""
    known = site.data.get("sources", {})
    found = [k for page in site.pages for k in page.meta.get("sources", [])]
    found += list(values_of(site.data, SourceKey))
    return [unknown_key_problem(key, key.rel_path, key.line, known, what="") for key in found if key not in known]


def check_uncited_sources(site: Site) -> list[Problem]:
    """Every entry of sources.yaml is cited by a page's text, its `sources:` or a data item."""
    known = site.data.get("sources", {})
    if site.unreadable:  # what a page that failed to load cites is unknown: no knock-on warnings
        return []
    everywhere = [site.data] + [page.meta for page in site.pages]
    texts = [page.body for page in site.pages] + list(values_of(everywhere, MarkdownText))
    cited = {str(key) for key in values_of(everywhere, SourceKey)}
    cited |= {key for text in texts for key in cited_keys(text)}
    return [
        warning(
            getattr(entry.get("title"), "rel_path", "content/data/sources.yaml"),
            known.line_of(key) if hasattr(known, "line_of") else 0,
            f"source '{key}' is not cited anywhere",
            f"cite it with [@{key}] or remove it",
        )
        for key, entry in known.items()
        if key not in cited
    ]
