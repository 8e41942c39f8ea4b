"""The watchlist and an indicator page in a real browser: the sparklines and the chart drawn
(a mark per drawable claim, an arrow per open end), the quote on hover and the claim listed on a
click, no sideways scroll at 390 px, and axe-core finding nothing serious.

With CLAIMTRACK_SCREENSHOTS=<folder> (docs/screenshots) the pages are saved there at 1,280 and
390 px."""

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser.conftest import LiveApp
from tests.live import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page, ViewportSize

MOBILE: "ViewportSize" = {"width": 390, "height": 844}


def _sign_in(page: "Page", live_app: LiveApp) -> None:
    page.goto("/signin")
    page.get_by_label("API key").fill(live_app.admin_key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_app.url}/")


def _data(page: "Page") -> Any:
    return json.loads(page.locator("#chart-data").text_content() or "null")


def _serious(page: "Page") -> list[str]:
    """axe-core's serious and critical violations on the page, by rule and first target."""
    page.add_script_tag(url="/static/vendor/axe.min.js")
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def _no_sideways_scroll(page: "Page") -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]


def _shoot(page: "Page", name: str) -> None:
    folder = os.environ.get("CLAIMTRACK_SCREENSHOTS")
    if folder:
        target = Path(folder) if Path(folder).is_absolute() else ROOT / folder
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def test_watchlist_draws_a_sparkline_per_indicator(page: "Page", live_app: LiveApp) -> None:
    _sign_in(page, live_app)
    assert page.get_by_role("heading", level=1).inner_text() == "Watchlist"
    sparks = _data(page)["sparklines"]
    with_points = {slug: s["points"] for slug, s in sparks.items() if s["points"]}
    assert len(with_points) == 11
    assert page.locator("[data-spark] svg").count() == 11
    for slug, points in with_points.items():
        assert page.locator(f'[data-spark="{slug}"] svg circle').count() == len(points), slug
    assert page.locator('[data-spark="china-kazakhstan-trade"] svg path').count() == 1
    assert _serious(page) == []
    _shoot(page, "watchlist")
    page.set_viewport_size(MOBILE)
    page.reload()
    page.locator("[data-spark] svg").first.wait_for()
    _no_sideways_scroll(page)
    assert _serious(page) == []
    _shoot(page, "watchlist-mobile")


def test_indicator_chart_draws_claims_and_shows_quotes(page: "Page", live_app: LiveApp) -> None:
    _sign_in(page, live_app)
    page.get_by_role("link", name="China–Kazakhstan trade turnover (China customs)").click()
    page.wait_for_url(f"{live_app.url}/indicators/china-kazakhstan-trade")
    page.locator("#chart svg").wait_for()
    claims = _data(page)["claims"]
    assert len(claims) == 4
    marks = page.locator("#chart g.claim-marks circle")
    assert marks.count() == len(claims)
    assert page.locator('#chart g[aria-label="line"] path').count() == 1
    first = claims[0]
    assert first["value_text"] == "$32.7bn"
    marks.nth(0).hover()
    tip = page.locator('#chart g[aria-label="tip"]').filter(has=page.locator("text"))
    tip.wait_for()
    assert tip.count() == 1  # the series' tip stays empty
    said = " ".join((tip.text_content() or "").split())
    assert "$32.7bn" in said
    assert first["stated_by"] in said
    assert " ".join(first["quote"].split())[:40] in said
    marks.nth(0).click()
    selected = page.locator("#selected")
    assert selected.get_by_role("link").get_attribute("href") == f"/claims/{first['id']}"
    assert first["quote"] in (selected.locator("blockquote").text_content() or "")
    assert _serious(page) == []
    _shoot(page, "indicator")
    page.set_viewport_size(MOBILE)
    page.reload()
    page.locator("#chart g.claim-marks circle").first.wait_for()
    assert page.locator("#chart g.claim-marks circle").count() == 4
    _no_sideways_scroll(page)
    assert _serious(page) == []
    _shoot(page, "indicator-mobile")


def test_indicator_chart_draws_open_ends_and_goals(page: "Page", live_app: LiveApp) -> None:
    _sign_in(page, live_app)
    page.goto("/indicators/eaeu-trade-turnover")
    page.locator("#chart svg").wait_for()
    assert page.locator("#chart g.claim-marks circle").count() == 2  # the third has no period
    assert page.locator('#chart g[aria-label="arrow"] path').count() == 1  # "more than"
    goal = page.locator('#chart g[aria-label="text"] text')
    assert goal.all_text_contents() == ["Goal: more than $100 billion (not started)"]
    page.get_by_label("As of").fill("2022-01-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_app.url}/indicators/eaeu-trade-turnover?as_of=2022-01-01")
    page.locator("#chart svg").wait_for()
    assert page.locator("#chart g.claim-marks circle").count() == 0
    assert page.locator('#chart g[aria-label="dot"] circle').count() == 1  # 2020's value
