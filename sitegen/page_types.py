"""Every page type in one table: a new type is one ``PageType`` row here plus ``templates/<name>.html``.

The rest of the generator asks this table, never a template's name: which folder implies a type
(load.default_template, ``build.py new``), which types make health claims (JSON-LD, the "cites no
sources" warning), which data file a type shows (links written in that file are checked on its
page), which pages the feed and the related-guides list take, and which are kept out of search."""

from __future__ import annotations

from dataclasses import dataclass

SEARCH = "search"  # the page type that shows site search (context.py finds it; the build indexes for it)


@dataclass(frozen=True)
class PageType:
    name: str  # the template is templates/<name>.html; front matter `template: <name>`
    folder: str = ""  # pages under content/<folder>/ default to this type (its index.md is a list)
    medical: bool = False  # makes health claims: MedicalWebPage in JSON-LD
    must_cite: bool = False  # a page of this type that cites nothing gets a warning
    shows_data: str = ""  # the content/data/<stem>.yaml this type lays out, if any
    in_feed: bool = False  # listed in feed.xml
    related: bool = False  # gets, and is offered as, a related guide (related.py)
    searchable: bool = True  # indexed for site search
    reviewed: bool = True  # shows the review footer


PAGE_TYPES: dict[str, PageType] = {
    t.name: t
    for t in (
        PageType("home"),
        PageType("guide", folder="guides", medical=True, must_cite=True, in_feed=True, related=True),
        PageType("compare", medical=True, shows_data="comparison"),
        PageType("benefits", medical=True, shows_data="benefits"),
        PageType("myths", medical=True, shows_data="myths"),
        PageType("faq", shows_data="faq"),
        PageType("glossary", medical=True, shows_data="glossary"),
        PageType("chooser", medical=True, shows_data="chooser"),
        PageType(SEARCH, searchable=False),  # /search/: Pagefind's UI, and every page by topic
        PageType("list"),
        PageType("page"),
        PageType("404", searchable=False, reviewed=False),
    )
}

TEMPLATES = tuple(PAGE_TYPES)


def page_type(name: str) -> PageType:
    """The row for ``name``; a template not in the table (a problem reported elsewhere) is a plain page."""
    return PAGE_TYPES.get(name) or PageType(name)


def type_for_folder(folder: str) -> str:
    """The type pages in content/<folder>/ default to ('page' when no row claims the folder)."""
    return next((t.name for t in PAGE_TYPES.values() if t.folder and t.folder == folder), "page")


def type_showing(stem: str) -> str | None:
    """The type whose page lays out content/data/<stem>.yaml, if any."""
    return next((t.name for t in PAGE_TYPES.values() if t.shows_data == stem), None)
