"""Conflict-check cost per claim as the stored set grows from 1e3 to 1e5 to 1e6 claims.

    .venv/bin/python -m bench.conflict_cost [--quick] [--database-url URL]

One database (a fresh SQLite file under bench/out/, or the schema `bench_conflicts` on the
PostgreSQL at URL) is migrated, then grown step by step. At each size 200 probe claims on
distinct comparison keys (even ones contradict the stored claims of their key, odd ones agree
with them) are inserted, checked one by one, then all in one batch, and rolled back. Exits 1
when the cost per claim at the largest size exceeds 1.5 times the cost at 1e3.
"""

import argparse
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, insert, make_url, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims.models import Claim, ClaimKind
from app.core.config import Settings
from app.core.db import begin_write, make_engine
from app.entities.models import Entity, Metric
from app.quantities import Quantity, parse_value
from app.review.conflicts import check
from app.review.rules import KIND_CLASSES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
SQLITE_FILE = ROOT / "bench" / "out" / "conflict_cost.sqlite"
SCHEMA = "bench_conflicts"
SECTION = "## Conflict-check cost"
SEED = 20261122
ENTITIES, METRICS, YEARS, KINDS = 2_000, 20, range(2019, 2025), tuple(ClaimKind)
SIZES, QUICK_SIZES = (1_000, 100_000, 1_000_000), (1_000, 100_000)
BATCH, PROBES, WARM_UP = 10_000, 200, 10
ROUNDS, BUDGET_S = 5, 30.0  # rounds of 200 checks per size: up to 5, fewer past 30 s (min 1)
GOAL, LIMIT = 1.2, 1.5
NOW = datetime(2026, 1, 1, tzinfo=UTC)
# Figures as the quantities module reads them ("16.5 bn USD" -> 16.45e9..16.55e9).
POOLS = {
    u: [parse_value(Decimal(n) / 10, u) for n in range(10, 10_000, 9)] for u in ("bn USD", "mn USD")
}
PLACE = {q.value: (unit, i) for unit, pool in POOLS.items() for i, q in enumerate(pool)}


@dataclass(frozen=True)
class Result:
    n: int
    load_s: float
    rounds: int
    median_us: float
    p95_us: float
    agreeing_us: float  # median of the probes that agree with their key
    conflicting_us: float  # median of the probes that open a flag
    statements: tuple[int, int]  # per check: agreeing, conflicting
    batch_us: float


