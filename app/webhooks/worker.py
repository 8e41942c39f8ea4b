"""The delivery worker: takes due events from the outbox, sends them, records each attempt.

Runs in the server process (a lifespan task; `CLAIMTRACK_WEBHOOK_WORKER=false` turns it off)
or alone (`claimtrack worker`), as many as wanted on PostgreSQL.

Taking a batch is one statement that marks the events as held until `now + lease`
(`locked_until`) and counts the attempt. On PostgreSQL it picks them `FOR UPDATE SKIP LOCKED`:
workers on any number of hosts take disjoint batches without waiting for each other, and an event
is sent once per subscription (each receiver still dedupes by `webhook-id`: delivery is at least
once). A worker killed between sending and recording leaves its events held until the lease
ends; another worker (or the same after a restart) then takes them and sends them again, with the
same `webhook-id`. On SQLite the statement runs under the database's one write lock: one process
delivers at a time.

Why the database and not a queue library (Celery, RQ, arq, Dramatiq): the event must be written
in the transaction of the change that causes it, which only a table in the same database gives
(a broker written after the commit can lose events; written before, it can send one for a change
rolled back), and the deployment then needs nothing beside PostgreSQL (a broker is one more
service to run and watch). SKIP LOCKED is what those libraries' PostgreSQL backends use anyway.

Retries: `RETRY_SCHEDULE_S`, each wait varied by +/- `JITTER` so that the events of a receiver
that came back do not all arrive in the same second, and never shorter than the receiver's
Retry-After (up to a day). After the last attempt the event is dead and its subscription marked
failing (it still gets new events; a 2xx makes it active again; `redeliver` sends a dead one).
Each event is retried on its own schedule: a failing one never holds back later ones.
"""

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import Engine, Table, and_, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.config import Settings
from app.core.db import begin_write
from app.core.models import as_utc, utcnow
from app.core.writes import insert_rows
from app.webhooks import secrets, wake
from app.webhooks.addresses import UrlPolicy
from app.webhooks.models import (
    OutboxState,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookOutbox,
    WebhookSubscription,
)
from app.webhooks.sender import Clients, Outcome, send

log = logging.getLogger("claimtrack.webhooks")

# The wait before each retry: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts (the
# first at once) over about 27.6 hours, the schedule of Svix, whose authors wrote the Standard
# Webhooks specification.
RETRY_SCHEDULE_S: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
JITTER = 0.2
MAX_RETRY_AFTER_S = 24 * 3600.0

OUTBOX: Table = WebhookOutbox.__table__  # type: ignore[attr-defined]
SUBS: Table = WebhookSubscription.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Taken:
    """An event held for this worker, with what sending it needs."""

    id: int
    event_id: str
    subscription_id: int
    event_type: str
    payload: dict[str, Any]
    attempt: int


class DeliveryMetrics:
    """Attempts by outcome, in the registry of the app serving /metrics."""

    def __init__(self, registry: CollectorRegistry | None) -> None:
        self.attempts = Counter(
            "claimtrack_webhook_deliveries",
            "Webhook delivery attempts made by this process, by outcome.",
            ["outcome"],
            registry=registry,
        )

    def count(self, outcome: str) -> None:
        self.attempts.labels(outcome).inc()


def _due(now: datetime) -> Any:
    return and_(
        OUTBOX.c.state == OutboxState.PENDING,
        OUTBOX.c.next_attempt_at <= now,
        or_(OUTBOX.c.locked_until.is_(None), OUTBOX.c.locked_until < now),
    )


def take(session: Session, *, limit: int, lease_s: float) -> list[Taken]:
    """Hold up to `limit` due events for `lease_s`, oldest due first, counting the attempt."""
    now = utcnow()
    pick = select(OUTBOX.c.id).where(_due(now)).order_by(OUTBOX.c.next_attempt_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    rows = session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(pick.scalar_subquery()))
        .values(locked_until=now + timedelta(seconds=lease_s), attempts=OUTBOX.c.attempts + 1)
        .returning(
            OUTBOX.c.id,
            OUTBOX.c.event_id,
            OUTBOX.c.subscription_id,
            OUTBOX.c.event_type,
            OUTBOX.c.payload,
            OUTBOX.c.attempts,
        )
    ).all()
    return sorted((Taken(*r) for r in rows), key=lambda t: t.id)


