"""The outbox: the events a change sets off, written in the change's own transaction, one row per
subscription that wants each (a rolled-back change takes its rows with it; a crash after the
commit loses none: the worker finds them).

A write with no subscriptions must cost nothing: the subscriptions that may want events are kept
in memory, per process, read once, dropped when this process changes one (read again by the next
write) and read anew by the server every CLAIMTRACK_WEBHOOK_REFRESH_S (5 s) off the requests'
path (`refresh`), so a subscription made on another process gets events within that time.
With none, `enqueue` runs no statement. The rows are inserted only for subscriptions the
transaction still sees receiving (unpaused, their key not revoked), so a stale list can never
queue for a deleted, paused or revoked one.
"""

import logging
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, and_, func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from app.auth.models import ApiKey
from app.core import db
from app.core.inlist import in_list
from app.core.models import as_utc, utcnow
from app.core.writes import insert_rows
from app.webhooks import wake
from app.webhooks.models import (
    OutboxState,
    SubscriptionStatus,
    WebhookOutbox,
    WebhookSubscription,
)

log = logging.getLogger("claimtrack.webhooks")
OUTBOX: Table = WebhookOutbox.__table__  # type: ignore[attr-defined]


def new_event_id() -> str:
    """`msg_`, the time in milliseconds (so ids sort by when they were made), 80 random bits."""
    return f"msg_{time.time_ns() // 1_000_000:012x}{secrets.token_hex(10)}"


@dataclass(frozen=True)
class WebhookEvent:
    """One event as a receiver gets it, with what subscriptions filter on."""

    type: str
    payload: dict[str, Any]
    record_version: int | None = None
    entity_id: int | None = None
    metric_id: int | None = None
    flag_kind: str | None = None
    id: str = field(default_factory=new_event_id)


@dataclass(frozen=True)
class Subscriber:
    id: int
    event_types: frozenset[str]
    entity_id: int | None
    metric_id: int | None
    flag_kind: str | None

    def wants(self, event: WebhookEvent) -> bool:
        return (
            event.type in self.event_types
            and (self.entity_id is None or self.entity_id == event.entity_id)
            and (self.metric_id is None or self.metric_id == event.metric_id)
            and (self.flag_kind is None or self.flag_kind == event.flag_kind)
        )


_lock = threading.Lock()
_cached: tuple[Subscriber, ...] | None = None


def forget() -> None:
    """Drop this process's list of subscriptions (one changed): the next write reads it."""
    global _cached
    with _lock:
        _cached = None


SUBS: Table = WebhookSubscription.__table__  # type: ignore[attr-defined]
KEYS: Table = ApiKey.__table__  # type: ignore[attr-defined]
# A subscription gets events while it is not paused and its owner's key is not revoked (a key
# revoked, of someone who left, must not go on sending the service's news to their URL).
RECEIVING = and_(SUBS.c.status != SubscriptionStatus.PAUSED, KEYS.c.revoked_at.is_(None))
SUBSCRIBERS = (
    sa_select(SUBS.c.id, SUBS.c.event_types, SUBS.c.entity_id, SUBS.c.metric_id, SUBS.c.flag_kind)
    .join(KEYS, KEYS.c.id == SUBS.c.owner_key_id)
    .where(RECEIVING)
)


def _read(rows: Iterable[Any]) -> tuple[Subscriber, ...]:
    return tuple(
        Subscriber(r.id, frozenset(r.event_types), r.entity_id, r.metric_id, r.flag_kind)
        for r in rows
    )


def subscribers(session: Session) -> tuple[Subscriber, ...]:
    """The subscriptions that may get events (not paused), as this process last read them."""
    global _cached
    held = _cached
    if held is not None:
        return held
    found = _read(session.execute(SUBSCRIBERS).all())
    with _lock:
        _cached = found
    return found


def refresh(engine: Engine) -> None:
    """Read the subscriptions anew (the server's timer)."""
    global _cached
    with engine.connect() as conn:
        found = _read(conn.execute(SUBSCRIBERS).all())
    with _lock:
        _cached = found


def wanted_types(session: Session) -> frozenset[str]:
    """Every event type some subscription wants: what is worth building a payload for."""
    return frozenset().union(*(s.event_types for s in subscribers(session)))


# The subscriptions among `ids` still there and unpaused, as this transaction sees them.
LIVE = (
    sa_select(SUBS.c.id)
    .join(KEYS, KEYS.c.id == SUBS.c.owner_key_id)
    .where(in_list(SUBS.c.id, "ids"), RECEIVING)
)


def enqueue(session: Session, events: Iterable[WebhookEvent]) -> int:
    """Queue each event for each subscription that wants it, in the session's transaction; the
    number of rows queued."""
    subs = subscribers(session)
    if not subs:
        return 0
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "event_id": event.id,
            "subscription_id": sub.id,
            "event_type": event.type,
            "payload": event.payload,
            "record_version": event.record_version,
            "created_at": now,
            "next_attempt_at": now,
        }
        for event in events
        for sub in subs
        if sub.wants(event)
    ]
    if not rows:
        return 0
    ids = sorted({row["subscription_id"] for row in rows})
    live = set(session.execute(LIVE, {"ids": ids}).scalars())
    rows = [row for row in rows if row["subscription_id"] in live]
    if rows:
        insert_rows(session, OUTBOX, rows)
        wake.on_commit(session)
    return len(rows)


# The outbox's depth by state and its oldest pending event, for /metrics.
DEPTH = (
    sa_select(OUTBOX.c.state, func.count(), func.min(OUTBOX.c.created_at))
    .where(OUTBOX.c.state != OutboxState.DELIVERED)
    .group_by(OUTBOX.c.state)
)


def depth(session: Session) -> tuple[dict[str, int], datetime | None]:
    """Events waiting (pending) and given up (dead), and when the oldest pending one was made."""
    counts = {str(s): 0 for s in (OutboxState.PENDING, OutboxState.DEAD)}
    oldest = None
    for state, count, first in session.execute(DEPTH).all():
        counts[state] = count
        if state == OutboxState.PENDING:
            oldest = as_utc(first)
    return counts, oldest


async def refresh_soon() -> None:
    """`refresh` on the server's timer, in the thread pool; a failure waits for the next turn."""
    try:
        await run_in_threadpool(refresh, db.get_engine())
    except DBAPIError as exc:
        log.warning("webhook subscriptions not read: %s", exc.__class__.__name__)


def queued(session: Session, subscription_id: int) -> Sequence[WebhookOutbox]:
    """A subscription's queued events, oldest first."""
    stmt = (
        select(WebhookOutbox)
        .where(col(WebhookOutbox.subscription_id) == subscription_id)
        .order_by(col(WebhookOutbox.id))
    )
    return session.execute(stmt).scalars().all()
