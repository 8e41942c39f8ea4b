"""The audit log: events are collected as work happens and written by the use case, in one
insert; a rollback drops them; a commit with events never written is refused."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.audit.models import Event
from app.core.sessions import UnwrittenRows, commit


@pytest.fixture
def own(connection: Connection) -> Iterator[Session]:
    """A session of its own on the test's connection, which `commit` may close."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
        yield s


def _record(session: Session, record_id: int) -> None:
    audit.record(
        session,
        actor_id=None,
        action="test.done",
        record_type="test",
        record_id=record_id,
        after={"n": record_id},
    )


def _written(session: Session) -> list[int]:
    return list(
        session.execute(
            select(col(Event.record_id))
            .where(col(Event.record_type) == "test")
            .order_by(col(Event.id))
        ).scalars()
    )


def test_recorded_events_are_written_only_by_write_pending_in_one_insert(
    session: Session, connection: Connection
) -> None:
    for n in (1, 2, 3):
        _record(session, n)
    assert _written(session) == []
    inserts: list[str] = []
    listen = event.listens_for(connection, "before_cursor_execute")
    seen = listen(lambda *args: inserts.append(args[2]))
    audit.write_pending(session)
    event.remove(connection, "before_cursor_execute", seen)
    assert [s.split()[:3] for s in inserts] == [["INSERT", "INTO", "events"]]
    assert _written(session) == [1, 2, 3]
    audit.write_pending(session)  # nothing left to write: nothing written twice
    assert _written(session) == [1, 2, 3]


def test_a_commit_alone_writes_no_event(session: Session) -> None:
    _record(session, 1)
    session.commit()  # no listener writes them behind the use case's back
    assert _written(session) == []


def test_a_rollback_drops_the_events_of_its_transaction(session: Session) -> None:
    _record(session, 1)
    session.rollback()
    _record(session, 2)
    audit.write_pending(session)
    assert _written(session) == [2]


def test_a_commit_with_events_never_written_is_refused(own: Session) -> None:
    _record(own, 1)
    with pytest.raises(UnwrittenRows, match="1 audit events recorded"):
        commit(own)
    assert _written(own) == []


def test_a_commit_after_the_events_are_written_goes_through(own: Session) -> None:
    _record(own, 1)
    audit.write_pending(own)
    commit(own)
    assert _written(own) == [1]
