"""What the preview answers over HTTP: files of the output folder only, the site's 404 page for
anything else, a redirect that adds a folder's slash, and in every HTML page the reload script and
(after a failed build) the error overlay, never written to the files on disk.
"""

from __future__ import annotations

import html
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from tornado import web

from .drafts import draft_notice, find_drafts
from .livereload_adapter import reload_routes

FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.[0-9a-f]{10}\.(?P<suffix>[^.]+)$")
BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
HEAD_CLOSE = re.compile(rb"</head\s*>", re.IGNORECASE)
NOT_FOUND_FALLBACK = (
    b'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>\n'
    b"<body><main><h1>Not found</h1><p>Nothing is built at this address.</p></main></body></html>\n"
)


@dataclass
class Preview:
    """What the HTTP handler reads; changed only on the event loop, after each build."""

    out_dir: Path
    prefix: str  # URL path the site is served under: "/" unless --base-url has a sub-path
    port: int
    errors: list[str] = field(default_factory=list)  # `path:line: message` of the failed last build
    source_dir: Path | None = None  # where to look for drafts, to explain a draft's address
    drafts_shown: bool = False  # --drafts: drafts are built, so their addresses need no note


@dataclass(frozen=True)
class Redirect:
    location: str


def make_app(preview: Preview) -> web.Application:
    handlers = [*reload_routes(), (r".*", SiteHandler, {"preview": preview})]
    return web.Application(handlers, log_function=lambda handler: None)


class SiteHandler(web.RequestHandler):
    """Serve files of the output folder only; anything else gets the site's 404 page."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def compute_etag(self) -> None:
        return None

    def get(self) -> None:
        self._respond(include_body=True)

    def head(self) -> None:
        self._respond(include_body=False)

    def _respond(self, include_body: bool) -> None:
        found = resolve_request(self.preview.out_dir, self.preview.prefix, self.request.path)
        if isinstance(found, Redirect):
            self.redirect(found.location)
            return
        status, body, name = 200, _read(found), found.name if found else ""
        if body is None:
            status, body, name = 404, self._not_found_body(), "404.html"
        if name.endswith(".html"):
            body = inject_preview(body, self.preview.port, self.preview.errors)
        self.set_status(status)
        self.set_header("Content-Type", content_type(name))
        self.set_header("Cache-Control", cache_control(self.request.path, found if status == 200 else None))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Length", str(len(body)))
        if include_body:
            self.write(body)

    def _not_found_body(self) -> bytes:
        notice = draft_page(self.preview, self.request.path)
        if notice is not None:
            return notice
        page = resolve_request(self.preview.out_dir, "/", "/404.html")
        body = _read(page) if isinstance(page, Path) else None
        return NOT_FOUND_FALLBACK if body is None else body


def draft_page(preview: Preview, raw_path: str) -> bytes | None:
    """At the address of a draft that this preview leaves out: a page saying so and how to see it."""
    if preview.source_dir is None or preview.drafts_shown or not raw_path.startswith(preview.prefix):
        return None
    segments = url_segments(raw_path[len(preview.prefix) :])
    if segments is None:
        return None
    url = "/" + "/".join(segments)
    url = url.removesuffix("index.html") if url.endswith("/index.html") else url
    url = url if url.endswith((".html", "/")) else url + "/"
    drafts = find_drafts(preview.source_dir / "content")
    return draft_notice(drafts[url], url) if url in drafts else None


def _read(found: Path | None) -> bytes | None:
    try:
        return found.read_bytes() if found is not None else None
    except OSError:  # replaced by a rebuild between finding and reading
        return None


def cache_control(raw_path: str, found: Path | None) -> str:
    """Assets named for their content never change, so reloads reuse them; everything else is
    fetched fresh (including an old asset name answered with the current file)."""
    asked = unquote(raw_path.rsplit("/", 1)[-1])
    if found is not None and found.name == asked and FINGERPRINTED.match(asked):
        return "max-age=31536000, immutable"
    return "no-store"


def content_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
    textual = guessed.startswith("text/") or guessed in ("application/javascript", "image/svg+xml")
    return f"{guessed}; charset=utf-8" if textual or guessed.endswith("+xml") else guessed


def url_segments(raw_path: str) -> list[str] | None:
    """A request path's decoded segments; None if any could step out of a folder or hide a slash."""
    segments = [unquote(part) for part in raw_path.split("/") if part]
    for segment in segments:
        if segment in (".", "..") or any(c in segment for c in "/\\\0"):
            return None
    return segments


