"""Two writers inserting two conflicting claims at the same moment still produce the flag.

Runs on its own database beside the test one (a schema on PostgreSQL, a file on SQLite), with
real commits from several threads, each on its own connection.
"""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims.models import ClaimCreate
from app.core.config import Settings
from app.core.db import begin_write, make_engine
from app.entities.models import EntityCreate, MetricCreate
from app.flows import claims, entities
from app.review.models import Flag, FlagKind, FlagStatus
from tests.conftest import alembic_config

PAIRS = 100
SCHEMA = "concurrency_check"


@pytest.fixture
def scratch_engine(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        scratch = create_engine(
            engine.url, connect_args={"options": f"-csearch_path={SCHEMA}"}, pool_size=10
        )
    else:
        # Every writer queues for SQLite's one lock; a loaded CI machine needs a patient timeout.
        url = f"sqlite:///{tmp_path / 'race.db'}"
        scratch = make_engine(Settings(database_url=url, sqlite_busy_timeout_ms=120_000))
    with scratch.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    yield scratch
    scratch.dispose()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))


def _claim(pair: int, value: str) -> ClaimCreate:
    return ClaimCreate(
        entity=f"racer-{pair}",
        metric="trade turnover",
        value_text=value,
        period="2024",
        kind="actual",
        stated_by="test",
        asserted_on=date(2026, 1, 1),
        statement="racing claim",
    )


def test_conflicting_pairs_inserted_at_once_are_all_flagged_once(scratch_engine: Engine) -> None:
    with Session(scratch_engine) as session, session.begin():
        entities.create_metric(
            session, MetricCreate(name="trade turnover", unit="USD"), actor_id=None
        )
        for pair in range(PAIRS):
            entities.create_entity(session, EntityCreate(name=f"racer-{pair}"), actor_id=None)
    barriers = [threading.Barrier(2, timeout=30) for _ in range(PAIRS)]

    def insert(pair: int, value: str) -> None:
        barriers[pair].wait()
        with Session(scratch_engine, expire_on_commit=False) as session:
            begin_write(session)
            claims.create_one(session, _claim(pair, value), actor_id=None)
            session.commit()

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [
            pool.submit(insert, pair, value)
            for pair in range(PAIRS)
            for value in ("$45 billion", "$40 billion")
        ]
        for future in futures:
            future.result()

    with Session(scratch_engine) as session:
        open_conflicts = session.execute(
            select(col(Flag.group_key), col(Flag.claim_count)).where(
                col(Flag.kind) == FlagKind.CONFLICT, col(Flag.status) == FlagStatus.OPEN
            )
        ).all()
        total = session.execute(
            select(func.count()).select_from(Flag).where(col(Flag.kind) == FlagKind.CONFLICT)
        ).scalar_one()
    assert len(open_conflicts) == PAIRS
    assert total == PAIRS
    assert len({key for key, _ in open_conflicts}) == PAIRS
    assert {count for _, count in open_conflicts} == {2}
