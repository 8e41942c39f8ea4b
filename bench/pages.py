"""Page loads in headless Chromium: the watchlist of 50 indicators and an indicator page with
1,000 points and 200 claims, timed from the navigation's start to the charts drawn.

    make bench-pages         (.venv/bin/python -m bench.pages [--loads N] [--postgres URL])

A fresh database (a SQLite file, or with `--postgres` a database created on that server and
dropped after) is migrated and seeded set-based: 50 indicators of one metric, each on an entity
of its own with a series and a target; one of them daily with 1,000 points and the 200 claims of
its entity and metric (logged through the claims' bulk flow, so their verification, conflicts
and data checks are the app's own). `claimtrack serve` (one worker, as `make run` runs it)
serves it on a free port; Debian's Chromium (/usr/bin/chromium) under Playwright loads each
page, signed in through the sign-in form.

"Drawn" is the `claimtrack:charts-drawn` performance mark that app/static/web/chart.js sets
once Observable Plot's SVGs are in the document: every sparkline (50 on the watchlist), or the
indicator's chart with its claims. Each load is checked before it counts: the mark is there and
the SVGs hold what was seeded (50 sparklines; 200 claim dots). The time is the mark's
`startTime`: from the navigation's start, server time included.

Three ways, `--loads` loads each. New context: a new browser context per load, signed in (its
cookie) with empty caches, as a first visit: the browser's start of the context and its
renderer process counted too. Cold: one page with the browser's caches off (DevTools' "Disable
cache": CDP `Network.setCacheDisabled`), so every file is fetched, parsed and compiled anew.
Warm: the same page with the caches on (Plot, d3 and the CSS from the cache, the pages' own
files revalidated); the page's first load each way is not counted. Median and p95 (nearest
rank); the run prints the table, writes it to
bench/RESULTS.md ("Page loads") and exits 1 when a p95 is a second or more.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import Engine, create_engine, insert, make_url, text
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.claims.models import CitationIn, ClaimCreate
from app.core.config import Settings
from app.core.db import begin_write, make_engine
from app.core.sessions import transaction
from app.entities.models import Entity, Metric
from app.flows import claims as claim_flows
from app.flows import keys
from app.indicators.models import Indicator, Observation, Target
from app.quantities import parse_value
from bench.conflict_cost import RESULTS, _heading, _replace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
SECTION = "## Page loads"
SEED = 20261206
NOW = datetime(2026, 1, 1, tzinfo=UTC)
INDICATORS, MONTHS = 50, 120  # the watchlist; each series but the big one: monthly points
BIG_POINTS, BIG_CLAIMS = 1_000, 200  # the indicator page
LAST_DAY = date(2025, 12, 31)
LIMIT_S = 1.0
MARK = "claimtrack:charts-drawn"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Seeded:
    key: str  # an admin's API key
    big: str  # the slug of the indicator with 1,000 points and 200 claims


@dataclass(frozen=True)
class Timing:
    page: str
    how: str  # new context, cold cache, warm cache
    drawn_ms: list[float]  # navigation start -> charts drawn
    html_ms: list[float]  # navigation start -> the HTML's last byte

    @staticmethod
    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- the data --------------------------------------------------------------------------------


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """One set-based INSERT in a transaction of its own; the new rows' ids."""
    with Session(engine) as s:
        begin_write(s)
        ids = list(s.scalars(insert(model).returning(model.id), rows))
        s.commit()
    return ids


def _walk(rng: random.Random, n: int, start: Decimal) -> list[Decimal]:
    """A random walk in billions, one decimal: a series that looks like money."""
    out, value = [], start
    for _ in range(n):
        value = max(Decimal("1.0"), value + Decimal(rng.randrange(-30, 34)) / 100)
        out.append(value.quantize(Decimal("0.01")))
    return out


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _observations(
    indicator_id: int, days: list[date], values: list[Decimal]
) -> list[dict[str, Any]]:
    return [
        {
            "indicator_id": indicator_id,
            "period_text": day.isoformat() if len(days) == BIG_POINTS else day.strftime("%Y-%m"),
            "period_start": day if len(days) == BIG_POINTS else day.replace(day=1),
            "period_end": day,
            "value": value * 10**9,
            "vintage": day + timedelta(days=1),
            "created_at": NOW,
        }
        for day, value in zip(days, values, strict=True)
    ]


