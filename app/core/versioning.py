"""Optimistic concurrency: a record moves to its next version only from the one the client read."""

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.errors import PreconditionFailed
from app.core.models import utcnow


def check_version(current: int, expected: int | None, what: str, record_id: int) -> None:
    """A stale If-Match is 412 before anything else is said about the record (RFC 9110 13.2.2):
    a racer that lost to a retraction or a resolution learns that it lost, not what won."""
    if expected is not None and current != expected:
        raise PreconditionFailed(f"{what} {record_id} is no longer at version {expected}")


def bump_version(
    session: Session, model: Any, record_id: int, expected: int | None, what: str
) -> None:
    """Take the next version atomically, so that of two racing writers exactly one wins.

    `expected=None` (If-Match: *, or an edit the client did not version) takes the next version
    whatever the current one is, still in one statement.
    """
    stmt = update(model).where(model.id == record_id)
    if expected is not None:
        stmt = stmt.where(model.version == expected)
    result = session.execute(stmt.values(version=model.version + 1, updated_at=utcnow()))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise PreconditionFailed(f"{what} {record_id} is no longer at version {expected}")


def next_version(session: Session, record: Any) -> None:
    """A change the service makes by itself (a rank, a flag cleared or reopened) is a new version
    too: `version = version + 1` in the database, never a number computed from an earlier read,
    which a concurrent edit may already have taken."""
    session.flush()
    model = type(record)
    session.execute(
        update(model)
        .where(model.id == record.id)
        .values(version=model.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(record, ["version", "updated_at"])
