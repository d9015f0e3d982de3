"""Markdown to HTML, with links to source files turned into URLs and citations marked for numbering."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .citations import mark_citations, misspelled_citations, unknown_citations
from .errors import Problem, error
from .hints import did_you_mean
from .image_markup import process_images
from .markdown_fast import install as install_fast_passes
from .model import url_under
from .sanitize import check_markup

EXTENSIONS = ["tables", "footnotes", "toc", "attr_list", "def_list", "abbr", "admonition", "smarty"]
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-3"}, "smarty": {"smart_angled_quotes": False}}


@dataclass
class LinkContext:
    """What the link processor needs to know about the site and the text being rendered."""

    rel_path: str
    text: str
    first_line: int
    base_path: str
    page_urls: dict  # rel_path of a page -> url
    asset_urls: dict  # rel_path of an asset (assets/...) -> output url
    draft_pages: dict = field(default_factory=dict)  # rel_path of an unpublished draft -> url
    assets: dict = field(default_factory=dict)  # rel_path of an asset (assets/...) -> Asset, for pictures
    links: list = field(default_factory=list)  # (url, fragment, line)
    problems: list = field(default_factory=list)

    def line_of(self, needle: str) -> int:
        index = self.text.find(needle)
        return self.first_line + (self.text.count("\n", 0, index) if index >= 0 else 0)

    def site_url(self, url: str) -> str:
        return url_under(self.base_path, url)


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple  # ((id, title), ...) for the page's ## headings
    links: tuple  # ((url, fragment, rel_path, line), ...)
    problems: tuple


class _LinkProcessor(Treeprocessor):
    ctx: LinkContext | None = None

    def run(self, root: etree.Element) -> None:
        # Collect first: wrapping a table while iterating would visit it again.
        pairs = [(parent, child) for parent in root.iter() for child in parent]
        for parent, child in pairs:
            if child.tag == "a" and child.get("href") is not None:
                child.set("href", _resolve_href(child.get("href"), self.ctx))
            elif child.tag == "table":
                parent[list(parent).index(child)] = _wrap_table(child)
            elif child.tag == "div" and "admonition" in child.get("class", "").split():
                _admonition_to_aside(child)
        process_images(root, self.ctx)  # image_markup.py: <picture>, sizes, srcset, captions


def _resolve_href(href: str, ctx: LinkContext) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    line = ctx.line_of(href)
    if not parts.path:
        ctx.links.append(("", parts.fragment, ctx.rel_path, line))
        return href
    target, kind = _target(parts.path, ctx)
    if target is None:
        ctx.problems.append(_missing_target_problem(parts.path, ctx, line))
        return href
    if kind == "page":
        ctx.links.append((target, parts.fragment, ctx.rel_path, line))
    url = ctx.site_url(target) if kind == "page" else target
    return url + (f"#{parts.fragment}" if parts.fragment else "")


DRAFT_HINT = "publish it by deleting its 'draft: true', or preview drafts with 'python build.py serve --drafts'"


def _missing_target_problem(path: str, ctx: LinkContext, line: int) -> Problem:
    folder = posixpath.dirname(ctx.rel_path)
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined in ctx.draft_pages:
        return error(ctx.rel_path, line, f"link to '{path}', which is a draft", DRAFT_HINT)
    what = "page" if path.endswith(".md") else "file"
    known = ctx.page_urls if what == "page" else ctx.asset_urls
    guess = did_you_mean(path, [posixpath.relpath(k, folder) for k in known])
    hint = guess or "check the file name; links to pages point at their .md file"
    return error(ctx.rel_path, line, f"link to a missing {what} '{path}'", hint)


def _target(path: str, ctx: LinkContext) -> tuple[str | None, str]:
    """Find what a link path names: a source page, an asset, or a site URL."""
    if path.startswith("/"):
        asset = ctx.asset_urls.get(path.lstrip("/"))
        if asset:
            return asset, "asset"
        return path, "page"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.rel_path), path))
    if path.endswith(".md"):
        return ctx.page_urls.get(joined), "page"
    if joined in ctx.asset_urls:
        return ctx.asset_urls[joined], "asset"
    return None, "file"


def _wrap_table(table: etree.Element) -> etree.Element:
    wrap = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0"})
    header = table.find("./thead/tr/th")
    label = "".join(header.itertext()).strip() if header is not None else ""
    wrap.set("aria-label", f"Table: {label}" if label else "Table")
    wrap.append(table)
    return wrap


def _admonition_to_aside(div: etree.Element) -> None:
    div.tag = "aside"
    title = div.find("./p[@class='admonition-title']")
    if title is not None:
        div.set("aria-label", "".join(title.itertext()).strip())
        title.set("class", "callout-title")
    kinds = [c for c in div.get("class", "").split() if c != "admonition"]
    div.set("class", " ".join(["callout"] + [f"callout-{k}" for k in kinds]))


class _SiteExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (the library's name)
        self.processor = _LinkProcessor(md)
        # After inline processing (20) and the toc extension (5), so links are final.
        md.treeprocessors.register(self.processor, "site_links", 4)


class MarkdownRenderer:
    """One reusable Markdown converter; call ``render`` for each text."""

    def __init__(self) -> None:
        self.extension = _SiteExtension()
        self.md = markdown.Markdown(
            extensions=EXTENSIONS + [self.extension],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )
        install_fast_passes(self.md)  # markdown_fast.py: the same passes, output unchanged, less work

    def render(self, text: str, ctx: LinkContext, known_sources, inline: bool = False) -> Rendered:
        problems = unknown_citations(text, ctx.rel_path, ctx.first_line, known_sources)
        self.md.reset()
        self.extension.processor.ctx = ctx
        html = self.md.convert(mark_citations(text))
        if inline:
            html = _strip_paragraph(html)
        # A toc token's name is its heading's text, tags already removed and HTML-escaped.
        toc = tuple((t["id"], t["name"]) for t in getattr(self.md, "toc_tokens", []) if t["level"] == 2)
        problems += check_markup(html, text, ctx.rel_path, ctx.first_line)
        problems += misspelled_citations(html, text, ctx.rel_path, ctx.first_line, known_sources)
        return Rendered(html, toc, tuple(ctx.links), tuple(problems + ctx.problems))


def _strip_paragraph(html: str) -> str:
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
