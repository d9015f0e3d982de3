"""The live preview in a real browser: Playwright driving Debian's chromium (never a downloaded one).

Each scenario runs in its own thread with its own Playwright: the sync API allows one instance per
thread, and tests/browser keeps one open for the whole session.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright
from preview_support import BROKEN_YAML, DEADLINE_S, PreviewServer, minimal_site
from support import CHROME_ARGS, CHROMIUM, ROOT, WCAG_TAGS, copy_real_site, require_chromium, write

pytestmark = pytest.mark.browser

DEADLINE_MS = DEADLINE_S * 1000
# livereload.js fires LiveReloadConnect once its WebSocket handshake is done.
MARK_CONNECTED = "document.addEventListener('LiveReloadConnect', () => { window.__livereload = true; });"
LATENCY_EDITS = 7
LATENCY_REPORT = ROOT / "test-artifacts" / "serve-latency.json"
# When the reloaded page first painted, in seconds since the epoch (as time.time()); the time its
# DOM was ready if chromium reports no paint within a second.
SHOWN_AT = """() => new Promise(resolve => {
  const at = ms => resolve((performance.timeOrigin + ms) / 1000);
  new PerformanceObserver(list => {
    const paint = list.getEntries().find(e => e.name === 'first-contentful-paint');
    if (paint) at(paint.startTime);
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => at(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd), 1000);
})"""
DRAFT_GUIDE = """---
title: A guide still being written
description: A draft guide, to check that preview shows drafts with a banner.
date: 2026-11-20
reviewed: 2026-11-20
draft: true
---

This guide is not finished yet.
"""


def in_browser(scenario: Callable[[Page], None]) -> None:
    """Run ``scenario`` with a fresh chromium page in a thread of its own; re-raise what it raised."""
    require_chromium()
    raised: list[BaseException] = []

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROME_ARGS)
                try:
                    page = browser.new_page()
                    page.set_default_timeout(DEADLINE_MS)
                    page.add_init_script(MARK_CONNECTED)
                    scenario(page)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread below
            raised.append(exc)

    worker = threading.Thread(target=run, name="playwright")
    worker.start()
    worker.join()
    if raised:
        raise raised[0]


def open_connected(page: Page, url: str) -> None:
    """Open ``url`` and wait until livereload is listening, then mark the page to tell a reload."""
    page.goto(url)
    wait_connected(page)


def wait_connected(page: Page) -> None:
    page.wait_for_function("window.__livereload === true")
    page.evaluate("window.__openedBeforeEdit = true")


def reloaded(page: Page) -> bool:
    return page.evaluate("window.__openedBeforeEdit") is None


@pytest.fixture
def server(tmp_path) -> Iterator[PreviewServer]:
    preview = PreviewServer(minimal_site(tmp_path))
    yield preview
    assert preview.stop() == 0, preview.output


def test_open_page_reloads_by_itself_and_shows_the_edit(server):
    guide = server.site / "content" / "guides" / "first.md"

    def scenario(page: Page) -> None:
        open_connected(page, server.url + "guides/first/")
        write(guide, guide.read_text(encoding="utf-8") + "\nWords just typed in an editor.\n")
        page.get_by_text("Words just typed in an editor.").wait_for()
        assert reloaded(page)

    in_browser(scenario)


def test_stylesheet_edit_refreshes_styles_without_a_reload(server):
    css = server.site / "assets" / "css" / "site.css"

    def scenario(page: Page) -> None:
        open_connected(page, server.url)
        write(css, css.read_text(encoding="utf-8") + "\nh1 { color: rgb(1, 2, 3); }\n")
        page.wait_for_function("getComputedStyle(document.querySelector('h1')).color === 'rgb(1, 2, 3)'")
        assert not reloaded(page), "a CSS-only change should swap the stylesheet, not reload the page"

    in_browser(scenario)


def test_error_overlay_appears_on_an_open_page_and_clears_after_the_fix(server):
    sources = server.site / "content" / "data" / "sources.yaml"
    good = sources.read_text(encoding="utf-8")

    def scenario(page: Page) -> None:
        open_connected(page, server.url + "guides/first/")
        write(sources, BROKEN_YAML)
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "content/data/sources.yaml:" in alert.inner_text()
        assert "The last change did not build." in alert.inner_text()
        assert page.get_by_role("heading", name="The first guide").is_visible()  # the last good page
        assert_accessible(page, "#sitegen-build-error")
        wait_connected(page)
        write(sources, good)
        alert.wait_for(state="detached")
        assert reloaded(page)

    in_browser(scenario)


def assert_accessible(page: Page, selector: str) -> None:
    """axe-core's WCAG 2.2 A/AA rules pass for the element, in the light and the dark scheme."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = Axe().run(page, context=selector, options=options).response["violations"]
        assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.fixture(scope="module")
def real_site_server(tmp_path_factory) -> Iterator[PreviewServer]:
    """The preview of a copy of the real site, drafts shown, with one draft guide added."""
    site = copy_real_site(tmp_path_factory.mktemp("real") / "site")
    write(site / "content" / "guides" / "zz-preview-draft.md", DRAFT_GUIDE)
    preview = PreviewServer(site, "--drafts")
    yield preview
    assert preview.stop() == 0, preview.output


def test_drafts_show_in_preview_with_a_draft_banner(real_site_server):
    in_browser(lambda page: check_draft_banner(page, real_site_server.url + "guides/zz-preview-draft/"))


def test_real_site_one_file_edit_reaches_the_open_page(real_site_server):
    """Every save of content/about.md shows in the open page by itself. The seconds it takes are
    recorded for bench/serve_latency.py (a target, not a test: timings belong in benchmarks)."""
    about = real_site_server.site / "content" / "about.md"
    start = len(real_site_server.lines)
    latencies: list[float] = []
    in_browser(lambda page: latencies.extend(measure_edits(page, real_site_server, about)))
    builds = [line for line in real_site_server.lines[start:] if "Rebuilt" in line]
    report_latency(latencies, builds)
    assert len(latencies) == LATENCY_EDITS


def measure_edits(page: Page, preview: PreviewServer, src_path: Path) -> list[float]:
    """Seconds from saving a one-line edit to the reloaded page's first paint, per edit."""
    original = src_path.read_text(encoding="utf-8")
    open_connected(page, preview.url + "about/")
    latencies = []
    try:
        for number in range(1, LATENCY_EDITS + 1):
            marker = f"Latency probe number {number} is on the page."
            saved_at = time.time()
            write(src_path, f"{original}\n{marker}\n")
            page.get_by_text(marker).wait_for()
            latencies.append(page.evaluate(SHOWN_AT) - saved_at)
            wait_connected(page)
    finally:
        write(src_path, original)
    return latencies


def check_draft_banner(page: Page, url: str) -> None:
    page.goto(url)
    banner = page.locator(".draft-banner")
    assert banner.is_visible()
    assert "Draft" in banner.inner_text()


def report_latency(latencies: list[float], builds: list[str]) -> None:
    """Keep the figures in test-artifacts/ for the record (the test output shows them on failure)."""
    LATENCY_REPORT.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "what": "one-line edit of content/about.md on a copy of the real site -> first paint of the reloaded page",
        "seconds": [round(s, 3) for s in latencies],
        "median_s": round(statistics.median(latencies), 3),
        "max_s": round(max(latencies), 3),
        "server_log": builds,
    }
    LATENCY_REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
