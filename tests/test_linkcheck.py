"""`sources --check-links` against a local HTTP server only (never the internet): 200, a permanent
move, a temporary redirect, 404, a server that refuses HEAD, and one that never answers in time."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support import run_cli

from sitegen.linkcheck import DEAD, MOVED, OK, UNREACHABLE, USER_AGENT, check_links


class Handler(BaseHTTPRequestHandler):
    seen: list = []
    release = threading.Event()

    def _answer(self, include_body: bool) -> None:
        Handler.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        if self.path == "/slow":
            Handler.release.wait(10)  # longer than the client's timeout; released at teardown
            return
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/doi":
            self.send_response(302)
            self.send_header("Location", "/ok")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):  # noqa: N802 (the library's name)
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.seen = []
    Handler.release.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


def test_each_kind_of_answer(server):
    urls = {
        "a-ok": f"{server}/ok",
        "b-moved": f"{server}/moved",
        "c-gone": f"{server}/gone",
        "d-slow": f"{server}/slow",
        "e-no-head": f"{server}/no-head",
        "f-doi": f"{server}/doi",
        "g-closed": "http://127.0.0.1:9/nothing-listens-here",
    }
    results = {r.key: r for r in check_links(urls, timeout=0.5, workers=3)}
    assert [r.key for r in check_links({"b": urls["a-ok"], "a": urls["a-ok"]}, timeout=1)] == ["a", "b"]
    assert (results["a-ok"].status, results["a-ok"].code) == (OK, 200)
    assert (results["b-moved"].status, results["b-moved"].detail) == (MOVED, f"{server}/ok")
    assert (results["c-gone"].status, results["c-gone"].code, results["c-gone"].detail) == (DEAD, 404, "HTTP 404")
    assert results["d-slow"].status == UNREACHABLE and "timed out" in results["d-slow"].detail
    assert (results["e-no-head"].status, results["e-no-head"].code) == (OK, 200)
    assert results["f-doi"].status == OK  # temporary redirects are how DOI links work
    assert results["g-closed"].status == UNREACHABLE


def test_head_first_then_get_and_a_polite_user_agent(server):
    check_links({"x": f"{server}/no-head", "y": f"{server}/ok"}, timeout=2)
    assert sorted(Handler.seen) == [
        ("GET", "/no-head", USER_AGENT),
        ("HEAD", "/no-head", USER_AGENT),
        ("HEAD", "/ok", USER_AGENT),
    ]


def _site_citing(make_site, server):
    sources = (
        f"example-source:\n  title: Fine\n  publisher: P\n  url: {server}/ok\n"
        f"moved-source:\n  title: Moved\n  publisher: P\n  url: {server}/moved\n"
        f"gone-source:\n  title: Gone\n  publisher: P\n  url: {server}/gone\n"
    )
    page = "---\ntitle: T\ndescription: d\nreviewed: 2026-11-01\n---\n\nText [@moved-source; @gone-source].\n"
    return make_site(files={"content/data/sources.yaml": sources, "content/about.md": page})


def test_the_command_reports_dead_and_moved_and_exits_1(make_site, server):
    site = _site_citing(make_site, server)
    result = run_cli("sources", "--check-links", "--timeout", "2", "--source", str(site))
    assert result.code == 1
    links = result.out.split("\nLinks:\n")[1].splitlines()
    assert links[:5] == [
        "Dead: 1",
        f"  gone-source  {server}/gone  -> HTTP 404",
        "Moved (update 'url' to the new address): 1",
        f"  moved-source  {server}/moved  -> {server}/ok",
        "Unreachable: none",
    ]
    assert links[-1] == "Checked 3 address(es): 1 ok, 2 need attention."
    data = json.loads(run_cli("sources", "--check-links", "--json", "--source", str(site)).out)
    assert [(r["key"], r["status"]) for r in data] == [
        ("example-source", OK),
        ("gone-source", DEAD),
        ("moved-source", MOVED),
    ]


def test_all_good_exits_0(make_site, server):
    site = make_site(
        files={"content/data/sources.yaml": f"example-source:\n  title: T\n  publisher: P\n  url: {server}/ok\n"}
    )
    result = run_cli("sources", "--check-links", "--source", str(site))
    assert result.code == 0 and result.out.endswith("Checked 1 address(es): 1 ok, 0 need attention.\n")
