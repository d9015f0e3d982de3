"""Every built page in a real browser: axe, phones, errors, no-JS. (Screenshots are taken by `make audit`.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Request
from support import WCAG_TAGS

pytestmark = pytest.mark.browser

AXE = Axe()
MOBILE_WIDTH = 375
MIN_MAIN_TEXT = 200  # characters of visible text in <main> on a content page
MIN_404_TEXT = 40
LOCAL_SCHEMES = ("data:", "blob:", "about:")
OVERFLOWING_JS = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 8)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))"""


@contextmanager
def new_page(browser: Browser, **context_options: object) -> Iterator[Page]:
    """A page in a fresh browser context, closed afterwards."""
    context = browser.new_context(**context_options)
    try:
        yield context.new_page()
    finally:
        context.close()


def format_violations(violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append("    " + " >> ".join(map(str, node["target"])))
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_wcag22_aa_has_no_violations(browser, base_url, page_path, scheme):
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    with new_page(browser) as page:
        page.emulate_media(color_scheme=scheme)
        page.goto(base_url + page_path)
        violations = AXE.run(page, options=options).response["violations"]
    assert not violations, format_violations(violations)


def test_no_horizontal_scroll_on_a_phone(browser, base_url, page_path):
    with new_page(browser, viewport={"width": MOBILE_WIDTH, "height": 800}) as page:
        page.goto(base_url + page_path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        overflowing = page.evaluate(OVERFLOWING_JS) if scroll_width > inner_width else []
    assert scroll_width <= inner_width, (
        f"page is {scroll_width}px wide in a {inner_width}px viewport; elements past the right edge: {overflowing}"
    )


def test_no_errors_and_no_request_leaves_the_server(browser, base_url, page_path):
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        # Chrome probes /favicon.ico by itself on the first visit to a site; that probe
        # is the browser's, not the page's, and would fail whichever test came first.
        if msg.type == "error" and msg.location["url"] != base_url + "/favicon.ico":
            problems.append(f"console error: {msg.text} ({msg.location['url']})")

    def on_request(request: Request) -> None:
        if not request.url.startswith((base_url + "/", *LOCAL_SCHEMES)):
            problems.append(f"request to another host: {request.url}")

    with new_page(browser) as page:
        page.on("console", on_console)
        page.on("pageerror", lambda exc: problems.append(f"uncaught error: {exc}"))
        page.on("request", on_request)
        response = page.goto(base_url + page_path, wait_until="networkidle")
    assert response is not None and response.status == 200, "page did not load"
    assert not problems, "\n".join(problems)


def test_main_content_without_javascript(browser, base_url, page_path):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(base_url + page_path)
        main_count = page.locator("main").count()
        h1_count = page.locator("h1").count()
        text = page.locator("main").first.inner_text() if main_count else ""
    minimum = MIN_404_TEXT if page_path.endswith("404.html") else MIN_MAIN_TEXT
    assert main_count == 1, f"expected one <main>, found {main_count}"
    assert h1_count >= 1, "no <h1> on the page"
    assert len(text.strip()) > minimum, f"<main> has {len(text.strip())} characters of text"
