"""Metrics known by aliases: set when registered, replaced with PATCH (If-Match), and read
when a claim names its metric."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import claim_body


def _metric(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    response = client.post("/api/v1/metrics", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


def test_create_metric_goes_by_its_name_and_aliases(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = _metric(client, analyst, name="Trade turnover", unit="USD", aliases=["Bilateral trade"])
    body = made.json()
    assert (body["aliases"], body["version"], made.headers["ETag"]) == (
        ["Trade turnover", "Bilateral trade"],
        1,
        f'"metric-{body["id"]}-v1"',
    )
    got = client.get(f"/api/v1/metrics/{body['id']}", headers=analyst)
    assert (got.json(), got.headers["ETag"]) == (body, made.headers["ETag"])


def test_patch_metric_aliases_are_read_when_a_claim_names_the_metric(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = _metric(client, analyst, name="Trade turnover", unit="USD", aliases=["Old name"])
    url = f"/api/v1/metrics/{made.json()['id']}"
    response = client.patch(
        url,
        json={"aliases": ["Foreign trade turnover", "Bilateral trade"]},
        headers={**analyst, "If-Match": made.headers["ETag"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["aliases"], body["version"], response.headers["ETag"]) == (
        ["Trade turnover", "Foreign trade turnover", "Bilateral trade"],
        2,
        f'"metric-{body["id"]}-v2"',
    )
    claim = client.post(
        "/api/v1/claims", json=claim_body(metric="bilateral TRADE"), headers=analyst
    ).json()
    assert claim["metric"]["id"] == body["id"]
    assert [n for n in claim["notices"] if "metric" in n] == []
    old = client.post("/api/v1/claims", json=claim_body(metric="Old name"), headers=analyst)
    assert old.json()["metric"]["slug"] == "old-name"
    events = client.get(
        "/api/v1/events", params={"action": "metric.aliases_changed"}, headers=analyst
    ).json()["items"]
    assert [(e["record_id"], e["version"], e["before"], e["after"]) for e in events] == [
        (
            body["id"],
            2,
            {"aliases": ["Trade turnover", "Old name"]},
            {"aliases": body["aliases"]},
        )
    ]


def test_patch_metric_aliases_with_a_stale_if_match_is_412(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = _metric(client, analyst, name="Port throughput", unit="t")
    url = f"/api/v1/metrics/{made.json()['id']}"
    first = client.patch(
        url,
        json={"aliases": ["Cargo handled"]},
        headers={**analyst, "If-Match": made.headers["ETag"]},
    )
    assert first.status_code == 200, first.text
    stale = client.patch(
        url, json={"aliases": ["Throughput"]}, headers={**analyst, "If-Match": made.headers["ETag"]}
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    missing = client.patch(url, json={"aliases": ["Throughput"]}, headers=analyst)
    assert (missing.status_code, missing.json()["field"]) == (428, "If-Match")
    assert client.get(url, headers=analyst).json()["aliases"] == [
        "Port throughput",
        "Cargo handled",
    ]


def test_patch_metric_alias_another_metric_goes_by_is_409_naming_the_field(
    client: TestClient, analyst: dict[str, str]
) -> None:
    _metric(client, analyst, name="Trade turnover", unit="USD", aliases=["Bilateral trade"])
    other = _metric(client, analyst, name="Exports", unit="USD")
    url = f"/api/v1/metrics/{other.json()['id']}"
    response = client.patch(
        url,
        json={"aliases": ["bilateral-trade"]},
        headers={**analyst, "If-Match": other.headers["ETag"]},
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.json()["code"], response.json()["field"], response.json()["detail"]) == (
        "name_taken",
        "aliases",
        "'Bilateral trade' already names another metric",
    )
    assert client.get(url, headers=analyst).json()["aliases"] == ["Exports"]


def test_create_metric_named_as_another_goes_by_is_409(
    client: TestClient, analyst: dict[str, str]
) -> None:
    _metric(client, analyst, name="Trade turnover", unit="USD", aliases=["Bilateral trade"])
    response = client.post(
        "/api/v1/metrics",
        json={"name": "Bilateral Trade", "slug": "bilateral", "unit": "USD"},
        headers=analyst,
    )
    assert (response.status_code, response.json()["field"]) == (409, "name")


def test_patch_metric_aliases_needs_a_writer_key(
    client: TestClient, reader: dict[str, str]
) -> None:
    response = client.patch("/api/v1/metrics/1", json={"aliases": []}, headers=reader)
    assert response.status_code == 403
