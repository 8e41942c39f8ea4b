"""The delivery worker against a real receiver on 127.0.0.1: signed as the Standard Webhooks
library verifies, retried with the same webhook-id, timed out, pinned to the checked address."""

import asyncio
import ipaddress
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from sqlalchemy.orm import Session
from sqlmodel import col, select
from standardwebhooks.webhooks import Webhook

from app.core.config import get_settings
from app.core.models import as_utc
from app.webhooks import addresses
from app.webhooks.models import WebhookDelivery, WebhookOutbox
from app.webhooks.worker import DeliveryMetrics, Worker
from tests.conftest import ClientFactory
from tests.factories import claim_body
from tests.webhooks.receiver import Answer, Receiver, receiving

TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}
NO_WAIT = (0.0,) * 7  # the retry schedule's length, each retry due at once


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as r:
        yield r


@pytest.fixture
def hooks(make_client: ClientFactory) -> TestClient:
    """A client of an app that takes http URLs on 127.0.0.1, as the tests' receiver is."""
    return make_client(webhook_allow_http=True, webhook_allowed_hosts=["127.0.0.1"])


def _worker(session: Session, metrics: DeliveryMetrics | None = None, **settings: Any) -> Worker:
    changed = {
        "webhook_allow_http": True,
        "webhook_allowed_hosts": ["127.0.0.1"],
        "webhook_timeout_s": 2.0,
        **settings,
    }
    return Worker(
        session.get_bind(),  # type: ignore[arg-type]
        get_settings().model_copy(update=changed),
        schedule=NO_WAIT,
        sessions=lambda: nullcontext(session),
        metrics=metrics,
    )


def _subscribe(client: TestClient, headers: dict[str, str], url: str, types: list[str]) -> Any:
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "event_types": types}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def _conflict(client: TestClient, headers: dict[str, str]) -> None:
    for value in ("$45 billion", "$40 billion"):
        made = client.post(
            "/api/v1/claims", json=claim_body(**TRADE, value_text=value), headers=headers
        )
        assert made.status_code == 201, made.text


def test_conflict_arrives_as_flag_opened_signed_as_the_library_verifies(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    hook = _subscribe(hooks, analyst, receiver.url, ["flag.opened"])
    _conflict(hooks, analyst)

    assert asyncio.run(_worker(session).run_once()) == 1

    (got,) = receiver.received
    payload = Webhook(hook["secret"]).verify(got.body, got.headers)
    assert payload["type"] == "flag.opened"
    assert payload["data"]["flag"]["kind"] == "conflict"
    assert sorted(c["value_text"] for c in payload["data"]["flag"]["claims"]) == [
        "$40 billion",
        "$45 billion",
    ]
    assert got.headers["webhook-id"].startswith("msg_")
    assert got.headers["content-type"] == "application/json"
    with pytest.raises(Exception, match="No matching signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(got.body, got.headers)
    (row,) = session.execute(select(WebhookOutbox)).scalars()
    assert (row.state, row.attempts, row.locked_until) == ("delivered", 1, None)
    log = hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=analyst).json()
    assert [(d["attempt"], d["status_code"], d["error"]) for d in log["items"]] == [(1, 200, None)]
    assert log["items"][0]["response_excerpt"] == "ok"


def test_500_twice_then_200_is_three_attempts_with_one_webhook_id(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    hook = _subscribe(hooks, analyst, receiver.url, ["claim.created"])
    receiver.answer(Answer(500, body=b"down"), Answer(500, body=b"down"), Answer(200))
    made = hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst)
    assert made.status_code == 201
    registry = CollectorRegistry()
    worker = _worker(session, DeliveryMetrics(registry))

    taken = [asyncio.run(worker.run_once()) for _ in range(4)]

    assert taken == [1, 1, 1, 0]
    counted = {
        outcome: registry.get_sample_value(
            "claimtrack_webhook_deliveries_total", {"outcome": outcome}
        )
        for outcome in ("delivered", "failed")
    }
    assert counted == {"delivered": 1.0, "failed": 2.0}
    ids = receiver.ids()
    assert len(ids) == 3 and len(set(ids)) == 1
    for got in receiver.received:
        Webhook(hook["secret"]).verify(got.body, got.headers)
    log = hooks.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=analyst).json()
    assert [(d["attempt"], d["status_code"]) for d in log["items"]] == [
        (3, 200),
        (2, 500),
        (1, 500),
    ]
    assert log["items"][2] == {
        **log["items"][2],
        "error": "answered 500",
        "response_excerpt": "down",
    }


def test_hanging_receiver_is_timed_out_and_the_event_kept_for_later(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    hook = _subscribe(hooks, analyst, receiver.url, ["claim.created"])
    receiver.answer(Answer(200, wait_s=30))
    assert (
        hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst).status_code == 201
    )

    assert asyncio.run(_worker(session, webhook_timeout_s=0.3).run_once()) == 1

    (row,) = session.execute(select(WebhookOutbox)).scalars()
    assert (row.state, row.attempts) == ("pending", 1)
    (attempt,) = session.execute(select(WebhookDelivery)).scalars()
    assert (attempt.status_code, attempt.error) == (None, "no answer within 0.3 s")
    assert hooks.get(f"/api/v1/webhooks/{hook['id']}", headers=analyst).json()["status"] == "active"


