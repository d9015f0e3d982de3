"""At a draft's address, the plain preview (no --drafts) explains the draft instead of a bare 404:
over HTTP, and in a real browser (axe-clean, no script errors, no horizontal scroll at 375 px)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from preview_support import DRAFT_PAGE, NOT_FOUND_TEXT, PreviewServer, minimal_site
from support import CHROME_ARGS, CHROMIUM, WCAG_TAGS, require_chromium, write

from sitegen.drafts import draft_notice


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[PreviewServer]:
    site = minimal_site(tmp_path_factory.mktemp("drafts"))
    write(site / "content" / "later.md", DRAFT_PAGE)
    server = PreviewServer(site)
    yield server
    assert server.stop() == 0, server.output


@pytest.mark.parametrize("raw_path", ["/later/", "/later", "/later/index.html"])
def test_a_drafts_address_says_it_is_a_draft_and_how_to_preview_it(preview, raw_path):
    status, body, headers = preview.request(raw_path)
    assert status == 404  # nothing is built there
    assert "This page is a draft" in body and "<code>content/later.md</code>" in body
    assert "make serve-drafts" in body and "build.py serve --drafts" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_any_other_missing_address_gets_the_sites_404_page(preview):
    status, body, _ = preview.request("/nothing-here/")
    assert status == 404 and NOT_FOUND_TEXT in body and "is a draft" not in body


def test_the_notice_escapes_what_it_shows():
    body = draft_notice("content/<b>.md", "/<b>/").decode()
    assert "<b>" not in body and "&lt;b&gt;" in body


@pytest.mark.browser
def test_the_draft_notice_in_a_real_browser(preview):
    require_chromium()
    found: dict = {}

    def run() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROME_ARGS)
            try:
                page = browser.new_page(viewport={"width": 375, "height": 700})
                errors: list[str] = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.goto(preview.url + "later/")
                found["heading"] = page.locator("h1").inner_text()
                found["scroll"] = page.evaluate("document.documentElement.scrollWidth")
                found["axe"] = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
                found["errors"] = errors
            finally:
                browser.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert found["heading"] == "This page is a draft"
    assert found["scroll"] <= 375
    assert found["axe"].violations_count == 0, found["axe"].generate_report()
    assert found["errors"] == []
