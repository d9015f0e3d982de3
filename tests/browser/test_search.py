"""Site search in a real browser: Pagefind's UI under the site's CSP, the header's plain form, no JS."""

from __future__ import annotations

import pytest
from test_pages import LOCAL_SCHEMES, new_page

pytestmark = pytest.mark.browser

SEARCH = "/search/"


def test_typing_a_query_lists_results_that_link_to_real_pages(browser, base_url):
    problems: list[str] = []
    with new_page(browser) as page:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on(
            "request",
            lambda r: None if r.url.startswith((base_url + "/", *LOCAL_SCHEMES)) else problems.append(r.url),
        )
        page.goto(base_url + SEARCH)
        box = page.get_by_role("textbox", name="Search for")
        box.wait_for()
        box.focus()
        page.keyboard.type("blood clot")
        first = page.locator(".pagefind-ui__result-link").first
        first.wait_for(timeout=10000)
        href = first.get_attribute("href")
        status = page.request.get(base_url + href.split("#")[0]).status if href.startswith("/") else 0
    assert href.startswith("/") and status == 200, f"result {href} answered {status}"
    assert not problems, problems


def test_the_header_field_is_a_plain_get_form_that_carries_the_query(browser, base_url):
    with new_page(browser) as page:
        page.goto(base_url + "/")
        for _ in range(40):  # Tab from the top of the page until the header's field has focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "site-search":
                break
        assert page.evaluate("document.activeElement.id") == "site-search", "the header's field is not reachable"
        page.keyboard.type("massage")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=massage")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10000)
        value = page.get_by_role("textbox", name="Search for").input_value()
    assert value == "massage"


def test_without_javascript_the_search_page_lists_every_page_by_topic(browser, base_url, site):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(base_url + "/?")
        page.get_by_role("searchbox", name="Search this site").fill("pressure")
        page.get_by_role("button", name="Search").first.click()
        page.wait_for_url("**/search/?q=pressure")
        listed = page.locator(".all-pages a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        topics = page.locator(".all-pages h3").all_inner_texts()
    expected = {p for p in site.pages if p not in {"/404.html", SEARCH}}
    assert expected <= set(listed), f"not listed: {sorted(expected - set(listed))}"
    assert len(topics) >= 2, topics


def test_an_index_in_parts_is_searched_as_one(browser, tmp_path, monkeypatch):
    """A large site's index comes in parts (search_index.py); the UI merges them. The real site,
    built with parts of four pages, finds the pages of every part for a word they all hold."""
    import threading
    from functools import partial
    from http.server import ThreadingHTTPServer

    from conftest import REPO_ROOT, SiteHandler

    from sitegen import search_index
    from sitegen.build import BuildOptions, build_site

    monkeypatch.setattr(search_index, "PAGES_PER_PART", 4)
    out = tmp_path / "site"
    build_site(BuildOptions(REPO_ROOT, out, use_cache=False))
    count = len(list((out / "pagefind" / "more").iterdir())) + 1
    assert count >= 3
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    problems: list[str] = []
    try:
        with new_page(browser) as page:
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(base + SEARCH + "?q=massage")
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10000)
            while page.locator(".pagefind-ui__button").count():  # "Load more results"
                page.locator(".pagefind-ui__button").first.click()
            hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
                "els => els.map(a => a.getAttribute('href').split('#')[0])"
            )
    finally:
        server.shutdown()
        server.server_close()
    found = {search_index.part_of(href.lstrip("/") + "index.html", count) for href in hrefs if href.endswith("/")}
    assert found == set(range(count)), f"results came from parts {sorted(found)} of {count}: {hrefs}"
    assert not problems, problems
