"""Racing retries and crashes around the commit, on really committed transactions.

As in tests/review/test_concurrency.py, this runs on its own database beside the test one (a
schema on PostgreSQL, a file on SQLite). `get_engine` points there, so that what is tested is the
app's own session per request (app/core/sessions.py), not the rolled-back one of the other tests.
"""

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx2 as httpx
import orjson
import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session
from starlette.responses import Response
from starlette.types import Message

from app.auth import service as keys
from app.auth.models import ApiKeyCreate, Role
from app.claims.models import Claim
from app.core import db
from app.core.config import Settings
from app.core.db import begin_write, make_engine
from app.core.models import utcnow
from app.idempotency import service
from app.idempotency.models import IdempotencyRecord
from app.main import create_app
from tests.conftest import alembic_config
from tests.factories import claim_body

SCHEMA = "idempotency_check"
RETRIES = 50
BODY = orjson.dumps(claim_body())
OTHER = orjson.dumps(claim_body(stated_by="KTZ's chairman"))  # another claim: stored too


@pytest.fixture
def scratch_engine(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Engine]:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        scratch = create_engine(
            engine.url,
            connect_args={"options": f"-csearch_path={SCHEMA}"},
            pool_size=20,
            max_overflow=0,
            pool_timeout=120,
        )
    else:
        # Every writer queues for SQLite's one lock; a loaded CI machine needs a patient timeout.
        url = f"sqlite:///{tmp_path / 'idempotency.db'}"
        scratch = make_engine(Settings(database_url=url, sqlite_busy_timeout_ms=120_000))
    with scratch.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    monkeypatch.setattr(db, "get_engine", lambda: scratch)
    yield scratch
    scratch.dispose()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))


@pytest.fixture
def analyst(scratch_engine: Engine) -> tuple[int, dict[str, str]]:
    """A committed key, marked used just now: racing requests then do not all queue on the
    update of its last_used_at (on PostgreSQL, before they ever reach the idempotency record)."""
    with Session(scratch_engine, expire_on_commit=False) as session, session.begin():
        row, secret = keys.create(
            session, ApiKeyCreate(name="racer", role=Role.ANALYST), created_by_id=None
        )
        row.last_used_at = utcnow()
    assert row.id is not None
    return row.id, {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}


def stored(engine: Engine) -> tuple[int, int]:
    """(claims, idempotency records) committed in the scratch database."""
    with Session(engine) as session:
        claims = session.execute(select(func.count()).select_from(Claim)).scalar_one()
        kept = session.execute(select(func.count()).select_from(IdempotencyRecord)).scalar_one()
    return claims, kept


def post(app: FastAPI, headers: dict[str, str]) -> httpx.Response:
    with TestClient(app, raise_server_exceptions=False) as client:
        return client.post("/api/v1/claims", content=BODY, headers=headers)


def test_fifty_concurrent_retries_create_exactly_one_claim(
    scratch_engine: Engine, analyst: tuple[int, dict[str, str]]
) -> None:
    app = create_app()
    headers = {**analyst[1], "Idempotency-Key": "race-1"}
    barrier = threading.Barrier(RETRIES, timeout=60)

    def retry(_: int) -> httpx.Response:
        barrier.wait()
        return post(app, headers)

    with ThreadPoolExecutor(max_workers=RETRIES) as pool:
        responses = list(pool.map(retry, range(RETRIES)))

    assert [r.status_code for r in responses] == [201] * RETRIES
    replayed = sorted(r.headers.get("Idempotency-Replayed", "first") for r in responses)
    assert replayed == ["first"] + ["true"] * (RETRIES - 1)
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["Location"] for r in responses}) == 1
    assert stored(scratch_engine) == (1, 1)


