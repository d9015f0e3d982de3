"""The live-preview server (`build.py serve`), run for real over copies of fixture sites.

The server runs as a subprocess on a free loopback port and is stopped with Ctrl-C (SIGINT), so
every test also checks a clean stop. Conditions are polled with a deadline, never slept for.
Here: edits and rebuilds, and what a running preview answers. The command's options are in
test_serve_command.py, the pure parts in test_serve_units.py, the harness in preview_support.py.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from preview_support import BROKEN_YAML, DRAFT_PAGE, NOT_FOUND_TEXT, PreviewServer, minimal_site, wait_until
from support import copy_real_site, write
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from sitegen.write import JOURNAL

SECRET = "top secret text outside the served folder"


@pytest.fixture
def server(tmp_path) -> Iterator[PreviewServer]:
    """A server over a fresh copy of the minimal site, writing into tmp_path/out."""
    preview = PreviewServer(minimal_site(tmp_path), "--out", str(tmp_path / "out"))
    yield preview
    assert preview.stop() == 0, preview.output
    assert "Stopped the preview server." in preview.output


def test_edit_markdown_serves_new_text_without_a_browser(server):
    page = server.site / "content" / "guides" / "first.md"
    assert "Freshly edited words" not in server.body("/guides/first/")
    before = len(server.lines)
    write(page, page.read_text(encoding="utf-8") + "\nFreshly edited words.\n")

    server.wait_for_line("Rebuilt", before)  # nothing asked for a page: the rebuild came from the watcher
    assert "content/guides/first.md" in server.output
    wait_until(lambda: "Freshly edited words" in server.body("/guides/first/"), "the edited text to be served")


def test_broken_data_file_shows_overlay_and_keeps_old_page_until_fixed(server, tmp_path):
    sources = server.site / "content" / "data" / "sources.yaml"
    good = sources.read_text(encoding="utf-8")
    write(sources, BROKEN_YAML)

    body = wait_until(
        lambda: (b := server.body("/")) and "sitegen-build-error" in b and b, "the error overlay on the home page"
    )
    assert 'role="alert"' in body
    assert re.search(r"content/data/sources\.yaml:\d+: this is not valid YAML", body), body
    assert "Welcome. Read" in body  # the last good page is still served under the overlay
    assert re.search(r"\d+\. content/data/sources\.yaml:\d+: ", server.output), server.output
    assert "sitegen-build-error" in server.body("/guides/first/")  # every page, not just one
    on_disk = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "sitegen-build-error" not in on_disk and "livereload" not in on_disk

    write(sources, good)
    wait_until(lambda: "sitegen-build-error" not in server.body("/"), "the overlay to go after the fix")
    assert "Fixed: rebuilt" in server.output
    assert "Welcome. Read" in server.body("/")


def test_burst_of_saves_is_one_rebuild_and_editor_temp_files_are_ignored(server):
    content = server.site / "content"
    start = len(server.lines)
    # Like an editor's "save all": each file written aside (a dot file, ignored), then renamed in.
    burst = [content / name for name in ("index.md", "guides/first.md", "404.md")]
    for src_path in burst:
        write(src_path.with_name(f".{src_path.name}.saving"), src_path.read_text(encoding="utf-8") + "\nBurst.\n")
    for src_path in burst:
        os.replace(src_path.with_name(f".{src_path.name}.saving"), src_path)
    first = server.wait_for_line("Rebuilt", start)
    assert "content/404.md, content/guides/first.md, content/index.md" in first

    after_first = len(server.lines)
    for name in (".index.md.swp", "index.md~", "#index.md#", ".#index.md", "guides/.first.md.swx", "4913"):
        write(content / name, "editor scratch")
    write(content / "guides" / "first.md", (content / "guides" / "first.md").read_text(encoding="utf-8") + "\nMore.\n")
    second = server.wait_for_line("Rebuilt", after_first)
    assert second.endswith("after a change to content/guides/first.md.")
    assert sum("Rebuilt" in line for line in server.lines) == 2, server.output


@pytest.fixture(scope="module")
def still_server(tmp_path_factory) -> Iterator[PreviewServer]:
    """A server nobody edits under, with symlinks in its output that point out of it."""
    root = tmp_path_factory.mktemp("still")
    site = minimal_site(root)
    write(site / "content" / "later.md", DRAFT_PAGE)
    out = root / "out"
    preview = PreviewServer(site, "--out", str(out))
    write(root / "secret.txt", SECRET)
    write(root / "secret-folder" / "secret.txt", SECRET)
    (out / "outside-link.txt").symlink_to(root / "secret.txt")
    (out / "outside-folder").symlink_to(root / "secret-folder", target_is_directory=True)
    (out / "inside-link.html").symlink_to(out / "index.html")
    yield preview
    assert preview.stop() == 0, preview.output


ESCAPES = [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/%2e%2e%2fsecret.txt",
    "/guides/../../secret.txt",
    "/guides/%2e%2e/%2e%2e/secret.txt",
    "/guides/..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/%252e%252e/secret.txt",
    "/.%2e/secret.txt",
    "/outside-link.txt",
    "/outside-folder/secret.txt",
    "/outside-folder/",
    "/outside-folder",
    "/secret.txt%00.html",
    "//secret.txt",
    "/site.yaml",
    "/content/index.md",
]


@pytest.mark.parametrize("raw_path", ESCAPES)
def test_paths_outside_the_served_folder_get_the_sites_404(still_server, raw_path):
    status, body, _ = still_server.request(raw_path)
    assert status == 404, body
    assert SECRET not in body
    assert NOT_FOUND_TEXT in body


def test_unknown_path_gets_the_sites_404_page_with_status_404(still_server):
    status, body, headers = still_server.request("/no/such/page/")
    assert status == 404
    assert NOT_FOUND_TEXT in body and "<title>Page not found" in body
    assert headers["Content-Type"].startswith("text/html")
    assert "/livereload.js" in body


def test_drafts_are_not_served_without_the_flag(still_server):
    assert still_server.request("/later/")[0] == 404


def test_symlink_inside_the_folder_is_served(still_server):
    status, body, _ = still_server.request("/inside-link.html")
    assert status == 200 and "Welcome. Read" in body


def test_folder_without_slash_redirects_and_head_has_no_body(still_server):
    status, _, headers = still_server.request("/guides/first")
    assert status in (301, 302) and headers["Location"] == "/guides/first/"
    status, body, headers = still_server.request("/", method="HEAD")
    assert status == 200 and body == "" and int(headers["Content-Length"]) > 0
    assert headers["Cache-Control"] == "no-store"


def test_fingerprinted_assets_are_cached_and_old_names_get_the_current_file(still_server):
    css_url = re.search(r'href="(/assets/css/site\.[0-9a-f]{10}\.css)"', still_server.body("/"))[1]
    status, body, headers = still_server.request(css_url)
    assert status == 200 and headers["Cache-Control"] == "max-age=31536000, immutable"
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    status, old_body, headers = still_server.request("/assets/css/site.0000000000.css")
    assert status == 200 and old_body == body and headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("origin", "allowed"), [(None, True), ("http://evil.example", False)])
def test_reload_socket_refuses_other_sites(still_server, origin, allowed):
    ws_url = still_server.url.replace("http://", "ws://") + "livereload"
    headers = {"Origin": origin} if origin else {}

    async def connect() -> bool:
        try:
            socket_ = await websocket_connect(HTTPRequest(ws_url, headers=headers, connect_timeout=10))
        except HTTPClientError as exc:
            assert exc.code == 403
            return False
        socket_.close()
        return True

    # In a thread of its own: a Playwright session elsewhere in the run may own this thread's loop.
    result: list[bool] = []
    worker = threading.Thread(target=lambda: result.append(asyncio.run(connect())))
    worker.start()
    worker.join()
    assert result == [allowed]


def _still_serving(preview: PreviewServer) -> None:
    status, body, _ = preview.request("/")
    assert status == 200 and "Welcome. Read" in body
    assert "Traceback" not in preview.output


@pytest.mark.parametrize("length", [8_000, 70_000, 1_000_000])
def test_very_long_urls_are_refused_and_the_server_keeps_serving(still_server, length):
    try:
        status, body, _ = still_server.request("/" + "a" * length)
        assert status in (404, 414, 431) and SECRET not in body
    except (ConnectionError, http.client.HTTPException):
        pass  # tornado may drop a request line past its limit without an answer
    _still_serving(still_server)


def test_two_hundred_parallel_requests_all_get_their_answer(still_server):
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/", "/guides/first/", "/no/such/page/", "/../secret.txt"] * 50
    with ThreadPoolExecutor(max_workers=200) as pool:
        answers = list(pool.map(still_server.request, paths))
    for path, (status, body, _) in zip(paths, answers, strict=True):
        assert status == (404 if "such" in path or "secret" in path else 200), path
        assert SECRET not in body
    _still_serving(still_server)


def test_clients_that_disconnect_mid_response_do_not_stop_the_server(still_server):
    big = still_server_out(still_server) / "big.bin"
    big.write_bytes(b"x" * 8_000_000)
    parts = urlsplit(still_server.url)
    for request in (b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /gu"):
        for _ in range(20):
            with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
                sock.sendall(request)
                if request.endswith(b"\r\n\r\n"):
                    sock.recv(1024)  # the first bytes of the answer, then hang up
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    big.unlink()
    _still_serving(still_server)


def still_server_out(preview: PreviewServer) -> Path:
    return Path(re.search(r"output in (\S+)", preview.output)[1])


def test_canonical_links_point_at_the_preview(still_server):
    sitemap = still_server.body("/sitemap.xml")
    assert still_server.url in sitemap and "example.org" not in sitemap


def test_a_text_edit_rebuilds_one_page_and_the_search_index_catches_up(tmp_path):
    """The real site in a running preview: a save of a guide's text rebuilds that page alone, the
    open page can reload at once, and Pagefind's index has the new words soon after."""
    site, out = tmp_path / "site", tmp_path / "out"
    copy_real_site(site)
    preview = PreviewServer(site, "--out", str(out))
    try:
        guide = site / "content" / "guides" / "safety.md"
        before = len(preview.lines)
        write(guide, guide.read_text(encoding="utf-8") + "\nA zebracorn sentence for the search.\n")
        assert "Rebuilt just the edited page" in preview.wait_for_line("Rebuilt", before)
        assert "zebracorn" in preview.body("/guides/safety/")

        def indexed() -> bool:
            fragments = [gzip.decompress(f.read_bytes()) for f in (out / "pagefind").rglob("*.pf_fragment")]
            return not (out / JOURNAL).exists() and any(b"zebracorn" in fragment for fragment in fragments)

        wait_until(indexed, "the search index to have the new words")
    finally:
        assert preview.stop() == 0, preview.output


def test_a_preview_stopped_right_after_a_quick_edit_leaves_no_pagefind_running(tmp_path):
    """Pagefind indexes a quick edit after the reload; stopping the preview waits for it, so no
    Pagefind process is left behind and the output folder is whole (no journal)."""
    site, out = tmp_path / "site", tmp_path / "out"
    copy_real_site(site)
    preview = PreviewServer(site, "--out", str(out))
    guide = site / "content" / "guides" / "safety.md"
    before = len(preview.lines)
    write(guide, guide.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    assert "Rebuilt just the edited page" in preview.wait_for_line("Rebuilt", before)
    assert preview.stop() == 0, preview.output
    running = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and b"pagefind" in command and str(out).encode() in command:
            running.append(command)
    assert running == []
    assert not (out / JOURNAL).exists()
