"""Idempotency-Key on creating POSTs: replay, reuse, scope, format, expiry, what is kept."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col
from starlette.responses import Response, StreamingResponse

from app.auth.models import ApiKey, Role
from app.claims.models import Citation, Claim
from app.core.config import Settings
from app.core.models import utcnow
from app.entities.models import Entity, Metric
from app.fx.models import FxRate
from app.idempotency import deps, service
from app.idempotency.models import IdempotencyRecord
from app.indicators.models import Indicator, Observation, Target
from app.main import create_app
from app.review.models import Review
from app.sources.models import Source
from tests.conftest import KeyFactory
from tests.factories import claim_body

INDICATOR = {
    "name": "EAEU mutual trade turnover",
    "question": "Does EAEU trade pass $100 billion by the end of 2026?",
    "entity": "EAEU",
    "metric": "trade turnover",
    "unit": "USD",
    "frequency": "monthly",
    "direction": "up_is_good",
}
CITATION = {
    "url": "https://b.example/2",
    "title": "B",
    "publisher": "B News",
    "kind": "news",
    "quote": "$10 billion",
}

# operation: (path, JSON body, the table it adds to, how many rows one call adds)
CASES: dict[str, tuple[str, Any, type[SQLModel], int]] = {
    "claims_create": ("/api/v1/claims", claim_body(stated_by="Retried"), Claim, 1),
    "claims_bulk_create": (
        "/api/v1/claims:bulk",
        [claim_body(stated_by="Retried"), claim_body(value_text="$11 billion")],
        Claim,
        2,
    ),
    "claims_cite": ("/api/v1/claims/{claim}/citations", [CITATION], Citation, 1),
    "claims_review": ("/api/v1/claims/{claim}/reviews", {"verdict": "accurate"}, Review, 1),
    "sources_create": (
        "/api/v1/sources",
        {"url": "https://c.example/3", "title": "C", "publisher": "C", "kind": "news"},
        Source,
        1,
    ),
    "entities_create": ("/api/v1/entities", {"name": "Astana LRT", "aliases": ["LRT"]}, Entity, 1),
    "metrics_create": ("/api/v1/metrics", {"name": "rail length", "unit": "km"}, Metric, 1),
    "fx_rates_create": (
        "/api/v1/fx-rates",
        {"base": "EUR", "quote": "USD", "rate": "1.10", "as_of": "2025-12-31"},
        FxRate,
        1,
    ),
    "indicators_create": ("/api/v1/indicators", {**INDICATOR, "name": "Copy"}, Indicator, 1),
    "indicators_add_target": (
        "/api/v1/indicators/{indicator}/targets",
        {"value_text": "more than $100 billion", "due_on": "2026-12-31"},
        Target,
        1,
    ),
    "indicators_add_observations": (
        "/api/v1/indicators/{indicator}/observations",
        [{"period": "2020", "value_text": "$50 billion", "vintage": "2021-01-10"}],
        Observation,
        1,
    ),
}
PROBLEM = "application/problem+json"


def count(session: Session, table: type[SQLModel]) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def records(session: Session) -> list[tuple[str, int | None]]:
    rows = session.execute(
        select(col(IdempotencyRecord.key), col(IdempotencyRecord.status_code)).order_by(
            col(IdempotencyRecord.key)
        )
    ).all()
    return [(key, status) for key, status in rows]


def key_id(session: Session, name: str) -> int:
    found = session.execute(select(col(ApiKey.id)).where(col(ApiKey.name) == name)).scalar_one()
    assert found is not None
    return int(found)


def with_key(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


@pytest.fixture
def targets(client: TestClient, admin: dict[str, str]) -> dict[str, int]:
    claim = client.post("/api/v1/claims", json=claim_body(), headers=admin)
    indicator = client.post("/api/v1/indicators", json=INDICATOR, headers=admin)
    assert (claim.status_code, indicator.status_code) == (201, 201)
    return {"claim": claim.json()["id"], "indicator": indicator.json()["id"]}


@pytest.mark.parametrize("operation", sorted(CASES))
def test_retry_with_same_key_replays_first_response(
    operation: str,
    client: TestClient,
    session: Session,
    admin: dict[str, str],
    targets: dict[str, int],
) -> None:
    path, body, table, added = CASES[operation]
    url = path.format(**targets)
    headers = with_key(admin, f"retry {operation}")
    before = count(session, table)
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotency-replayed" not in first.headers
    assert count(session, table) == before + added
    second = client.post(url, json=body, headers=headers)
    assert second.status_code == 201
    assert second.headers["Idempotency-Replayed"] == "true"
    assert second.content == first.content
    for name in ("content-type", "location", "etag"):
        assert second.headers.get(name) == first.headers.get(name)
    assert count(session, table) == before + added
    assert records(session) == [(f"retry {operation}", 201)]


def test_exactly_the_creating_posts_take_the_header() -> None:
    spec = create_app().openapi()
    taking = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
    }
    # POST /keys creates too, but refuses the header: its response holds a secret kept nowhere.
    assert taking == set(CASES)
    assert "keys_create" not in taking


def test_every_route_with_the_header_keeps_its_answers() -> None:
    keyed = {deps.IDEMPOTENT.dependency}
    routes = [
        route
        for included in create_app().routes
        # FastAPI keeps an included router as one entry that holds the router's own routes.
        for route in getattr(getattr(included, "original_router", None), "routes", [included])
        if isinstance(route, APIRoute)
    ]
    assert len(routes) > 40
    with_header = [r for r in routes if any(d.call in keyed for d in r.dependant.dependencies)]
    assert len(with_header) == len(CASES)
    assert all(isinstance(r, deps.IdempotentRoute) for r in with_header)


def test_request_without_key_keeps_nothing(
    client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    for speaker in ("KTZ", "KTZ's chairman"):
        body = claim_body(stated_by=speaker)
        assert client.post("/api/v1/claims", json=body, headers=analyst).status_code == 201
    assert count(session, Claim) == 2
    assert records(session) == []


def test_same_key_with_another_body_is_refused(
    client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    headers = with_key(analyst, "k-1")
    assert client.post("/api/v1/claims", json=claim_body(), headers=headers).status_code == 201
    other = client.post(
        "/api/v1/claims", json=claim_body(value_text="$12 billion"), headers=headers
    )
    assert other.status_code == 422
    assert other.headers["content-type"] == PROBLEM
    assert other.json() == {
        "type": "about:blank",
        "title": "This Idempotency-Key was already used for a different request",
        "status": 422,
        "code": "idempotency_key_reused",
        "detail": "this key was first sent with another method, path or body; use a new key",
        "field": "Idempotency-Key",
    }
    assert count(session, Claim) == 1


def test_same_key_on_another_path_is_refused(
    client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    headers = with_key(analyst, "k-1")
    body = {"name": "rail length", "unit": "km"}
    assert client.post("/api/v1/metrics", json=body, headers=headers).status_code == 201
    other = client.post("/api/v1/entities", json={"name": "rail length"}, headers=headers)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert count(session, Entity) == 0


def test_same_bytes_as_another_content_type_are_another_request(
    client: TestClient, analyst: dict[str, str]
) -> None:
    headers = with_key(analyst, "bulk-1")
    body = b'[{"entity": "KTZ"}]'
    first = client.post(
        "/api/v1/claims:bulk", content=body, headers={**headers, "Content-Type": "text/csv"}
    )
    assert first.status_code == 422
    # A failed request keeps nothing, so the key is still free for the corrected request.
    rows = [claim_body()]
    assert client.post("/api/v1/claims:bulk", json=rows, headers=headers).status_code == 201
    csv = client.post(
        "/api/v1/claims:bulk", content=body, headers={**headers, "Content-Type": "text/csv"}
    )
    assert csv.json()["code"] == "idempotency_key_reused"


def test_keys_belong_to_the_api_key_that_sent_them(
    client: TestClient, session: Session, auth: KeyFactory
) -> None:
    one, two = auth(Role.ANALYST), auth(Role.ANALYST)
    for n, headers in enumerate((one, two, one, two)):
        body = claim_body(stated_by=f"Speaker {n % 2}")  # each API key its own claim
        response = client.post("/api/v1/claims", json=body, headers=with_key(headers, "k"))
        assert response.status_code == 201
    assert count(session, Claim) == 2
    assert records(session) == [("k", 201), ("k", 201)]


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, "caf\xe9", "tab\there", "del\x7f", "nul\x00"],
    ids=["empty", "256 chars", "latin-1", "tab", "DEL", "NUL"],
)
def test_malformed_key_is_refused_naming_the_header(
    key: str, client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    headers: dict[str, Any] = {**analyst, "Idempotency-Key": key.encode("latin-1")}
    response = client.post("/api/v1/claims", json=claim_body(), headers=headers)
    assert response.status_code == 422
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_input", "Idempotency-Key")
    assert count(session, Claim) == 0
    assert records(session) == []


@pytest.mark.parametrize("key", ["k" * 255, "x", "a key with spaces & ~!{}"])
def test_any_printable_ascii_key_up_to_255_is_taken(
    key: str, client: TestClient, analyst: dict[str, str]
) -> None:
    headers = with_key(analyst, key)
    assert client.post("/api/v1/claims", json=claim_body(), headers=headers).status_code == 201
    again = client.post("/api/v1/claims", json=claim_body(), headers=headers)
    assert again.headers["Idempotency-Replayed"] == "true"


def test_failed_request_keeps_no_record(
    client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    body = {"name": "KTZ"}
    assert client.post("/api/v1/entities", json=body, headers=analyst).status_code == 201
    headers = with_key(analyst, "e-1")
    for _ in range(2):
        taken = client.post("/api/v1/entities", json=body, headers=headers)
        assert (taken.status_code, taken.json()["code"]) == (409, "name_taken")
        assert "idempotency-replayed" not in taken.headers
    assert records(session) == []
    other = client.post("/api/v1/entities", json={"name": "Temir"}, headers=headers)
    assert other.status_code == 201
    assert records(session) == [("e-1", 201)]


@pytest.mark.parametrize(
    ("ttl_hours", "age", "replayed"),
    [
        (24, timedelta(hours=23, minutes=59), True),
        (24, timedelta(hours=24, minutes=1), False),
        (1, timedelta(minutes=59), True),
        (1, timedelta(minutes=61), False),
    ],
)
def test_key_expires_after_the_configured_time(
    ttl_hours: int,
    age: timedelta,
    replayed: bool,
    client: TestClient,
    session: Session,
    analyst: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deps, "get_settings", lambda: Settings(idempotency_ttl_hours=ttl_hours))
    headers = with_key(analyst, "k")
    first = client.post("/api/v1/claims", json=claim_body(), headers=headers)
    session.execute(update(IdempotencyRecord).values(created_at=utcnow() - age))
    session.commit()
    again = client.post("/api/v1/claims", json=claim_body(), headers=headers)
    # Replayed: the first answer. Expired: the request runs anew and finds the claim it stored.
    assert again.status_code == (201 if replayed else 200)
    assert again.headers.get("Idempotency-Replayed") == ("true" if replayed else None)
    assert again.json()["id"] == first.json()["id"]
    assert count(session, Claim) == 1
    assert records(session) == [("k", 201 if replayed else 200)]


def test_expired_keys_of_every_api_key_are_purged_lazily_in_batches(
    client: TestClient,
    session: Session,
    auth: KeyFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "PURGE_BATCH", 2)
    one, two = auth(Role.ANALYST), auth(Role.ANALYST)

    def metric(headers: dict[str, str], name: str) -> int:
        body = {"name": name, "unit": "km"}
        return client.post("/api/v1/metrics", json=body, headers=headers).status_code

    for name in ("old-1", "old-2", "old-3"):
        assert metric(with_key(one, name), name) == 201
    session.execute(update(IdempotencyRecord).values(created_at=utcnow() - timedelta(hours=25)))
    session.commit()
    assert metric(two, "plain") == 201
    assert records(session) == [("old-1", 201), ("old-2", 201), ("old-3", 201)]
    assert metric(with_key(two, "new"), "new") == 201
    assert records(session) == [("new", 201), ("old-3", 201)]
    assert metric(with_key(two, "newer"), "newer") == 201
    assert records(session) == [("new", 201), ("newer", 201)]


@pytest.mark.parametrize("key", ["key-1", "", "k" * 256], ids=["key", "empty", "256 chars"])
def test_new_api_key_refuses_an_idempotency_key(
    key: str, client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    before = count(session, ApiKey)
    body = {"name": "retried", "role": "reader"}
    response = client.post("/api/v1/keys", json=body, headers=with_key(admin, key))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "This request cannot be replayed and does not take an Idempotency-Key",
        "status": 422,
        "code": "idempotency_key_not_accepted",
        "detail": "POST /keys cannot be replayed: its secret is shown once and kept nowhere; "
        "on a lost response list keys and revoke the unused one",
        "field": "Idempotency-Key",
    }
    assert count(session, ApiKey) == before
    assert records(session) == []
    plain = client.post("/api/v1/keys", json=body, headers=admin)
    assert plain.status_code == 201
    assert "idempotency-replayed" not in plain.headers
    assert records(session) == []


def test_new_api_key_checks_the_caller_before_the_header(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = {"name": "retried", "role": "reader"}
    anonymous = client.post("/api/v1/keys", json=body, headers={"Idempotency-Key": "k"})
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
    refused = client.post("/api/v1/keys", json=body, headers=with_key(analyst, "k"))
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


def test_unfinished_record_answers_409(
    client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    body = claim_body()
    fingerprint = service.fingerprint(
        "POST",
        "/api/v1/claims",
        b"",
        "application/json",
        client.build_request("POST", "/api/v1/claims", json=body).content,
    )
    session.add(
        IdempotencyRecord(
            api_key_id=key_id(session, "test analyst"), key="k", fingerprint=fingerprint
        )
    )
    session.commit()
    response = client.post("/api/v1/claims", json=body, headers=with_key(analyst, "k"))
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == (
        "idempotency_key_in_flight",
        "Idempotency-Key",
    )
    assert count(session, Claim) == 0


def test_streamed_response_releases_the_key(session: Session, analyst: dict[str, str]) -> None:
    api_key = key_id(session, "test analyst")
    claimed = service.claim(
        session, api_key_id=api_key, key="s", fingerprint="f" * 64, ttl=timedelta(hours=1)
    )
    assert isinstance(claimed, service.Claimed)
    assert records(session) == [("s", None)]
    service.remember(claimed, StreamingResponse(iter([b"a,b\n"]), media_type="text/csv"))
    assert records(session) == []
    kept = service.claim(
        session, api_key_id=api_key, key="s", fingerprint="f" * 64, ttl=timedelta(hours=1)
    )
    assert isinstance(kept, service.Claimed)
    service.remember(kept, Response(b"{}", status_code=200, media_type="application/json"))
    replay = service.claim(
        session, api_key_id=api_key, key="s", fingerprint="f" * 64, ttl=timedelta(hours=1)
    )
    assert isinstance(replay, Response)
    assert (replay.status_code, replay.body) == (200, b"{}")
    assert replay.headers["content-type"] == "application/json"
    assert replay.headers["idempotency-replayed"] == "true"