async def _lose_response(app: FastAPI, headers: dict[str, str]) -> None:
    """POST as a client that vanishes before the response arrives: its send fails."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/claims",
        "raw_path": b"/api/v1/claims",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (name.lower().encode(), value.encode())
            for name, value in {**headers, "Content-Length": str(len(BODY))}.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: Message) -> None:
        raise ConnectionResetError("the client is gone")

    await app(scope, receive, send)


def test_retry_after_a_lost_response_replays_and_creates_nothing(
    scratch_engine: Engine, analyst: tuple[int, dict[str, str]]
) -> None:
    app = create_app()
    headers = {**analyst[1], "Idempotency-Key": "lost-1"}
    with pytest.raises(ConnectionResetError):
        anyio.run(_lose_response, app, headers)
    # The claim and its record were committed before the response could be sent.
    assert stored(scratch_engine) == (1, 1)
    retry = post(app, headers)
    assert retry.status_code == 201
    assert retry.headers["Idempotency-Replayed"] == "true"
    assert retry.json()["value"] == "10000000000"
    assert stored(scratch_engine) == (1, 1)


def test_crash_before_commit_keeps_neither_claim_nor_key(
    scratch_engine: Engine,
    analyst: tuple[int, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = create_app()
    headers = {**analyst[1], "Idempotency-Key": "crash-1"}
    remember = service.remember

    def remember_then_die(claimed: service.Claimed, response: Response) -> None:
        remember(claimed, response)
        raise RuntimeError("the process dies before COMMIT")

    monkeypatch.setattr(service, "remember", remember_then_die)
    assert post(app, headers).status_code == 500
    assert stored(scratch_engine) == (0, 0)
    monkeypatch.setattr(service, "remember", remember)
    retry = post(app, headers)
    assert retry.status_code == 201
    assert "Idempotency-Replayed" not in retry.headers
    assert stored(scratch_engine) == (1, 1)


@pytest.mark.parametrize("first_commits", [True, False], ids=["commits", "rolls back"])
def test_duplicate_in_flight_waits_for_the_first(
    first_commits: bool, scratch_engine: Engine, analyst: tuple[int, dict[str, str]]
) -> None:
    api_key_id, ttl = analyst[0], timedelta(hours=1)

    def claim(session: Session) -> service.Claimed | Response:
        return service.claim(session, api_key_id=api_key_id, key="k", fingerprint="f" * 64, ttl=ttl)

    def second() -> tuple[int | None, bytes | None]:
        with Session(scratch_engine) as session:
            begin_write(session)
            outcome = claim(session)
            session.rollback()
        if isinstance(outcome, Response):
            return outcome.status_code, bytes(outcome.body)
        return None, None

    with Session(scratch_engine) as first, ThreadPoolExecutor(max_workers=1) as pool:
        begin_write(first)
        claimed = claim(first)
        assert isinstance(claimed, service.Claimed)
        waiting = pool.submit(second)
        time.sleep(0.5)
        assert not waiting.done()
        service.remember(claimed, Response(b'{"id":7}', status_code=201))
        if first_commits:
            first.commit()
        else:
            first.rollback()
        outcome = waiting.result(timeout=60)
    assert outcome == ((201, b'{"id":7}') if first_commits else (None, None))


def test_a_create_commits_in_its_own_thread_pool_call_unless_a_key_keeps_its_response(
    scratch_engine: Engine, analyst: tuple[int, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Idempotency-Key a create makes one call to the thread pool: the endpoint that
    begins, writes and commits (and before it, on PostgreSQL, the key gate's look-up; on
    SQLite the key, used just now, is found on the event loop); the session dependency and
    the permission check have nothing left to do.
    With one, the response is kept in the same transaction and committed after it."""
    gate = [] if scratch_engine.dialect.name == "sqlite" else ["look_up"]
    hops: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(func, "func", func).__name__)
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    with TestClient(create_app()) as client:
        hops.clear()
        plain = client.post("/api/v1/claims", content=BODY, headers=analyst[1])
        assert plain.status_code == 201
        assert hops == [*gate, "_run_sync_endpoint"]
        assert stored(scratch_engine) == (1, 0)

        hops.clear()
        keyed = {**analyst[1], "Idempotency-Key": "hops-1"}
        assert client.post("/api/v1/claims", content=OTHER, headers=keyed).status_code == 201
        assert hops == [*gate, "claim", "_run_sync_endpoint", "remember", "commit"]
        assert stored(scratch_engine) == (2, 1)
