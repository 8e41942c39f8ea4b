"""Entities merged by a reviewer: claims, flags and indicators move to the one that stays, the
moved claims meet its claims on their shared keys, and the merged one is gone."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.factories import claim_body

TRADE = {"metric": "trade turnover", "kind": "actual", "period": "2025"}


def post(client: TestClient, headers: dict[str, str], entity: str, value: str, **more: Any) -> Any:
    body = claim_body(entity=entity, value_text=value, stated_by=f"{entity} {value}", **TRADE)
    response = client.post("/api/v1/claims", json={**body, **more}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def merge(client: TestClient, headers: dict[str, str], gone: int, into: int) -> Any:
    return client.post(f"/api/v1/entities/{gone}/merge", json={"into": into}, headers=headers)


def conflicts(client: TestClient, headers: dict[str, str]) -> list[tuple[Any, ...]]:
    items = client.get("/api/v1/flags?kind=conflict&status=all", headers=headers).json()["items"]
    return sorted(
        (f["id"], f["status"], f["resolution"], f["entity_id"], f["claim_ids"]) for f in items
    )


def actions(client: TestClient, headers: dict[str, str], **filters: Any) -> list[tuple[Any, ...]]:
    params = {**filters, "limit": 500}
    items = client.get("/api/v1/events", params=params, headers=headers).json()["items"]
    return [(e["action"], e["record_type"], e["record_id"], e["version"]) for e in reversed(items)]


@pytest.fixture
def reviewer(auth: KeyFactory) -> dict[str, str]:
    return auth(Role.REVIEWER)


def test_merging_an_entity_moves_its_claims_and_opens_the_conflict_they_now_make(
    client: TestClient, analyst: dict[str, str], reviewer: dict[str, str]
) -> None:
    a = post(client, analyst, "EU–Kazakhstan trade", "$45 billion")
    b = post(client, analyst, "European Union", "$38 billion")
    survivor, gone = a["entity"]["id"], b["entity"]["id"]
    assert conflicts(client, analyst) == []
    merged = merge(client, reviewer, gone, survivor)
    assert merged.status_code == 200, merged.text
    assert (merged.json()["aliases"], merged.json()["version"], merged.headers["ETag"]) == (
        ["EU–Kazakhstan trade", "European Union"],
        2,
        f'"entity-{survivor}-v2"',
    )
    moved = client.get(f"/api/v1/claims/{b['id']}", headers=analyst).json()
    assert (moved["entity"]["id"], moved["version"]) == (survivor, 2)
    (flag,) = conflicts(client, analyst)
    assert flag[1:] == ("open", None, survivor, [a["id"], b["id"]])
    assert [(f["id"], f["with"]) for f in moved["flags"] if f["kind"] == "conflict"] == [
        (flag[0], [a["id"]])
    ]
    gone_now = client.get(f"/api/v1/entities/{gone}", headers=analyst)
    assert (gone_now.status_code, gone_now.json()["detail"]) == (
        404,
        f"entity {gone} was merged into entity {survivor}: GET /api/v1/entities/{survivor}",
    )
    again = post(client, analyst, "european union", "$45 billion", stated_by="Someone else")
    assert again["entity"]["id"] == survivor
    assert actions(client, analyst, record_type="entity") == [
        ("entity.created", "entity", survivor, 1),
        ("entity.created", "entity", gone, 1),
        ("entity.merged", "entity", gone, 1),
        ("entity.merged", "entity", survivor, 2),
    ]
    history = client.get(f"/api/v1/claims/{b['id']}/history", headers=analyst).json()
    assert [(v["action"], v["version"], v["claim"]["entity"]["id"]) for v in history] == [
        ("claim.created", 1, gone),
        ("claim.rekeyed", 2, survivor),
    ]
    events = client.get("/api/v1/events?action=entity.merged", headers=analyst).json()["items"]
    assert [(e["record_id"], e["before"], e["after"]) for e in events] == [
        (
            survivor,
            {"aliases": ["EU–Kazakhstan trade"]},
            {"from": gone, "aliases": merged.json()["aliases"]},
        ),
        (
            gone,
            {"slug": "european-union", "name": "European Union", "aliases": ["European Union"]},
            {"into": survivor, "claims": [b["id"]], "indicators": [], "flags": []},
        ),
    ]


def test_an_open_conflict_moves_with_its_claims_and_meets_the_survivors(
    client: TestClient, analyst: dict[str, str], reviewer: dict[str, str]
) -> None:
    a = post(client, analyst, "Temir Zholy", "$10 billion")
    b = post(client, analyst, "Temir Zholy", "$12 billion")
    c = post(client, analyst, "KTZ", "$10 billion")
    d = post(client, analyst, "KTZ", "$10.02 billion")
    gone, survivor = a["entity"]["id"], c["entity"]["id"]
    ((flag_id, *_),) = conflicts(client, analyst)
    assert merge(client, reviewer, gone, survivor).status_code == 200
    assert conflicts(client, analyst) == [
        (flag_id, "open", None, survivor, [a["id"], b["id"], c["id"], d["id"]])
    ]
    assert actions(client, analyst, record_type="flag", record_id=flag_id) == [
        ("flag.opened", "flag", flag_id, 1),
        ("flag.rekeyed", "flag", flag_id, 2),
        ("flag.joined", "flag", flag_id, 2),
    ]


def test_two_open_conflicts_on_one_key_become_one(
    client: TestClient, analyst: dict[str, str], reviewer: dict[str, str]
) -> None:
    a = post(client, analyst, "Temir Zholy", "$10 billion")
    b = post(client, analyst, "Temir Zholy", "$12 billion")
    c = post(client, analyst, "KTZ", "$10 billion")
    d = post(client, analyst, "KTZ", "$14 billion")
    (gone_flag, kept_flag) = (f[0] for f in conflicts(client, analyst))
    assert merge(client, reviewer, a["entity"]["id"], c["entity"]["id"]).status_code == 200
    survivor = c["entity"]["id"]
    assert conflicts(client, analyst) == [
        (gone_flag, "resolved", "cleared", survivor, [a["id"], b["id"]]),
        (kept_flag, "open", None, survivor, [a["id"], b["id"], c["id"], d["id"]]),
    ]
    cleared = client.get(f"/api/v1/flags/{gone_flag}", headers=analyst).json()
    assert cleared["reason"] == f"its claims joined flag {kept_flag}, on the same key"


@pytest.mark.parametrize(
    ("survivors", "status"), [("$10 billion", "resolved"), ("$11.2 billion", "open")]
)
def test_a_ranked_conflict_stays_settled_unless_the_survivor_contradicts_its_preferred_claim(
    client: TestClient,
    analyst: dict[str, str],
    reviewer: dict[str, str],
    survivors: str,
    status: str,
) -> None:
    a = post(client, analyst, "Temir Zholy", "$10 billion")
    b = post(client, analyst, "Temir Zholy", "$12 billion")
    ((flag_id, *_),) = conflicts(client, analyst)
    ranked = client.post(
        f"/api/v1/flags/{flag_id}/resolve",
        json={
            "resolution": "ranked",
            "preferred": [{"claim_id": a["id"], "reason": "official"}],
            "deprecated": [{"claim_id": b["id"], "reason": "rounded"}],
        },
        headers={**reviewer, "If-Match": "*"},
    )
    assert ranked.status_code == 200, ranked.text
    c = post(client, analyst, "KTZ", survivors)
    assert merge(client, reviewer, a["entity"]["id"], c["entity"]["id"]).status_code == 200
    assert conflicts(client, analyst) == [
        (
            flag_id,
            status,
            "ranked" if status == "resolved" else None,
            c["entity"]["id"],
            [a["id"], b["id"], c["id"]],
        )
    ]


def test_an_indicator_moves_and_its_data_meet_the_survivors_claims(
    client: TestClient, analyst: dict[str, str], reviewer: dict[str, str]
) -> None:
    a = post(client, analyst, "EU–Kazakhstan trade", "$45 billion")
    indicator = client.post(
        "/api/v1/indicators",
        json={
            "name": "EU trade",
            "entity": "European Union",
            "metric": "trade turnover",
            "unit": "USD",
        },
        headers=analyst,
    ).json()
    observed = client.post(
        f"/api/v1/indicators/{indicator['id']}/observations",
        json=[{"period": "2025", "value_text": "$40 billion", "vintage": "2026-02-01"}],
        headers=analyst,
    )
    assert observed.status_code == 201, observed.text
    merged = merge(client, reviewer, indicator["entity"]["id"], a["entity"]["id"])
    assert merged.status_code == 200, merged.text
    moved = client.get(f"/api/v1/indicators/{indicator['id']}", headers=analyst).json()
    assert (moved["entity"]["id"], moved["version"]) == (a["entity"]["id"], 2)
    claim = client.get(f"/api/v1/claims/{a['id']}", headers=analyst).json()
    assert [f["kind"] for f in claim["flags"]] == ["contradicted_by_data", "unverified"]
    assert (claim["data_check"]["indicator_id"], claim["data_check"]["value"]) == (
        indicator["id"],
        "40000000000",
    )


def test_merging_is_a_reviewers_or_an_admins(
    client: TestClient, analyst: dict[str, str], admin: dict[str, str]
) -> None:
    a = post(client, analyst, "KTZ", "$10 billion")
    b = post(client, analyst, "Temir Zholy", "$10 billion")
    refused = merge(client, analyst, b["entity"]["id"], a["entity"]["id"])
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert client.get(f"/api/v1/claims/{b['id']}", headers=analyst).json()["entity"]["slug"] == (
        "temir-zholy"
    )
    assert merge(client, admin, b["entity"]["id"], a["entity"]["id"]).status_code == 200


@pytest.mark.parametrize(
    ("into", "detail"),
    [
        ("self", "entity {gone} cannot be merged into itself"),
        ("missing", "no entity 9999"),
        ("merged", "no entity {merged} (it was merged into entity {into})"),
    ],
)
def test_merging_into_no_other_live_entity_is_422_naming_into(
    client: TestClient, admin: dict[str, str], into: str, detail: str
) -> None:
    gone = post(client, admin, "Temir Zholy", "$10 billion")["entity"]["id"]
    other = post(client, admin, "KTZ", "$10 billion")["entity"]["id"]
    merged = post(client, admin, "KTZ JSC", "$10 billion")["entity"]["id"]
    assert merge(client, admin, merged, other).status_code == 200
    target = {"self": gone, "missing": 9999, "merged": merged}[into]
    response = merge(client, admin, gone, target)
    assert (response.status_code, response.json()["field"], response.json()["detail"]) == (
        422,
        "into",
        detail.format(gone=gone, merged=merged, into=other),
    )


def test_a_merge_into_true_is_refused_naming_the_field(
    client: TestClient, auth: KeyFactory
) -> None:
    reviewer, analyst = auth(Role.REVIEWER), auth(Role.ANALYST)
    ids = [
        client.post("/api/v1/entities", json={"name": n}, headers=analyst).json()["id"]
        for n in ("Alpha Corp", "Beta Holding")
    ]
    response = client.post(
        f"/api/v1/entities/{ids[1]}/merge", json={"into": True}, headers=reviewer
    )
    assert response.status_code == 422
    assert response.json()["field"] == "into"
