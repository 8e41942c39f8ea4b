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
    assert series.status_code == 200
    assert [(r["date"], r["value_exact"]) for r in series.json()] == [("2026-12-31", "450")]
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


def slugs(client: TestClient, headers: dict[str, str], query: str) -> list[str]:
    response = client.get(f"/api/v1/indicators?{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [i["slug"] for i in response.json()["items"]]


def test_list_filters_combine_by_and(client: TestClient, analyst: dict[str, str]) -> None:
    rail = create(client, analyst, RAIL)
    create(client, analyst, TRADE)
    create(
        client,
        analyst,
        {
            **RAIL,
            "name": "KTZ freight",
            "slug": "ktz-freight",
            "unit": "t",
            "metric": "freight volume",
            "description": "",
        },
    )
    create(client, analyst, CPI)
    entity_id = rail["entity"]["id"]
    assert slugs(client, analyst, "entity=ktz") == ["ktz-freight", "ktz-new-rail-2026"]
    assert slugs(client, analyst, f"entity={entity_id}") == ["ktz-freight", "ktz-new-rail-2026"]
    assert slugs(client, analyst, "metric=new-rail-length") == ["ktz-new-rail-2026"]
    assert slugs(client, analyst, f"metric={rail['metric']['id']}") == ["ktz-new-rail-2026"]
    assert slugs(client, analyst, "frequency=monthly") == ["eaeu-mutual-trade", "kz-cpi"]
    assert slugs(client, analyst, "entity=ktz&frequency=monthly") == []
    # q: any case, in the name, the slug or the description
    assert slugs(client, analyst, "q=CONSUMER") == ["kz-cpi"]
    assert slugs(client, analyst, "q=cpi") == ["kz-cpi"]
    assert slugs(client, analyst, "q=new%20line") == ["ktz-new-rail-2026"]
    assert slugs(client, analyst, "q=ktz&metric=freight-volume") == ["ktz-freight"]
    # a LIKE wildcard is a character like any other
    assert slugs(client, analyst, "q=%25") == []
    assert slugs(client, analyst, "q=k_z") == []


def test_list_filters_naming_nothing_give_an_empty_page(
    client: TestClient, analyst: dict[str, str]
) -> None:
    create(client, analyst, RAIL)
    for query in ("entity=atlantis", "entity=999999", "metric=no-metric", "entity=99999999999"):
        page = client.get(f"/api/v1/indicators?{query}", headers=analyst)
        assert (page.status_code, page.json()) == (200, {"items": [], "next": None})
    bad = client.get("/api/v1/indicators?frequency=fortnightly", headers=analyst)
    assert (bad.status_code, bad.json()["field"]) == (422, "frequency")


def test_list_filters_keep_to_their_pages(client: TestClient, analyst: dict[str, str]) -> None:
    for n in range(3):
        create(client, analyst, {**TRADE, "name": f"Trade {n}", "slug": f"trade-{n}"})
    create(client, analyst, RAIL)
    first = client.get("/api/v1/indicators?entity=eaeu&limit=2", headers=analyst).json()
    assert [i["slug"] for i in first["items"]] == ["trade-0", "trade-1"]
    assert "entity=eaeu" in first["next"]
    second = client.get(first["next"], headers=analyst).json()
    assert ([i["slug"] for i in second["items"]], second["next"]) == (["trade-2"], None)


def test_index_indicator_takes_plain_numbers_in_its_own_unit(
    client: TestClient, analyst: dict[str, str]
) -> None:
    cpi = create(client, analyst, CPI)
    assert cpi["unit"] == "index 2015=100"
    url = "/api/v1/indicators/kz-cpi/observations"
    stored = client.post(
        url,
        json=[
            {"period": "2026-01", "value": "101.5", "vintage": "2026-02-10"},
            {"period": "2026-02", "value_text": "102.25", "vintage": "2026-03-10"},
            {
                "period": "2026-03",
                "value": "103",
                "unit": "index (2015=100)",
                "vintage": "2026-04-10",
            },
        ],
        headers=analyst,
    )
    assert [o["value"] for o in stored.json()["items"]] == ["101.5", "102.25", "103"]
    for body, field in (
        ({"period": "2026-04", "value": "99", "unit": "index 2010=100"}, "[1].value"),
        ({"period": "2026-04", "value": "99", "unit": "USD"}, "[1].unit"),
        ({"period": "2026-04", "value_text": "$99 billion"}, "[1].value_text"),
    ):
        refused = client.post(url, json=[body], headers=analyst)
        assert (refused.status_code, refused.json()["field"]) == (422, field), refused.text
    url = "/api/v1/indicators/kz-cpi/series?envelope=true"
    series = client.get(url, headers=analyst).json()
    assert (series["unit"], [p["value_exact"] for p in series["data"]]) == (
        "index 2015=100",
        ["101.5", "102.25", "103"],
    )


@pytest.mark.parametrize(
    ("unit", "stored"),
    [("ratio", "ratio"), ("points", "points"), ("1", "1"), ("number", "1"), ("%", "percent")],
)
def test_indicator_in_unit_of_no_dimension(
    client: TestClient, analyst: dict[str, str], unit: str, stored: str
) -> None:
    made = create(client, analyst, {**TRADE, "metric": f"measure in {stored}", "unit": unit})
    assert made["unit"] == stored
    added = client.post(
        f"/api/v1/indicators/{made['id']}/observations",
        json={"period": "2026-01", "value": "0.75", "vintage": "2026-02-01"},
        headers=analyst,
    )
    assert (added.status_code, added.json()["items"][0]["value"]) == (201, "0.75")


def test_index_indicator_refuses_metric_of_another_dimension(
    client: TestClient, analyst: dict[str, str]
) -> None:
    create(client, analyst, TRADE)
    wrong = client.post(
        "/api/v1/indicators", json={**CPI, "metric": "trade turnover"}, headers=analyst
    )
    assert (wrong.status_code, wrong.json()["field"], wrong.json()["detail"]) == (
        422,
        "unit",
        "metric 'trade-turnover' measures money, not index",
    )


def test_claim_meets_index_data_only_in_the_same_base(
    client: TestClient, analyst: dict[str, str]
) -> None:
    create(client, analyst, CPI)
    client.post(
        "/api/v1/indicators/kz-cpi/observations",
        json={"period": "2026-01", "value": "101.5", "vintage": "2026-02-10"},
        headers=analyst,
    )

    def claim(value: str) -> Any:
        body = {
            "entity": "Kazakhstan",
            "metric": "consumer price index",
            "value_text": value,
            "period": "2026-01",
            "kind": "actual",
            "stated_by": "x",
            "asserted_on": "2026-03-01",
            "statement": f"Prices stood at {value}.",
        }
        made = client.post("/api/v1/claims", json=body, headers=analyst)
        assert made.status_code == 201, made.text
        return made.json()

    wrong = claim("120")
    right = claim("101.5")
    assert (wrong["unit"], wrong["data_check"]["agrees"], right["data_check"]["agrees"]) == (
        "index 2015=100",
        False,
        True,
    )
    assert sorted(f["kind"] for f in wrong["flags"]) == ["contradicted_by_data", "unsourced"]
