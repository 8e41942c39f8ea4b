"""Browser tests' helpers: a page signed in with a key, and screenshots for the docs.

Screenshots are taken only when `CLAIMTRACK_SCREENSHOTS` names a folder
(`CLAIMTRACK_SCREENSHOTS=docs/screenshots`): `<name>.png` at the page's width (1,280 px) and
`<name>-mobile.png` at 390 px, each of the page from its top, at most `TALLEST` px of it."""

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import LiveApp
from tests.live import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Page, ViewportSize

MOBILE: "ViewportSize" = {"width": 390, "height": 844}
DESKTOP: "ViewportSize" = {"width": 1280, "height": 800}
TALLEST = 1600  # a long list's screenshot shows its start: enough to judge the page by


def sign_in(page: "Page", live_app: LiveApp, key: str | None = None) -> None:
    """Sign the page's browser context in (the admin key unless another is given)."""
    page.goto("/signin")
    page.get_by_label("API key").fill(key or live_app.admin_key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_app.url}/")


def screenshot(page: "Page", name: str) -> None:
    """The page as it is, at 1,280 and 390 px, into $CLAIMTRACK_SCREENSHOTS (if set)."""
    folder = os.environ.get("CLAIMTRACK_SCREENSHOTS")
    if not folder:
        return
    out = Path(folder) if Path(folder).is_absolute() else ROOT / folder
    out.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    try:
        for viewport, file in ((DESKTOP, f"{name}.png"), (MOBILE, f"{name}-mobile.png")):
            page.set_viewport_size(viewport)
            height = min(TALLEST, page.evaluate("() => document.documentElement.scrollHeight"))
            clip: FloatRect = {"x": 0, "y": 0, "width": viewport["width"], "height": height}
            page.screenshot(path=str(out / file), full_page=True, clip=clip)
    finally:
        page.set_viewport_size(size)
