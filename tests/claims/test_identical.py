"""The same claim posted again is stored once: the answer is the stored claim, 200, with the
new citations merged into it and a notice saying so; in bulk, the row's item is that claim."""

from typing import Any

import orjson
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from app.claims import storage
from app.core.statements import fetch
from tests.factories import claim_body

SECOND_SOURCE = {
    "url": "https://other.example/ktz",
    "title": "KTZ",
    "publisher": "Other Daily",
    "kind": "news",
    "quote": "$10 billion to 2030",
}


def post(client: TestClient, headers: dict[str, str], **overrides: Any) -> Any:
    return client.post("/api/v1/claims", json=claim_body(**overrides), headers=headers)


def test_the_same_claim_posted_again_merges_its_new_citations(
    client: TestClient, analyst: dict[str, str]
) -> None:
    first = post(client, analyst)
    assert first.status_code == 201
    claim = first.json()
    again = post(client, analyst, citations=[*claim_body()["citations"], SECOND_SOURCE])
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["id"], body["version"]) == (claim["id"], 2)
    assert again.headers["Location"] == f"/api/v1/claims/{claim['id']}"
    assert [c["source"]["url"] for c in body["citations"]] == [
        "https://example.com/ktz",
        "https://other.example/ktz",
    ]
    assert body["verification"]["state"] == "verified"
    assert body["notices"][-1] == (
        f"the same claim is stored as claim {claim['id']} (same entity, metric, period, kind, "
        "value as written, stated by and date): not stored again; 1 new citation merged into it"
    )
    third = post(client, analyst, stated_by="  Kazakhstan  Temir Zholy ")
    assert (third.status_code, third.json()["version"]) == (200, 2)
    assert third.json()["notices"][-1].endswith("0 new citations merged into it")
    listed = client.get("/api/v1/claims", headers=analyst).json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]
    history = client.get(f"/api/v1/claims/{claim['id']}/history", headers=analyst).json()
    assert [e["action"] for e in history] == [
        "claim.created",
        "claim.cited",
        "claim.verification_changed",
    ]


def test_another_value_speaker_date_or_kind_is_another_claim(
    client: TestClient, analyst: dict[str, str]
) -> None:
    ids = {
        post(client, analyst, **change).json()["id"]
        for change in (
            {},
            {"value_text": "10 billion dollars"},
            {"stated_by": "KTZ's chairman"},
            {"asserted_on": "2026-05-29"},
            {"kind": "target"},
        )
    }
    assert len(ids) == 5


def test_a_retracted_claim_posted_again_is_stored_anew(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = post(client, analyst).json()
    gone = client.delete(f"/api/v1/claims/{claim['id']}", headers={**analyst, "If-Match": "*"})
    assert gone.status_code == 200, gone.text
    again = post(client, analyst)
    assert again.status_code == 201
    assert again.json()["id"] != claim["id"]


def test_bulk_rows_that_are_stored_claims_or_repeat_a_row_name_that_claim(
    client: TestClient, analyst: dict[str, str]
) -> None:
    stored = post(client, analyst).json()
    rows = [
        claim_body(citations=[SECOND_SOURCE]),
        claim_body(stated_by="KTZ's chairman"),
        claim_body(stated_by="KTZ's chairman", citations=[SECOND_SOURCE]),
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"], result["existing"]) == (1, 2)
    first, new, repeat = result["items"]
    assert first["id"] == stored["id"]
    assert new["id"] == repeat["id"] != stored["id"]
    assert len(new["citations"]) == 2
    assert repeat["notices"][-1] == f"row 3 repeats an earlier row of this batch: claim {new['id']}"
    again = client.post("/api/v1/claims:bulk", json=rows[:2], headers=analyst)
    assert again.status_code == 200, again.text
    assert (again.json()["created"], again.json()["existing"]) == (0, 2)


def test_a_bulk_import_of_stored_claims_costs_the_same_statements_for_any_batch(
    client: TestClient, analyst: dict[str, str], connection: Connection
) -> None:
    def again(count: int) -> int:
        """`count` claims stored, then posted again in one batch with nothing new."""
        rows = [claim_body(stated_by=f"Speaker {count}-{n}") for n in range(count)]
        assert client.post("/api/v1/claims:bulk", json=rows, headers=analyst).status_code == 201
        statements: list[str] = []
        listen = event.listens_for(connection, "before_cursor_execute")
        record = listen(lambda *args: statements.append(args[2]))
        response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
        event.remove(connection, "before_cursor_execute", record)
        assert response.status_code == 200, response.text
        assert [c["version"] for c in response.json()["items"]] == [1] * count
        return len(statements)

    assert again(2) == again(6)


def test_an_idempotency_key_replays_the_first_answer(
    client: TestClient, analyst: dict[str, str]
) -> None:
    headers = {**analyst, "Idempotency-Key": "identical-1"}
    first = post(client, headers)
    replay = post(client, headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotency-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]


def test_a_batch_reads_the_stored_claims_of_its_own_keys_only(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    """Each row's (entity, metric, day) is looked up as one key: a claim on the entity of one
    row and the metric of another, said the same day, is not read (lists of entities, metrics
    and days apart read every combination: all the claims said on a busy day)."""
    bodies = [
        claim_body(entity="KTZ", metric="investment"),
        claim_body(entity="EAEU", metric="trade turnover", value_text="$90 billion"),
        claim_body(entity="KTZ", metric="trade turnover", value_text="$80 billion"),
    ]
    created = client.post("/api/v1/claims:bulk", json=bodies, headers=analyst)
    assert created.status_code == 201, created.text
    ids = [c["id"] for c in created.json()["items"]]
    claims = [storage.get(session, i) for i in ids[:2]]
    keys = [{"e": c.entity_id, "m": c.metric_id, "d": c.asserted_on} for c in claims]
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt = storage.IDENTICAL_PG if postgres else storage.IDENTICAL_SQLITE
    rows = fetch(session, stmt, {"keys": orjson.dumps(keys).decode()})
    assert sorted(r.id for r in rows) == ids[:2]
