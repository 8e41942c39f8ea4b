"""The audit log is complete: entities and metrics created on the fly, aliases changed and each
observation recorded are events, by the acting key."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.flows import keys
from tests.factories import claim_body

Key = tuple[int, dict[str, str]]


@pytest.fixture
def writer(session: Session) -> Key:
    """An analyst key's id and its Authorization headers."""
    row, secret = keys.create(
        session, ApiKeyCreate(name="writer", role=Role.ANALYST), created_by_id=None
    )
    session.commit()
    assert row.id is not None
    return row.id, {"Authorization": f"Bearer {secret}"}


def _events(client: TestClient, headers: dict[str, str], **filters: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/events", params={**filters, "limit": 500}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _of(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["action"], e["record_id"], e["actor_id"], e["after"]) for e in events]


def test_a_claim_naming_a_new_entity_and_metric_records_their_creation(
    client: TestClient, writer: Key
) -> None:
    key_id, headers = writer
    body = claim_body(entity="Aktau Port Authority", metric="port investment")
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.text
    entity, metric = response.json()["entity"], response.json()["metric"]
    created = _events(client, headers, record_type="entity") + _events(
        client, headers, record_type="metric"
    )
    assert _of(created) == [
        (
            "entity.created",
            entity["id"],
            key_id,
            {
                "slug": "aktau-port-authority",
                "name": "Aktau Port Authority",
                "aliases": ["Aktau Port Authority"],
            },
        ),
        (
            "metric.created",
            metric["id"],
            key_id,
            {
                "slug": "port-investment",
                "name": "port investment",
                "unit": "USD",
                "dimension": "money",
                "aliases": ["port investment"],
            },
        ),
    ]


def test_a_bulk_naming_one_new_entity_records_it_once_in_the_one_insert_of_events(
    client: TestClient, writer: Key, connection: Connection
) -> None:
    key_id, headers = writer
    rows = [
        claim_body(entity="Khorgos Gateway", statement=f"Said {n}.", period=str(2020 + n))
        for n in range(3)
    ]
    statements: list[str] = []
    listen = event.listens_for(connection, "before_cursor_execute")
    seen = listen(lambda *args: statements.append(args[2]))
    response = client.post("/api/v1/claims:bulk", json=rows, headers=headers)
    event.remove(connection, "before_cursor_execute", seen)
    assert response.status_code == 201, response.text
    assert sum(s.split()[:3] == ["INSERT", "INTO", "events"] for s in statements) == 1
    created = _events(client, headers, action="entity.created")
    entity_id = response.json()["items"][0]["entity"]["id"]
    assert [(e["record_id"], e["actor_id"]) for e in created] == [(entity_id, key_id)]
    assert len(_events(client, headers, action="claim.created")) == 3


def test_changing_aliases_records_them_before_and_after(client: TestClient, writer: Key) -> None:
    key_id, headers = writer
    made = client.post(
        "/api/v1/entities", json={"name": "Astana Hub", "aliases": ["AH"]}, headers=headers
    )
    entity_id = made.json()["id"]
    response = client.patch(
        f"/api/v1/entities/{entity_id}",
        json={"aliases": ["Astana International Hub"]},
        headers={**headers, "If-Match": made.headers["ETag"]},
    )
    assert response.status_code == 200, response.text
    changed = _events(client, headers, action="entity.aliases_changed")
    assert [
        (e["record_id"], e["actor_id"], e["version"], e["before"], e["after"]) for e in changed
    ] == [
        (
            entity_id,
            key_id,
            2,
            {"aliases": ["Astana Hub", "AH"]},
            {"aliases": ["Astana Hub", "Astana International Hub"]},
        )
    ]


def test_each_observation_of_a_batch_is_an_event_with_its_id(
    client: TestClient, writer: Key
) -> None:
    key_id, headers = writer
    indicator = client.post(
        "/api/v1/indicators",
        json={
            "name": "EAEU mutual trade turnover",
            "entity": "EAEU",
            "metric": "trade turnover",
            "unit": "USD",
            "frequency": "annual",
            "direction": "up_is_good",
        },
        headers=headers,
    ).json()
    batch = [
        {"period": str(year), "value_text": f"${value} billion", "vintage": "2026-01-15"}
        for year, value in ((2022, 80), (2023, 90), (2024, 95))
    ]
    response = client.post(
        f"/api/v1/indicators/{indicator['id']}/observations", json=batch, headers=headers
    )
    assert response.status_code == 201, response.text
    stored = response.json()["items"]
    observed = _events(client, headers, record_type="observation")
    assert sorted(_of(observed)) == [
        (
            "observation.created",
            o["id"],
            key_id,
            {"indicator_id": indicator["id"], **{k: v for k, v in o.items() if k != "id"}},
        )
        for o in stored
    ]
    assert [(o["period"], o["value"], o["vintage"]) for o in stored] == [
        ("2022", "80000000000", "2026-01-15"),
        ("2023", "90000000000", "2026-01-15"),
        ("2024", "95000000000", "2026-01-15"),
    ]
    batches = _events(client, headers, action="indicator.observed")
    assert [e["after"]["observations"] for e in batches] == [3]
