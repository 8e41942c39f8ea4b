"""Writing and reading the audit log."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit.models import Event


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
