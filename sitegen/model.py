"""The frozen data that flows between the build stages."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path


def url_under(prefix: str, url: str) -> str:
    """``url`` (site-absolute like '/guides/', or an output path) placed under ``prefix``: the base
    path ('/' or '/sub/') for links within the site, the base URL for full addresses."""
    return prefix + str(url).lstrip("/")


def values_of(value, kind):
    """Every value of type ``kind`` anywhere in nested dicts and lists."""
    if isinstance(value, kind):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from values_of(child, kind)
    elif isinstance(value, list):
        for child in value:
            yield from values_of(child, kind)


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    base_url: str  # always ends in '/'
    tagline: str = ""
    language: str = "en"
    publisher: str = ""
    review_interval_days: int = 365
    reading_grade_min: int = 0
    reading_grade_max: int = 9
    description_max: int = 160  # pages' and the site's descriptions: longer ones get a warning
    disclaimer: str = ""
    feed_title: str = ""
    static_overrides: tuple = ()  # output paths a file under static/ may replace (e.g. robots.txt)
    report_email: str = ""  # where readers report a problem with a page; '' shows no link
    description_line: int = 0  # where site.yaml writes the description, for messages

    @functools.cached_property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or e.g. '/guide/' (worked out once: every link asks)."""
        rest = self.base_url.split("://", 1)[-1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"

    def site_url(self, url: str) -> str:
        """The link to ``url`` from within the site: under the base path."""
        return url_under(self.base_path, url)

    def absolute_url(self, url: str) -> str:
        """The full address of ``url``: under the base URL."""
        return url_under(self.base_url, url)


@dataclass(frozen=True)
class Page:
    rel_path: str  # e.g. content/guides/safety.md
    src_path: Path
    url: str  # site-absolute, without the base path: '/guides/safety/'
    output_path: str  # e.g. guides/safety/index.html
    template: str
    meta: dict  # validated front matter
    body: str  # raw Markdown
    body_line: int  # the file line where the body starts
    source_text: str  # the whole file, for caching

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def nav_title(self) -> str:
        return self.meta.get("nav_title") or self.meta["title"]

    @property
    def order(self) -> int:
        return self.meta.get("order", 1000)

    @property
    def draft(self) -> bool:
        return self.meta.get("draft", False)

    @property
    def section(self) -> str:
        """The first folder under content/, or '' for top-level pages."""
        parts = self.rel_path.split("/")[1:-1]
        return parts[0] if parts else ""

    @property
    def is_section_index(self) -> bool:
        return self.rel_path.endswith("/index.md") and self.rel_path.count("/") > 1

    @property
    def lastmod(self) -> dt.date | None:
        return self.meta.get("updated") or self.meta.get("reviewed") or self.meta.get("date")


@dataclass(frozen=True)
class Asset:
    rel_path: str  # e.g. assets/css/site.css
    src_path: Path
    name: str  # as templates ask for it: css/site.css
    output_path: str  # fingerprinted: assets/css/site.3f2a9c1b.css
    content: bytes = b""  # read when loaded, so rendering reads no files


@dataclass(frozen=True)
class TemplateFiles:
    """Every file under templates/, read when loaded; ``root`` names them in tracebacks and messages."""

    root: Path
    files: dict = field(default_factory=dict)  # name (POSIX, relative to root) -> bytes


@dataclass(frozen=True)
class OutputFile:
    output_path: str
    content: bytes
    source: str = ""  # rel_path of what made it, for messages
    generated: bool = False  # made by the generator itself (feed, sitemap, robots.txt)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    pages: tuple[Page, ...]
    data: dict
    assets: dict  # name -> Asset
    source_dir: Path
    drafts: bool = False
    pages_by_rel_path: dict = field(default_factory=dict)
    pages_by_url: dict = field(default_factory=dict)
    unreadable: dict = field(default_factory=dict)  # rel_path -> url of pages that failed to load
    static: tuple = ()  # (output_path, bytes) of each file under static/
    templates: TemplateFiles = field(default_factory=lambda: TemplateFiles(Path("templates")))
    draft_pages: dict = field(default_factory=dict)  # rel_path -> url of drafts left out of this build
    nav_pages: tuple = ()  # pages in the main navigation, in order
    breadcrumbs: dict = field(default_factory=dict)  # rel_path -> ((nav title, url), ...) from Home

    @functools.cached_property
    def link_targets(self) -> dict:
        """rel_path -> url of every page a link may name (unreadable ones too: reported already)."""
        return {**self.unreadable, **{p.rel_path: p.url for p in self.pages}}

    @functools.cached_property
    def asset_urls(self) -> dict:
        return {a.rel_path: self.config.site_url(a.output_path) for a in self.assets.values()}