class Counter:
    """SQL statements sent on an engine (an executemany counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_: Any) -> None:
        self.n += 1


def _quantity(entity: int, metric: int, year: int) -> Quantity:
    """Every stored claim of one (entity, metric, year) gives the same figure: they agree."""
    pool = POOLS["bn USD" if metric % 2 else "mn USD"]
    return pool[(entity * 7919 + metric * 104_729 + year * 31) % len(pool)]


def _row(
    entity_id: int, metric_id: int, year: int, kind: str, q: Quantity, i: int
) -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "metric_id": metric_id,
        "value_text": q.text,
        "value_is_index": False,
        "value": q.value,
        "unit": q.unit,
        "dimension": q.dimension,
        "bound": q.bound,
        "low": q.low,
        "high": q.high,
        "low_open": q.interval.low_open,
        "high_open": q.interval.high_open,
        "period_text": str(year),
        "period_start": date(year, 1, 1),
        "period_end": date(year, 12, 31),
        "kind": kind,
        "basis": None,
        "stated_by": f"publisher {i % 997}",
        "asserted_on": date(year + 1, 1 + i % 12, 1 + i % 28),
        "statement": f"Claim {i}: {q.text} in {year}.",
        "status": "active",
        "rank": "normal",
        "verification": "unverified",
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
        "retracted_at": None,
        "created_by_id": None,
    }


@contextmanager
def database(url: str | None) -> Iterator[Engine]:
    """A fresh, migrated database; the PostgreSQL schema is dropped again afterwards."""
    admin = None
    if url is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        engine = make_engine(Settings(DATABASE_URL=f"sqlite:///{SQLITE_FILE}"))
    else:
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine = create_engine(url, connect_args={"options": f"-c search_path={SCHEMA}"})
    try:
        with engine.begin() as conn:
            cfg = Config(str(ROOT / "alembic.ini"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        yield engine
    finally:
        engine.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
            admin.dispose()


def _insert(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    """One set-based INSERT, one transaction."""
    with Session(engine) as s:
        begin_write(s)
        s.execute(insert(model), rows)
        s.commit()


def load_names(engine: Engine) -> tuple[list[int], list[int]]:
    names = [
        {"slug": f"entity-{i}", "name": f"Entity {i}", "created_at": NOW} for i in range(ENTITIES)
    ]
    _insert(engine, Entity, names)
    metric = {"dimension": "money", "unit": "USD", "created_at": NOW}
    _insert(
        engine,
        Metric,
        [{"slug": f"metric-{i}", "name": f"Metric {i}", **metric} for i in range(METRICS)],
    )
    with Session(engine) as s:
        entity_ids = list(s.scalars(text("SELECT id FROM entities ORDER BY id")))
        metric_ids = list(s.scalars(text("SELECT id FROM metrics ORDER BY id")))
    return entity_ids, metric_ids


def load_claims(
    engine: Engine, rng: random.Random, names: tuple[list[int], list[int]], start: int, stop: int
) -> None:
    """Stored claims number start..stop-1, BATCH rows per INSERT."""
    entity_ids, metric_ids = names
    for first in range(start, stop, BATCH):
        rows = []
        for i in range(first, min(first + BATCH, stop)):
            e, m, year = rng.randrange(ENTITIES), rng.randrange(METRICS), rng.choice(YEARS)
            q = _quantity(e, m, year)
            rows.append(_row(entity_ids[e], metric_ids[m], year, rng.choice(KINDS), q, i))
        _insert(engine, Claim, rows)


def probe_rows(engine: Engine, rng: random.Random) -> list[dict[str, Any]]:
    """PROBES claims on the keys of randomly drawn stored claims, one per comparison key: even
    ones give a figure from the other half of the pool (a conflict), odd ones the same figure."""
    with Session(engine) as s:
        low, high = s.execute(select(func.min(Claim.id), func.max(Claim.id))).one()
        assert low is not None and high is not None
        ids = rng.sample(range(low, high + 1), 4 * PROBES)
        stored = {c.id: c for c in s.execute(select(Claim).where(col(Claim.id).in_(ids))).scalars()}
    out: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()
    for c in (stored[i] for i in ids if i in stored):
        key = (c.entity_id, c.metric_id, c.period_start, KIND_CLASSES[c.kind])
        if key in keys or c.period_start is None:
            continue
        keys.add(key)
        unit, place = PLACE[c.value]
        pool = POOLS[unit]
        q = pool[(place + len(pool) // 2) % len(pool)] if len(out) % 2 == 0 else pool[place]
        out.append(_row(c.entity_id, c.metric_id, c.period_start.year, c.kind, q, len(out)))
        if len(out) == PROBES:
            return out
    raise RuntimeError("not enough distinct comparison keys among the sampled claims")


def _add(s: Session, rows: Sequence[dict[str, Any]]) -> list[Claim]:
    begin_write(s)
    claims = [Claim(**r) for r in rows]
    s.add_all(claims)
    s.flush()
    return claims


def one_by_one(
    engine: Engine, counter: Counter, rows: Sequence[dict[str, Any]]
) -> list[tuple[float, int]]:
    """(seconds, statements) of `check` on each claim alone; rolled back."""
    out = []
    with Session(engine) as s:
        for claim in _add(s, rows):
            before, start = counter.n, time.perf_counter()
            check(s, [claim], actor_id=None)
            out.append((time.perf_counter() - start, counter.n - before))
        s.rollback()
    return out


def batch(engine: Engine, rows: Sequence[dict[str, Any]]) -> float:
    """Seconds per claim of one `check` on every claim; rolled back."""
    with Session(engine) as s:
        claims = _add(s, rows)
        start = time.perf_counter()
        check(s, claims, actor_id=None)
        elapsed = time.perf_counter() - start
        s.rollback()
    return elapsed / len(claims)


def measure(
    engine: Engine, counter: Counter, rows: list[dict[str, Any]], n: int, load_s: float
) -> Result:
    one_by_one(engine, counter, rows[:WARM_UP])
    batch(engine, rows[:WARM_UP])
    samples: list[tuple[float, int]] = []
    batches: list[float] = []
    deadline = time.perf_counter() + BUDGET_S
    while not batches or (len(batches) < ROUNDS and time.perf_counter() < deadline):
        samples += one_by_one(engine, counter, rows)
        batches.append(batch(engine, rows))
    every = [t for t, _ in samples]
    conflicting = [s for i, s in enumerate(samples) if i % 2 == 0]
    agreeing = [s for i, s in enumerate(samples) if i % 2 == 1]
    return Result(
        n=n,
        load_s=load_s,
        rounds=len(batches),
        median_us=statistics.median(every) * 1e6,
        p95_us=statistics.quantiles(every, n=20)[-1] * 1e6,
        agreeing_us=statistics.median(t for t, _ in agreeing) * 1e6,
        conflicting_us=statistics.median(t for t, _ in conflicting) * 1e6,
        statements=(
            int(statistics.median(c for _, c in agreeing)),
            int(statistics.median(c for _, c in conflicting)),
        ),
        batch_us=statistics.median(batches) * 1e6,
    )


def _power(n: int) -> str:
    return f"1e{len(str(n)) - 1}"


def table(results: Sequence[Result]) -> str:
    lines = [
        "| stored claims N | median µs/claim | p95 µs/claim | median µs agreeing / conflicting "
        "| statements/check agreeing / conflicting | batch of 200: µs/claim | rounds | load s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cells = [
            f"{r.n:,}",
            f"{r.median_us:,.0f}",
            f"{r.p95_us:,.0f}",
            f"{r.agreeing_us:,.0f} / {r.conflicting_us:,.0f}",
            f"{r.statements[0]} / {r.statements[1]}",
            f"{r.batch_us:,.0f}",
            str(r.rounds),
            f"{r.load_s:.1f}",
        ]
        lines.append(f"| {' | '.join(cells)} |")
    return "\n".join(lines)


def ratio(results: Sequence[Result]) -> tuple[float, str]:
    """Growth of the median cost, agreeing and conflicting probes apart (their mix is bimodal)."""
    first, last = results[0], results[-1]
    agreeing, conflicting = (
        last.agreeing_us / first.agreeing_us,
        last.conflicting_us / first.conflicting_us,
    )
    worst = max(agreeing, conflicting)
    verdict = (
        "meets the goal" if worst <= GOAL else "misses the goal" if worst <= LIMIT else "FAILS"
    )
    return worst, (
        f"**cost({_power(last.n)})/cost({_power(first.n)}) = {worst:.2f}**, the larger of the "
        f"agreeing ({agreeing:.2f}) and conflicting ({conflicting:.2f}) median ratios: {verdict} "
        f"(goal ≤ {GOAL}; the run exits 1 above {LIMIT})."
    )


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def environment(engine: Engine, command_line: str, load: float) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    if engine.dialect.name == "sqlite":
        db = f"SQLite {sqlite3.sqlite_version}, file, WAL, no ANALYZE (as the app runs it)"
    else:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        db = f"PostgreSQL {version}, schema {SCHEMA}, ANALYZE after each load step"
    dirty = (
        " + uncommitted changes in app/ or alembic/"
        if _git("status", "--porcelain", "app", "alembic")
        else ""
    )
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: {_git('rev-parse', '--short', 'HEAD')}{dirty}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; load average {load:.2f} at the start",
        f"- Python {sys.version.split()[0]}, SQLAlchemy {sqlalchemy.__version__}",
        f"- database: {db}",
        f"- command: `{command_line}`",
    ]


def _heading(doc: str, heading: str) -> re.Pattern[str]:
    """The text under `heading`, up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    return re.compile(rf"^{re.escape(heading)}\n(.*?)(?=^#{{1,{level}}} |\Z)", re.M | re.S)