def test_retry_after_sets_the_next_attempt_and_the_last_failure_marks_failing(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    hook = _subscribe(hooks, analyst, receiver.url, ["claim.created"])
    receiver.answer(Answer(503, headers={"Retry-After": "120"}))
    assert (
        hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst).status_code == 201
    )
    worker = _worker(session)

    asyncio.run(worker.run_once())
    (row,) = session.execute(select(WebhookOutbox)).scalars()
    (attempt,) = session.execute(select(WebhookDelivery)).scalars()
    wait = as_utc(row.next_attempt_at) - as_utc(attempt.attempted_at)  # type: ignore[operator]
    assert timedelta(seconds=120) <= wait < timedelta(seconds=121)
    assert asyncio.run(worker.run_once()) == 0  # not due yet

    # The schedule's end: every attempt failed.
    row.next_attempt_at = attempt.attempted_at
    row.attempts = len(NO_WAIT)
    session.flush()
    receiver.answer(Answer(500))
    asyncio.run(worker.run_once())

    session.refresh(row)
    assert (row.state, row.attempts) == ("dead", len(NO_WAIT) + 1)
    failing = hooks.get(f"/api/v1/webhooks/{hook['id']}", headers=analyst).json()
    assert failing["status"] == "failing" and failing["failing_since"] is not None
    # Redelivered by hand, with the same id, it gets through: the subscription is active again.
    again = hooks.post(
        f"/api/v1/webhooks/{hook['id']}/messages/{row.event_id}/redeliver", headers=analyst
    )
    assert (again.status_code, again.json()["state"]) == (200, "pending")
    assert asyncio.run(worker.run_once()) == 1
    assert receiver.ids() == [row.event_id] * 3
    healthy = hooks.get(f"/api/v1/webhooks/{hook['id']}", headers=analyst).json()
    assert (healthy["status"], healthy["failing_since"]) == ("active", None)


def test_failing_event_does_not_hold_back_a_later_one(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    _subscribe(hooks, analyst, receiver.url, ["claim.created"])
    receiver.answer(Answer(500))
    first = hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst)
    worker = _worker(session, webhook_timeout_s=2.0)
    worker.schedule = (3600.0,) * 7
    asyncio.run(worker.run_once())
    second = hooks.post(
        "/api/v1/claims", json=claim_body(**TRADE, value_text="$9 billion"), headers=analyst
    )
    assert first.status_code == second.status_code == 201

    assert asyncio.run(worker.run_once()) == 1

    states = session.execute(
        select(WebhookOutbox.state, WebhookOutbox.attempts).order_by(col(WebhookOutbox.id))
    ).all()
    assert [tuple(s) for s in states] == [("pending", 1), ("delivered", 1)]


def test_rotation_signs_with_both_secrets_during_the_overlap(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    hook = _subscribe(hooks, analyst, receiver.url, ["claim.created"])
    rotated = hooks.post(f"/api/v1/webhooks/{hook['id']}/rotate", headers=analyst).json()
    assert (
        hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst).status_code == 201
    )

    asyncio.run(_worker(session).run_once())

    (got,) = receiver.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(hook["secret"]).verify(got.body, got.headers)["type"] == "claim.created"
    assert Webhook(rotated["secret"]).verify(got.body, got.headers)["type"] == "claim.created"


def test_rolled_back_request_sends_nothing(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    _subscribe(hooks, analyst, receiver.url, ["claim.created"])
    body = claim_body(**TRADE)
    body["citations"].append({**body["citations"][0], "kind": "not-a-kind"})
    refused = hooks.post("/api/v1/claims:bulk", json=[claim_body(**TRADE), body], headers=analyst)
    assert refused.status_code == 422

    assert asyncio.run(_worker(session).run_once()) == 0
    assert receiver.received == []


def test_private_address_is_refused_unless_allow_listed(
    hooks: TestClient, analyst: dict[str, str], session: Session, receiver: Receiver
) -> None:
    url = receiver.url.replace("127.0.0.1", "localhost")
    _subscribe(hooks, analyst, url, ["claim.created"])
    assert (
        hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst).status_code == 201
    )

    asyncio.run(_worker(session, webhook_allowed_hosts=[]).run_once())

    assert receiver.received == []
    (attempt,) = session.execute(select(WebhookDelivery)).scalars()
    assert attempt.status_code is None
    assert attempt.error is not None and attempt.error.startswith("localhost resolves to 127.0.0.1")


def test_connection_goes_to_the_checked_address_with_the_name_as_host(
    hooks: TestClient,
    analyst: dict[str, str],
    session: Session,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`receiver.test` resolves only through the check (the system cannot resolve it): the
    request reaching the receiver shows the worker connected to the address the check gave."""
    port = int(receiver.url.split(":")[2].split("/")[0])
    asked: list[str] = []

    async def lookup(host: str, port: int) -> list[addresses.IPAddress]:
        asked.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(addresses, "lookup", lookup)
    _subscribe(hooks, analyst, f"http://receiver.test:{port}/hook", ["claim.created"])
    assert (
        hooks.post("/api/v1/claims", json=claim_body(**TRADE), headers=analyst).status_code == 201
    )

    asyncio.run(_worker(session, webhook_allowed_hosts=["receiver.test"]).run_once())

    assert asked == ["receiver.test"]
    (got,) = receiver.received
    assert got.headers["host"] == f"receiver.test:{port}"
    assert orjson.loads(got.body)["type"] == "claim.created"


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - refused, not bound
        "100.64.0.1",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::",
    ],
)
def test_private_loopback_link_local_and_metadata_addresses_are_refused(address: str) -> None:
    found = addresses.literal_address(address)
    assert found is not None
    assert addresses.refused_address(found) is True


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    found = addresses.literal_address(address)
    assert found is not None
    assert addresses.refused_address(found) is False
