"""Entities with aliases, metrics with units."""

from fastapi.testclient import TestClient


def test_create_entity_with_aliases(client: TestClient, analyst: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/entities",
        json={"name": "Kazakhstan Temir Zholy", "aliases": ["KTZ"]},
        headers=analyst,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "kazakhstan-temir-zholy"
    assert body["aliases"] == ["Kazakhstan Temir Zholy", "KTZ"]
    got = client.get(f"/api/v1/entities/{body['id']}", headers=analyst).json()
    assert got == body


def test_create_entity_with_taken_alias_is_409(client: TestClient, analyst: dict[str, str]) -> None:
    client.post("/api/v1/entities", json={"name": "KTZ"}, headers=analyst)
    response = client.post(
        "/api/v1/entities", json={"name": "Rail", "aliases": ["ktz"]}, headers=analyst
    )
    assert response.status_code == 409
    assert response.json()["code"] == "name_taken"


def test_list_entities_matches_alias(client: TestClient, analyst: dict[str, str]) -> None:
    client.post(
        "/api/v1/entities",
        json={"name": "Kazakhstan Temir Zholy", "aliases": ["KTZ"]},
        headers=analyst,
    )
    client.post("/api/v1/entities", json={"name": "EAEU"}, headers=analyst)
    found = client.get("/api/v1/entities?q=ktz", headers=analyst).json()["items"]
    assert [e["slug"] for e in found] == ["kazakhstan-temir-zholy"]
    page = client.get("/api/v1/entities?limit=1", headers=analyst).json()
    assert [e["slug"] for e in page["items"]] == ["eaeu"]
    assert [e["slug"] for e in client.get(page["next"], headers=analyst).json()["items"]] == [
        "kazakhstan-temir-zholy"
    ]


def test_create_metric_fixes_dimension_from_unit(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/metrics", json={"name": "New rail length", "unit": "kilometres"}, headers=analyst
    )
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("slug", "unit", "dimension")} == {
        "slug": "new-rail-length",
        "unit": "km",
        "dimension": "length",
    }
    bad = client.post(
        "/api/v1/metrics", json={"name": "Odd", "unit": "furlongs per fortnight"}, headers=analyst
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "unit"


def test_get_entity_and_metric_missing_is_404(client: TestClient, reader: dict[str, str]) -> None:
    assert client.get("/api/v1/entities/999", headers=reader).json()["code"] == "entity_not_found"
    assert client.get("/api/v1/metrics/999", headers=reader).json()["code"] == "metric_not_found"


def test_create_entity_by_reader_is_403(client: TestClient, reader: dict[str, str]) -> None:
    assert client.post("/api/v1/entities", json={"name": "X"}, headers=reader).status_code == 403
    assert (
        client.post("/api/v1/metrics", json={"name": "X", "unit": "km"}, headers=reader).status_code
        == 403
    )