@dataclass(frozen=True)
class Target:
    url: str
    secrets: list[str]


def targets(session: Session, ids: Sequence[int]) -> dict[int, Target]:
    """Each subscription's URL and the secrets to sign with (the previous one too while its
    overlap lasts)."""
    now = utcnow()
    rows = session.execute(
        select(
            SUBS.c.id,
            SUBS.c.url,
            SUBS.c.secret_encrypted,
            SUBS.c.previous_secret_encrypted,
            SUBS.c.previous_secret_until,
        ).where(SUBS.c.id.in_(sorted(set(ids))))
    ).all()
    found = {}
    for r in rows:
        keys = [secrets.decrypt(r.secret_encrypted)]
        until = as_utc(r.previous_secret_until)
        if r.previous_secret_encrypted and until is not None and until > now:
            keys.append(secrets.decrypt(r.previous_secret_encrypted))
        found[r.id] = Target(r.url, keys)
    return found


def next_wait(attempt: int, outcome: Outcome, schedule: Sequence[float]) -> float | None:
    """Seconds until the next attempt after attempt number `attempt` failed; None: no more."""
    if attempt > len(schedule):
        return None
    wait = schedule[attempt - 1] * random.uniform(1 - JITTER, 1 + JITTER)
    if outcome.retry_after_s is not None:
        wait = max(wait, min(outcome.retry_after_s, MAX_RETRY_AFTER_S))
    return wait


def record(
    session: Session,
    results: Sequence[tuple[Taken, Outcome]],
    schedule: Sequence[float],
) -> None:
    """Each attempt into the log, each event delivered, rescheduled or dead, and the
    subscriptions' health, in one transaction. An event deleted meanwhile (its subscription
    deleted) is left out; one taken again by another worker after the lease (`attempts` moved
    on) is not overwritten, only logged."""
    now = utcnow()
    ids = [taken.id for taken, _ in results]
    existing = set(session.execute(select(OUTBOX.c.id).where(OUTBOX.c.id.in_(ids))).scalars())
    log_rows = []
    delivered: set[int] = set()
    failing: set[int] = set()
    for taken, outcome in results:
        mine = and_(OUTBOX.c.id == taken.id, OUTBOX.c.attempts == taken.attempt)
        if outcome.delivered:
            values: dict[str, Any] = {
                "state": OutboxState.DELIVERED,
                "delivered_at": now,
                "locked_until": None,
            }
            delivered.add(taken.subscription_id)
        else:
            wait = next_wait(taken.attempt, outcome, schedule)
            if wait is None:
                values = {"state": OutboxState.DEAD, "locked_until": None}
                failing.add(taken.subscription_id)
            else:
                values = {"next_attempt_at": now + timedelta(seconds=wait), "locked_until": None}
        if taken.id not in existing:
            continue
        session.execute(update(OUTBOX).where(mine).values(**values))
        log_rows.append(
            {
                "outbox_id": taken.id,
                "subscription_id": taken.subscription_id,
                "event_id": taken.event_id,
                "event_type": taken.event_type,
                "attempt": taken.attempt,
                "status_code": outcome.status_code,
                "latency_ms": outcome.latency_ms,
                "response_excerpt": outcome.excerpt,
                "error": outcome.error,
                "attempted_at": now,
            }
        )
    if log_rows:
        insert_rows(session, DELIVERIES, log_rows)
    if failing:
        session.execute(
            update(SUBS)
            .where(SUBS.c.id.in_(sorted(failing)), SUBS.c.status == SubscriptionStatus.ACTIVE)
            .values(status=SubscriptionStatus.FAILING, failing_since=now)
        )
    if recovered := delivered - failing:
        session.execute(
            update(SUBS)
            .where(SUBS.c.id.in_(sorted(recovered)), SUBS.c.status == SubscriptionStatus.FAILING)
            .values(status=SubscriptionStatus.ACTIVE, failing_since=None)
        )


