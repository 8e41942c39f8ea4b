"""Metrics merged by a reviewer: only within one dimension; claims move, and meet the
survivor's on their shared keys."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.factories import claim_body


def post(client: TestClient, headers: dict[str, str], metric: str, value: str) -> Any:
    body = claim_body(
        entity="EAEU",
        metric=metric,
        value_text=value,
        period="2025",
        kind="actual",
        stated_by=f"{metric} {value}",
    )
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def merge(client: TestClient, headers: dict[str, str], gone: int, into: int) -> Any:
    return client.post(f"/api/v1/metrics/{gone}/merge", json={"into": into}, headers=headers)


@pytest.fixture
def reviewer(auth: KeyFactory) -> dict[str, str]:
    return auth(Role.REVIEWER)


def test_merging_a_metric_moves_its_claims_into_the_survivors_conflicts(
    client: TestClient, analyst: dict[str, str], reviewer: dict[str, str]
) -> None:
    a = post(client, analyst, "Trade turnover", "$100 billion")
    b = post(client, analyst, "Mutual trade", "KZT 30 trillion")
    c = post(client, analyst, "Mutual trade", "$90 billion")
    survivor, gone = a["metric"]["id"], b["metric"]["id"]
    merged = merge(client, reviewer, gone, survivor)
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert (body["aliases"], body["unit"], body["version"], merged.headers["ETag"]) == (
        ["Trade turnover", "Mutual trade"],
        "USD",
        2,
        f'"metric-{survivor}-v2"',
    )
    moved = [client.get(f"/api/v1/claims/{x['id']}", headers=analyst).json() for x in (b, c)]
    assert [(m["metric"]["id"], m["unit"], m["value"], m["version"]) for m in moved] == [
        (survivor, "KZT", "30000000000000", 2),
        (survivor, "USD", "90000000000", 2),
    ]
    flags = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert [(f["metric_id"], f["claim_ids"]) for f in flags] == [(survivor, [a["id"], c["id"]])]
    gone_now = client.get(f"/api/v1/metrics/{gone}", headers=analyst)
    assert (gone_now.status_code, gone_now.json()["code"], gone_now.json()["detail"]) == (
        404,
        "metric_not_found",
        f"metric {gone} was merged into metric {survivor}: GET /api/v1/metrics/{survivor}",
    )
    named = post(client, analyst, "mutual-trade", "$100 billion")
    assert named["metric"]["id"] == survivor
    events = client.get("/api/v1/events?action=metric.merged", headers=analyst).json()["items"]
    assert [(e["record_id"], e["after"]) for e in events] == [
        (survivor, {"from": gone, "aliases": ["Trade turnover", "Mutual trade"]}),
        (gone, {"into": survivor, "claims": [b["id"], c["id"]], "indicators": [], "flags": []}),
    ]
    rekeyed = client.get("/api/v1/events?action=claim.rekeyed", headers=analyst).json()["items"]
    assert sorted((e["record_id"], e["before"]["metric"]["id"]) for e in rekeyed) == [
        (b["id"], gone),
        (c["id"], gone),
    ]


def test_merging_metrics_of_two_dimensions_is_422_naming_into(
    client: TestClient, analyst: dict[str, str], reviewer: dict[str, str]
) -> None:
    a = post(client, analyst, "Trade turnover", "$100 billion")
    b = post(client, analyst, "Rail length", "900 km")
    response = merge(client, reviewer, b["metric"]["id"], a["metric"]["id"])
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.status_code, response.json()["field"], response.json()["detail"]) == (
        422,
        "into",
        f"metric {b['metric']['id']} measures length (km) and metric {a['metric']['id']} "
        "money (USD): no value of one can be read in the other",
    )
    still = client.get(f"/api/v1/claims/{b['id']}", headers=analyst).json()
    assert (still["metric"]["id"], still["version"]) == (b["metric"]["id"], 1)


def test_merging_metrics_is_a_reviewers_or_an_admins(
    client: TestClient, analyst: dict[str, str], admin: dict[str, str]
) -> None:
    a = post(client, analyst, "Trade turnover", "$100 billion")
    b = post(client, analyst, "Mutual trade", "$100 billion")
    refused = merge(client, analyst, b["metric"]["id"], a["metric"]["id"])
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert merge(client, admin, b["metric"]["id"], a["metric"]["id"]).status_code == 200
