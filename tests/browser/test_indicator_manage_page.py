"""An indicator made and managed in a real browser: created from /indicators/new, its values
and a target added on its manage page and seen on its chart, a refused value shown in the API's
words, a value's vintages opened, corrected and withdrawn; axe-core finds nothing serious and
nothing scrolls sideways at 390 px; screenshots (CLAIMTRACK_SCREENSHOTS) of both pages.

The indicator is this test's own (other tests count the demo's): its values are withdrawn at
the end, so the watchlist's sparklines stay the demo's."""

from typing import TYPE_CHECKING

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.browser.session import DESKTOP, MOBILE, screenshot, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

SLUG = "renewable-share-of-power"
MANAGE = f"/indicators/{SLUG}/manage"


def _checked_at_both_widths(page: "Page") -> None:
    assert_accessible(page)
    page.set_viewport_size(MOBILE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"{page.url} is {width} px wide at 390 px"
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def _chart(page: "Page") -> tuple[int, list[str]]:
    """The indicator page's chart as drawn: its series' dots and its goals' labels."""
    page.goto(f"/indicators/{SLUG}")
    page.locator("#chart svg").wait_for()
    dots = page.locator('#chart g[aria-label="dot"] circle').count()
    return dots, page.locator('#chart g[aria-label="text"] text').all_text_contents()


def _add_value(page: "Page", period: str, value: str, vintage: str) -> None:
    form = page.locator("#observation-new")
    form.get_by_label("Period").fill(period)
    form.get_by_label("Value").fill(value)
    form.get_by_label("Published on").fill(vintage)
    form.get_by_role("button", name="Add the value").click()
    page.wait_for_url(f"**{MANAGE}?done=observed&**")


def test_indicator_made_and_managed_changes_its_chart(page: "Page", live_app: LiveApp) -> None:
    sign_in(page, live_app)
    page.get_by_role("link", name="New indicator").click()
    page.wait_for_url(f"{live_app.url}/indicators/new")
    page.get_by_label("Name").fill("Renewable share of power")
    page.get_by_label("Question (optional)").fill(
        "Do renewables make 15% of Kazakhstan's power by 2030?"
    )
    page.get_by_label("Entity").fill("Kazakhstan power grid")
    page.get_by_label("Metric").fill("renewable share of generation")
    page.get_by_label("Unit").fill("%")
    page.get_by_label("Frequency").select_option("annual")
    page.get_by_label("Direction").select_option("up_is_good")
    _checked_at_both_widths(page)
    screenshot(page, "indicator-new")
    page.get_by_role("button", name="Create the indicator").click()
    page.wait_for_url(f"{live_app.url}{MANAGE}?done=created")
    assert page.get_by_role("status").inner_text() == (
        "Indicator created. Add its targets and its values below."
    )
    assert _chart(page) == (0, [])

    page.goto(MANAGE)
    form = page.locator("#observation-new")
    form.get_by_label("Period").fill("2024")
    form.get_by_label("Value").fill("900 km")
    form.get_by_role("button", name="Add the value").click()
    page.wait_for_load_state()
    assert page.locator("#observation-new-value_text-problem").inner_text() == (
        "a length cannot be an observation of an indicator in percent"
    )
    assert page.get_by_role("alert").get_by_role("link").inner_text() == "value text"
    _checked_at_both_widths(page)

    page.goto(MANAGE)
    _add_value(page, "2023", "6.4%", "2024-02-01")
    page.goto(MANAGE)
    _add_value(page, "2024", "6.9", "2025-02-01")
    assert _chart(page) == (2, [])

    page.goto(MANAGE)
    target = page.locator("#target-new")
    target.get_by_label("Target").fill("at least 15%")
    target.get_by_label("Due on").fill("2030-12-31")
    target.get_by_role("button", name="Add the target").click()
    page.wait_for_url(f"{live_app.url}{MANAGE}?done=target-added")
    assert _chart(page) == (2, ["Goal: at least 15% (at risk)"])

    # 2024's value revised (a new vintage), then the first one corrected, then withdrawn.
    page.goto(MANAGE)
    page.get_by_role("link", name="Correct, revise of 2024 (published 2025-02-01)").click()
    revision = page.locator("#revision")
    revision.get_by_label("Value").fill("7.2")
    revision.get_by_label("Published on").fill("2025-06-01")
    revision.get_by_role("button", name="Add the revised value").click()
    page.wait_for_url(f"**{MANAGE}?done=observed&start=2024-01-01&end=2024-12-31#vintages")
    assert page.locator("article.vintage").count() == 2
    page.locator("summary", has_text="Correct or withdraw").first.click()
    _checked_at_both_widths(page)
    screenshot(page, "indicator-manage")
    newest = page.locator("article.vintage").first
    newest.get_by_label("Value").fill("7.3")
    newest.get_by_role("button", name="Correct the value").click()
    page.wait_for_url(f"**{MANAGE}?done=corrected&**")
    assert page.get_by_role("status").inner_text() == "Value corrected."
    page.goto(f"/indicators/{SLUG}")
    assert page.locator("#chart svg").count() == 1
    table = page.locator("details", has_text="The values as a table")
    table.locator("summary").click()
    assert table.locator("tbody tr").all_inner_texts()[-1].split("\t")[1] == "7.3%"

    # Withdrawn, the values leave the chart (and the watchlist's sparkline).
    for period, vintage in (("2023", "2024-02-01"), ("2024", "2025-02-01"), ("2024", "2025-06-01")):
        page.goto(MANAGE)
        page.get_by_role("link", name=f"Correct, revise of {period} (published {vintage})").click()
        article = page.locator("article.vintage", has_text=f"published {vintage}")
        article.locator("summary").click()
        article.get_by_label("Why withdraw it").fill("a value made by a test")
        article.get_by_role("button", name="Withdraw the value").click()
        page.wait_for_url(f"**{MANAGE}?done=withdrawn&**")
    assert page.locator("article.vintage.withdrawn").count() == 2
    assert _chart(page)[0] == 0
