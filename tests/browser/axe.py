"""Accessibility in the browser: axe-core (vendored, `/static/vendor/axe.min.js`) run on the page
as it is, failing on any violation of impact serious or critical and printing the others.

    from tests.browser.axe import assert_accessible

    page.goto("/sources")
    assert_accessible(page)
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = "/static/vendor/axe.min.js"
FAILING = frozenset({"serious", "critical"})


def _describe(violation: dict[str, Any]) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
    more = len(violation["nodes"]) - len(targets)
    where = ", ".join(targets) + (f" and {more} more" if more > 0 else "")
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} ({where})"


def violations(page: "Page") -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (axe injected once a document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    found: list[dict[str, Any]] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    return found


def assert_accessible(page: "Page") -> None:
    """No serious or critical axe-core violation on the page; the minor and moderate ones are
    printed (pytest shows them with -s or on a failure)."""
    found = violations(page)
    for v in found:
        if v["impact"] not in FAILING:
            print(f"axe on {page.url}: {_describe(v)}")
    failing = [_describe(v) for v in found if v["impact"] in FAILING]
    assert failing == [], f"axe on {page.url}:\n" + "\n".join(failing)
