"""A moved page's old addresses keep working: each `aliases:` entry in its front matter becomes a
small redirect page at the old address (a refresh meta tag, a canonical link and a plain link; no
script, which the site's CSP forbids), and a line in `_redirects` for hosts that read one."""

from __future__ import annotations

import html

from .errors import Problem, error
from .model import OutputFile, Page, Site

REDIRECTS_FILE = "_redirects"
ALIAS_HINT = "write the old address as it was, starting with '/', like /guides/old-name/"


def alias_output_path(alias: str) -> str | None:
    """'/old/' -> 'old/index.html', '/old.html' -> 'old.html'; None if it is not a plain site path."""
    if not alias.startswith("/") or alias.startswith("//") or any(c in alias for c in "?#\\ \t\"'<>"):
        return None
    parts = alias.strip("/").split("/")
    if alias == "/" or any(part in ("", ".", "..") for part in parts):
        return None
    rest = alias.lstrip("/")
    return rest if rest.endswith(".html") else rest.rstrip("/") + "/index.html"


def redirect_page(site: Site, page: Page) -> bytes:
    """The page at an old address: it sends browsers on at once, and says where to for anyone else."""
    target = html.escape(site.config.site_url(page.url))
    canonical = html.escape(site.config.absolute_url(page.url))
    title = html.escape(page.title)
    return (
        f'<!doctype html>\n<html lang="{html.escape(site.config.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Moved: {title}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n<main>\n<h1>This page has moved</h1>\n"
        f'<p>It is now at <a href="{target}">{title}</a>.</p>\n'
        "</main>\n</body>\n</html>\n"
    ).encode()


def alias_outputs(site: Site) -> tuple[list[OutputFile], list[Problem]]:
    """A redirect page for every alias, the `_redirects` file listing them, and a problem for each
    alias that is not a site path, is a page's own address, or is claimed twice."""
    outputs, problems, lines, taken = [], [], [], {}
    for page in sorted(site.pages, key=lambda p: p.rel_path):
        for alias in page.meta.get("aliases", []):
            line = getattr(alias, "line", 1)
            output_path = alias_output_path(alias)
            problem = _alias_problem(site, page, alias, line, output_path, taken)
            if problem is not None:
                problems.append(problem)
                continue
            taken[output_path] = page
            outputs.append(OutputFile(output_path, redirect_page(site, page), page.rel_path))
            lines.append(
                f"{site.config.site_url(output_path.removesuffix('index.html'))} {site.config.site_url(page.url)} 301"
            )
    if lines:
        outputs.append(OutputFile(REDIRECTS_FILE, ("\n".join(sorted(lines)) + "\n").encode(), "site.yaml", True))
    return outputs, problems


def _alias_problem(site: Site, page: Page, alias: str, line: int, output_path, taken: dict) -> Problem | None:
    if output_path is None:
        return error(
            page.rel_path, line, f"alias '{alias}' points nowhere: it is not an address on this site", ALIAS_HINT
        )
    url = "/" + output_path.removesuffix("index.html")
    owner = site.pages_by_url.get(url) or site.pages_by_url.get("/" + output_path)
    if owner is page:
        return error(page.rel_path, line, f"alias '{alias}' is this page's own address", "remove it from 'aliases'")
    if owner is not None:
        hint = f"{owner.rel_path} lives there; remove the alias or move that page"
        return error(page.rel_path, line, f"alias '{alias}' is the address of a page", hint)
    if output_path in taken:
        other = taken[output_path].rel_path
        return error(page.rel_path, line, f"alias '{alias}' is also an alias of {other}", "keep it on one page")
    return None
