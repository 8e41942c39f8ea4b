"""The API docs with the network cut: /docs (Swagger UI) and /redoc (ReDoc) load everything they
need from the app's own host, so with every request elsewhere aborted they still list every
operation of the OpenAPI document, and no request ever left for another host."""

import json
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveApp
from tests.live import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Route

METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _operations() -> int:
    """The operations of the committed OpenAPI document (which a test keeps equal to the app's)."""
    document = json.loads((ROOT / "openapi" / "openapi.json").read_text())
    return sum(1 for path in document["paths"].values() for method in path if method in METHODS)


OPERATIONS = _operations()


def _cut_off(page: "Page", live_app: LiveApp) -> tuple[list[str], list[str], list[str]]:
    """Abort every request not to the app's host; the URLs asked for, those aborted, and the
    console's errors (a file from another host that the page's Content-Security-Policy refused
    is never requested: the browser says so there)."""
    asked: list[str] = []
    aborted: list[str] = []
    errors: list[str] = []

    def console(message: "ConsoleMessage") -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)

    def handle(route: "Route") -> None:
        url = route.request.url
        asked.append(url)
        if url.startswith(f"{live_app.url}/") or url.startswith("data:"):
            route.continue_()
        else:
            aborted.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", handle)
    return asked, aborted, errors


def test_operation_count_is_the_documents() -> None:
    assert OPERATIONS == 77


def test_swagger_ui_lists_every_operation_offline(page: "Page", live_app: LiveApp) -> None:
    asked, aborted, errors = _cut_off(page, live_app)
    page.goto("/docs")
    blocks = page.locator(".opblock")
    blocks.nth(OPERATIONS - 1).wait_for(timeout=15_000)
    assert blocks.count() == OPERATIONS
    assert page.locator(".opblock-tag").count() == 11  # the document's tags
    assert aborted == []
    assert errors == []
    assert f"{live_app.url}/openapi.json" in asked
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_redoc_lists_every_operation_offline(page: "Page", live_app: LiveApp, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    asked, aborted, errors = _cut_off(page, live_app)
    page.goto("/redoc")
    operations = page.locator("[data-section-id^='tag/'][data-section-id*='/operation/']")
    operations.nth(OPERATIONS - 1).wait_for(state="attached", timeout=15_000)
    assert operations.count() == OPERATIONS
    assert aborted == []
    assert errors == []  # Redocly's logo from their CDN is patched out (scripts/assets.py)
    assert f"{live_app.url}/openapi.json" in asked


def test_swagger_ui_operation_tried_out_is_accessible(page: "Page") -> None:
    """Operations opened, tried out and one executed (a create with its body, a list with its
    enum and boolean filters): axe-core finds no serious or critical violation, with our
    colours (docs/swagger-ui.css) and names (docs/swagger-ui-a11y.js) over Swagger UI's."""
    page.goto("/docs")
    page.locator(".opblock").nth(OPERATIONS - 1).wait_for(timeout=15_000)
    opened = []
    for method in ("post", "get"):
        operation = page.locator(f".opblock-{method}:has([data-path='/api/v1/claims'])")
        operation.locator(".opblock-summary-control").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.locator(".execute").wait_for()
        opened.append(operation)
    assert page.get_by_role("textbox", name="Request body").count() == 1
    assert page.get_by_role("combobox", name="kind (query)").count() == 1
    opened[1].locator(".execute").click()  # without a key: the 401 and its body drawn
    opened[1].locator(".responses-wrapper .live-responses-table pre").first.wait_for()
    assert_accessible(page)
