"""A reviewer's decision settles a claim: any verdict, or a rank given when a conflict is
resolved, makes it `reviewed` (the latest verdict its detail) and closes its queue item."""

from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.factories import claim_body

NEWS = [{"url": "https://news.example/1", "title": "n", "publisher": "Anadolu", "quote": "q"}]
OFFICIAL = [
    {"url": "https://gov.example/1", "title": "g", "kind": "official", "quote": "q"},
]
NOT_ENOUGH = "no official or statistics source, no two independent citations"
TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}


def post(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/claims", json=claim_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def review(
    client: TestClient, headers: dict[str, str], claim_id: int, verdict: str
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/claims/{claim_id}/reviews", json={"verdict": verdict}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def changes(client: TestClient, headers: dict[str, str], claim_id: int) -> list[Any]:
    events = client.get(
        f"/api/v1/events?record_type=claim&record_id={claim_id}", headers=headers
    ).json()["items"]
    return [
        (e["before"], e["after"])
        for e in reversed(events)
        if e["action"] == "claim.verification_changed"
    ]


def open_items(client: TestClient, headers: dict[str, str], kind: str) -> list[int]:
    page = client.get(f"/api/v1/flags?kind={kind}", headers=headers).json()
    return [f["id"] for f in page["items"]]


def metric(client: TestClient, kind: str) -> str:
    (line,) = [
        x for x in client.get("/metrics").text.splitlines() if f'open_flags{{kind="{kind}"}}' in x
    ]
    return line


def test_an_inaccurate_verdict_closes_the_item_and_shows_on_the_claim(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    ruled = post(client, analyst, citations=NEWS)
    other = post(client, analyst, citations=NEWS, period="2031")
    assert open_items(client, analyst, "unverified") == [-ruled["id"], -other["id"]]
    review(client, auth(Role.REVIEWER), ruled["id"], "inaccurate")
    shown = client.get(f"/api/v1/claims/{ruled['id']}", headers=analyst).json()
    assert shown["verification"]["state"] == "reviewed"
    assert shown["verification"]["verdict"] == "inaccurate"
    assert shown["verification"]["reasons"] == ["reviewer verdict: inaccurate", NOT_ENOUGH]
    assert shown["flags"] == []
    assert client.get(f"/api/v1/flags/{-ruled['id']}", headers=analyst).status_code == 404
    assert open_items(client, analyst, "unverified") == [-other["id"]]
    assert metric(client, "unverified") == 'claimtrack_open_flags{kind="unverified"} 1.0'
    assert changes(client, analyst, ruled["id"]) == [
        (
            {"verification": "unverified"},
            {
                "verification": "reviewed",
                "verdict": "inaccurate",
                "reasons": ["reviewer verdict: inaccurate", NOT_ENOUGH],
            },
        )
    ]


def test_a_misleading_verdict_on_a_verified_claim_is_reviewed_not_unverified(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim = post(client, analyst, citations=OFFICIAL)
    assert claim["verification"]["state"] == "verified"
    reviewer = auth(Role.REVIEWER)
    review(client, reviewer, claim["id"], "accurate")
    review(client, reviewer, claim["id"], "misleading")
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    citation = claim["citations"][0]["id"]
    official = f"citation {citation} cites a source of kind official"
    assert (shown["verification"]["state"], shown["verification"]["verdict"]) == (
        "reviewed",
        "misleading",
    )
    assert shown["verification"]["reasons"] == ["reviewer verdict: misleading", official]
    assert open_items(client, analyst, "unverified") == []
    assert [after["verdict"] for _, after in changes(client, analyst, claim["id"])] == [
        "accurate",
        "misleading",
    ]
    assert changes(client, analyst, claim["id"])[1][0] == {
        "verification": "reviewed",
        "verdict": "accurate",
    }


def test_an_accurate_verdict_makes_an_unsourced_claim_reviewed(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim = post(client, analyst, citations=[])
    assert open_items(client, analyst, "unsourced") == [-claim["id"]]
    review(client, auth(Role.REVIEWER), claim["id"], "accurate")
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    assert shown["verification"] == {
        "state": "reviewed",
        "verdict": "accurate",
        "reasons": ["reviewer verdict: accurate", "no citation"],
        "citations": [],
    }
    assert open_items(client, analyst, "unsourced") == []
    assert metric(client, "unsourced") == 'claimtrack_open_flags{kind="unsourced"} 0.0'


def test_a_new_verdict_changes_the_claims_etag(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim = post(client, analyst, citations=NEWS)
    reviewer = auth(Role.REVIEWER)
    review(client, reviewer, claim["id"], "misleading")
    first = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst)
    review(client, reviewer, claim["id"], "inaccurate")
    again = client.get(
        f"/api/v1/claims/{claim['id']}",
        headers={**analyst, "If-None-Match": first.headers["ETag"]},
    )
    assert (again.status_code, again.json()["verification"]["verdict"]) == (200, "inaccurate")


def test_a_dismissed_item_is_gone_from_the_queue_once_the_claim_is_reviewed(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim = post(client, analyst, citations=NEWS)
    reviewer = auth(Role.REVIEWER)
    dismissed = client.post(
        f"/api/v1/flags/{-claim['id']}/resolve",
        json={"resolution": "dismissed", "reason": "known"},
        headers={**reviewer, "If-Match": "*"},
    )
    assert dismissed.status_code == 200, dismissed.text
    review(client, reviewer, claim["id"], "unverifiable")
    listed = client.get("/api/v1/flags?status=all", headers=analyst)
    assert (listed.status_code, listed.json()["items"]) == (200, [])
    assert client.get(f"/api/v1/flags/{-claim['id']}", headers=analyst).status_code == 404


def test_ranking_a_conflict_records_the_decision_on_its_claims(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    first = post(client, analyst, citations=NEWS, **TRADE, value_text="$45 billion")
    second = post(client, analyst, citations=[], **TRADE, value_text="$40 billion")
    third = post(client, analyst, citations=NEWS, **TRADE, value_text="$30 billion")
    (conflict,) = [f["id"] for f in third["flags"] if f["kind"] == "conflict"]
    assert sorted(open_items(client, analyst, "unverified")) == [-third["id"], -first["id"]]
    resolved = client.post(
        f"/api/v1/flags/{conflict}/resolve",
        json={
            "resolution": "ranked",
            "preferred": [{"claim_id": first["id"], "reason": "final data"}],
            "deprecated": [{"claim_id": second["id"], "reason": "preliminary"}],
        },
        headers={**auth(Role.REVIEWER), "If-Match": "*"},
    )
    assert resolved.status_code == 200, resolved.text
    shown = {
        c["id"]: c
        for c in client.get("/api/v1/claims?entity=EU-Kazakhstan", headers=analyst).json()["items"]
    }
    assert [
        (shown[c["id"]]["rank"], shown[c["id"]]["verification"]["state"]) for c in (first, second)
    ] == [("preferred", "reviewed"), ("deprecated", "reviewed")]
    assert shown[first["id"]]["verification"]["verdict"] is None
    assert shown[second["id"]]["verification"]["reasons"] == [
        "ranked deprecated in a resolved conflict",
        "no citation",
    ]
    assert (shown[third["id"]]["rank"], shown[third["id"]]["verification"]["state"]) == (
        "normal",
        "unverified",
    )
    assert open_items(client, analyst, "unverified") == [-third["id"]]
    assert open_items(client, analyst, "unsourced") == []
    assert changes(client, analyst, second["id"]) == [
        (
            {"verification": "unsourced"},
            {
                "verification": "reviewed",
                "verdict": None,
                "reasons": ["ranked deprecated in a resolved conflict", "no citation"],
            },
        )
    ]


def test_claims_filter_by_the_reviewed_state_and_by_verdict(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    reviewer = auth(Role.REVIEWER)
    claims = [post(client, analyst, citations=NEWS, period=str(2031 + i))["id"] for i in range(4)]
    review(client, reviewer, claims[0], "inaccurate")
    review(client, reviewer, claims[1], "accurate")
    review(client, reviewer, claims[2], "accurate")
    review(client, reviewer, claims[2], "inaccurate")

    def listed(query: str) -> list[int]:
        response = client.get(f"/api/v1/claims?{query}&sort=id", headers=analyst)
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["items"]]

    assert listed("verification=reviewed") == claims[:3]
    assert listed("verification=unverified") == [claims[3]]
    assert listed("verdict=inaccurate") == [claims[0], claims[2]]
    assert listed("verification=reviewed&verdict=accurate") == [claims[1]]
    bad = client.get("/api/v1/claims?verdict=wrong", headers=analyst)
    assert (bad.status_code, bad.json()["field"]) == (422, "verdict")
