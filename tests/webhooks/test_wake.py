"""Queued events wake the delivery workers at commit (this process's, and on PostgreSQL every
worker listening), never for a rolled-back transaction."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.webhooks import outbox, wake
from app.webhooks.models import WebhookSubscription
from app.webhooks.outbox import WebhookEvent
from tests.reliability.harness import ScratchDb, scratch_database
from tests.reliability.test_webhooks import POSTGRES


@contextmanager
def _subscribed(engine: Engine, tmp_path: Path) -> Iterator[ScratchDb]:
    outbox.forget()
    with scratch_database(engine, tmp_path, "wake") as db:
        owner, _ = db.new_key(Role.ANALYST)
        with Session(db.engine) as session, session.begin():
            session.add(
                WebhookSubscription(
                    owner_key_id=owner,
                    url="https://hooks.example.org/x",
                    event_types=["claim.created"],
                    secret_encrypted="x",
                )
            )
        outbox.forget()
        try:
            yield db
        finally:
            outbox.forget()  # the scratch database's list must not outlive it


def _queue(engine: Engine, *, commit: bool) -> int:
    with Session(engine) as session:
        session.begin()
        queued = outbox.enqueue(session, [WebhookEvent("claim.created", {"id": 1})])
        if commit:
            session.commit()
        else:
            session.rollback()
    return queued


def test_committed_events_wake_this_process_workers_and_rolled_back_ones_do_not(
    engine: Engine, tmp_path: Path
) -> None:
    with _subscribed(engine, tmp_path) as db:

        async def woken_by(commit: bool) -> bool:
            woken = asyncio.Event()
            unregister = wake.register(woken)
            try:
                # From a thread, as a request's transaction commits; the wake it schedules runs
                # on this loop before the thread's own result does.
                assert await asyncio.to_thread(_queue, db.engine, commit=commit) == 1
                return woken.is_set()
            finally:
                unregister()

        assert asyncio.run(woken_by(commit=False)) is False
        assert asyncio.run(woken_by(commit=True)) is True


def test_committed_events_notify_listening_workers_on_postgresql(
    engine: Engine, tmp_path: Path
) -> None:
    # On PostgreSQL whichever database the suite runs on (NOTIFY is PostgreSQL's).
    postgres = engine if engine.dialect.name == "postgresql" else create_engine(POSTGRES)
    url = postgres.url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with (
            _subscribed(postgres, tmp_path) as db,
            psycopg.connect(url, autocommit=True) as listener,
        ):
            listener.execute(f"LISTEN {wake.CHANNEL}")

            _queue(db.engine, commit=False)
            assert list(listener.notifies(timeout=0.5)) == []

            _queue(db.engine, commit=True)
            (notice,) = listener.notifies(timeout=10, stop_after=1)
            assert notice.channel == wake.CHANNEL
    finally:
        if postgres is not engine:
            postgres.dispose()