class Worker:
    """Delivers the outbox's due events in batches, `concurrency` at a time."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        schedule: Sequence[float] = RETRY_SCHEDULE_S,
        batch: int = 50,
        concurrency: int = 16,
        metrics: DeliveryMetrics | None = None,
        sessions: Callable[[], AbstractContextManager[Session]] | None = None,
    ) -> None:
        self.engine = engine
        # Each batch's two transactions (tests hand in their own rolled-back session).
        self.sessions = sessions or (lambda: Session(engine, expire_on_commit=False))
        self.lease_s = settings.webhook_lease_s
        self.poll_s = settings.webhook_poll_interval_s
        self.policy = UrlPolicy.of(settings.webhook_allow_http, settings.webhook_allowed_hosts)
        self.clients = Clients(settings.webhook_timeout_s)
        self.schedule = tuple(schedule)
        self.batch = batch
        self.slots = asyncio.Semaphore(concurrency)
        self.metrics = metrics

    def _due(self) -> bool:
        """Anything due? A plain read, so that an idle worker takes no write lock (SQLite's
        one, which every writer waits for) and locks no row."""
        with self.sessions() as session:
            found = session.execute(select(OUTBOX.c.id).where(_due(utcnow())).limit(1)).first()
        return found is not None

    def _take(self) -> tuple[list[Taken], dict[int, Target]]:
        if not self._due():
            return [], {}
        with self.sessions() as session:
            if not session.in_transaction():
                begin_write(session)
            taken = take(session, limit=self.batch, lease_s=self.lease_s)
            found = targets(session, [t.subscription_id for t in taken]) if taken else {}
            session.commit()
        return taken, found

    def _record(self, results: list[tuple[Taken, Outcome]]) -> None:
        with self.sessions() as session:
            if not session.in_transaction():
                begin_write(session)
            record(session, results, self.schedule)
            session.commit()

    async def _send(self, taken: Taken, target: Target | None) -> tuple[Taken, Outcome]:
        if target is None:  # deleted since: `record` leaves it out
            return taken, Outcome(None, 0, error="subscription deleted")
        body = orjson.dumps(taken.payload)
        async with self.slots:
            outcome = await send(
                self.clients, self.policy, target.url, taken.event_id, body, target.secrets
            )
        if self.metrics is not None:
            self.metrics.count("delivered" if outcome.delivered else "failed")
        return taken, outcome

    async def run_once(self) -> int:
        """One batch: taken, sent, recorded. The number of events taken."""
        taken, found = await run_in_threadpool(self._take)
        if not taken:
            return 0
        results = await asyncio.gather(
            *(self._send(t, found.get(t.subscription_id)) for t in taken)
        )
        await run_in_threadpool(self._record, list(results))
        return len(taken)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Batch after batch; when nothing was due or the database failed, a pause of `poll_s` that
        queued events cut short (`wake`)."""
        stop = stop or asyncio.Event()
        woken = asyncio.Event()
        unregister = wake.register(woken)
        listening = (
            asyncio.create_task(wake.listen(self.engine, woken))
            if self.engine.dialect.name == "postgresql"
            else None
        )
        try:
            while not stop.is_set():
                woken.clear()
                try:
                    done = await self.run_once()
                except DBAPIError as exc:
                    log.warning("webhook worker: database unavailable: %s", exc.__class__.__name__)
                    done = 0
                if done == 0:
                    await _pause(stop, woken, self.poll_s)
        finally:
            unregister()
            if listening is not None:
                listening.cancel()
                with suppress(asyncio.CancelledError):
                    await listening
            await self.clients.aclose()


async def _pause(stop: asyncio.Event, woken: asyncio.Event, poll_s: float) -> None:
    """Until stopped, woken (events were queued) or `poll_s` has passed."""
    waits = [asyncio.create_task(stop.wait()), asyncio.create_task(woken.wait())]
    try:
        await asyncio.wait(waits, timeout=poll_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()
