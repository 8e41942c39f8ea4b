"""Indicators as a catalog: addressed by slug as by id, listed with filters, in any unit."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

RAIL = {
    "name": "KTZ new rail 2026",
    "slug": "ktz-new-rail-2026",
    "question": "Does KTZ lay 900 km of new rail this year?",
    "entity": "KTZ",
    "metric": "new rail length",
    "unit": "km",
    "frequency": "annual",
    "direction": "up_is_good",
    "description": "Kilometres of NEW line opened by Kazakhstan Temir Zholy.",
}
TRADE = {
    "name": "EAEU mutual trade",
    "entity": "EAEU",
    "metric": "trade turnover",
    "unit": "USD",
    "frequency": "monthly",
}
CPI = {
    "name": "Kazakhstan consumer prices",
    "slug": "kz-cpi",
    "entity": "Kazakhstan",
    "metric": "consumer price index",
    "unit": "index (2015=100)",
    "frequency": "monthly",
}


def create(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    response = client.post("/api/v1/indicators", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_every_indicator_route_takes_slug_as_id(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = create(client, analyst, RAIL)
    base = "/api/v1/indicators/ktz-new-rail-2026"
    target = client.post(
        f"{base}/targets",
        json={"value_text": "at least 900 km", "due_on": "2099-12-31"},
        headers=analyst,
    )
    assert (target.status_code, target.json()["value"]) == (201, "900")
    stored = client.post(
        f"{base}/observations",
        json={"period": "2026", "value_text": "450 km", "vintage": "2027-01-15"},
        headers=analyst,
    )
    assert (stored.status_code, stored.json()["created"]) == (201, 1)
    by_slug = client.get(base, headers=analyst)
    by_id = client.get(f"/api/v1/indicators/{made['id']}", headers=analyst)
    assert by_slug.status_code == by_id.status_code == 200
    assert by_slug.json() == by_id.json()
    assert by_slug.headers["etag"] == by_id.headers["etag"]
    series = client.get(f"{base}/series", headers=analyst)
    assert (series.status_code, series.json()["points"]) == (200, [["2026-12-31", "450"]])
    progress = client.get(f"{base}/progress", headers=analyst)
    assert (progress.json()["indicator"], progress.json()["targets"][0]["percent_of_target"]) == (
        "ktz-new-rail-2026",
        "50",
    )
    edited = client.patch(
        base, json={"name": "KTZ rail"}, headers={**analyst, "If-Match": by_slug.headers["etag"]}
    )
    assert (edited.status_code, edited.json()["name"], edited.json()["version"]) == (
        200,
        "KTZ rail",
        2,
    )


@pytest.mark.parametrize("path", ["", "/series", "/progress"])
def test_unknown_slug_is_404(client: TestClient, reader: dict[str, str], path: str) -> None:
    response = client.get(f"/api/v1/indicators/no-such-thing{path}", headers=reader)
    assert (response.status_code, response.json()["code"], response.json()["detail"]) == (
        404,
        "indicator_not_found",
        "no indicator 'no-such-thing'",
    )


def test_slug_of_digits_alone_is_refused(client: TestClient, analyst: dict[str, str]) -> None:
    given = client.post("/api/v1/indicators", json={**RAIL, "slug": "2026"}, headers=analyst)
    derived = client.post("/api/v1/indicators", json={**TRADE, "name": "2026"}, headers=analyst)
    assert [(r.status_code, r.json()["field"]) for r in (given, derived)] == [
        (422, "slug"),
        (422, "slug"),
    ]
    assert derived.json()["detail"] == (
        "the slug '2026' made from the name is digits alone, which a path reads as an id: "
        "give a slug with a letter"
    )
    hyphened = client.post(
        "/api/v1/indicators", json={**TRADE, "name": "2026 / 2027"}, headers=analyst
    )
    assert (hyphened.status_code, hyphened.json()["slug"]) == (201, "2026-2027")
    made = create(client, analyst, RAIL)
    url = f"/api/v1/indicators/{made['id']}"
    etag = {**analyst, "If-Match": f'"indicator-{made["id"]}-v1"'}
    digits = client.patch(url, json={"slug": "42"}, headers=etag)
    assert (digits.status_code, digits.json()["field"], digits.json()["detail"]) == (
        422,
        "slug",
        "the slug '42' is digits alone, which a path reads as an id: give a slug with a letter",
    )
    assert client.get("/api/v1/indicators/ktz-new-rail-2026", headers=analyst).json()["slug"] == (
        "ktz-new-rail-2026"
    )


def test_patch_slug_moves_the_address(client: TestClient, analyst: dict[str, str]) -> None:
    made = create(client, analyst, RAIL)
    create(client, analyst, TRADE)
    url = f"/api/v1/indicators/{made['id']}"
    etag = {**analyst, "If-Match": f'"indicator-{made["id"]}-v1"'}
    taken = client.patch(url, json={"slug": "eaeu-mutual-trade"}, headers=etag)
    assert (taken.status_code, taken.json()["field"]) == (422, "slug")
    null = client.patch(url, json={"slug": None}, headers=etag)
    assert (null.status_code, null.json()["detail"]) == (422, "slug cannot be null")
    moved = client.patch(url, json={"slug": "ktz-rail"}, headers=etag)
    assert (moved.status_code, moved.json()["slug"], moved.json()["version"]) == (
        200,
        "ktz-rail",
        2,
    )
    assert client.get("/api/v1/indicators/ktz-rail", headers=analyst).json()["id"] == made["id"]
    assert client.get("/api/v1/indicators/ktz-new-rail-2026", headers=analyst).status_code == 404