def _claims(rng: random.Random, big: list[tuple[date, Decimal]]) -> list[ClaimCreate]:
    """BIG_CLAIMS claims about the big indicator's entity and metric: a month's figure near
    the series' value that month, as ten publishers write them; some cite two sources."""
    kinds = ("actual", "actual", "estimate", "projection")
    out = []
    for i in range(BIG_CLAIMS):
        day, value = big[rng.randrange(30, len(big))]
        figure = (value * Decimal(rng.randrange(90, 111)) / 100).quantize(Decimal("0.1"))
        hedge = rng.choice(("", "", "about ", "more than "))
        said = f"{hedge}${figure} billion"
        publisher = f"Publisher {i % 10}"
        cites = [
            CitationIn(
                url=f"https://news{i % 10}.example.org/{day:%Y/%m}/item-{i}",
                title=f"Investment report {i}",
                publisher=publisher,
                kind="news",
                quote=f"Investment reached {said} in {day:%B %Y}, the report said.",
            )
        ]
        if i % 5 == 0:
            cites.append(
                CitationIn(
                    url=f"https://stats.example.gov/releases/{day:%Y-%m}",
                    title=f"Statistics release {day:%Y-%m}",
                    publisher="Statistics bureau",
                    kind="statistics",
                    quote=f"Investment: {said} ({day:%B %Y}).",
                )
            )
        out.append(
            ClaimCreate(
                entity="entity-00",
                metric="investment",
                value_text=said,
                period=day.strftime("%Y-%m"),
                kind=kinds[i % len(kinds)],
                stated_by=publisher,
                asserted_on=day + timedelta(days=20 + i % 30),
                statement=f"Investment in {day:%B %Y} was {said}.",
                citations=cites,
            )
        )
    return out


