"""The `serve` command's options and life cycle: --drafts, --base-url, a taken port, a failed first
build, --open, Ctrl-C and usage mistakes, each on a server of its own (tests/preview_support.py).
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

from preview_support import BROKEN_YAML, DRAFT_PAGE, PreviewServer, minimal_site, wait_until
from support import run_cli, write


def test_drafts_flag_serves_drafts(tmp_path):
    site = minimal_site(tmp_path)
    write(site / "content" / "later.md", DRAFT_PAGE)
    preview = PreviewServer(site, "--drafts")
    try:
        status, body, _ = preview.request("/later/")
        assert status == 200 and "Draft words." in body
        assert "with drafts" in preview.output
    finally:
        assert preview.stop() == 0, preview.output


def test_base_url_with_a_sub_path_is_served_under_it(tmp_path):
    preview = PreviewServer(minimal_site(tmp_path), "--base-url", "https://example.org/guide/")
    try:
        assert preview.url.endswith("/guide/")
        status, body, _ = preview.request("/guide/")
        assert status == 200 and 'href="/guide/guides/first/"' in body
        assert preview.request("/guide")[2]["Location"] == "/guide/"
        assert preview.request("/index.html")[0] == 404
    finally:
        assert preview.stop() == 0, preview.output


def test_port_taken_picks_the_next_free_port_and_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        preview = PreviewServer(minimal_site(tmp_path), port=port)
        try:
            assert f"Port {port} is in use" in preview.output
            assert urlsplit(preview.url).port != port
            assert urlsplit(preview.url).hostname == "127.0.0.1"
            assert preview.request("/")[0] == 200
        finally:
            assert preview.stop() == 0, preview.output


def test_failed_first_build_still_serves_the_errors_until_fixed(tmp_path):
    site = minimal_site(tmp_path)
    sources = site / "content" / "data" / "sources.yaml"
    good = sources.read_text(encoding="utf-8")
    write(sources, BROKEN_YAML)
    preview = PreviewServer(site)
    try:
        assert "The first build failed: 1 error(s)" in preview.output
        status, body, _ = preview.request("/")
        assert status == 404 and 'role="alert"' in body and "content/data/sources.yaml:" in body
        write(sources, good)
        wait_until(lambda: preview.request("/")[0] == 200, "the home page after the fix")
        assert "sitegen-build-error" not in preview.body("/")
    finally:
        assert preview.stop() == 0, preview.output


def test_open_flag_opens_the_preview_in_the_browser(tmp_path):
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "fake-browser"
    write(fake_browser, f'#!/bin/sh\necho "$1" > "{opened}"\n')
    fake_browser.chmod(0o755)
    preview = PreviewServer(minimal_site(tmp_path), "--open", env={"BROWSER": f"{fake_browser} %s"})
    try:
        wait_until(lambda: opened.is_file() and opened.read_text().strip(), "the browser to be opened")
        assert opened.read_text().strip() == preview.url
    finally:
        assert preview.stop() == 0, preview.output


def test_ctrl_c_stops_cleanly_and_removes_the_scratch_output(tmp_path):
    preview = PreviewServer(minimal_site(tmp_path))
    out_dir = Path(re.search(r"output in (\S+)", preview.output)[1])
    assert (out_dir / "index.html").is_file()
    assert preview.stop() == 0
    assert "Stopped the preview server." in preview.output
    assert "Traceback" not in preview.output
    assert not out_dir.exists()


def test_usage_mistakes_exit_2_with_a_message(tmp_path):
    no_site = run_cli("serve", "--source", str(tmp_path), "--port", "0")
    assert no_site.code == 2 and "no site.yaml" in no_site.err
    site = minimal_site(tmp_path)
    bad_host = run_cli("serve", "--source", str(site), "--host", "203.0.113.7", "--port", "0")
    assert bad_host.code == 2 and "cannot listen on 203.0.113.7" in bad_host.err
