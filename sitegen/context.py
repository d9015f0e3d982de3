"""What a template receives: every variable declared here, with what it holds, and built here only.

Templates read these by attribute (``page.url``, ``item.current``); Jinja also accepts ``page["url"]``.
A template that asks for a name not declared here fails the build with file:line (StrictUndefined).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from markupsafe import Markup

from . import structured
from .bodies import PageBody
from .citations import REFERENCES_MARK, Reference
from .glossary import glossary_page
from .model import Page, Site, SiteConfig
from .page_types import SEARCH, page_type
from .related import related_pages
from .search_index import more_bundles, searchable_paths
from .templating import json_markup


@dataclass(frozen=True)
class TocEntry:
    """One "On this page" heading."""

    id: str  # the heading's id, for href="#..."
    title: Markup  # the heading's text, as HTML


@dataclass(frozen=True)
class Change:
    """One "What changed" note from front matter ``changes``."""

    date: dt.date  # when the change was made
    note: Markup  # what changed, Markdown rendered inline


@dataclass(frozen=True)
class PageView:
    """One page as templates see it: ``page`` is the one being rendered; lists hold others."""

    title: str  # front matter title
    nav_title: str  # front matter nav_title, else title
    description: str  # front matter description ('' if absent)
    url: str  # link from within the site, under the base path: '/sub/guides/safety/'
    absolute_url: str  # full address, under base_url
    path: str  # site-absolute URL without the base path: '/guides/safety/'
    rel_path: str  # source file: content/guides/safety.md
    template: str  # template name without .html
    section: str  # first folder under content/, '' for top-level pages
    order: int  # front matter order (default 1000)
    meta: dict  # the whole validated front matter
    date: dt.date | None  # front matter date: first published
    updated: dt.date | None  # front matter updated: last meaningful change
    reviewed: dt.date | None  # front matter reviewed: last content review
    next_review: dt.date | None  # reviewed + site.yaml review_interval_days
    draft: bool  # front matter draft (drafts render only with --drafts)
    summary: Markup | None  # front matter summary, Markdown rendered inline
    key_points: tuple[Markup, ...]  # front matter key_points, each rendered inline
    changes: tuple[Change, ...]  # front matter changes, newest first
    toc: tuple[TocEntry, ...]  # the body's ## headings
    show_toc: bool  # front matter toc, else True when there are 3+ headings
    is_index: bool  # a folder's index.md (a section page)
    searchable: bool  # its page type is in the site search (page_types: data-pagefind-body)


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation (pages with ``nav: true``, in order)."""

    title: str  # the page's nav_title
    url: str  # link from within the site
    current: bool  # this page, or the index of this page's section


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumb trail, from Home down to the page itself."""

    title: str  # nav_title of that page ('Home' for the first)
    url: str  # link from within the site


@dataclass(frozen=True)
class SiteWide:
    """The values every page's context shares: built once a build."""

    site: SiteConfig  # site.yaml settings (title, tagline, disclaimer, report_email, ...)
    data: dict  # content/data/*.yaml by file stem, Markdown fields rendered to HTML
    pages: tuple[PageView, ...]  # every page in the build, in order
    guides: tuple[PageView, ...]  # pages under guides/, without the section index
    drafts: bool  # True when this build includes drafts (--drafts, preview)
    references: Markup  # where the numbered reference list goes; replaced after rendering
    search_page: PageView | None  # the page of type search (the header's search form), or None
    search_more: tuple[str, ...]  # site paths of the search index's further parts, merged by the UI


