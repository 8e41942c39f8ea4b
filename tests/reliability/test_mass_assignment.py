"""Fields the service owns cannot be set by a client: any of them in a body is a 422.

For every resource a client creates and edits (claims, one or in bulk; sources; indicators),
and every field the service sets itself, a body that is valid but for that one field is refused
with 422 naming the field, and nothing is created or changed.
"""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import claim_body

OWNED: dict[str, Any] = {
    "id": 999,
    "status": "retracted",
    "version": 7,
    "created_by": 1,
    "created_by_id": 1,
    "flags": [],
    "rank": "preferred",
    "rank_reason": "said so",
    "verification": "verified",
    "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z",
    "retracted_at": "2020-01-01T00:00:00Z",
}
FIELDS = sorted(OWNED)
SOURCE = {"url": "https://example.org/mass", "title": "Mass"}
INDICATOR = {"name": "Mass", "entity": "KTZ", "metric": "cargo", "unit": "t"}
CREATES: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
    "claims": ("/api/v1/claims", lambda: claim_body(citations=[])),
    "sources": ("/api/v1/sources", lambda: dict(SOURCE)),
    "indicators": ("/api/v1/indicators", lambda: dict(INDICATOR)),
}
EDITS = {
    "claims": {"statement": "edited"},
    "sources": {"title": "Edited"},
    "indicators": {"description": "edited"},
}


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "invalid_input"
    assert problem["field"].rsplit(".", 1)[-1] == field
    assert problem["errors"][0]["problem"] == "Extra inputs are not permitted"


def _count(client: TestClient, headers: dict[str, str], resource: str) -> int:
    return len(client.get(f"/api/v1/{resource}?limit=500", headers=headers).json()["items"])


@pytest.mark.parametrize("resource", sorted(CREATES))
@pytest.mark.parametrize("field", FIELDS)
def test_create_with_a_field_the_service_owns_is_422(
    client: TestClient, admin: dict[str, str], resource: str, field: str
) -> None:
    url, body = CREATES[resource]
    response = client.post(url, json={**body(), field: OWNED[field]}, headers=admin)
    _refused(response, field)
    assert _count(client, admin, resource) == 0


@pytest.mark.parametrize("field", FIELDS)
def test_bulk_row_with_a_field_the_service_owns_is_422(
    client: TestClient, admin: dict[str, str], field: str
) -> None:
    rows = [claim_body(citations=[]), {**claim_body(citations=[]), field: OWNED[field]}]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=admin)
    _refused(response, field)
    assert response.json()["field"] == f"[2].{field}"
    assert _count(client, admin, "claims") == 0


@pytest.mark.parametrize("resource", sorted(CREATES))
@pytest.mark.parametrize("field", FIELDS)
def test_edit_with_a_field_the_service_owns_is_422(
    client: TestClient, admin: dict[str, str], resource: str, field: str
) -> None:
    url, body = CREATES[resource]
    created = client.post(url, json=body(), headers=admin)
    assert created.status_code == 201, created.text
    record = f"{url}/{created.json()['id']}"
    tag = created.headers["ETag"]
    edit = {**EDITS[resource], field: OWNED[field]}
    response = client.patch(record, json=edit, headers={**admin, "If-Match": tag})
    _refused(response, field)
    after = client.get(record, headers=admin)
    assert after.headers["ETag"] == tag
    assert _record(after.json()) == _record(created.json())


def _record(body: dict[str, Any]) -> dict[str, Any]:
    """A record as stored: without the notices only a create's response carries."""
    return {k: v for k, v in body.items() if k != "notices"}
