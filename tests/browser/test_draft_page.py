"""Draft claims from a pasted paragraph in a real browser (issue 23's done-means): the demo
briefing's Middle Corridor paragraph gives drafts for $10 billion to 2030, 900 km this year and
six vessels with the demo's bound, period and kind; confirming them on the demo merges them
into its three claims and says so; on an empty database it stores three claims citing the
briefing. Keyboard only where a person would use it; axe-core finds no serious or critical
violation and nothing scrolls sideways, at 1,280 and 390 px."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp, app_env, serving
from tests.browser.session import DESKTOP, MOBILE, screenshot, sign_in
from tests.drafts.test_router import BRIEFING, middle_corridor
from tests.live import claimtrack, empty_database

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """A live server on a migrated database with no demo data, and an analyst's key."""
    folder = tmp_path_factory.mktemp("browser-empty")
    with empty_database("browser_empty", folder) as database:
        env = app_env(database)
        claimtrack(env, "migrate")
        key = claimtrack(env, "keys", "create", "browser analyst", "--role", "analyst").strip()
        with serving(env, folder) as url:
            yield LiveApp(url, key)


def _accessible_at_both_widths(page: "Page") -> None:
    """axe-core at 1,280 px and at 390 px, where nothing may scroll sideways."""
    assert_accessible(page)
    page.set_viewport_size(MOBILE)
    try:
        sideways = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways == 0
        assert_accessible(page)
    finally:
        page.set_viewport_size(DESKTOP)


def _paste(page: "Page", *, known_source: bool) -> None:
    """Paste the paragraph with the briefing's URL (a known source fills the rest itself)."""
    page.goto("/claims/new")
    page.get_by_role("link", name="paste a paragraph").click()
    form = page.locator("#paste-form")
    form.get_by_label("Text to read").fill(middle_corridor())
    form.get_by_label("Address (URL)").fill(BRIEFING["url"])
    found = page.locator("#paste-source-found")
    if known_source:
        found.get_by_text("Known source: " + BRIEFING["title"]).wait_for()
        assert form.get_by_label("Title").input_value() == BRIEFING["title"]
        assert form.get_by_label("Published on").input_value() == BRIEFING["published_on"]
        assert form.get_by_label("Kind of source").input_value() == BRIEFING["kind"]
    else:
        found.get_by_text("A new source").wait_for()
        form.get_by_label("Title").fill(BRIEFING["title"])
        form.get_by_label("Publisher").fill(BRIEFING["publisher"])
        form.get_by_label("Published on").fill(BRIEFING["published_on"])
        form.get_by_label("Kind of source").select_option(BRIEFING["kind"])
    form.get_by_role("button", name="Read the figures").click()
    page.wait_for_url("**/claims/drafts")


def _cells(page: "Page", selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_middle_corridor_drafts_and_merges_into_the_demo_claims(
    page: "Page", live_app: LiveApp
) -> None:
    sign_in(page, live_app)
    _paste(page, known_source=True)
    marks = page.locator(".drafted-text mark a")
    assert marks.all_inner_texts() == ["$10 billion", "900 kilometers", "six"]
    skipped = page.locator(".drafted-text .skipped")
    assert [skipped.nth(i).get_attribute("title") for i in range(skipped.count())] == [
        "not a figure: part of a date",
        "not a figure: part of a date",
        "not a figure: a year used as a date",
    ]
    values = [page.locator(f"#value_text-{n}").input_value() for n in (1, 2, 3)]
    assert values == ["$10 billion", "900 kilometers", "six"]
    assert _cells(page, ".drafts .read-as") == ["9.5–10.5 billion USD", "899.5–900.5 km", "5.5–6.5"]
    bounds = [t.split(" · ")[0] for t in _cells(page, ".drafts .read-as + p")]
    assert bounds == ["exact", "exact", "exact"]
    assert [page.locator(f"#period-{n}").input_value() for n in (1, 2, 3)] == [
        "to 2030",
        "this year",
        "",
    ]
    assert _cells(page, ".drafts .period-dates") == [
        "2026-05-28 … 2030-12-31",
        "2026-01-01 … 2026-12-31",
        "—",
    ]
    kinds = [page.locator(f"#kind-{n}").input_value() for n in (1, 2, 3)]
    assert kinds == ["commitment", "target", "actual"]
    assert [page.locator(f"#entity-{n}").input_value() for n in (1, 2, 3)] == ["ktz"] * 3
    assert [page.locator(f"#metric-{n}").input_value() for n in (1, 2, 3)] == [
        "investment",
        "new-rail-length",
        "vessels-commissioned",
    ]
    # A figure in the text leads to its row, and the row back to it.
    marks.nth(1).click()
    assert page.evaluate("() => location.hash") == "#draft-2"
    _accessible_at_both_widths(page)
    screenshot(page, "claim-drafts")

    # Keyboard: from the last draft's basis, Tab reaches the buttons; Enter on Confirm.
    page.locator("#basis-3").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == (
        "Confirm the ticked drafts"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/claims/drafts/confirm")
    assert page.locator("#done").inner_text() == (
        "0 claims created, 3 merged into claims stored before"
    )
    assert page.locator(".done-table tr.merged").count() == 3
    _accessible_at_both_widths(page)
    screenshot(page, "claim-drafts-confirmed")


def test_middle_corridor_confirmed_on_an_empty_database_stores_three_claims(
    browser: "Browser", empty_app: LiveApp
) -> None:
    context = browser.new_context(base_url=empty_app.url, viewport=DESKTOP)
    try:
        page = context.new_page()
        sign_in(page, empty_app)
        _paste(page, known_source=False)
        assert page.locator(".drafted-text mark a").all_inner_texts() == [
            "$10 billion",
            "900 kilometers",
            "six",
        ]
        # Keyboard: untick nothing, confirm with Space on the focused button.
        page.get_by_role("button", name="Confirm the ticked drafts").focus()
        page.keyboard.press("Space")
        page.wait_for_url("**/claims/drafts/confirm")
        assert page.locator("#done").inner_text() == (
            "3 claims created, 0 merged into claims stored before"
        )
        links = page.locator(".done-table tr.created td:nth-child(2) a")
        assert [t.split(": ", 1)[1] for t in links.all_inner_texts()] == [
            "$10 billion",
            "900 kilometers",
            "six",
        ]
        links.first.click()
        page.wait_for_url("**/claims/*")
        sources = page.locator(".citation figcaption a")
        assert sources.all_inner_texts() == [BRIEFING["title"]]
        assert sources.get_attribute("href") == BRIEFING["url"]
    finally:
        context.close()