@dataclass(frozen=True)
class PageContext(SiteWide):
    """Everything a page template can use, besides the filters and globals of templating.make_env."""

    page: PageView  # the page being rendered
    content: Markup  # the page's body as HTML
    section_pages: tuple[PageView, ...]  # the other pages of this page's section, without its index
    nav: tuple[NavItem, ...]  # the main navigation
    breadcrumbs: tuple[Crumb, ...]  # from Home to this page; empty on the home and 404 pages
    related: tuple[PageView, ...]  # 2-3 related guides (related.py); empty for other page types
    jsonld: Markup  # the page's structured data, safe inside <script>

    def as_mapping(self) -> dict:
        """Top-level names for ``template.render`` (shallow: values keep their declared types)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ReferencesContext:
    """What partials/references.html receives (rendered on its own, after citations are numbered)."""

    references: tuple[Reference, ...]  # number, key, source (the sources.yaml entry), cited

    def as_mapping(self) -> dict:
        return {"references": self.references}


def page_view(site: Site, page: Page, body: PageBody) -> PageView:
    meta = page.meta
    reviewed = meta.get("reviewed")
    return PageView(
        title=page.title,
        nav_title=page.nav_title,
        description=meta.get("description", ""),
        url=site.config.site_url(page.url),
        absolute_url=site.config.absolute_url(page.url),
        path=page.url,
        rel_path=page.rel_path,
        template=page.template,
        section=page.section,
        order=page.order,
        meta=meta,
        date=meta.get("date"),
        updated=meta.get("updated"),
        reviewed=reviewed,
        next_review=reviewed + dt.timedelta(days=site.config.review_interval_days) if reviewed else None,
        draft=page.draft,
        summary=body.summary,
        key_points=body.key_points,
        changes=tuple(Change(c["date"], c["note"]) for c in body.changes),
        toc=tuple(TocEntry(i, Markup(t)) for i, t in body.toc),
        show_toc=meta.get("toc", len(body.toc) >= 3),
        is_index=page.is_section_index,
        searchable=page_type(page.template).searchable,
    )


@dataclass(frozen=True)
class Contexts:
    """Builds each page's context from views computed once a build."""

    site: Site
    views: dict  # rel_path -> PageView
    shared: SiteWide
    related: dict  # rel_path -> rel_paths of its related pages (related.py)
    sections: dict  # section -> its pages' views without the index (each page's section_pages)
    glossary_page: Page | None  # the page showing the glossary (glossary.glossary_page)

    @classmethod
    def for_site(cls, site: Site, bodies: dict, data: dict, related: dict | None = None) -> Contexts:
        views = {p.rel_path: page_view(site, p, bodies[p.rel_path]) for p in site.pages}
        pages = tuple(views.values())
        guides = tuple(v for v in pages if v.section == "guides" and not v.is_index)
        search = next((v for v in pages if v.template == SEARCH), None)
        more = more_bundles(searchable_paths(site)) if search else ()
        shared = SiteWide(site.config, data, pages, guides, site.drafts, Markup(REFERENCES_MARK), search, more)
        sections: dict = {}
        for view in pages:  # one pass: filtering every page's views per page was O(N^2)
            if view.section and not view.is_index:
                sections.setdefault(view.section, []).append(view)
        sections = {name: tuple(items) for name, items in sections.items()}
        related = related if related is not None else related_pages(site, bodies)
        return cls(site, views, shared, related, sections, glossary_page(site))

    def page_context(self, page: Page, body: PageBody) -> PageContext:
        site, view, section = self.site, self.views[page.rel_path], page.section
        shared = {f.name: getattr(self.shared, f.name) for f in fields(SiteWide)}
        return PageContext(
            **shared,
            page=view,
            content=Markup(body.html),
            section_pages=self.sections.get(section, ()) if section else (),
            nav=tuple(self._nav_item(self.views[p.rel_path], view, section) for p in site.nav_pages),
            breadcrumbs=tuple(Crumb(t, site.config.site_url(u)) for t, u in site.breadcrumbs.get(page.rel_path, ())),
            related=tuple(self.views[r] for r in self.related.get(page.rel_path, ())),
            jsonld=json_markup(structured.jsonld(self._graph(page))),
        )

    @staticmethod
    def _nav_item(item: PageView, here: PageView, section: str) -> NavItem:
        current = item is here or (bool(section) and item.is_index and item.section == section)
        return NavItem(item.nav_title, item.url, current)

    def _graph(self, page: Page) -> list:
        site, trail = self.site, self.site.breadcrumbs.get(page.rel_path, ())
        graph = [structured.website_ld(site), structured.page_ld(site, page)]
        if len(trail) > 1:
            graph.append(structured.breadcrumbs_ld(site, trail))
        if page.template == "faq" and "faq" in self.shared.data:
            graph.append(structured.faq_ld(self.shared.data["faq"]))
        return graph
