"""Entities with aliases, metrics with units."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import claim_body


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


def _entity(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    response = client.post("/api/v1/entities", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


def test_patch_aliases_replaces_them_keeping_name_and_slug(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = _entity(client, analyst, name="Kazakhstan Temir Zholy", aliases=["KTZ", "Old Name"])
    assert made.headers["ETag"] == f'"entity-{made.json()["id"]}-v1"'
    url = f"/api/v1/entities/{made.json()['id']}"
    response = client.patch(
        url,
        json={"aliases": ["KTZ", "Kazakh Railways"]},
        headers={**analyst, "If-Match": made.headers["ETag"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["slug"], body["aliases"], body["version"]) == (
        "kazakhstan-temir-zholy",
        ["Kazakhstan Temir Zholy", "KTZ", "Kazakh Railways"],
        2,
    )
    assert response.headers["ETag"] == f'"entity-{body["id"]}-v2"'
    got = client.get(url, headers=analyst)
    assert (got.json(), got.headers["ETag"]) == (body, response.headers["ETag"])

    def found(q: str) -> list[int]:
        items = client.get("/api/v1/entities", params={"q": q}, headers=analyst).json()["items"]
        return [e["id"] for e in items]

    assert (found("kazakh railways"), found("old name")) == ([body["id"]], [])
    claim = client.post(
        "/api/v1/claims", json=claim_body(entity="Kazakh Railways"), headers=analyst
    )
    assert claim.json()["entity"]["id"] == body["id"]


def test_patch_aliases_with_a_stale_if_match_is_412(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = _entity(client, analyst, name="Aktau Port")
    url = f"/api/v1/entities/{made.json()['id']}"
    first = client.patch(
        url,
        json={"aliases": ["Port of Aktau"]},
        headers={**analyst, "If-Match": made.headers["ETag"]},
    )
    assert first.status_code == 200, first.text
    stale = client.patch(
        url, json={"aliases": ["Aktau"]}, headers={**analyst, "If-Match": made.headers["ETag"]}
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    missing = client.patch(url, json={"aliases": ["Aktau"]}, headers=analyst)
    assert (missing.status_code, missing.json()["field"]) == (428, "If-Match")
    assert client.get(url, headers=analyst).json()["aliases"] == ["Aktau Port", "Port of Aktau"]


def test_patch_aliases_naming_another_entity_is_409_naming_the_field(
    client: TestClient, analyst: dict[str, str]
) -> None:
    _entity(client, analyst, name="Kazakhstan Temir Zholy", aliases=["KTZ"])
    other = _entity(client, analyst, name="Aktau Port")
    url = f"/api/v1/entities/{other.json()['id']}"
    response = client.patch(
        url, json={"aliases": ["ktz"]}, headers={**analyst, "If-Match": other.headers["ETag"]}
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.json()["code"], response.json()["field"]) == ("name_taken", "aliases")
    assert client.get(url, headers=analyst).json()["aliases"] == ["Aktau Port"]


def test_patch_aliases_needs_a_writer_key(client: TestClient, reader: dict[str, str]) -> None:
    response = client.patch("/api/v1/entities/1", json={"aliases": []}, headers=reader)
    assert response.status_code == 403


def test_patch_aliases_unchanged_keeps_the_version_and_records_nothing(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = _entity(client, analyst, name="Aktau Port", aliases=["Port of Aktau"])
    url = f"/api/v1/entities/{made.json()['id']}"
    same = client.patch(
        url,
        json={"aliases": ["Port of Aktau"]},
        headers={**analyst, "If-Match": made.headers["ETag"]},
    )
    assert (same.status_code, same.json()["version"], same.headers["ETag"]) == (
        200,
        1,
        made.headers["ETag"],
    )
    events = client.get("/api/v1/events?record_type=entity", headers=analyst).json()["items"]
    assert [e["action"] for e in events] == ["entity.created"]
