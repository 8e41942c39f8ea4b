"""Signing in and out in a real browser."""

from typing import TYPE_CHECKING

from tests.browser.conftest import LiveApp

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_sign_in_see_home_and_sign_out(page: "Page", live_app: LiveApp) -> None:
    page.goto("/")
    assert page.url == f"{live_app.url}/signin"
    page.get_by_label("API key").fill(live_app.admin_key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_app.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Watchlist"
    assert page.locator(".who").inner_text() == "browser admin (admin)"
    assert page.get_by_role("link", name="Keys").count() == 1
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["claimtrack_session"]["httpOnly"] is True
    assert cookies["claimtrack_session"]["sameSite"] == "Lax"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_app.url}/signin")
    assert "claimtrack_session" not in {c["name"] for c in page.context.cookies()}
    page.goto("/")
    assert page.url == f"{live_app.url}/signin"
