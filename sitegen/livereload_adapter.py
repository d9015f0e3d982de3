"""The one place that touches python-livereload, whose handlers are configured through class attributes.

The preview uses livereload only for its browser side: the WebSocket open pages listen on, the
script that connects them, and the message that makes them reload (see watch.py for why).
"""

from __future__ import annotations

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado.websocket import WebSocketHandler


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket, taking connections only from pages of this preview."""

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)


def reload_routes() -> list[tuple]:
    """The tornado routes of the reload socket and its script, with livereload set up for them."""
    LiveReloadHandler.watcher = Watcher()  # livereload reads only its `filepath`, for a log line
    LiveReloadHandler.live_css = True
    return [(r"/livereload", ReloadSocket), (r"/livereload\.js", LiveReloadJSHandler)]


def reload_pages(css_path: str | None) -> None:
    """Tell every open page to reload; a `.css` path makes livereload refresh stylesheets only."""
    LiveReloadHandler.reload_waiters(path=css_path or "*")


def close_reload_sockets() -> None:
    """Hang up on every open page, so the server can stop."""
    for waiter in list(LiveReloadHandler.waiters):
        waiter.close()
