"""Webhooks in a real browser: create a subscription, see its secret once, pause it; axe-core
finds no serious or critical violation on the list and the subscription's page at 1,280 and
390 px, nothing scrolls sideways at 390 px; with CLAIMTRACK_SCREENSHOTS set, both pages are
photographed for the docs."""

from typing import TYPE_CHECKING

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.browser.session import DESKTOP, MOBILE, screenshot, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

URL = "https://newsroom.example.org/claimtrack-hook"


def _at_both_widths(page: "Page") -> None:
    """No serious axe violation at 1,280 px, and none nor a sideways scroll at 390 px."""
    assert_accessible(page)
    page.set_viewport_size(MOBILE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"{page.url} is {width} px wide at {MOBILE['width']} px"
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def test_create_a_subscription_see_the_secret_once_and_pause_it(
    page: "Page", live_app: LiveApp
) -> None:
    sign_in(page, live_app)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
    page.wait_for_url(f"{live_app.url}/webhooks")
    _at_both_widths(page)

    page.get_by_label("Target URL").fill(URL)
    page.get_by_label("claim.created").check()
    page.get_by_label("flag.opened").uncheck()
    page.get_by_label("Flag kind").select_option("conflict")
    page.get_by_label("Description").fill("The newsroom's desk")
    page.get_by_role("button", name="Create subscription").click()
    page.wait_for_load_state()

    secret = page.locator("#secret").inner_text()
    assert secret.startswith("whsec_") and len(secret) == 6 + 44
    assert page.get_by_role("heading", name="Subscription created: its signing secret").count() == 1
    _at_both_widths(page)

    # The subscription's page, loaded again: the secret is not on it any more.
    hook_id = page.locator("h1").inner_text().split()[1]
    page.goto(f"/webhooks/{hook_id}")
    assert page.locator("#secret").count() == 0
    assert secret not in page.content()

    page.get_by_role("button", name="Pause").click()
    page.wait_for_load_state()
    notice = page.get_by_role("status")
    assert notice.inner_text() == "Paused: no events are queued for it until it is resumed."
    assert page.locator("h1 .state").inner_text() == "paused"
    assert page.get_by_role("button", name="Resume").count() == 1
    _at_both_widths(page)
    screenshot(page, "webhook")

    page.get_by_role("link", name="Webhooks", exact=True).first.click()
    page.wait_for_url(f"{live_app.url}/webhooks")
    row = page.locator("tr", has=page.get_by_role("link", name=URL))
    assert row.locator('td[data-label="Status"]').inner_text() == "paused"
    assert row.locator('td[data-label="Key"]').inner_text() == "browser admin"
    assert secret not in page.content()
    screenshot(page, "webhooks")
