"""Live preview: build the site, serve it on this computer, rebuild on every save, reload open pages.

The last good build stays served after a failed rebuild; the errors show in the terminal and in an
overlay added to every HTML response (never to the files on disk) until a build succeeds again.

This module runs a preview from start to stop: the port, the scratch output folder, the first build,
the server, Ctrl-C. The parts: watch.py notices saves, preview_build.py builds and reports,
preview_http.py answers requests, livereload_adapter.py tells open pages to reload.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import shutil
import signal
import socket
import tempfile
import threading
import webbrowser
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from .build import BuildOptions
from .cache_store import BuildCache
from .errors import EXIT_OK, EXIT_USAGE
from .livereload_adapter import close_reload_sockets
from .preview_build import BuildOutcome, report_build, run_build
from .preview_http import Preview, make_app
from .render_pool import default_jobs
from .watch import WATCHED_DIRS, SourceWatcher, scan_sources
from .write import LateUpdates

log = logging.getLogger(__name__)
PORT_TRIES = 20


@dataclass(frozen=True)
class Listening:
    """Where the preview answers, and what to say and do once it does."""

    host: str
    url: str
    drafts: bool
    open_browser: bool


def serve(
    source_dir: Path,
    *,
    host: str,
    port: int,
    out_dir: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    open_browser: bool = False,
) -> int:
    """Build, serve on ``host``:``port`` and rebuild on every save until Ctrl-C; returns the exit code.
    Without ``out_dir`` the build goes into a temporary folder, removed on exit."""
    source_dir = source_dir.resolve()
    if not (source_dir / "site.yaml").is_file():
        log.error("serve: no site.yaml in %s (run it from the site folder, or pass --source DIR)", source_dir)
        return EXIT_USAGE
    try:
        sockets, bound = bind_free_port(host, port)
    except (OSError, OverflowError) as exc:
        log.error("serve: cannot listen on %s port %s: %s (try another --port)", host, port, exc)
        return EXIT_USAGE
    if port and bound != port:
        log.warning("Port %d is in use, so the preview uses port %d instead.", port, bound)
    scratch = None if out_dir else Path(tempfile.mkdtemp(prefix="sitegen-preview-"))
    out_dir = (out_dir or scratch / "site").resolve()
    base_url = base_url or preview_base_url(host, bound)
    try:
        # every core for the first build, made before any other thread runs (render_pool.can_fork);
        # the rebuilds run on the build thread, in this process
        options = BuildOptions(source_dir, out_dir, base_url, drafts, write=True, jobs=default_jobs())
        _serve(options, sockets, bound, host, open_browser)
    except KeyboardInterrupt:  # Ctrl-C before the server was up (during the first build)
        pass
    finally:
        for sock in sockets:
            sock.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    log.info("Stopped the preview server.")
    return EXIT_OK


def _serve(options: BuildOptions, sockets: list[socket.socket], port: int, host: str, open_browser: bool) -> None:
    source_dir, out_dir, base_url, drafts = options.source_dir, options.out_dir, options.base_url, options.drafts
    prefix = urlsplit(base_url).path.rstrip("/") + "/"
    cache = BuildCache.for_site(options.source_dir.resolve(), options.cache_dir, options.use_cache)
    snapshot = scan_sources(source_dir, out_dir)  # before the build: a save during it starts another
    errors = report_build([], run_build(options, cache, []), first_build=True)
    preview = Preview(out_dir, prefix, port, errors, source_dir=source_dir, drafts_shown=drafts)

    def on_built(outcome: BuildOutcome) -> None:
        preview.errors = report_build(preview.errors, outcome)

    late = LateUpdates()  # the search index, brought up to date after quick edits
    rebuild = partial(run_build, options, cache, late=late)
    watcher = SourceWatcher(source_dir, out_dir, snapshot, rebuild, on_built)
    listening = Listening(host, f"http://{_url_host(host)}:{port}{prefix}", drafts, open_browser)
    asyncio.run(_run_server(preview, sockets, watcher, listening))
    late.wait()  # as the watcher waits for a build: no Pagefind left running, the output left whole


async def _run_server(
    preview: Preview, sockets: list[socket.socket], watcher: SourceWatcher, listening: Listening
) -> None:
    stop = _stop_on_signals()
    server = HTTPServer(make_app(preview))
    server.add_sockets(sockets)
    watcher.start()
    _announce(listening, watcher.source_dir, preview.out_dir)
    await stop.wait()
    watcher.stop()
    server.stop()
    close_reload_sockets()
    try:
        await asyncio.wait_for(server.close_all_connections(), timeout=2)
    except TimeoutError:
        pass


def _announce(listening: Listening, source_dir: Path, out_dir: Path) -> None:
    """Say where the preview is and what it watches; open a browser if asked."""
    watched = ", ".join(f"{d}/" for d in WATCHED_DIRS if (source_dir / d).is_dir())
    log.info("Serving %s%s - press Ctrl-C to stop.", listening.url, " with drafts" if listening.drafts else "")
    log.info("Watching %s and site.yaml; output in %s", watched, out_dir)
    if listening.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("Listening on %s: other computers on the network can see the preview.", listening.host)
    if listening.open_browser:
        threading.Thread(target=webbrowser.open, args=(listening.url,), daemon=True).start()


def _stop_on_signals() -> asyncio.Event:
    """An event set by Ctrl-C (SIGINT) or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (RuntimeError, ValueError):  # not the main thread: the caller stops us another way
            pass
    return stop


def bind_free_port(host: str, port: int) -> tuple[list[socket.socket], int]:
    """Listen on ``port``, or the next free one of the following few; port 0 lets the system choose."""
    last_error: OSError | None = None
    for candidate in range(port, port + PORT_TRIES) if port else (0,):
        try:
            sockets = bind_sockets(candidate, address=host)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            last_error = exc
            continue
        return sockets, sockets[0].getsockname()[1]
    raise OSError(errno.EADDRINUSE, f"ports {port} to {port + PORT_TRIES - 1} are all in use") from last_error


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def preview_base_url(host: str, port: int) -> str:
    """The base URL a preview build uses, so canonical links and assets point at the preview."""
    return f"http://{_url_host(host)}:{port}/"
