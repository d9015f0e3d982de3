"""Real-browser fixtures: build the site once, serve it, drive Debian's chromium.

The site is built at collection time (tests are parametrized over the pages it
produces) and that output is reused by the session. Missing tools fail, never skip.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from support import CHROME_ARGS, CHROMIUM, INSTALL_HINT, ONLY_THIS_MACHINE, require_chromium

REPO_ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Any request to a host other than this machine fails, so the tests can see it.
CHROME_ARGS = [*CHROME_ARGS, ONLY_THIS_MACHINE]
BUILD_FAILED = "<build failed>"
BUILD_TIMEOUT_S = 300


@dataclass(frozen=True)
class BuiltSite:
    out_dir: Path
    pages: list[str]  # site-absolute URL paths: "/", "/guides/safety/", "/404.html"
    error: str = ""  # build output when build.py failed


def discover_pages(out_dir: Path) -> list[str]:
    """Every index.html and 404.html under out_dir, as URL paths."""
    files = [*out_dir.rglob("index.html"), *out_dir.rglob("404.html")]
    urls = []
    for file in files:
        rel = file.relative_to(out_dir).as_posix()
        urls.append("/" + rel.removesuffix("index.html"))
    return sorted(urls)


@functools.cache
def build_site() -> BuiltSite:
    """Run the real generator once per session into a temporary directory."""
    out_dir = Path(tempfile.mkdtemp(prefix="sitegen-browser-")) / "site"
    cmd = [sys.executable, "build.py", "--out", str(out_dir)]
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return BuiltSite(out_dir, [], f"{' '.join(cmd)} did not finish in {BUILD_TIMEOUT_S} s")
    if proc.returncode != 0:
        error = f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        return BuiltSite(out_dir, [], error)
    pages = discover_pages(out_dir)
    if not pages:
        return BuiltSite(out_dir, [], f"build.py wrote no index.html or 404.html in {out_dir}")
    return BuiltSite(out_dir, pages)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_path" in metafunc.fixturenames:
        # On a failed build, one placeholder case makes the failure a test failure.
        pages = build_site().pages or [BUILD_FAILED]
        metafunc.parametrize("page_path", pages, ids=pages)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if build_site.cache_info().currsize:
        shutil.rmtree(build_site().out_dir.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def site() -> BuiltSite:
    built = build_site()
    if built.error:
        pytest.fail(built.error, pytrace=False)
    return built


def site_csp() -> str:
    """The Content-Security-Policy static/_headers sends with every page."""
    for line in (REPO_ROOT / "static" / "_headers").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("Content-Security-Policy:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("static/_headers sets no Content-Security-Policy")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with the site's CSP (what it blocks shows as a console error); unknown paths get
    the site's own 404.html with status 404."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", site_csp())
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


@pytest.fixture(scope="session")
def base_url(site: BuiltSite) -> Iterator[str]:
    """http://127.0.0.1:PORT serving the built site (port chosen by the OS)."""
    handler = partial(SiteHandler, directory=str(site.out_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROME_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """Start of a Nu HTML Checker command line; fails if java or vnu.jar is missing."""
    java = shutil.which("java")
    if java is None or subprocess.run([java, "-version"], capture_output=True, check=False).returncode:
        pytest.fail(f"java is missing; {INSTALL_HINT}", pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(
            f"{VNU_JAR.relative_to(REPO_ROOT)} is missing; {INSTALL_HINT}",
            pytrace=False,
        )
    return [java, "-jar", str(VNU_JAR)]
