"""Writing and reading the audit log."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import FromClause, Table, event
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import col, select

from app.audit.models import Actor, Event, EventPublic
from app.core.models import as_utc, utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.writes import insert_rows

EVENTS: Table = Event.__table__  # type: ignore[attr-defined]
PENDING = "audit_pending"  # Session.info key: events of this transaction not yet written


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
    """Append one event to the transaction's log; all of them are written together, in order,
    just before the transaction commits (so a batch of a thousand changes is one insert)."""
    session.info.setdefault(PENDING, []).append(
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
    """Write the events recorded so far in this transaction."""
    rows = session.info.pop(PENDING, None)
    if rows:
        insert_rows(session, EVENTS, rows)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    write_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous: SessionTransaction) -> None:
    # Only the whole transaction's rollback drops them (a savepoint's never holds any).
    if not previous.nested:
        session.info.pop(PENDING, None)


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
