"""Webhooks delivered by real server processes (the worker in each, as by default): a conflict
posted through the API arrives signed; a server killed between sending and hearing back leaves
the event to be sent again; two workers on PostgreSQL send each of 1,000 events once."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert, text
from sqlmodel import col
from standardwebhooks.webhooks import Webhook

from app.auth.models import Role
from app.core.models import utcnow
from app.webhooks.models import WebhookOutbox, WebhookSubscription
from app.webhooks.secrets import encrypt, new_secret
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, running, scratch_database
from tests.webhooks.receiver import Answer, Receiver, receiving, wait_for

TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}
WORKER = {
    "CLAIMTRACK_WEBHOOK_WORKER": "true",
    "CLAIMTRACK_WEBHOOK_ALLOW_HTTP": "true",
    "CLAIMTRACK_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "CLAIMTRACK_WEBHOOK_POLL_INTERVAL_S": "0.05",
}
# Where the two-worker test runs when the suite is on SQLite (as the outage tests do).
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as r:
        yield r


def _subscribe(base_url: str, headers: dict[str, str], url: str, types: list[str]) -> Any:
    import httpx2 as httpx

    with httpx.Client(base_url=base_url, timeout=30) as client:
        made = client.post(
            "/api/v1/webhooks", json={"url": url, "event_types": types}, headers=headers
        )
    assert made.status_code == 201, made.text
    return made.json()


def test_conflict_posted_through_the_api_arrives_signed_as_flag_opened(
    scratch: ScratchDb, receiver: Receiver
) -> None:
    analyst = scratch.key(Role.ANALYST)
    with running(scratch.url, **WORKER) as server, server.client() as client:
        hook = _subscribe(server.base_url, analyst, receiver.url, ["flag.opened"])
        for value in ("$45 billion", "$40 billion"):
            made = client.post(
                "/api/v1/claims", json=claim_body(**TRADE, value_text=value), headers=analyst
            )
            assert made.status_code == 201, made.text

        assert wait_for(lambda: len(receiver.received) == 1)

    (got,) = receiver.received
    payload = Webhook(hook["secret"]).verify(got.body, got.headers)
    assert (payload["type"], payload["data"]["flag"]["kind"]) == ("flag.opened", "conflict")
    assert len(payload["data"]["flag"]["claims"]) == 2


def test_server_killed_between_send_and_answer_sends_the_event_again(
    scratch: ScratchDb, receiver: Receiver
) -> None:
    analyst = scratch.key(Role.ANALYST)
    held = {**WORKER, "CLAIMTRACK_WEBHOOK_LEASE_S": "3.5", "CLAIMTRACK_WEBHOOK_TIMEOUT_S": "3"}
    receiver.answer(Answer(200, wait_s=60))  # the first delivery gets no answer in time
    with running(scratch.url, **held) as first, first.client() as client:
        _subscribe(first.base_url, analyst, receiver.url, ["claim.created"])
        made = client.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst)
        assert made.status_code == 201, made.text
        assert wait_for(lambda: len(receiver.received) == 1)
        first.kill()  # SIGKILL while the request waits for its answer
    assert scratch.scalar("SELECT count(*) FROM webhook_deliveries") == 0
    assert scratch.scalar("SELECT state FROM webhook_outbox") == "pending"

    with running(scratch.url, **held):
        assert wait_for(lambda: len(receiver.received) == 2, timeout_s=20)
        assert wait_for(lambda: scratch.scalar("SELECT state FROM webhook_outbox") == "delivered")

    first_id, second_id = receiver.ids()
    assert first_id == second_id
    assert scratch.scalar("SELECT attempts FROM webhook_outbox") == 2


EVENTS = 1000


@pytest.fixture
def postgres_scratch(engine: Engine, tmp_path: Path) -> Iterator[ScratchDb]:
    """A scratch database on PostgreSQL whichever database the suite runs on."""
    postgres = engine if engine.dialect.name == "postgresql" else create_engine(POSTGRES)
    try:
        with scratch_database(postgres, tmp_path, "hooks") as db:
            yield db
    finally:
        if postgres is not engine:
            postgres.dispose()


def test_two_workers_on_postgresql_deliver_each_of_1000_events_once_per_subscription(
    postgres_scratch: ScratchDb, receiver: Receiver
) -> None:
    db = postgres_scratch
    analyst = db.key(Role.ANALYST)
    with running(db.url, **WORKER) as one, running(db.url, **WORKER):
        hooks = [
            _subscribe(one.base_url, analyst, f"{receiver.url}/{n}", ["claim.created"])
            for n in range(2)
        ]
        now = utcnow()
        rows = [
            {
                "event_id": f"msg_{n:06d}",
                "subscription_id": hook["id"],
                "payload": f'{{"type": "claim.created", "data": {{"n": {n}}}}}',
                "now": now,
            }
            for n in range(EVENTS)
            for hook in hooks
        ]
        with db.engine.begin() as conn:  # one commit: both workers find all of them at once
            conn.execute(
                text(
                    "INSERT INTO webhook_outbox (event_id, subscription_id, event_type, payload,"
                    " created_at, next_attempt_at, attempts, state) VALUES (:event_id,"
                    " :subscription_id, 'claim.created', CAST(:payload AS JSON), :now, :now, 0,"
                    " 'pending')"
                ),
                rows,
            )
        assert wait_for(lambda: len(receiver.received) >= 2 * EVENTS, timeout_s=120), (
            len(receiver.received),
            db.scalar("SELECT count(*) FROM webhook_outbox WHERE state = 'delivered'"),
            db.scalar("SELECT count(*) FROM webhook_deliveries"),
            db.scalar("SELECT max(error) FROM webhook_deliveries"),
        )
        time.sleep(0.5)  # a duplicate, if any, has time to arrive
        assert wait_for(
            lambda: (
                db.scalar("SELECT count(*) FROM webhook_outbox WHERE state = 'delivered'")
                == 2 * EVENTS
            ),
            timeout_s=30,
        )

    per_hook = Counter((r.path, r.headers["webhook-id"]) for r in receiver.received)
    assert len(receiver.received) == 2 * EVENTS
    assert set(per_hook.values()) == {1}
    assert sorted({path for path, _ in per_hook}) == ["/hook/0", "/hook/1"]
    assert db.scalar("SELECT max(attempts) FROM webhook_outbox") == 1, db.scalar(
        "SELECT max(error) FROM webhook_deliveries"
    )
    assert db.scalar("SELECT count(*) FROM webhook_deliveries") == 2 * EVENTS


def test_claimtrack_worker_delivers_apart_and_stops_on_sigterm(
    scratch: ScratchDb, receiver: Receiver
) -> None:
    owner, _ = scratch.new_key(Role.ANALYST)
    secret = new_secret()
    with scratch.engine.begin() as conn:
        hook = conn.execute(
            insert(WebhookSubscription)
            .values(
                owner_key_id=owner,
                url=receiver.url,
                event_types=["claim.created"],
                description="",
                secret_encrypted=encrypt(secret),
                status="active",
                version=1,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
            .returning(col(WebhookSubscription.id))
        ).scalar_one()
        conn.execute(
            insert(WebhookOutbox).values(
                event_id="msg_cli",
                subscription_id=hook,
                event_type="claim.created",
                payload={"type": "claim.created", "data": {}},
                created_at=utcnow(),
                next_attempt_at=utcnow(),
                attempts=0,
                state="pending",
            )
        )
    env = {**os.environ, **WORKER, "DATABASE_URL": scratch.url}
    command = [str(Path(sys.executable).with_name("claimtrack")), "worker"]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as run:  # noqa: S603
        try:
            assert wait_for(lambda: len(receiver.received) == 1, timeout_s=30)
            assert wait_for(
                lambda: scratch.scalar("SELECT state FROM webhook_outbox") == "delivered"
            )
        finally:
            run.send_signal(signal.SIGTERM)
            code = run.wait(timeout=30)

    assert code == 0
    (got,) = receiver.received
    assert Webhook(secret).verify(got.body, got.headers) == {"type": "claim.created", "data": {}}
