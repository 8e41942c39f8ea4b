"""Browser tests: the app served by uvicorn on a free port, driven by Debian's Chromium through
Playwright (the Python package; its own browser downloads are never used).

`live_app` serves a database of its own for the session (the suite's engine: a SQLite file, or
on PostgreSQL a `claimtrack_browser_<random>` database created and dropped here), migrated, with
the demo data and an admin key. Tests share it: what one writes the next sees, so a test makes
the records it asserts on.

Without `/usr/bin/chromium` or the `playwright` package the browser tests are skipped, saying how
to run them; with `CLAIMTRACK_BROWSER_TESTS=required` (CI's SQLite run) that is a failure.
"""

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.live import BIN, ROOT, claimtrack, empty_database, free_port

if TYPE_CHECKING:  # imported at run time only where it is installed (see `browser`)
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
HOW_TO_RUN = (
    "browser tests need Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`) "
    "and the playwright package (`make install`; no browser download by Playwright)"
)


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    return None


@dataclass(frozen=True)
class LiveApp:
    """A running server: its base URL and an admin key's secret."""

    url: str
    admin_key: str


@pytest.fixture(scope="session")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database on the suite's database server, for the live app; dropped after."""
    with empty_database("browser", tmp_path_factory.mktemp("browser")) as url:
        yield url


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"uvicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.2)
    pytest.fail(f"uvicorn did not answer /healthz within 60 s:\n{log.read_text()}")


@contextmanager
def serving(env: dict[str, str], folder: Path) -> Iterator[str]:
    """`uvicorn app.main:app` on a free port with this environment, until the block ends: its
    base URL (its log in `folder`)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "uvicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                *(str(BIN / "uvicorn"), "app.main:app", "--log-level", "warning"),
                *("--host", "127.0.0.1", "--port", str(port)),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def app_env(database_url: str) -> dict[str, str]:
    """The live server's environment: its database, the test environment, no bootstrap key."""
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMTRACK_ENVIRONMENT": "test"}
    env.pop("CLAIMTRACK_BOOTSTRAP_ADMIN_KEY", None)
    return env


@pytest.fixture(scope="session")
def live_app(live_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """`uvicorn app.main:app` on a free port, on a migrated database with the demo loaded."""
    env = {
        **app_env(live_database),
        # The public fact-check pages are served too, so that every page is tested.
        "CLAIMTRACK_PUBLISH_FACT_CHECKS": "true",
        "CLAIMTRACK_PUBLISHER_NAME": "Claimtrack browser tests",
        "CLAIMTRACK_PUBLISHER_URL": "https://fact-checks.example.org",
    }
    claimtrack(env, "migrate")
    claimtrack(env, "seed")
    key = claimtrack(env, "keys", "create", "browser admin", "--role", "admin").strip()
    with serving(env, tmp_path_factory.mktemp("browser-server")) as url:
        yield LiveApp(url, key)


def check_runnable() -> None:
    """Nothing where the browser tests can run; else their skip, saying how to run them, or with
    CLAIMTRACK_BROWSER_TESTS=required (CI) their failure: CI can never pass without them."""
    missing = _missing()
    if missing is not None:
        message = f"{missing}: {HOW_TO_RUN}"
        if os.environ.get("CLAIMTRACK_BROWSER_TESTS") == "required":
            pytest.fail(f"CLAIMTRACK_BROWSER_TESTS=required, but {message}")
        pytest.skip(message)


# Module scope: Playwright's sync API keeps an event loop running in the main thread while it is
# open, and the rest of the suite runs its own (asyncio.run) once the browser modules are done.
@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """Chromium from /usr/bin/chromium under Playwright; skipped (or, when
    CLAIMTRACK_BROWSER_TESTS=required, failed) where it cannot run."""
    check_runnable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: "Browser", live_app: LiveApp) -> Iterator["Page"]:
    """A fresh browser context (no cookies) and page, 1,280 px wide."""
    context = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 800})
    try:
        yield context.new_page()
    finally:
        context.close()
