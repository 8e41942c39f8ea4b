"""Reads stay reads: many concurrent GETs, with keys used for the first time, never fail."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth import service as keys
from app.auth.models import ApiKey, ApiKeyCreate, Role
from app.core.config import Settings
from app.core.db import begin_write, make_engine
from app.core.models import as_utc, utcnow
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running

READERS = 16
ROUNDS = 2
GETS = 8


def _round(server: Server, readers: list[dict[str, str]], writer: dict[str, str], n: int) -> None:
    """Every reader and one writer start at the same moment; every request must succeed."""
    barrier = threading.Barrier(len(readers) + 1, timeout=30)

    def read(headers: dict[str, str]) -> list[int]:
        with server.client() as c:
            barrier.wait()
            return [
                c.get("/api/v1/claims", params={"limit": 5}, headers=headers).status_code
                for _ in range(GETS)
            ]

    def write() -> list[int]:
        with server.client() as c:
            barrier.wait()
            return [
                c.post(
                    "/api/v1/claims",
                    json=claim_body(entity=f"writer-{n}-{i}", citations=[]),
                    headers=writer,
                ).status_code
                for i in range(GETS)
            ]

    with ThreadPoolExecutor(len(readers) + 1) as pool:
        writes = pool.submit(write)
        reads = [pool.submit(read, headers) for headers in readers]
        statuses = [status for future in reads for status in future.result()]
        assert writes.result() == [201] * GETS
    assert statuses == [200] * len(readers) * GETS


def test_concurrent_gets_with_fresh_keys_and_a_writer_are_all_200(scratch: ScratchDb) -> None:
    writer = scratch.key(Role.ANALYST)
    with running(scratch.url) as server:
        with server.client() as c:
            for i in range(5):
                body = claim_body(entity=f"reader-{i}", citations=[])
                assert c.post("/api/v1/claims", json=body, headers=writer).status_code == 201
        for n in range(ROUNDS):
            # Fresh keys: each one's first use is due to be recorded, all at the same moment.
            _round(server, [scratch.key(Role.READER) for _ in range(READERS)], writer, n)


def _last_used(db: ScratchDb, key_id: int) -> datetime | None:
    with Session(db.engine) as session:
        row = session.get(ApiKey, key_id)
        assert row is not None
        return as_utc(row.last_used_at)


def test_a_read_records_the_keys_first_use(scratch: ScratchDb) -> None:
    admin = scratch.key(Role.ADMIN)
    with running(scratch.url) as server, server.client() as c:
        created = c.post("/api/v1/keys", json={"name": "x", "role": "reader"}, headers=admin)
        body = created.json()
        assert body["last_used_at"] is None
        before = utcnow()
        assert c.get("/api/v1/claims", headers=_bearer(body["key"])).status_code == 200
        first = _last_used(scratch, body["id"])
        assert first is not None
        assert before <= first <= utcnow()
        # Within the resolution, a second read writes nothing.
        assert c.get("/api/v1/claims", headers=_bearer(body["key"])).status_code == 200
        assert _last_used(scratch, body["id"]) == first
        listed = {k["id"]: k for k in c.get("/api/v1/keys", headers=admin).json()}
        assert listed[body["id"]]["last_used_at"] == first.isoformat().replace("+00:00", "Z")


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _new_key(db: ScratchDb) -> int:
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        row, _ = keys.create(session, ApiKeyCreate(name="x", role=Role.READER), created_by_id=None)
    assert row.id is not None
    return row.id


def test_recording_a_use_moves_last_used_forward_once_per_resolution(scratch: ScratchDb) -> None:
    key_id = _new_key(scratch)
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert keys.record_use(scratch.engine, key_id, now) is True
    assert _last_used(scratch, key_id) == now
    assert keys.record_use(scratch.engine, key_id, now + timedelta(seconds=30)) is True
    assert _last_used(scratch, key_id) == now
    later = now + keys.LAST_USED_RESOLUTION + timedelta(seconds=1)
    assert keys.record_use(scratch.engine, key_id, later) is True
    assert _last_used(scratch, key_id) == later
    # Never backwards, whatever another process's clock says.
    assert keys.record_use(scratch.engine, key_id, now) is True
    assert _last_used(scratch, key_id) == later


def test_recording_a_use_is_skipped_while_another_writer_holds_the_lock(
    scratch: ScratchDb,
) -> None:
    key_id = _new_key(scratch)
    with scratch.engine.connect() as holder:
        begin_write(Session(bind=holder))
        holder.execute(update(ApiKey).where(col(ApiKey.id) == key_id).values(name="held"))
        started = time.monotonic()
        assert keys.record_use(scratch.engine, key_id, utcnow()) is False
        waited = time.monotonic() - started
        holder.rollback()
    assert waited < 1.0
    assert _last_used(scratch, key_id) is None


def test_each_key_is_due_once_per_resolution_in_a_process() -> None:
    key_id = 10**12 + int(time.time_ns() % 10**6)
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert keys._use_is_due(key_id, None, now) is True
    assert keys._use_is_due(key_id, None, now + timedelta(seconds=59)) is False
    assert keys._use_is_due(key_id, now, now + timedelta(seconds=59)) is False
    assert keys._use_is_due(key_id, None, now + timedelta(seconds=61)) is True
    assert keys._use_is_due(key_id + 1, now - timedelta(seconds=30), now) is False
    assert keys._use_is_due(key_id + 1, now - timedelta(seconds=61), now) is True


def test_recording_a_use_on_a_database_that_is_away_raises_for_the_requests_503() -> None:
    """Skipped, the request went on to wait for the database a second time, on its own
    connection: the two waits together broke the bound on a request's wait."""
    away = make_engine(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none"))
    with pytest.raises(OperationalError):
        keys.record_use(away, 1, utcnow())
    away.dispose()
