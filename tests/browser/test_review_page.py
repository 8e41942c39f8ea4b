"""The review queue in a real browser: a reviewer opens the demo's conflict from the queue,
ranks one claim preferred with a reason and sees the flag gone; `j` goes to the next flag; no
serious or critical axe-core violation; nothing scrolls sideways at 390 px. With
CLAIMTRACK_SCREENSHOTS=<dir>, screenshots of both pages at 1,280 and 390 px go there."""

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser.conftest import LiveApp

if TYPE_CHECKING:
    from playwright.sync_api import Page

CONFLICT = "claims 23, 24 give figures that cannot all be true"


def sign_in(page: "Page", live_app: LiveApp) -> None:
    page.goto("/signin")
    page.get_by_label("API key").fill(live_app.admin_key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_app.url}/")


def serious_violations(page: "Page") -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is."""
    page.add_script_tag(url="/static/vendor/axe.min.js")
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run()).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"""
    )
    return found


def sideways(page: "Page") -> int:
    """How far the page scrolls sideways (0 when it fits the window)."""
    width: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def shoot(page: "Page", name: str) -> None:
    folder = os.environ.get("CLAIMTRACK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def check_page(page: "Page", name: str) -> None:
    """No serious violation and no sideways scroll, at 1,280 px and at 390 px."""
    assert serious_violations(page) == []
    assert sideways(page) == 0
    shoot(page, f"{name}.png")
    page.set_viewport_size({"width": 390, "height": 844})
    assert sideways(page) == 0
    assert serious_violations(page) == []
    shoot(page, f"{name}-mobile.png")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_j_goes_to_the_next_flag(page: "Page", live_app: LiveApp) -> None:
    sign_in(page, live_app)
    page.goto("/review")
    links = page.locator("tr[data-flag] a.flag-link")
    first, second = (links.nth(i).get_attribute("href") for i in (0, 1))
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.getAttribute('href')") == second
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_app.url}{second}")
    after = page.locator("a[data-key=next]").get_attribute("href")
    assert after is not None and after != second
    page.keyboard.press("j")
    page.wait_for_url(f"{live_app.url}{after}")
    page.keyboard.press("k")
    page.wait_for_url(f"{live_app.url}{second}")


def test_resolve_the_demo_conflict_by_ranking(page: "Page", live_app: LiveApp) -> None:
    sign_in(page, live_app)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    page.wait_for_url(f"{live_app.url}/review")
    assert page.get_by_role("heading", level=1).inner_text() == "Review queue"
    check_page(page, "review")
    page.get_by_role("link", name=CONFLICT).click()
    page.wait_for_url(re.compile(r".*/review/\d+$"))
    flag_url = page.url
    assert page.locator("article.claim h3").all_inner_texts() == ["Claim 23", "Claim 24"]
    assert page.locator("article.claim .as-written").all_inner_texts() == ["$32.7bn", "$24.3bn"]
    check_page(page, "review-flag")
    page.keyboard.press("d")
    assert page.evaluate("document.activeElement.id") == "rank-23"
    page.get_by_label("Rank", exact=True).first.select_option("preferred")
    page.locator("#rank-reason-23").fill("the ambassador's figure matches China customs")
    page.get_by_role("button", name="Resolve by ranking").click()
    page.wait_for_url(lambda url: url != flag_url)
    page.goto("/review")
    assert page.get_by_role("link", name=CONFLICT).count() == 0
    page.goto(flag_url)
    assert "resolved (ranked)" in page.locator("dl.facts").first.inner_text()
    assert page.get_by_role("button", name="Resolve by ranking").count() == 0