def seed(engine: Engine) -> Seeded:
    """The watchlist's 50 indicators with series and targets, the big one's 200 claims, a key."""
    rng = random.Random(SEED)
    entity_ids = _insert(
        engine,
        Entity,
        [
            {"slug": f"entity-{i:02}", "name": f"Entity {i:02}", "created_at": NOW}
            for i in range(INDICATORS)
        ],
    )
    (metric_id,) = _insert(
        engine,
        Metric,
        [
            {
                "slug": "investment",
                "name": "Investment",
                "dimension": "money",
                "unit": "USD",
                "created_at": NOW,
            }
        ],
    )
    indicator_ids = _insert(
        engine,
        Indicator,
        [
            {
                "slug": f"indicator-{i:02}",
                "name": f"Investment in Entity {i:02}",
                "question": f"Will investment in Entity {i:02} reach its goal?",
                "entity_id": entity_ids[i],
                "metric_id": metric_id,
                "unit": "USD",
                "dimension": "money",
                "frequency": "daily" if i == 0 else "monthly",
                "aggregation": "stock",
                "direction": "up_is_good",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i in range(INDICATORS)
        ],
    )
    big_days = [LAST_DAY - timedelta(days=d) for d in range(BIG_POINTS - 1, -1, -1)]
    big_values = _walk(rng, BIG_POINTS, Decimal(10))
    months = [_month_end(2015, m) for m in range(MONTHS)]
    observations = _observations(indicator_ids[0], big_days, big_values)
    for indicator_id in indicator_ids[1:]:
        values = _walk(rng, MONTHS, Decimal(rng.randrange(20, 200)) / 10)
        observations += _observations(indicator_id, months, values)
    for first in range(0, len(observations), 5_000):
        _insert(engine, Observation, observations[first : first + 5_000])
    targets = []
    for i, indicator_id in enumerate(indicator_ids):
        goal = parse_value(Decimal(rng.randrange(50, 400)) / 10, "bn USD")
        targets.append(
            {
                "indicator_id": indicator_id,
                "value_text": goal.text,
                "value": goal.value,
                "bound": goal.bound,
                "low": goal.low,
                "high": goal.high,
                "low_open": goal.interval.low_open,
                "high_open": goal.interval.high_open,
                "due_on": date(2026 + i % 4, 12, 31),
                "created_at": NOW,
            }
        )
    _insert(engine, Target, targets)
    with transaction(engine) as s:
        begin_write(s)
        claim_flows.create_many(
            s, _claims(rng, list(zip(big_days, big_values, strict=True))), actor_id=None
        )
    with transaction(engine) as s:
        begin_write(s)
        _, key = keys.create(
            s, ApiKeyCreate(name="bench pages", role=Role.ADMIN), created_by_id=None
        )
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return Seeded(key, "indicator-00")


# --- the database and the server -------------------------------------------------------------


@contextmanager
def database(postgres: str | None, folder: Path) -> Iterator[str]:
    """A new, empty database's URL: a file in `folder`, or a database on the `postgres` server."""
    if postgres is None:
        yield f"sqlite:///{folder / 'pages.db'}"
        return
    name = f"claimtrack_pages_{secrets.token_hex(4)}"
    server = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(url: str, log: Path) -> Iterator[str]:
    """`claimtrack serve` on a free port, on the database at `url`; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CLAIMTRACK_ACCESS_LOG": "false",
        "CLAIMTRACK_LOAD_DEMO": "false",
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "claimtrack"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer in 120 s:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- the browser -----------------------------------------------------------------------------

WAIT = f"() => performance.getEntriesByName({MARK!r}).length > 0"
MEASURE = f"""() => {{
  const nav = performance.getEntriesByType("navigation")[0];
  return {{
    drawn: performance.getEntriesByName({MARK!r})[0].startTime,
    plotFetched: performance.getEntriesByType("resource")
      .filter((r) => r.name.includes("/plot.umd.min.js"))
      .map((r) => r.transferSize > 0)[0],
    html: nav.responseEnd,
    sparklines: document.querySelectorAll("[data-spark] svg").length,
    claims: document.querySelectorAll("#chart svg g.claim-marks circle").length,
  }};
}}"""


def load(
    page: Page, path: str, expect: dict[str, int], *, cold: bool | None
) -> tuple[float, float]:
    """One load of `path`: (ms to the charts drawn, ms to the HTML's last byte). Observable
    Plot must come over the network when `cold`, from the cache when False (None: either)."""
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    try:
        page.goto(path)
        page.wait_for_function(WAIT, timeout=30_000)
    except PlaywrightError as exc:
        raise RuntimeError(f"{path}: no {MARK} in 30 s; the console: {errors[:5]}") from exc
    finally:
        page.remove_listener("console", console)
    got = page.evaluate(MEASURE)
    seen = {k: got[k] for k in expect}
    if seen != expect:
        raise RuntimeError(f"{path}: drawn {seen}, expected {expect}")
    if cold is not None and got["plotFetched"] is not cold:
        raise RuntimeError(f"{path}: Plot fetched: {got['plotFetched']}, cold: {cold}")
    return float(got["drawn"]), float(got["html"])


def sign_in(browser: Browser, base: str, key: str) -> Any:
    """The storage state (the session's cookie) of a context signed in by the form."""
    context = browser.new_context(base_url=base, viewport=VIEWPORT)
    page = context.new_page()
    page.goto("/signin")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    state = context.storage_state()
    context.close()
    return state


def measure(browser: Browser, base: str, key: str, big: str, loads: int) -> list[Timing]:
    state = sign_in(browser, base, key)
    pages = {
        f"watchlist ({INDICATORS} indicators)": ("/", {"sparklines": INDICATORS}),
        f"indicator ({BIG_POINTS:,} points, {BIG_CLAIMS} claims)": (
            f"/indicators/{big}",
            {"claims": BIG_CLAIMS},
        ),
    }
    out = []
    for name, (path, expect) in pages.items():
        first: list[tuple[float, float]] = []
        for _ in range(loads):
            context = browser.new_context(base_url=base, viewport=VIEWPORT, storage_state=state)
            first.append(load(context.new_page(), path, expect, cold=True))
            context.close()
        context = browser.new_context(base_url=base, viewport=VIEWPORT, storage_state=state)
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        load(page, path, expect, cold=True)  # the server's and the browser's first: not counted
        cold = [load(page, path, expect, cold=True) for _ in range(loads)]
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": False})
        load(page, path, expect, cold=None)  # fills the cache
        warm = [load(page, path, expect, cold=False) for _ in range(loads)]
        context.close()
        for how, runs in (("new context", first), ("cold cache", cold), ("warm cache", warm)):
            out.append(Timing(name, how, [d for d, _ in runs], [h for _, h in runs]))
    return out


# --- the report ------------------------------------------------------------------------------


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def report(timings: list[Timing], loads: int, db: str, load_avg: str, argv: list[str]) -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False)
    changed = _git("status", "--porcelain", "app", "bench", ":!bench/RESULTS.md")
    dirty = " + uncommitted changes" if changed else ""
    lines = [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: {_git('rev-parse', '--short', 'HEAD')}{dirty}",
        f"- machine: {cpu}, {os.cpu_count()} cores; load average {load_avg} at the start",
        f"- {chromium.stdout.strip()}, headless, {VIEWPORT['width']}×{VIEWPORT['height']}; "
        f"Python {platform.python_version()}",
        f"- database: {db}; `claimtrack serve`, one worker",
        f"- command: `{' '.join(['.venv/bin/python -m bench.pages', *argv])}`",
        "",
        f"Time from the navigation's start to the charts drawn (`{MARK}`), {loads} loads each; "
        "HTML: to the HTML's last byte (the server's share). p95: nearest rank.",
        "",
        "| page | load | median ms | p95 ms | HTML median ms | under 1 s |",
        "|---|---|---:|---:|---:|---|",
    ]
    for t in timings:
        p95 = Timing.p95(t.drawn_ms)
        lines.append(
            f"| {t.page} | {t.how} | {statistics.median(t.drawn_ms):,.0f} | {p95:,.0f} | "
            f"{statistics.median(t.html_ms):,.0f} | {'yes' if p95 < LIMIT_S * 1000 else 'NO'} |"
        )
    return "\n".join(lines)


def write_results(title: str, body: str) -> None:
    """`body` under `title` in the "Page loads" section of bench/RESULTS.md (made if new)."""
    doc = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    found = _heading(doc, SECTION).search(doc)
    section = (
        found.group(1)
        if found
        else (
            "Page loads in headless Chromium, `make bench-pages` (`bench/pages.py`: what is "
            "seeded, what is timed and how). One subsection per database; each run rewrites "
            "its own.\n"
        )
    )
    RESULTS.write_text(_replace(doc, SECTION, _replace(section, title, body)).rstrip() + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--loads", type=int, default=10, help="loads per page and cache state")
    parser.add_argument("--postgres", help="a PostgreSQL server's URL: the database goes there")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    load_avg = " ".join(f"{x:.2f}" for x in os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="claimtrack-bench-pages-"))
    with database(args.postgres, folder) as url:
        subprocess.run(
            [str(BIN / "claimtrack"), "migrate"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
        engine = make_engine(Settings(DATABASE_URL=url))
        started = time.perf_counter()
        try:
            seeded = seed(engine)
        finally:
            engine.dispose()
        print(f"seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        db = "PostgreSQL" if args.postgres else "SQLite file"
        with served(url, folder / "server.log") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                timings = measure(browser, base, seeded.key, seeded.big, args.loads)
            finally:
                browser.close()
    shutil.rmtree(folder)  # kept when the run failed: the server's log is in it
    body = report(timings, args.loads, db, load_avg, list(argv or sys.argv[1:]))
    print(body)
    write_results(f"### {'PostgreSQL' if args.postgres else 'SQLite'}", body)
    slow = [t for t in timings if Timing.p95(t.drawn_ms) >= LIMIT_S * 1000]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
