"""flows.notify: the webhook events a change queues in the outbox, in the change's transaction,
for the subscriptions that want them and only those."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import ClaimCreate
from app.flows import claims, indicators, observations
from app.indicators.models import IndicatorCreate, ObservationIn, TargetCreate
from app.webhooks.models import WebhookOutbox
from tests.factories import claim_body

TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}
HOOK = "https://hooks.example.org/claimtrack"


def _subscribe(
    client: TestClient, headers: dict[str, str], types: list[str], **filter_: Any
) -> int:
    body: dict[str, Any] = {"url": HOOK, "event_types": types}
    if filter_:
        body["filter"] = filter_
    response = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    hook_id: int = response.json()["id"]
    return hook_id


def _queued(session: Session, hook_id: int | None = None) -> list[WebhookOutbox]:
    stmt = select(WebhookOutbox).order_by(col(WebhookOutbox.id))
    if hook_id is not None:
        stmt = stmt.where(col(WebhookOutbox.subscription_id) == hook_id)
    return list(session.execute(stmt).scalars())


def _post(client: TestClient, headers: dict[str, str], value: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/claims", json=claim_body(**TRADE, value_text=value), headers=headers
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_conflict_queues_flag_opened_with_both_claims_side_by_side(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    hook = _subscribe(client, analyst, ["flag.opened"])
    first = _post(client, analyst, "$45 billion")
    second = _post(client, analyst, "$40 billion")

    queued = _queued(session, hook)

    conflict = [q for q in queued if q.payload["data"]["flag"]["kind"] == "conflict"]
    assert len(conflict) == 1
    (row,) = conflict
    assert row.event_type == "flag.opened"
    assert row.event_id.startswith("msg_") and len(row.event_id) == 36
    assert row.record_version == 1
    assert row.state == "pending"
    data = row.payload["data"]
    assert row.payload["type"] == "flag.opened"
    assert sorted(c["id"] for c in data["flag"]["claims"]) == sorted([first["id"], second["id"]])
    assert sorted(c["value_text"] for c in data["flag"]["claims"]) == ["$40 billion", "$45 billion"]
    flag_id = data["flag"]["id"]
    assert data["links"] == {
        "api": f"http://127.0.0.1:8000/api/v1/flags/{flag_id}",
        "web": f"http://127.0.0.1:8000/review/{flag_id}",
    }
    assert len(queued) == 1  # unverified is a state of each claim, not a flag


def test_filters_and_types_choose_the_subscriptions_queued_for(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    conflicts = _subscribe(client, analyst, ["flag.opened"], flag_kind="conflict")
    missed = _subscribe(client, analyst, ["flag.opened"], flag_kind="target_missed")
    created = _subscribe(client, analyst, ["claim.created"])
    paused = _subscribe(client, analyst, ["flag.opened", "claim.created"])
    assert client.post(f"/api/v1/webhooks/{paused}/pause", headers=analyst).status_code == 200

    _post(client, analyst, "$45 billion")
    _post(client, analyst, "$40 billion")

    assert [q.event_type for q in _queued(session, conflicts)] == ["flag.opened"]
    assert _queued(session, missed) == []
    assert [q.event_type for q in _queued(session, created)] == ["claim.created"] * 2
    assert _queued(session, paused) == []
    claim = _queued(session, created)[0].payload["data"]["claim"]
    assert (claim["value_text"], claim["verification"]["state"]) == ("$45 billion", "unverified")


def test_one_event_id_for_every_subscription_of_an_event(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    one = _subscribe(client, analyst, ["claim.created"])
    two = _subscribe(client, analyst, ["claim.created"])

    _post(client, analyst, "$45 billion")

    (a,), (b,) = _queued(session, one), _queued(session, two)
    assert a.event_id == b.event_id
    assert a.payload == b.payload


def test_edits_reviews_and_resolutions_queue_their_events(
    client: TestClient,
    analyst: dict[str, str],
    auth: Any,
    session: Session,
) -> None:
    from app.auth.models import Role

    reviewer = auth(Role.REVIEWER)
    hook = _subscribe(
        client,
        analyst,
        [
            "claim.corrected",
            "claim.retracted",
            "review.created",
            "claim.verification_changed",
            "flag.resolved",
        ],
    )
    first = _post(client, analyst, "$45 billion")
    _post(client, analyst, "$40 billion")
    path = f"/api/v1/claims/{first['id']}"
    edited = client.patch(
        path, json={"stated_by": "EU delegation"}, headers={**analyst, "If-Match": "*"}
    )
    assert edited.status_code == 200, edited.text
    review = client.post(f"{path}/reviews", json={"verdict": "accurate"}, headers=reviewer)
    assert review.status_code == 201, review.text
    flags = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    resolved = client.post(
        f"/api/v1/flags/{flags[0]['id']}/resolve",
        json={"resolution": "dismissed", "reason": "known"},
        headers={**reviewer, "If-Match": "*"},
    )
    assert resolved.status_code == 200, resolved.text
    retracted = client.request(
        "DELETE", path, json={"reason": "duplicate"}, headers={**analyst, "If-Match": "*"}
    )
    assert retracted.status_code in (200, 204), retracted.text

    queued = _queued(session, hook)

    assert [q.event_type for q in queued] == [
        "claim.corrected",
        "review.created",
        "claim.verification_changed",
        "flag.resolved",
        "claim.retracted",
    ]
    corrected, reviewed, verified, flag, gone = (q.payload["data"] for q in queued)
    assert "stated_by" in corrected["changed"]
    assert (corrected["claim"]["id"], queued[0].record_version) == (first["id"], 2)
    assert reviewed["review"]["verdict"] == "accurate"
    assert (verified["before"], verified["after"]["verification"]) == (
        {"verification": "unverified"},
        "reviewed",
    )
    assert (flag["how"], flag["flag"]["status"]) == ("dismissed", "dismissed")
    assert gone["claim"]["status"] == "retracted"


def test_rolled_back_change_leaves_no_outbox_row(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    _subscribe(client, analyst, ["claim.created"])
    before = session.execute(select(func.count()).select_from(WebhookOutbox)).scalar_one()
    savepoint = session.begin_nested()
    body = ClaimCreate.model_validate(claim_body(**TRADE, value_text="$45 billion"))
    claims.create_one(session, body, actor_id=None)
    inside = session.execute(select(func.count()).select_from(WebhookOutbox)).scalar_one()

    savepoint.rollback()

    after = session.execute(select(func.count()).select_from(WebhookOutbox)).scalar_one()
    assert (before, inside, after) == (0, 1, 0)


def test_create_with_no_subscription_touches_no_webhook_table(
    client: TestClient, analyst: dict[str, str], connection: Connection
) -> None:
    _post(client, analyst, "$45 billion")  # the subscriptions are read once, here
    statements: list[str] = []
    listen = event.listens_for(connection, "before_cursor_execute")
    record = listen(lambda *args: statements.append(args[2]))

    _post(client, analyst, "$40 billion")

    event.remove(connection, "before_cursor_execute", record)
    assert len(statements) > 5
    assert [s for s in statements if "webhook" in s] == []


def test_observations_queue_observation_added_and_the_target_status_change(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    made = IndicatorCreate(name="EAEU trade", entity="EAEU", metric="trade turnover", unit="USD")
    indicator = indicators.create(session, made, actor_id=None)
    assert indicator.id is not None
    target = TargetCreate(value_text="at least $10 billion", due_on=date(2021, 12, 31))
    indicators.add_target(session, indicator.id, target, actor_id=None)
    hook = _subscribe(
        client, analyst, ["observation.added", "target.status_changed", "flag.opened"]
    )
    june = ObservationIn(period="2021-06", value_text="$5 billion", vintage=date(2021, 7, 10))

    observations.record(session, indicator.id, [june], actor_id=None)

    queued = _queued(session, hook)
    assert [q.event_type for q in queued] == [
        "target.status_changed",
        "observation.added",
        "flag.opened",
    ]
    changed, added, opened = (q.payload["data"] for q in queued)
    assert (changed["before"], changed["after"]) == ("not_started", "missed")
    assert changed["indicator"]["slug"] == indicator.slug
    assert (added["observation"]["value"], added["indicator"]["id"]) == (
        "5000000000",
        indicator.id,
    )
    assert opened["flag"]["kind"] == "target_missed"
    assert added["links"]["web"] == f"http://127.0.0.1:8000/indicators/{indicator.slug}"


def test_subscription_of_a_revoked_key_gets_no_more_events(
    client: TestClient, analyst: dict[str, str], admin: dict[str, str], session: Session
) -> None:
    made = client.post("/api/v1/keys", json={"name": "leaver", "role": "reviewer"}, headers=admin)
    leaver = {"Authorization": f"Bearer {made.json()['key']}"}
    hook = _subscribe(client, leaver, ["claim.created"])
    _post(client, analyst, "$45 billion")
    revoked = client.delete(f"/api/v1/keys/{made.json()['id']}", headers=admin)
    assert revoked.status_code == 200

    _post(client, analyst, "$40 billion")

    assert [q.payload["data"]["claim"]["value_text"] for q in _queued(session, hook)] == [
        "$45 billion"
    ]
