"""Writing and reading the audit log. Services `record` the events of what they change; the use
case that owns the transaction writes them, all in one insert, with `write_pending` before it
commits (no listener does it behind its back; `core.sessions.commit` refuses a transaction
that left any unwritten)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import FromClause, Table
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit.models import Actor, Event, EventPublic
from app.core.models import as_utc, utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.sessions import unwritten
from app.core.writes import insert_rows

EVENTS: Table = Event.__table__  # type: ignore[attr-defined]


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    record_type: str,
    record_id: int,
    version: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one event to the transaction's log. Nothing is written yet: the use case writes all
    of its events together, in order, with `write_pending` (a batch of a thousand changes is
    one insert); a transaction rolled back takes them with it."""
    unwritten(session, begin=True).append(
        {
            "occurred_at": utcnow(),
            "actor_id": actor_id,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "version": version,
            "before": before,
            "after": after,
        }
    )


def write_pending(session: Session) -> None:
    """Write the events recorded so far in this transaction, in one insert. Every use case
    that changes anything calls it before its transaction commits; the commit refuses to go
    through without it (`core.sessions.check_written`)."""
    rows = unwritten(session)
    if rows:
        insert_rows(session, EVENTS, rows)
        rows.clear()


def get_all(session: Session, *, record_type: str, record_id: int) -> Sequence[Event]:
    """Every event of one record, oldest first."""
    write_pending(session)
    stmt = (
        select(Event)
        .where(Event.record_type == record_type, Event.record_id == record_id)
        .order_by(col(Event.id))
    )
    return session.execute(stmt).scalars().all()


@dataclass(frozen=True)
class EventFilters:
    record_type: str | None = None
    record_id: int | None = None
    actor_id: int | None = None
    action: str | None = None
    since: datetime | None = None


def get_page(
    session: Session,
    filters: EventFilters,
    *,
    actors: FromClause,
    limit: int,
    cursor: str | None,
) -> tuple[list[EventPublic], str | None]:
    """A page of events, newest first, with the acting key's name from `actors` (a table of
    `id` and `name`: the keys, which the log only names by id)."""
    write_pending(session)
    stmt = (
        select(Event, actors.c.name)
        .outerjoin(actors, actors.c.id == col(Event.actor_id))
        .order_by(col(Event.id).desc())
        .limit(limit + 1)
    )
    if filters.record_type is not None:
        stmt = stmt.where(col(Event.record_type) == filters.record_type)
    if filters.record_id is not None:
        stmt = stmt.where(col(Event.record_id) == filters.record_id)
    if filters.actor_id is not None:
        stmt = stmt.where(col(Event.actor_id) == filters.actor_id)
    if filters.action is not None:
        stmt = stmt.where(col(Event.action) == filters.action)
    if filters.since is not None:
        stmt = stmt.where(col(Event.occurred_at) >= filters.since)
    if cursor is not None:
        (before,) = decode_cursor(cursor, (int,))
        stmt = stmt.where(col(Event.id) < before)
    rows = session.execute(stmt).all()
    items = [
        EventPublic(
            id=e.id,
            occurred_at=as_utc(e.occurred_at) or e.occurred_at,
            actor_id=e.actor_id,
            actor=Actor(id=e.actor_id, name=name) if e.actor_id is not None and name else None,
            action=e.action,
            record_type=e.record_type,
            record_id=e.record_id,
            version=e.version,
            before=e.before,
            after=e.after,
        )
        for e, name in rows[:limit]
    ]
    nxt = encode_cursor([rows[limit - 1][0].id]) if len(rows) > limit else None
    return items, nxt
