"""Batch inserts through SQLAlchemy Core: types bound, order kept, one statement a batch, and
the models' defaults filled in for the columns a row leaves out."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit.models import Event
from app.claims.models import Claim
from app.core.models import as_utc
from app.core.statements import fetch
from app.core.writes import insert_ids, insert_returning, insert_rows
from app.entities.models import Entity, Metric

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
    statement, _ = seen[0]
    assert statement.startswith("INSERT INTO events")


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
    # Every column, typed as a SELECT reads it, in the order the rows were given.
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


def test_a_row_that_leaves_out_a_column_gets_the_models_default(session: Session) -> None:
    entity = Entity(slug="ktz", name="KTZ")
    metric = Metric(slug="new-rail", name="new rail", dimension="[length]", unit="km")
    session.add_all([entity, metric])
    session.flush()
    entity_id, metric_id = entity.id, metric.id
    claims: Any = Claim.__table__  # type: ignore[attr-defined]
    (row,) = insert_returning(
        session,
        claims,
        [
            {
                "entity_id": entity_id,
                "metric_id": metric_id,
                "value_text": "900 km",
                "value": 900,
                "unit": "km",
                "dimension": "[length]",
                "bound": "exact",
                "kind": "reported",
                "stated_by": "KTZ",
                "asserted_on": datetime(2026, 1, 5, tzinfo=UTC).date(),
                "statement": "900 km of new rail",
            }
        ],
    )
    assert (row.status, row.rank, row.verification, row.version) == (
        "active",
        "normal",
        "unsourced",
        1,
    )
    assert row.created_at is not None
    assert row.updated_at is not None
