"""Optimistic concurrency: a record moves to its next version only from the one the client read."""

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.errors import PreconditionFailed
from app.core.models import utcnow


def bump_version(session: Session, model: Any, record_id: int, expected: int, what: str) -> None:
    """Take the next version atomically, so that of two racing writers exactly one wins."""
    result = session.execute(
        update(model)
        .where(model.id == record_id, model.version == expected)
        .values(version=model.version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise PreconditionFailed(f"{what} {record_id} is no longer at version {expected}")
