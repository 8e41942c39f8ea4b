"""The per-process list of subscriptions: read once, read anew by the server's timer."""

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.webhooks import outbox
from app.webhooks.models import WebhookSubscription
from tests.reliability.harness import scratch_database


def test_refresh_reads_subscriptions_another_process_made(engine: Engine, tmp_path: Path) -> None:
    outbox.forget()
    with scratch_database(engine, tmp_path, "refresh") as db:
        owner, _ = db.new_key(Role.ANALYST)
        with Session(db.engine) as session:
            assert outbox.subscribers(session) == ()
            with session.begin():  # as another process would: this one's list is not told
                session.add(
                    WebhookSubscription(
                        owner_key_id=owner,
                        url="https://hooks.example.org/x",
                        event_types=["flag.opened"],
                        secret_encrypted="x",
                    )
                )
            assert outbox.subscribers(session) == ()

            outbox.refresh(db.engine)

            (found,) = outbox.subscribers(session)
            assert found.event_types == frozenset({"flag.opened"})
            outbox.forget()  # the scratch database's list must not outlive it
