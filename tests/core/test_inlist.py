"""`in_list`: a list bound as one parameter reads the same rows as IN would, on either database,
and SQLite looks each value up in an index instead of walking the table."""

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims import storage
from app.claims.models import Claim
from app.core.inlist import in_list
from app.core.models import metadata
from app.entities import service as entities
from app.flows import views as claims
from app.indicators import datacheck
from app.review import conflict_queries, flags, verification
from tests.factories import claim_body


@pytest.fixture
def three(client: TestClient, analyst: dict[str, str]) -> list[int]:
    """Three claims, of 2023, 2024 and 2025: their ids in that order."""
    bodies = [
        claim_body(period="2023", statement="First."),
        claim_body(period="2024", statement="Second."),
        claim_body(period="2025", statement="Third."),
    ]
    response = client.post("/api/v1/claims:bulk", json=bodies, headers=analyst)
    assert response.status_code == 201, response.text
    return [c["id"] for c in response.json()["items"]]


def test_a_list_of_ids_text_or_dates_reads_what_in_would(
    session: Session, three: list[int]
) -> None:
    first, second, third = three
    by_id = select(col(Claim.id)).where(in_list(col(Claim.id), "ids")).order_by(col(Claim.id))
    assert session.scalars(by_id, {"ids": [third, first]}).all() == [first, third]
    assert session.scalars(by_id, {"ids": []}).all() == []
    by_text = select(col(Claim.id)).where(in_list(col(Claim.statement), "s", "text"))
    assert session.scalars(by_text, {"s": ["Second."]}).all() == [second]
    by_date = (
        select(col(Claim.id))
        .where(in_list(col(Claim.period_end), "ends", "date"))
        .order_by(col(Claim.id))
    )
    ends = [date(2025, 12, 31), date(2024, 12, 31)]
    assert session.scalars(by_date, {"ends": ends}).all() == [second, third]


# Each statement, the table it reads by the list, and the lookup SQLite must use for it.
HOT = {
    "views.COMPANIONS, its entities": (claims.COMPANIONS, "entities", "rowid=?"),
    "views.COMPANIONS, its metrics": (claims.COMPANIONS, "metrics", "rowid=?"),
    "views.COMPANIONS, its tags": (claims.COMPANIONS, "claim_tags", "claim_id=?"),
    "views.COMPANIONS, its reviews": (claims.COMPANIONS, "reviews", "claim_id=?"),
    "views.COMPANIONS, its citations": (claims.COMPANIONS, "citations", "claim_id=?"),
    "views.COMPANIONS, their sources": (claims.COMPANIONS, "sources", "rowid=?"),
    "views.COMPANIONS, its indicators": (claims.COMPANIONS, "indicators", "entity_id=?"),
    "views.COMPANIONS, its flag links": (claims.COMPANIONS, "link", "claim_id=?"),
    "views.COMPANIONS, its flags": (claims.COMPANIONS, "flags", "rowid=?"),
    "views.COMPANIONS, their members": (claims.COMPANIONS, "member", "flag_id=?"),
    "views.FLAGS, its flag links": (claims.FLAGS, "link", "claim_id=?"),
    "views.FLAGS, its flags": (claims.FLAGS, "flags", "rowid=?"),
    "views.FLAGS, their members": (claims.FLAGS, "member", "flag_id=?"),
    "verification.CITED": (verification.CITED, "citations", "claim_id=?"),
    "verification.VERDICTS": (verification.VERDICTS, "reviews", "claim_id=?"),
    "flags.LINKS_OF": (flags.LINKS_OF, "flag_claims", "claim_id=?"),
    "conflict_queries.MEMBERS": (conflict_queries.MEMBERS, "flag_claims", "flag_id=?"),
    "conflict_queries.SAME_KEY": (
        conflict_queries.SAME_KEY,
        "claims",
        "entity_id=? AND metric_id=?",
    ),
    "conflict_queries.CONFLICT_FLAGS": (conflict_queries.CONFLICT_FLAGS, "flags", "group_key=?"),
    "conflict_queries.FLAGS_BY_ID": (conflict_queries.FLAGS_BY_ID, "flags", "rowid=?"),
    "datacheck.INDICATORS_OF": (datacheck.INDICATORS_OF, "indicators", "entity_id=?"),
    "datacheck.OBSERVED_FOR": (
        datacheck.OBSERVED_FOR,
        "observations",
        "indicator_id=? AND period_end=?",
    ),
    "datacheck.DATA_FLAGS": (datacheck.DATA_FLAGS, "flags", "group_key=?"),
    # Each (entity, metric, day) by the comparison index: never all the claims said on a day.
    "storage.IDENTICAL_SQLITE": (storage.IDENTICAL_SQLITE, "c", "entity_id=? AND metric_id=?"),
    "entities.NAMES, aliases": (entities.NAMES, "entity_aliases", "normalized=?"),
    "entities.NAMES, their entities": (entities.NAMES, "by_alias", "rowid=?"),
    "entities.NAMES, entity slugs": (entities.NAMES, "entities", "slug=?"),
    "entities.NAMES, metric slugs": (entities.NAMES, "metrics", "slug=?"),
}


@pytest.fixture(scope="module")
def sqlite_schema() -> Iterator[Connection]:
    """The schema in SQLite, whichever database the suite runs on: plans are SQLite's."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.mark.parametrize("name", sorted(HOT))
def test_sqlite_looks_up_each_listed_value_by_its_own_index(
    sqlite_schema: Connection, name: str
) -> None:
    # SQLite cannot tell how long a bound list is: with `status = 'open'` beside `id IN (list)`
    # it searched flags by status, walking every open flag for one claim's few flag ids.
    stmt, table, lookup = HOT[name]
    sql = str(stmt.compile(dialect=sqlite_schema.dialect))
    plan = [
        row[3]
        for row in sqlite_schema.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sql, tuple(["[1]"] * sql.count("?"))
        )
    ]
    searches = [line for line in plan if line.startswith(f"SEARCH {table} ")]
    assert len(searches) == 1, plan
    lookups = (lookup,) if isinstance(lookup, str) else lookup
    assert any(f"({one}" in searches[0] for one in lookups), plan
