"""`fetch` runs a statement on the driver's cursor: the rows it reads are SQLAlchemy's own,
value for value and type for type, on either database; errors and cursor events are too."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import bindparam, column, event, select, table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims import storage as claims
from app.claims.models import Claim
from app.core.statements import fetch
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
