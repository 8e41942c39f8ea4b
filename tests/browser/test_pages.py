"""Every page in a real browser: axe-core finds no serious or critical violation, nothing
scrolls sideways at 390 px, and (with CLAIMTRACK_SCREENSHOTS set) each is photographed at
1,280 and 390 px for the docs."""

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.browser.session import MOBILE, screenshot, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

# (path or the link to follow from the list page, the screenshot's name or None)
SIGNED_IN_PAGES = [
    ("/", None),
    ("/keys", None),
    ("/sources", "sources"),
    ("/sources > Kazakhstan-EU Weekly Briefing Issue 28, May 25-31, 2026", None),
    ("/entities", None),
    ("/entities > Kazakhstan Temir Zholy", "entity"),
    ("/measures", None),
    ("/measures > Trade turnover", None),
    ("/events", "events"),
    ("/events?record_type=source&action=source.created", None),
    ("/indicators/new", None),
    ("/indicators/eaeu-trade-turnover/manage", None),
    ("/indicators/eaeu-trade-turnover/manage?start=2022-01-01&end=2022-12-31", None),
    ("/webhooks", None),
]


def _open(page: "Page", where: str) -> None:
    """Go to a path, or to a list and on through the link of that name."""
    path, _, link = where.partition(" > ")
    page.goto(path)
    if link:
        page.get_by_role("link", name=link, exact=True).first.click()
        page.wait_for_load_state()


def _no_sideways_scroll(page: "Page") -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"{page.url} is {width} px wide at {MOBILE['width']} px"


def test_signin_page(page: "Page") -> None:
    page.goto("/signin")
    assert_accessible(page)
    page.set_viewport_size(MOBILE)
    _no_sideways_scroll(page)
    assert_accessible(page)
    screenshot(page, "signin")


@pytest.mark.parametrize(("where", "name"), SIGNED_IN_PAGES, ids=[p for p, _ in SIGNED_IN_PAGES])
def test_signed_in_page(page: "Page", live_app: LiveApp, where: str, name: str | None) -> None:
    sign_in(page, live_app)
    _open(page, where)
    assert page.locator("main h1").count() == 1
    assert_accessible(page)
    page.set_viewport_size(MOBILE)
    _no_sideways_scroll(page)
    assert_accessible(page)
    if name is not None:
        screenshot(page, name)


def test_event_change_opens(page: "Page", live_app: LiveApp) -> None:
    """The before and after of an event are one click away, and stay inside the page at 390 px."""
    sign_in(page, live_app)
    page.set_viewport_size(MOBILE)
    page.goto("/events?record_type=source")
    page.locator("summary", has_text="Before and after").first.click()
    assert page.locator("details[open] pre").first.inner_text().startswith("after: {")
    _no_sideways_scroll(page)
    assert_accessible(page)


def test_axe_helper_fails_on_a_serious_violation(page: "Page") -> None:
    """The helper is not a no-op: an image without a text alternative (critical) fails it."""
    page.goto("/signin")
    page.evaluate(
        "() => { const i = document.createElement('img');"
        " i.src = '/static/vendor/favicon-32x32.png'; document.querySelector('main').append(i); }"
    )
    with pytest.raises(AssertionError, match=re.escape("[critical] image-alt")):
        assert_accessible(page)
