"""Writing and reading the audit log."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit.models import Actor, Event, EventPublic
from app.auth.models import ApiKey
from app.core.models import as_utc
from app.core.pagination import decode_cursor, encode_cursor


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
) -> Event:
    """Append one event; it is written with the change, in the same transaction."""
    event = Event(
        actor_id=actor_id,
        action=action,
        record_type=record_type,
        record_id=record_id,
        version=version,
        before=before,
        after=after,
    )
    session.add(event)
    return event


def get_all(session: Session, *, record_type: str, record_id: int) -> Sequence[Event]:
    """Every event of one record, oldest first."""
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
    session: Session, filters: EventFilters, *, limit: int, cursor: str | None
) -> tuple[list[EventPublic], str | None]:
    """A page of events, newest first, with the acting key's name."""
    stmt = (
        select(Event, ApiKey.name)
        .outerjoin(ApiKey, col(ApiKey.id) == col(Event.actor_id))
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