def resolve_request(out_dir: Path, prefix: str, raw_path: str) -> Path | Redirect | None:
    """The file inside ``out_dir`` a raw (still percent-encoded) request path names, a redirect that
    adds a folder's slash, or None. Symlinks are followed only while they stay inside ``out_dir``."""
    if raw_path + "/" == prefix:
        return Redirect(prefix)
    segments = url_segments(raw_path[len(prefix) :]) if raw_path.startswith(prefix) else None
    if segments is None:
        return None
    try:
        return _resolve_inside(Path(os.path.realpath(out_dir)), prefix, raw_path, segments)
    except OSError:  # a name too long for the file system, or one removed while we looked
        return None


def _resolve_inside(root: Path, prefix: str, raw_path: str, segments: list[str]) -> Path | Redirect | None:
    target = Path(os.path.realpath(root.joinpath(*segments)))
    if not target.is_relative_to(root):
        return None
    if target.is_dir():
        if segments and not raw_path.endswith("/"):
            return Redirect(prefix + "/".join(quote(s) for s in segments) + "/")
        return _file_inside(root, target / "index.html")
    return _file_inside(root, target) or _file_inside(root, current_fingerprint(target))


def _file_inside(root: Path, candidate: Path | None) -> Path | None:
    if candidate is None:
        return None
    real = Path(os.path.realpath(candidate))
    return real if real.is_relative_to(root) and real.is_file() else None


def current_fingerprint(target: Path) -> Path | None:
    """For an asset name with an old content hash (`site.0123456789.css`), the same asset's current
    file. A page keeps the old name until it reloads; livereload's CSS refresh asks for it."""
    wanted = FINGERPRINTED.match(target.name)
    if wanted is None or not target.parent.is_dir():
        return None
    matches = [
        p
        for p in target.parent.iterdir()
        if (m := FINGERPRINTED.match(p.name)) and (m["stem"], m["suffix"]) == (wanted["stem"], wanted["suffix"])
    ]
    return matches[0] if len(matches) == 1 else None


def inject_preview(page: bytes, port: int, errors: list[str]) -> bytes:
    """Add livereload's script before </head>, and the error overlay (if any) after <body>."""
    script = f'<script src="/livereload.js?port={port}" defer></script>'.encode()
    head = HEAD_CLOSE.search(page)
    page = page[: head.start()] + script + page[head.start() :] if head else script + page
    if not errors:
        return page
    overlay = error_overlay(errors).encode("utf-8")
    body = BODY_OPEN.search(page)
    return page[: body.end()] + overlay + page[body.end() :] if body else page + overlay


OVERLAY_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;"
    "box-sizing:border-box;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;"
    "border-bottom:6px solid #b3261e;box-shadow:0 4px 16px rgba(0,0,0,.35);"
    "font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;text-align:left"
)
CODE_STYLE = (
    "white-space:pre-wrap;overflow-wrap:anywhere;color:#1a1a1a;background:#f4f4f4;"
    "font:15px/1.45 ui-monospace,'DejaVu Sans Mono',monospace"
)
BUTTON_STYLE = (
    "font:inherit;color:#1a1a1a;background:#fff;border:2px solid #1a1a1a;border-radius:4px;"
    "padding:.25rem .75rem;cursor:pointer"
)


def error_overlay(errors: list[str]) -> str:
    """The preview-only notice of a failed build: an alert with each `path:line: message`."""
    items = "".join(f'<li><code style="{CODE_STYLE}">{html.escape(e)}</code></li>' for e in errors)
    noun = "this problem" if len(errors) == 1 else f"these {len(errors)} problems"
    return (
        f'<div id="sitegen-build-error" role="alert" lang="en" style="{OVERLAY_STYLE}">'
        '<p style="margin:0 0 .5rem;color:#8c1d18;font-weight:700">The last change did not build.</p>'
        f'<p style="margin:0 0 .5rem">You are seeing the last good build. Fix {noun} and save; '
        "this message goes away by itself.</p>"
        f'<ol style="margin:0 0 .75rem;padding-left:1.5rem">{items}</ol>'
        f'<button type="button" style="{BUTTON_STYLE}" onclick="this.parentNode.remove()">'
        "Hide this message</button></div>"
    )
