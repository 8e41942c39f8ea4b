"""The fact-checker's queue items of unsourced and unverified claims: stored on the claim (no
flag row), listed, assigned and dismissed through the flag routes under minus the claim's id."""

import itertools
from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from app.review import flags
from app.review.models import FlagKind, FlagNote, FlagStatus
from tests.conftest import KeyFactory
from tests.factories import claim_body

OFFICIAL = [{"url": "https://gov.example/t", "title": "t", "kind": "official", "quote": "q"}]
TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}


# Each claim posted is said by someone else: the same claim posted twice is stored once.
SPEAKERS = itertools.count(1)


def create(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    overrides.setdefault("stated_by", f"Speaker {next(SPEAKERS)}")
    response = client.post("/api/v1/claims", json=claim_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_unverified_claims_item_is_assigned_and_dismissed_on_the_claim(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str], admin: dict[str, str]
) -> None:
    claim = create(client, analyst)
    item_id = -claim["id"]
    assert claim["notices"][-1] == f"unverified: see flag {item_id}"
    reviewer = auth(Role.REVIEWER)
    (me,) = [
        k["id"] for k in client.get("/api/v1/keys", headers=admin).json() if k["role"] == "reviewer"
    ]
    item = client.get(f"/api/v1/flags/{item_id}", headers=analyst)
    assert (item.json()["kind"], item.json()["status"], item.json()["claim_ids"]) == (
        "unverified",
        "open",
        [claim["id"]],
    )
    assert item.headers["ETag"] == f'"flag-{item_id}-v1"'
    assigned = client.post(
        f"/api/v1/flags/{item_id}/assign",
        json={"assignee_id": me},
        headers={**reviewer, "If-Match": item.headers["ETag"]},
    )
    assert (assigned.status_code, assigned.json()["assignee_id"]) == (200, me)
    mine = client.get(f"/api/v1/flags?assignee={me}", headers=analyst).json()["items"]
    assert [f["id"] for f in mine] == [item_id]
    stale = client.post(
        f"/api/v1/flags/{item_id}/resolve",
        json={"resolution": "dismissed", "reason": "known"},
        headers={**reviewer, "If-Match": item.headers["ETag"]},
    )
    assert stale.status_code == 412
    ranked = client.post(
        f"/api/v1/flags/{item_id}/resolve",
        json={"resolution": "different_quantities", "reason": "x"},
        headers={**reviewer, "If-Match": assigned.headers["ETag"]},
    )
    assert (ranked.status_code, ranked.json()["field"]) == (422, "resolution")
    dismissed = client.post(
        f"/api/v1/flags/{item_id}/resolve",
        json={"resolution": "dismissed", "reason": "known"},
        headers={**reviewer, "If-Match": assigned.headers["ETag"]},
    )
    body = dismissed.json()
    assert (dismissed.status_code, body["status"], body["resolution"], body["reason"]) == (
        200,
        "dismissed",
        "dismissed",
        "known",
    )
    assert body["resolved_by_id"] == me
    again = client.post(
        f"/api/v1/flags/{item_id}/resolve",
        json={"resolution": "dismissed", "reason": "known"},
        headers={**reviewer, "If-Match": "*"},
    )
    assert again.status_code == 409
    assert client.get("/api/v1/flags?kind=unverified", headers=analyst).json()["items"] == []
    listed = client.get("/api/v1/flags?kind=unverified&status=dismissed", headers=analyst)
    assert [f["id"] for f in listed.json()["items"]] == [item_id]
    events = client.get(
        f"/api/v1/events?record_type=claim&record_id={claim['id']}", headers=analyst
    ).json()["items"]
    assert [e["action"] for e in events] == [
        "claim.verification_dismissed",
        "claim.verification_assigned",
        "claim.created",
    ]
    assert client.get("/api/v1/events?record_type=flag", headers=analyst).json()["items"] == []


def test_the_queue_pages_flags_and_claims_items_together(
    client: TestClient, analyst: dict[str, str]
) -> None:
    create(client, analyst, citations=OFFICIAL, **TRADE, value_text="$45 billion")
    second = create(client, analyst, citations=OFFICIAL, **TRADE, value_text="$40 billion")
    (conflict,) = [f["id"] for f in second["flags"]]
    unsourced = [create(client, analyst, citations=[])["id"] for _ in range(3)]
    for sort in ("oldest", "newest", "severity", "most_claims"):
        whole = client.get(f"/api/v1/flags?sort={sort}", headers=analyst).json()
        assert whole["next"] is None
        seen: list[int] = []
        url: str | None = f"/api/v1/flags?sort={sort}&limit=2"
        while url is not None:
            page = client.get(url, headers=analyst).json()
            assert "items" in page, page
            seen += [f["id"] for f in page["items"]]
            url = page["next"]
        assert seen == [f["id"] for f in whole["items"]]
        assert sorted(seen) == sorted([conflict, *(-i for i in unsourced)])
    assert [
        f["kind"]
        for f in client.get("/api/v1/flags?sort=severity", headers=analyst).json()["items"]
    ] == ["conflict", "unsourced", "unsourced", "unsourced"]
    metrics = client.get("/metrics").text.splitlines()
    assert 'claimtrack_open_flags{kind="unsourced"} 3.0' in metrics


def test_flags_opened_together_never_take_a_verification_items_id(monkeypatch: Any) -> None:
    """Flags opening together carry stand-in ids in their notes until they are stored; a
    claim's verification item (minus the claim's id) beside them keeps its own."""
    monkeypatch.setattr(flags, "open_many", lambda session, new, actor_id: [100])
    batch = flags.Opening()
    stand_in = batch.add(flags.NewFlag(FlagKind.CONFLICT, "g", None, None, "s", [1, 2]))
    notes = {
        1: [
            FlagNote(id=stand_in, kind=FlagKind.CONFLICT, status=FlagStatus.OPEN),
            FlagNote(id=-1, kind=FlagKind.UNVERIFIED, status=FlagStatus.OPEN),
        ]
    }
    batch.open(None, notes, actor_id=None)  # type: ignore[arg-type]
    assert [n.id for n in notes[1]] == [100, -1]
