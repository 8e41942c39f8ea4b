"""/api/v1/webhooks: subscriptions made, read, edited at a version, paused, rotated, deleted."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from sqlmodel import select

from app.audit.models import Event
from app.webhooks import secrets
from app.webhooks.models import WebhookSubscription
from tests.conftest import ClientFactory

URL = "https://hooks.example.org/claimtrack"


def _create(client: TestClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    payload = {"url": URL, "event_types": ["flag.opened"], **body}
    response = client.post("/api/v1/webhooks", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, object] = response.json()
    return created


def test_create_webhook_shows_secret_once_and_stores_it_encrypted(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    response = client.post(
        "/api/v1/webhooks",
        json={"url": URL, "event_types": ["flag.opened", "claim.created"], "description": "desk"},
        headers=analyst,
    )

    assert response.status_code == 201
    body = response.json()
    secret = body["secret"]
    assert secret.startswith("whsec_") and len(secret) == 6 + 44
    assert response.headers["Location"] == f"/api/v1/webhooks/{body['id']}"
    assert response.headers["ETag"] == f'"webhook-{body["id"]}-v1"'
    assert body["event_types"] == ["claim.created", "flag.opened"]
    assert body["status"] == "active"
    row = session.get(WebhookSubscription, body["id"])
    assert row is not None
    assert secret not in row.secret_encrypted
    assert secrets.decrypt(row.secret_encrypted) == secret
    listed = client.get("/api/v1/webhooks", headers=analyst)
    one = client.get(f"/api/v1/webhooks/{body['id']}", headers=analyst)
    assert secret not in listed.text and secret not in one.text
    assert "secret" not in one.json()
    assert [w["id"] for w in listed.json()["items"]] == [body["id"]]


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/x",
        "ftp://hooks.example.org/x",
        "https://user:pw@hooks.example.org/x",
        "https://10.0.0.5/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest",
        "not a url",
    ],
)
def test_create_webhook_refuses_url_naming_the_field(
    client: TestClient, analyst: dict[str, str], url: str
) -> None:
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "event_types": ["flag.opened"]}, headers=analyst
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "webhook_url_refused"
    assert response.json()["field"] == "url"


def test_create_webhook_takes_http_and_an_allowed_private_host_when_configured(
    make_client: ClientFactory, analyst: dict[str, str]
) -> None:
    client = make_client(webhook_allow_http=True, webhook_allowed_hosts=["127.0.0.1"])

    body = _create(client, analyst, url="http://127.0.0.1:9/hook")

    assert body["url"] == "http://127.0.0.1:9/hook"


def test_create_webhook_refuses_an_idempotency_key(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/webhooks",
        json={"url": URL, "event_types": ["flag.opened"]},
        headers={**analyst, "Idempotency-Key": "k-1"},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_not_accepted"
    assert client.get("/api/v1/webhooks", headers=analyst).json()["items"] == []


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ({"entity_id": 999999}, "filter.entity_id"),
        ({"metric_id": 999999}, "filter.metric_id"),
        ({"flag_kind": "sparkly"}, "filter.flag_kind"),
    ],
)
def test_create_webhook_refuses_a_filter_naming_nothing(
    client: TestClient, analyst: dict[str, str], filter_: dict[str, object], field: str
) -> None:
    response = client.post(
        "/api/v1/webhooks",
        json={"url": URL, "event_types": ["flag.opened"], "filter": filter_},
        headers=analyst,
    )

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_reader_may_not_subscribe(client: TestClient, reader: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/webhooks", json={"url": URL, "event_types": ["flag.opened"]}, headers=reader
    )

    assert response.status_code == 403


def test_other_keys_subscription_is_not_found_but_admin_sees_it(
    client: TestClient, analyst: dict[str, str], auth: object, admin: dict[str, str]
) -> None:
    from app.auth.models import Role

    other = auth(Role.REVIEWER)  # type: ignore[operator]
    body = _create(client, analyst)

    assert client.get(f"/api/v1/webhooks/{body['id']}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{body['id']}", headers=other).status_code == 404
    assert client.get("/api/v1/webhooks", headers=other).json()["items"] == []
    assert client.get(f"/api/v1/webhooks/{body['id']}", headers=admin).status_code == 200
    assert [w["id"] for w in client.get("/api/v1/webhooks", headers=admin).json()["items"]] == [
        body["id"]
    ]


def test_update_webhook_needs_if_match_and_the_current_version(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = _create(client, analyst)
    path = f"/api/v1/webhooks/{body['id']}"
    change = {"event_types": ["flag.opened", "flag.resolved"], "filter": {"flag_kind": "conflict"}}

    missing = client.patch(path, json=change, headers=analyst)
    stale = client.patch(path, json=change, headers={**analyst, "If-Match": '"webhook-1-v9"'})
    done = client.patch(
        path, json=change, headers={**analyst, "If-Match": f'"webhook-{body["id"]}-v1"'}
    )

    assert missing.status_code == 428
    assert stale.status_code == 412
    assert done.status_code == 200
    assert done.json()["version"] == 2
    assert done.json()["filter"] == {"entity_id": None, "metric_id": None, "flag_kind": "conflict"}
    assert done.headers["ETag"] == f'"webhook-{body["id"]}-v2"'


def test_pause_and_resume_change_status_and_version(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = _create(client, analyst)
    path = f"/api/v1/webhooks/{body['id']}"

    paused = client.post(f"{path}/pause", headers=analyst)
    resumed = client.post(f"{path}/resume", headers=analyst)

    assert (paused.status_code, paused.json()["status"], paused.json()["version"]) == (
        200,
        "paused",
        2,
    )
    assert (resumed.json()["status"], resumed.json()["version"]) == ("active", 3)


def test_rotate_gives_a_new_secret_and_keeps_the_old_for_a_day(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    body = _create(client, analyst)
    before = datetime.now(UTC)

    response = client.post(f"/api/v1/webhooks/{body['id']}/rotate", headers=analyst)

    assert response.status_code == 200
    rotated = response.json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != body["secret"]
    until = datetime.fromisoformat(rotated["previous_secret_until"])
    assert before + timedelta(hours=24) <= until <= datetime.now(UTC) + timedelta(hours=24)
    row = session.get(WebhookSubscription, body["id"])
    assert row is not None and row.previous_secret_encrypted is not None
    assert secrets.decrypt(row.previous_secret_encrypted) == body["secret"]
    assert secrets.decrypt(row.secret_encrypted) == rotated["secret"]
    refused = client.post(
        f"/api/v1/webhooks/{body['id']}/rotate", headers={**analyst, "Idempotency-Key": "r"}
    )
    assert refused.status_code == 422


def test_delete_webhook_removes_it_and_audits_each_change(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    body = _create(client, analyst)
    path = f"/api/v1/webhooks/{body['id']}"
    client.post(f"{path}/pause", headers=analyst)

    deleted = client.delete(path, headers=analyst)

    assert deleted.status_code == 204
    assert client.get(path, headers=analyst).status_code == 404
    actions = session.execute(
        select(Event.action).where(Event.record_type == "webhook", Event.record_id == body["id"])
    ).scalars()
    assert list(actions) == ["webhook.created", "webhook.paused", "webhook.deleted"]


def test_deliveries_log_starts_empty_and_redeliver_of_unknown_event_is_404(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = _create(client, analyst)
    path = f"/api/v1/webhooks/{body['id']}"

    log = client.get(f"{path}/deliveries", headers=analyst)
    again = client.post(f"{path}/messages/msg_0123abcd/redeliver", headers=analyst)

    assert log.status_code == 200
    assert log.json() == {"items": [], "next": None}
    assert again.status_code == 404
    assert again.json()["code"] == "webhook_message_not_found"
