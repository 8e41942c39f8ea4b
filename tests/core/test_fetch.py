"""`fetch` runs a statement on the driver's cursor: the rows it reads are SQLAlchemy's own,
value for value and type for type, on either database; errors and cursor events are too."""

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import bindparam, column, event, select, table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit.models import Event
from app.claims import storage as claims
from app.claims.models import Claim
from app.core.models import as_utc
from app.core.statements import fetch, insert_ids, insert_returning, insert_rows
from tests.factories import claim_body


@pytest.fixture
def claim_ids(client: TestClient, analyst: dict[str, str]) -> list[int]:
    bodies = [
        claim_body(value_text="between 1.5 and 2.25 bn USD", period="2024-Q2"),
        claim_body(metric="new rail", value_text="900 km", period="2026", tags=["rail"]),
    ]
    response = client.post("/api/v1/claims:bulk", json=bodies, headers=analyst)
    assert response.status_code == 201, response.text
    return [c["id"] for c in response.json()["items"]]


def test_rows_are_sqlalchemys_value_for_value_and_type_for_type(
    session: Session, claim_ids: list[int]
) -> None:
    for claim_id in claim_ids:
        (ours,) = fetch(session, claims.CLAIM_ROW, {"id": claim_id})
        theirs = session.execute(claims.CLAIM_ROW, {"id": claim_id}).one()
        assert ours._fields == tuple(theirs._mapping.keys())
        assert list(ours) == list(theirs)
        assert [type(v) for v in ours] == [type(v) for v in theirs]
    assert [r.id for r in fetch(session, claims.CLAIM_ROW, {"id": 10**9})] == []


def test_an_expanding_in_is_read_the_same(session: Session, claim_ids: list[int]) -> None:
    stmt = select(col(Claim.id), col(Claim.unit)).where(
        col(Claim.id).in_(bindparam("ids", expanding=True))
    )
    rows = fetch(session, stmt, {"ids": claim_ids})
    assert [(r.id, r.unit) for r in rows] == [(claim_ids[0], "USD"), (claim_ids[1], "km")]


def test_cursor_events_fire_once_a_statement(session: Session, claim_ids: list[int]) -> None:
    seen: dict[str, list[str]] = {"before_cursor_execute": [], "after_cursor_execute": []}
    connection = session.connection()

    def recorder(name: str) -> Any:
        return lambda *args: seen[name].append(args[2])

    listeners = {name: recorder(name) for name in seen}
    for name, listener in listeners.items():
        event.listen(connection, name, listener)
    try:
        fetch(session, claims.CLAIM_ROW, {"id": claim_ids[0]})
        fetch(session, claims.CLAIM_ROW, {"id": claim_ids[1]})
    finally:
        for name, listener in listeners.items():
            event.remove(connection, name, listener)
    before, after = seen["before_cursor_execute"], seen["after_cursor_execute"]
    assert len(before) == 2
    assert after == before
    assert before[0] == before[1]
    assert "FROM claims" in before[0]


def test_a_database_error_is_sqlalchemys(session: Session) -> None:
    missing: Any = select(column("x")).select_from(table("no_such_table"))
    with pytest.raises(DBAPIError, match="no_such_table"):
        fetch(session, missing)


EVENTS: Any = Event.__table__  # type: ignore[attr-defined]


def _event(n: int) -> dict[str, Any]:
    when = datetime(2026, 5, n, 12, 30, tzinfo=UTC)
    return {
        "occurred_at": when,
        "actor_id": None,
        "action": f"test.{n}",
        "record_type": "test",
        "record_id": n,
        "version": None,
        "before": None,
        "after": {"n": n, "figure": "1.5"},
    }


def test_inserts_of_one_row_and_of_a_batch_bind_their_types_and_keep_their_order(
    session: Session,
) -> None:
    # One row (text with typed parameters on SQLite) and batches (JSON rows on PostgreSQL,
    # executemany on SQLite); an INSERT without RETURNING selects nothing and reads no rows.
    (one,) = insert_ids(session, EVENTS, [_event(1)])
    batch = insert_ids(session, EVENTS, [_event(2), _event(3)])
    insert_rows(session, EVENTS, [_event(4)])
    insert_rows(session, EVENTS, [_event(5), _event(6)])
    assert batch == [one + 1, one + 2]
    stored = session.execute(
        select(col(Event.id), col(Event.action), col(Event.occurred_at), col(Event.after))
        .where(col(Event.record_type) == "test")
        .order_by(col(Event.id))
    ).all()
    assert [(r.action, r.after) for r in stored] == [
        (f"test.{n}", {"n": n, "figure": "1.5"}) for n in range(1, 7)
    ]
    assert [r.id for r in stored[:3]] == [one, one + 1, one + 2]
    assert [as_utc(r.occurred_at) for r in stored] == [
        datetime(2026, 5, n, 12, 30, tzinfo=UTC) for n in range(1, 7)
    ]


def test_a_batch_insert_is_one_statement_on_the_cursor(session: Session) -> None:
    connection = session.connection()
    seen: list[tuple[str, bool]] = []

    def before(*args: Any) -> None:
        seen.append((args[2], args[5]))  # statement, executemany

    event.listen(connection, "before_cursor_execute", before)
    try:
        insert_rows(session, EVENTS, [_event(n) for n in range(1, 6)])
    finally:
        event.remove(connection, "before_cursor_execute", before)
    assert len(seen) == 1
    statement, many = seen[0]
    assert statement.startswith("INSERT INTO events")
    # SQLite runs the driver's executemany; PostgreSQL one statement over a JSON parameter.
    assert many is (session.get_bind().dialect.name == "sqlite")


def test_json_columns_round_trip_through_orjson_and_past_its_limits(session: Session) -> None:
    big = 2**70  # beyond 64 bits: orjson refuses it, the fallback encodes it
    after = {"name": "Казахстан", "n": 1, "big": big, "nested": [None, True, "1.5"]}
    insert_rows(session, EVENTS, [{**_event(7), "after": after}])
    session.add(Event(action="test.8", record_type="test", record_id=8, after={"big": big}))
    session.flush()
    stored = session.execute(
        select(col(Event.action), col(Event.after))
        .where(col(Event.action).in_(["test.7", "test.8"]))
        .order_by(col(Event.action))
    ).all()
    assert [(r.action, r.after) for r in stored] == [("test.7", after), ("test.8", {"big": big})]


def test_inserted_rows_come_back_as_stored_in_their_order(session: Session) -> None:
    # One row (its RETURNING on either database) and a batch (RETURNING on PostgreSQL, read
    # back by id on SQLite): every column, typed as a SELECT reads it.
    (one,) = insert_returning(session, EVENTS, [_event(1)])
    batch = insert_returning(session, EVENTS, [_event(3), _event(2)])
    assert [r.action for r in [one, *batch]] == ["test.1", "test.3", "test.2"]
    assert [r.id for r in batch] == [one.id + 1, one.id + 2]
    selected = fetch(
        session, select(*EVENTS.c).where(EVENTS.c.record_type == "test").order_by(EVENTS.c.id)
    )
    assert [tuple(r) for r in [one, *batch]] == [tuple(r) for r in selected]
    assert as_utc(one.occurred_at) == datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    assert one.after == {"n": 1, "figure": "1.5"}
