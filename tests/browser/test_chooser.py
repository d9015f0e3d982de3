"""The chooser page in a real browser: the answer in place with JavaScript, the table without it."""

from __future__ import annotations

import pytest
from test_pages import new_page

pytestmark = pytest.mark.browser

CHOOSER = "/chooser/"


def test_a_safety_answer_wins_and_is_announced_in_place(browser, base_url):
    with new_page(browser) as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base_url + CHOOSER)
        page.get_by_label("To unwind and feel less stressed").check()
        page.get_by_label("Light and gentle").check()
        page.get_by_label("Do you have a blood clot", exact=False).check()
        page.get_by_role("button", name="Show my answer").click()
        status = page.get_by_role("status")
        status.get_by_role("heading", name="Don't book a massage yet", exact=False).wait_for()
        text = status.inner_text()
        assert status.get_attribute("aria-live") == "polite"
        assert page.url == base_url + CHOOSER, "the form must not leave the page when JavaScript runs"
        focused = page.evaluate("document.activeElement.textContent")
    assert "see a doctor" in text.lower() and "don’t book" in text.lower().replace("'", "’"), text
    assert "relaxation" not in text.lower(), "a safety answer must win over the other answers"
    assert not errors, errors
    assert focused == "Show my answer", "focus stays on the button; the answer is read from the live region"


def test_answers_without_safety_lead_to_the_rules_answer_with_its_guides(browser, base_url):
    with new_page(browser) as page:
        page.goto(base_url + CHOOSER)
        page.get_by_label("To unwind and feel less stressed").check()
        page.get_by_label("Light and gentle").check()
        page.get_by_role("button", name="Show my answer").click()
        status = page.get_by_role("status")
        status.get_by_role("heading", name="A relaxation (Swedish) massage").wait_for()
        links = status.get_by_role("link").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        duplicate_ids = page.evaluate(
            "[...document.querySelectorAll('[id]')].map(e => e.id).filter((id, i, all) => all.indexOf(id) !== i)"
        )
    assert any(href.endswith("/guides/relaxation-massage/") for href in links), links
    assert not duplicate_ids, f"the copied answer repeats ids: {duplicate_ids}"


def test_a_missing_answer_says_so_and_moves_focus_to_the_question(browser, base_url):
    with new_page(browser) as page:
        page.goto(base_url + CHOOSER)
        page.get_by_label("To unwind and feel less stressed").check()
        page.get_by_role("button", name="Show my answer").click()
        page.get_by_role("status").get_by_text("Pick one answer to each question").wait_for()
        focused = page.evaluate("document.activeElement.name")
    assert focused == "pressure"


def test_without_javascript_the_table_lists_every_answer_and_the_form_goes_there(browser, base_url):
    with new_page(browser, java_script_enabled=False) as page:
        page.goto(base_url + CHOOSER)
        page.get_by_label("Do you have a blood clot", exact=False).check()
        page.get_by_role("button", name="Show my answer").click()
        page.wait_for_url("**/chooser/?safety=clot#how-we-decide")
        table = page.locator("#how-we-decide")
        safety_first = table.locator("ol li").first
        assert "blood clot" in safety_first.inner_text()
        safety_first.get_by_role("link").click()
        page.wait_for_url("**#outcome-dont-book")
        outcome = page.locator("#outcome-dont-book")
        text = outcome.inner_text()
        guide_links = outcome.get_by_role("link").evaluate_all("els => els.map(a => a.getAttribute('href'))")
        rows = table.locator("tbody tr").count()
    assert "see a doctor" in text.lower() and "don’t book" in text.lower().replace("'", "’"), text
    assert any(href.endswith("/guides/safety/") for href in guide_links), guide_links
    assert any(href.startswith("#ref-") for href in guide_links), "the answer cites its sources"
    assert rows >= 5, f"the decision table has {rows} rows"
