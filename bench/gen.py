"""Deterministic data for the HTTP benchmark, loaded into Claimtrack and into a plain SQLite file.

Claims come from `bench.conflict_cost` (the same generator, the same seed): every stored claim
of one (entity, metric, year) gives the same figure, so a new claim on that key either agrees
or contradicts, as the caller chooses. Observations are daily series of fixed lengths. The
anchor file (for Datasette) gets the very same rows, copied column for column.
"""

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.core.db import begin_write
from app.flows import keys
from app.indicators.models import Indicator, Observation
from bench import conflict_cost as cc

SEED = 20261123
NOW = datetime(2026, 1, 1, tzinfo=UTC)
FIRST_DAY = date(1800, 1, 1)
OBS_BATCH = 20_000
# Columns the anchor keeps of each table: what Datasette serves for a claim and a series.
CLAIM_COLUMNS = (
    "id, entity_id, metric_id, value_text, value, unit, dimension, bound, low, high, "
    "period_text, period_start, period_end, kind, stated_by, asserted_on, statement, status, "
    "rank, verification, version, created_at, updated_at"
)
OBS_COLUMNS = "id, indicator_id, period_text, period_start, period_end, value, vintage"


@dataclass(frozen=True)
class Loaded:
    claims: int
    entity_ids: list[int]
    metric_ids: list[int]
    series: dict[int, int]  # points -> indicator id
    key: str  # an analyst's API key


def _observations(indicator_id: int, points: int) -> Iterator[list[dict[str, Any]]]:
    rng = random.Random(SEED + points)
    batch: list[dict[str, Any]] = []
    value = Decimal("1000.0")
    for i in range(points):
        day = FIRST_DAY + timedelta(days=i)
        value += Decimal(rng.randrange(-50, 60)) / 10
        batch.append(
            {
                "indicator_id": indicator_id,
                "period_text": day.isoformat(),
                "period_start": day,
                "period_end": day,
                "value": value,
                "vintage": day + timedelta(days=1),
                "source_id": None,
                "quote": None,
                "created_at": NOW,
                "created_by_id": None,
            }
        )
        if len(batch) == OBS_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def load(engine: Engine, claims: int, series: tuple[int, ...]) -> Loaded:
    """Migrated, empty database in; `claims` claims, one daily series per length, a key out."""
    names = cc.load_names(engine)
    cc.load_claims(engine, random.Random(SEED), names, 0, claims)
    entity_ids, metric_ids = names
    ids: dict[int, int] = {}
    with Session(engine) as s:
        begin_write(s)
        for points in series:
            row = Indicator(
                slug=f"series-{points}",
                name=f"Daily series of {points:,} points",
                entity_id=entity_ids[0],
                metric_id=metric_ids[0],
                unit="USD",
                dimension="money",
                frequency="daily",
                direction="neutral",
                created_at=NOW,
                updated_at=NOW,
            )
            s.add(row)
            s.flush()
            assert row.id is not None
            ids[points] = row.id
        s.commit()
    for points, indicator_id in ids.items():
        for batch in _observations(indicator_id, points):
            cc._insert(engine, Observation, batch)
    with Session(engine) as s:
        begin_write(s)
        _, key = keys.create(s, ApiKeyCreate(name="bench", role=Role.ANALYST), created_by_id=None)
        s.commit()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return Loaded(claims, entity_ids, metric_ids, ids, key)


def claim_key_rows(engine: Engine, count: int) -> list[dict[str, Any]]:
    """`count` stored claims on distinct comparison keys, as entity/metric slugs and figures."""
    rng = random.Random(SEED + 1)
    with Session(engine) as s:
        top = s.execute(text("SELECT max(id) FROM claims")).scalar_one()
        rows = s.execute(
            text(
                "SELECT c.id, e.slug AS entity, m.slug AS metric, c.period_start, c.kind, "
                "c.value, c.unit FROM claims c JOIN entities e ON e.id = c.entity_id "
                "JOIN metrics m ON m.id = c.metric_id WHERE c.id IN ("
                + ",".join(str(rng.randint(1, top)) for _ in range(count * 3))
                + ")"
            )
        ).all()
    seen: set[tuple[Any, ...]] = set()
    out = []
    for r in rows:
        key = (r.entity, r.metric, str(r.period_start)[:4])
        if key in seen:
            continue
        seen.add(key)
        out.append(r._asdict())
    return out[:count]


def new_claims(engine: Engine, count: int, *, salt: int) -> list[dict[str, Any]]:
    """Claim bodies on stored comparison keys: even ones contradict the stored figure, odd
    ones repeat it. Figures are written as text, as analysts write them ("4.5 bn USD")."""
    out = []
    for i, r in enumerate(claim_key_rows(engine, count)):
        unit = "bn USD" if r["unit"] == "USD" and Decimal(r["value"]) >= 10**9 else "mn USD"
        scale = Decimal(10**9 if unit == "bn USD" else 10**6)
        figure = Decimal(r["value"]) / scale
        if i % 2 == 0:
            figure = figure * 2 + 1  # far outside the stored interval
        year = str(r["period_start"])[:4]
        out.append(
            {
                "entity": r["entity"],
                "metric": r["metric"],
                "value_text": f"{figure.normalize():f} {unit}",
                "period": year,
                "kind": r["kind"],
                "stated_by": f"bench publisher {salt}",
                "asserted_on": f"{int(year) + 1}-03-01",
                "statement": f"Bench claim {salt}-{i}.",
            }
        )
    return out


def anchor(claimtrack_sqlite: Path, out: Path) -> None:
    """The same claims and observations in a plain SQLite file, for Datasette."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(out)
    conn.execute("ATTACH DATABASE ? AS ct", (str(claimtrack_sqlite),))
    conn.execute(f"CREATE TABLE claims AS SELECT {CLAIM_COLUMNS} FROM ct.claims")
    conn.execute(f"CREATE TABLE observations AS SELECT {OBS_COLUMNS} FROM ct.observations")
    conn.commit()
    conn.execute("DETACH DATABASE ct")
    # Tables with a real primary key (row pages) and the series index, as Claimtrack has.
    for table in ("claims", "observations"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        body = ", ".join(f"{c} INTEGER PRIMARY KEY" if c == "id" else c for c in cols)
        conn.execute(f"CREATE TABLE {table}_new ({body})")
        conn.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
        if table == "claims":  # an empty twin that the insert workloads write to
            conn.execute(f"CREATE TABLE claims_insert ({body})")
    conn.execute("CREATE INDEX ix_observations_series ON observations (indicator_id, period_end)")
    conn.commit()
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def stored_ids(engine: Engine, count: int) -> list[int]:
    rng = random.Random(SEED + 2)
    with Session(engine) as s:
        top = s.execute(select(text("max(id)")).select_from(text("claims"))).scalar_one()
    return [rng.randint(1, top) for _ in range(count)]
