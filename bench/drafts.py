"""Draft claims from text: Claimtrack's `POST /api/v1/drafts` and quantulum3 on the labelled sets.

    make bench-drafts        (.venv/bin/python -m bench.drafts after `uv sync --group bench`)

Both extractors read every paragraph of tests/drafts/labelled.toml and of the held-out set
tests/drafts/heldout.toml (gathered after the extractor landed) and are scored by
tests/drafts/scoring.py, as the suite scores Claimtrack, each set on its own row. quantulum3
keeps no bound, period, kind, entity or metric: those columns count as wrong for it, and its
value is right when its number in its unit, converted to the label's unit by the small table
below, is the label's. Then a briefing of at least 5,000 words (the paragraphs one after
another) is drafted in one request, best of three after a warm-up. Prints the table and writes
it to bench/RESULTS.md, section "Draft claims"; exits 1 when the briefing takes a second or more.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_tmp = Path(tempfile.mkdtemp(prefix="claimtrack-bench-drafts-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp / 'drafts.db'}"
os.environ["CLAIMTRACK_ENVIRONMENT"] = "test"
os.environ["CLAIMTRACK_RATE_LIMIT_PER_MINUTE"] = "0"

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.auth.models import ApiKeyCreate, Role  # noqa: E402
from app.core.db import get_engine  # noqa: E402
from app.flows import keys  # noqa: E402
from app.main import create_app  # noqa: E402
from bench.conflict_cost import RESULTS, _replace  # noqa: E402
from tests.drafts.scoring import (  # noqa: E402
    HELDOUT,
    Paragraph,
    Tally,
    load,
    score_response,
    table,
)

SECTION = "## Draft claims"
QUANTULUM_LACKS = ("bound", "value_and_bound", "figure_type", "period", "kind", "entity", "metric")
BRIEFING_WORDS = 5000
SPEED_LIMIT_S = 1.0

# quantulum3's unit name -> (Claimtrack's canonical unit, factor to it)
QUANTULUM_UNITS: dict[str, tuple[str, Decimal]] = {
    "dollar": ("USD", Decimal(1)),
    "united states dollar": ("USD", Decimal(1)),
    "euro": ("EUR", Decimal(1)),
    "indian rupee": ("INR", Decimal(1)),
    "percentage": ("percent", Decimal(1)),
    "per cent": ("percent", Decimal(1)),
    "ton": ("t", Decimal(1)),
    "tonne": ("t", Decimal(1)),
    "metric ton": ("t", Decimal(1)),
    "kilogram": ("t", Decimal("0.001")),
    "kilowatt hour": ("GWh", Decimal("0.000001")),
    "terawatt hour": ("GWh", Decimal(1000)),
    "megawatt": ("MW", Decimal(1)),
    "gigawatt": ("MW", Decimal(1000)),
    "metre": ("km", Decimal("0.001")),
    "kilometre": ("km", Decimal(1)),
    "cubic metre": ("m3", Decimal(1)),
    "cubic foot": ("m3", Decimal("0.028316846592")),
    "barrel per day": ("m3/yr", Decimal("0.158987294928") * Decimal("365.25")),
    "dimensionless": ("count", Decimal(1)),
}


def analyst_headers() -> dict[str, str]:
    """A migrated, empty database and an analyst's key on it."""
    with get_engine().begin() as connection:
        config = Config(str(ROOT / "alembic.ini"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with Session(get_engine()) as session:
        _, secret = keys.create(
            session, ApiKeyCreate(name="bench drafts", role=Role.ANALYST), created_by_id=None
        )
        session.commit()
    return {"Authorization": f"Bearer {secret}"}


class NoDrafts(Exception):
    """The build answers no drafts (the route missing or failing)."""


def draft(client: TestClient, headers: dict[str, str], text: str, on: str) -> Any:
    response = client.post(
        "/api/v1/drafts", json={"text": text, "asserted_on": on}, headers=headers
    )
    if response.status_code != 200:
        raise NoDrafts(
            f"POST /api/v1/drafts answered {response.status_code}: {response.text[:200]}"
        )
    return response.json()


def claimtrack(client: TestClient, headers: dict[str, str], paragraphs: list[Paragraph]) -> Tally:
    tally = Tally()
    for paragraph in paragraphs:
        body = draft(client, headers, paragraph.text, paragraph.asserted_on)
        score_response(tally, paragraph, body["drafts"])
    return tally


def quantulum(paragraphs: list[Paragraph]) -> Tally:
    with warnings.catch_warnings():  # its optional classifier (scikit-learn) is not installed
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        tally = Tally()
        for paragraph in paragraphs:
            found = parser.parse(paragraph.text)
            drafts = []
            for q in found:
                unit, factor = QUANTULUM_UNITS.get(q.unit.name.lower(), (q.unit.name, Decimal(1)))
                value = Decimal(str(q.value)) * factor
                start, end = q.span
                drafts.append({"span": {"start": start, "end": end}, "value": value, "unit": unit})
            score_response(tally, paragraph, drafts, absent=QUANTULUM_LACKS)
    return tally


def briefing(paragraphs: list[Paragraph]) -> str:
    texts: list[str] = []
    while sum(len(t.split()) for t in texts) < BRIEFING_WORDS:
        texts += [p.text for p in paragraphs]
    words = 0
    for i, text in enumerate(texts):
        words += len(text.split())
        if words >= BRIEFING_WORDS:
            return "\n\n".join(texts[: i + 1])
    raise AssertionError("unreachable")


def speed(client: TestClient, headers: dict[str, str], text: str) -> tuple[float, float, int]:
    """Best of three, after a warm-up: seconds on the clock, seconds of this process's CPU (the
    test client serves the request in this process; other work on a shared machine does not
    count there), and the drafts the briefing gave."""
    count = len(draft(client, headers, text, "2025-01-01")["drafts"])
    times, cpu = [], []
    for _ in range(3):
        started, used = time.perf_counter(), time.process_time()
        draft(client, headers, text, "2025-01-01")
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return min(times), min(cpu), count


def commit() -> str:
    run = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return run.stdout.strip() or "unknown"


def main() -> int:
    sets = {"labelled": load(), "held-out": load(HELDOUT)}
    paragraphs = sets["labelled"]
    theirs = {name: quantulum(rows) for name, rows in sets.items()}
    scores = {}
    headers = analyst_headers()
    try:
        with TestClient(create_app()) as client:
            ours = {name: claimtrack(client, headers, rows) for name, rows in sets.items()}
            text = briefing(paragraphs)
            seconds, cpu, drafted = speed(client, headers, text)
        for name, tally in ours.items():
            scores[f"Claimtrack `POST /api/v1/drafts`, {name}"] = tally.scores()
        skipped_line = (
            "Drafts that were a skipped span (a year, a date, an ordinal, a name), labelled / "
            f"held-out: Claimtrack {ours['labelled'].skipped_drafted} / "
            f"{ours['held-out'].skipped_drafted}, quantulum3 {theirs['labelled'].skipped_drafted}"
            f" / {theirs['held-out'].skipped_drafted}."
        )
        fast = seconds < SPEED_LIMIT_S
        speed_line = (
            f"Speed: a briefing of {len(text.split()):,} words ({len(text):,} characters) drafted "
            f"in {seconds * 1000:.0f} ms ({drafted} drafts; {cpu * 1000:.0f} ms of CPU), best of "
            f"three after a warm-up, through the ASGI test client on SQLite: "
            f"{'under' if fast else 'NOT under'} a second (load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs shared with other work)."
        )
    except NoDrafts as exc:
        fast = False
        skipped_line = "Claimtrack not scored."
        speed_line = f"Claimtrack not scored and not timed: {exc}."
    for name, tally in theirs.items():
        scores[f"quantulum3, {name}"] = tally.scores()
    described = "; ".join(
        f"{name}: {len(rows)} real paragraphs from {len({p.url for p in rows})} public pages, "
        f"{sum(len(p.figures) for p in rows)} figures, {sum(len(p.skipped) for p in rows)} "
        "skipped spans"
        for name, rows in sets.items()
    )
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit()}, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        "`make bench-drafts` (`bench/drafts.py`).",
        "",
        f"The sets ({described}): `tests/drafts/labelled.toml`, and `tests/drafts/heldout.toml`, "
        "gathered after the extractor landed and before it was changed for it, so that a "
        "change made for the first set that reads other text worse shows. Recall: figures "
        "found; precision: drafts that are labelled figures; the other columns: right among the "
        "figures found (`tests/drafts/scoring.py`). quantulum3 keeps no bound, period, kind, "
        "entity or metric: those count as wrong.",
        "",
        table(scores),
        "",
        skipped_line,
        "",
        speed_line,
    ]
    body = "\n".join(lines)
    print(body)
    doc = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    RESULTS.write_text(_replace(doc, SECTION, body).rstrip() + "\n")
    return 0 if fast else 1


if __name__ == "__main__":
    sys.exit(main())
