"""Every page in a real browser says nothing in its console: no error (a script that threw, a
file that failed to load) and no Content-Security-Policy violation (a style, script or image
the page's policy refused, which the browser reports as an error and as a
`securitypolicyviolation` event; both are caught here)."""

import json
import urllib.request
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import LiveApp
from tests.browser.session import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Before any script of the page: every violation the document reports, whatever refused it.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} refused ${e.blockedURI || "inline"}`
    + (e.sample ? `: ${e.sample}` : ""));
});
"""
REVIEWED_CLAIM = 23  # a demo claim; the test gives it a verdict, so its fact check is published

# (name, where: a path, or a list's path and the CSS selector of the link to follow)
PAGES = [
    ("watchlist", "/"),
    ("indicator", "/ > .watchlist h2 a"),
    ("claims", "/claims?q=KTZ"),
    ("claim", f"/claims/{REVIEWED_CLAIM}"),
    ("new claim", "/claims/new"),
    ("review", "/review"),
    ("review flag", "/review > main a[href^='/review/']"),
    ("sources", "/sources"),
    ("source", "/sources > main td a[href^='/sources/']"),
    ("entities", "/entities"),
    ("measures", "/measures"),
    ("events", "/events"),
    ("keys", "/keys"),
    ("webhooks", "/webhooks"),
    ("new indicator", "/indicators/new"),
    ("manage indicator", "/indicators/eaeu-trade-turnover/manage"),
    ("fact checks", "/fact-checks"),
    ("fact check", f"/fact-checks/{REVIEWED_CLAIM}"),
    ("docs", "/docs"),
    ("redoc", "/redoc"),
]
# What says a page has drawn all it will: its charts, or the API docs' operations.
DRAWN = {
    "watchlist": "[data-spark] svg",
    "indicator": "#chart svg",
    "docs": ".opblock",
    "redoc": "[data-section-id*='/operation/']",
}


def _watch(page: "Page") -> list[str]:
    """The console's errors and the page's uncaught exceptions, as they come."""
    said: list[str] = []
    page.on("console", lambda m: said.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: said.append(f"uncaught: {e}"))
    page.add_init_script(LISTEN)
    return said


def _open(page: "Page", where: str) -> None:
    path, _, link = where.partition(" > ")
    page.goto(path)
    if link:
        page.locator(link).first.click()
        page.wait_for_load_state()


def _heard(page: "Page", said: list[str]) -> list[str]:
    violations: list[str] = page.evaluate("() => window.__violations")
    return said + [f"csp: {v}" for v in violations]


@pytest.fixture(scope="module")
def reviewed(live_app: LiveApp) -> int:
    """A demo claim with a verdict (through the API), so that its fact check is published."""
    body = json.dumps({"verdict": "mostly_accurate", "note": "Checked for the console test."})
    request = urllib.request.Request(  # noqa: S310 (the test's own server)
        f"{live_app.url}/api/v1/claims/{REVIEWED_CLAIM}/reviews",
        data=body.encode(),
        headers={
            "Authorization": f"Bearer {live_app.admin_key}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        assert answer.status == 201
    return REVIEWED_CLAIM


@pytest.mark.parametrize(("name", "where"), PAGES, ids=[n for n, _ in PAGES])
def test_page_says_nothing_in_its_console(
    page: "Page", live_app: LiveApp, reviewed: int, name: str, where: str
) -> None:
    sign_in(page, live_app)
    said = _watch(page)
    _open(page, where)
    assert page.url != f"{live_app.url}/signin"
    if name in DRAWN:
        page.locator(DRAWN[name]).first.wait_for(state="attached", timeout=15_000)
    page.wait_for_load_state("networkidle")
    heard = _heard(page, said)
    assert heard == [], "\n".join(heard)


def test_signing_in_says_nothing_in_the_console(page: "Page", live_app: LiveApp) -> None:
    """The sign-in form, and the first page after it (where the browser asks for an icon)."""
    said = _watch(page)
    sign_in(page, live_app)
    page.wait_for_load_state("networkidle")
    assert _heard(page, said) == []


def test_console_watch_hears_a_refused_image(page: "Page") -> None:
    """The watch is not deaf: an image from another host is refused by the page's policy (no
    request leaves), and heard, in the console and as a violation."""
    said = _watch(page)
    page.goto("/signin")
    page.evaluate("() => { new Image().src = 'https://example.org/pixel.png'; }")
    page.wait_for_function("() => window.__violations.length > 0")
    heard = _heard(page, said)
    assert [h.split(":")[0] for h in heard] == ["console", "csp"]
    assert heard[1] == "csp: img-src refused https://example.org/pixel.png"


def test_chart_tip_says_nothing_in_its_console(page: "Page", live_app: LiveApp) -> None:
    """A claim's tip on hover and the claim shown on click draw without a refused style."""
    sign_in(page, live_app)
    said = _watch(page)
    page.goto("/")
    page.get_by_role("link", name="China–Kazakhstan trade turnover (China customs)").click()
    marks = page.locator("#chart g.claim-marks circle")
    marks.first.wait_for(state="attached", timeout=15_000)
    marks.first.hover()
    page.locator('#chart g[aria-label="tip"]').filter(has=page.locator("text")).wait_for()
    marks.first.click()
    page.locator("#selected h3").wait_for()
    heard = _heard(page, said)
    assert heard == [], "\n".join(heard)
