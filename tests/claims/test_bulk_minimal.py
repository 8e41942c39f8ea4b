"""POST /claims:bulk with `Prefer: return=minimal` (RFC 7240): each row's claim id, whether
this request stored it, its version, flags and notices, instead of the whole claims."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import claim_body

BULK = "/api/v1/claims:bulk"
MINIMAL = {"Prefer": "return=minimal"}


def _flags(client: TestClient, headers: dict[str, str], claim_id: int) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/claims/{claim_id}", headers=headers)
    flags: list[dict[str, Any]] = response.json()["flags"]
    return flags


def _sources(client: TestClient, headers: dict[str, str], claim_id: int) -> list[int]:
    response = client.get(f"/api/v1/claims/{claim_id}", headers=headers)
    return [c["source"]["id"] for c in response.json()["citations"]]


def test_bulk_minimal_answers_ids_stored_and_the_conflict_flag(
    client: TestClient, analyst: dict[str, str]
) -> None:
    rows = [
        claim_body(),
        claim_body(value_text="$20 billion", stated_by="A minister"),
        claim_body(),
    ]
    response = client.post(BULK, json=rows, headers={**analyst, **MINIMAL})
    assert response.status_code == 201, response.text
    assert response.headers["Preference-Applied"] == "return=minimal"
    assert response.headers["Vary"] == "Prefer"
    body = response.json()
    first, second = body["items"][0]["id"], body["items"][1]["id"]
    (conflict,) = [f for f in _flags(client, analyst, first) if f["kind"] == "conflict"]
    flag = conflict["id"]
    (source,) = _sources(client, analyst, first)
    first_flags = [
        {"id": flag, "kind": "conflict", "status": "open", "with": [second]},
        {"id": -first, "kind": "unverified", "status": "open", "with": []},
    ]
    assert body == {
        "created": 2,
        "existing": 1,
        "items": [
            {
                "id": first,
                "stored": True,
                "version": 1,
                "flags": first_flags,
                "notices": [
                    "metric 'investment' was created, measured in USD",
                    "entity 'ktz' was created from 'KTZ'",
                    f"source {source} was created for https://example.com/ktz",
                    f"conflicts with claim {second} (flag {flag})",
                    f"unverified: see flag -{first}",
                ],
            },
            {
                "id": second,
                "stored": True,
                "version": 1,
                "flags": [
                    {"id": flag, "kind": "conflict", "status": "open", "with": [first]},
                    {"id": -second, "kind": "unverified", "status": "open", "with": []},
                ],
                "notices": [
                    f"conflicts with claim {first} (flag {flag})",
                    f"unverified: see flag -{second}",
                ],
            },
            {
                "id": first,
                "stored": False,
                "version": 1,
                "flags": first_flags,
                "notices": [f"row 3 repeats an earlier row of this batch: claim {first}"],
            },
        ],
    }
    assert _flags(client, analyst, first) == first_flags


def test_bulk_minimal_answers_claims_stored_before_with_their_open_flags(
    client: TestClient, analyst: dict[str, str]
) -> None:
    rows = [claim_body(), claim_body(value_text="$20 billion", stated_by="A minister")]
    stored = client.post(BULK, json=rows, headers=analyst).json()["items"]
    again = [
        claim_body(),
        claim_body(
            value_text="$20 billion",
            stated_by="A minister",
            citations=[
                {"url": "https://example.com/other", "title": "Other", "quote": "$20 billion"}
            ],
        ),
    ]
    response = client.post(BULK, json=again, headers={**analyst, **MINIMAL})
    assert response.status_code == 200, response.text
    assert response.headers["Preference-Applied"] == "return=minimal"
    first, second = stored[0]["id"], stored[1]["id"]
    flag = stored[0]["flags"][0]["id"]
    other = _sources(client, analyst, second)[-1]
    same = (
        "the same claim is stored as claim {} (same entity, metric, period, kind, value as "
        "written, stated by and date): not stored again; {} merged into it"
    )
    assert response.json() == {
        "created": 0,
        "existing": 2,
        "items": [
            {
                "id": first,
                "stored": False,
                "version": 1,
                "flags": [
                    {"id": flag, "kind": "conflict", "status": "open", "with": [second]},
                    {"id": -first, "kind": "unverified", "status": "open", "with": []},
                ],
                "notices": [same.format(first, "0 new citations")],
            },
            {
                "id": second,
                "stored": False,
                "version": 2,
                "flags": [
                    {"id": flag, "kind": "conflict", "status": "open", "with": [first]},
                    {"id": -second, "kind": "unverified", "status": "open", "with": []},
                ],
                "notices": [
                    f"source {other} was created for https://example.com/other",
                    same.format(second, "1 new citation"),
                ],
            },
        ],
    }


def test_bulk_without_minimal_answers_the_whole_claims(
    client: TestClient, analyst: dict[str, str]
) -> None:
    for n, prefer in enumerate([None, "return=representation", "handling=lenient"]):
        headers = analyst if prefer is None else {**analyst, "Prefer": prefer}
        rows = [claim_body(stated_by=f"Speaker {n}")]
        response = client.post(BULK, json=rows, headers=headers)
        assert response.status_code == 201, response.text
        assert "Preference-Applied" not in response.headers
        assert response.headers["Vary"] == "Prefer"
        (item,) = response.json()["items"]
        shown = client.get(f"/api/v1/claims/{item['id']}", headers=analyst).json()
        assert item == {**shown, "notices": item["notices"]}
        assert item["stated_by"] == f"Speaker {n}"


def test_bulk_minimal_reads_the_preference_among_others(
    client: TestClient, analyst: dict[str, str]
) -> None:
    prefer = 'handling=lenient, RETURN="minimal"; x=1, return=representation'
    response = client.post(BULK, json=[claim_body()], headers={**analyst, "Prefer": prefer})
    assert response.status_code == 201, response.text
    assert response.headers["Preference-Applied"] == "return=minimal"
    assert list(response.json()["items"][0]) == ["id", "stored", "version", "flags", "notices"]


def test_bulk_minimal_replays_the_first_answer_whatever_it_prefers_now(
    client: TestClient, analyst: dict[str, str]
) -> None:
    keyed = {**analyst, "Idempotency-Key": "bulk-minimal-1"}
    first = client.post(BULK, json=[claim_body()], headers={**keyed, **MINIMAL})
    assert first.status_code == 201, first.text
    for prefer in (MINIMAL, {}, {"Prefer": "return=representation"}):
        replay = client.post(BULK, json=[claim_body()], headers={**keyed, **prefer})
        assert replay.status_code == 201
        assert replay.headers["Idempotency-Replayed"] == "true"
        assert replay.headers["Preference-Applied"] == "return=minimal"
        assert replay.headers["Vary"] == "Prefer"
        assert replay.content == first.content
    claims = client.get("/api/v1/claims", headers=analyst).json()["items"]
    assert [c["id"] for c in claims] == [first.json()["items"][0]["id"]]


def test_bulk_replays_a_whole_answer_to_a_minimal_retry(
    client: TestClient, analyst: dict[str, str]
) -> None:
    keyed = {**analyst, "Idempotency-Key": "bulk-whole-1"}
    first = client.post(BULK, json=[claim_body()], headers=keyed)
    replay = client.post(BULK, json=[claim_body()], headers={**keyed, **MINIMAL})
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotency-Replayed"] == "true"
    assert "Preference-Applied" not in replay.headers
    assert replay.content == first.content


def test_bulk_minimal_csv_answers_each_row(client: TestClient, analyst: dict[str, str]) -> None:
    csv = (
        "entity,metric,value_text,period,kind,stated_by,asserted_on,statement,tags,"
        "source_url,source_title,source_kind,quote\n"
        "KTZ,investment,$10 billion,to 2030,commitment,KTZ,2026-05-28,KTZ invests,rail;ktz,"
        'https://a.example/1,A,news,"$10 billion"\n'
        "KTZ,investment,$10 billion,to 2030,commitment,KTZ,2026-05-28,KTZ invests,rail;ktz,"
        'https://a.example/1,A,news,"$10 billion"\n'
    )
    headers = {**analyst, **MINIMAL, "Content-Type": "text/csv"}
    response = client.post(BULK, content=csv, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["Preference-Applied"] == "return=minimal"
    (claim_id,) = {item["id"] for item in response.json()["items"]}
    (source,) = _sources(client, analyst, claim_id)
    queued = [{"id": -claim_id, "kind": "unverified", "status": "open", "with": []}]
    assert response.json() == {
        "created": 1,
        "existing": 1,
        "items": [
            {
                "id": claim_id,
                "stored": True,
                "version": 1,
                "flags": queued,
                "notices": [
                    "metric 'investment' was created, measured in USD",
                    "entity 'ktz' was created from 'KTZ'",
                    f"source {source} was created for https://a.example/1",
                    f"unverified: see flag -{claim_id}",
                ],
            },
            {
                "id": claim_id,
                "stored": False,
                "version": 1,
                "flags": queued,
                "notices": [f"row 2 repeats an earlier row of this batch: claim {claim_id}"],
            },
        ],
    }