def _replace(doc: str, heading: str, body: str) -> str:
    block = f"{heading}\n\n{body.strip()}\n\n"
    pattern = _heading(doc, heading)
    return (
        pattern.sub(lambda _: block, doc, count=1)
        if pattern.search(doc)
        else f"{doc.rstrip()}\n\n{block}"
    )


def write_results(title: str, body: str) -> None:
    doc = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    found = _heading(doc, SECTION).search(doc)
    section = (
        found.group(1)
        if found
        else (
            "`app.review.conflicts.check` per new claim against N stored claims "
            "(`bench/conflict_cost.py`, see `bench/README.md`). One subsection per database "
            "and mode; each run rewrites its own.\n"
        )
    )
    RESULTS.write_text(
        _replace(doc, SECTION, _replace(section, f"### {title}", body)).rstrip() + "\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.conflict_cost", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="stop at 1e5 stored claims")
    parser.add_argument("--database-url", help="postgresql+psycopg://... (default: a SQLite file)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else SIZES
    command_line = ".venv/bin/python -m bench.conflict_cost" + " --quick" * args.quick
    if args.database_url:
        command_line += (
            f" --database-url {make_url(args.database_url).render_as_string(hide_password=True)}"
        )
    load = os.getloadavg()[0]
    load_rng, probe_rng = random.Random(SEED), random.Random(SEED + 1)
    results: list[Result] = []
    with database(args.database_url) as engine:
        counter = Counter(engine)
        names = load_names(engine)
        for stored, n in zip((0, *sizes), sizes, strict=False):
            start = time.perf_counter()
            load_claims(engine, load_rng, names, stored, n)
            if engine.dialect.name == "postgresql":
                with engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            load_s = time.perf_counter() - start
            results.append(measure(engine, counter, probe_rows(engine, probe_rng), n, load_s))
            print(
                f"N={n:,}: loaded in {load_s:.1f} s, median {results[-1].median_us:,.0f} µs/claim",
                flush=True,
            )
        lines = environment(engine, command_line, load)
        database_name = "SQLite" if engine.dialect.name == "sqlite" else "PostgreSQL"
        title = f"{database_name}, {'quick' if args.quick else 'full'}"
    worst, summary = ratio(results)
    body = "\n".join([*lines, "", table(results), "", summary])
    print(f"\n{body}")
    write_results(title, body)
    return 1 if worst > LIMIT else 0


if __name__ == "__main__":
    raise SystemExit(main())
