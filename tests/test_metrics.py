"""/metrics: request counts by route template, pool gauges, open flags by kind."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, create_engine, func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.auth.models import ApiKey, Role
from app.core.config import get_settings
from app.core.models import utcnow
from app.core.sessions import get_session
from app.review import flags
from app.review.models import Flag, FlagKind
from app.webhooks.models import OutboxState, WebhookOutbox, WebhookSubscription
from tests.conftest import ClientFactory, KeyFactory


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, keyed by name and sorted labels."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def sample(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, tuple(sorted(labels.items()))))


def _open(session: Session, kind: FlagKind, group_key: str) -> Flag:
    return flags.open_flag(
        session,
        kind=kind,
        group_key=group_key,
        entity_id=None,
        metric_id=None,
        summary="",
        claim_ids=[],
        actor_id=None,
    )


def test_metrics_count_requests_by_route_template(
    client: TestClient, reader: dict[str, str]
) -> None:
    for claim_id in (9999, 9998, 9999):
        assert client.get(f"/api/v1/claims/{claim_id}", headers=reader).status_code == 404
    client.get("/healthz")
    client.get("/no/such/page")
    client.get("/openapi.json")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = response.text
    claim = {"method": "GET", "route": "/api/v1/claims/{claim_id}", "status": "404"}
    assert sample(text, "claimtrack_http_requests_total", **claim) == 3
    assert sample(text, "claimtrack_http_request_duration_seconds_count", **claim) == 3
    assert sample(text, "claimtrack_http_request_duration_seconds_bucket", le="+Inf", **claim) == 3
    health = {"method": "GET", "route": "/healthz", "status": "200"}
    assert sample(text, "claimtrack_http_requests_total", **health) == 1
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert sample(text, "claimtrack_http_requests_total", **unmatched) == 1
    spec = {"method": "GET", "route": "/openapi.json", "status": "200"}
    assert sample(text, "claimtrack_http_requests_total", **spec) == 1
    assert "/api/v1/claims/9999" not in text
    assert "_created" not in text
    assert "/no/such/page" not in text


def test_metrics_request_counts_do_not_count_the_scrape_in_progress(client: TestClient) -> None:
    first = client.get("/metrics").text
    second = client.get("/metrics").text
    scrape = {"method": "GET", "route": "/metrics", "status": "200"}
    assert sample(first, "claimtrack_http_requests_total", **scrape) is None
    assert sample(second, "claimtrack_http_requests_total", **scrape) == 1


def test_unknown_method_is_counted_as_other(client: TestClient) -> None:
    client.request("BREW", "/healthz")
    text = client.get("/metrics").text
    labels = {"method": "other", "route": "/healthz", "status": "405"}
    assert sample(text, "claimtrack_http_requests_total", **labels) == 1


def test_metrics_report_the_database_pool(client: TestClient, engine: Engine) -> None:
    text = client.get("/metrics").text
    # The test's own connection is the one checked out; the pool keeps 5 (db_pool_size) on
    # PostgreSQL, and a SQLite file one a worker thread: anyio's 40, or 20 more than the
    # requests in flight.
    assert sample(text, "claimtrack_db_pool_checked_out") == 1
    assert sample(text, "claimtrack_db_pool_size") == (
        max(40, get_settings().in_flight_limit + 20) if engine.dialect.name == "sqlite" else 5
    )


def test_metrics_count_open_flags_by_kind(client: TestClient, session: Session) -> None:
    _open(session, FlagKind.CONFLICT, "g1")
    _open(session, FlagKind.CONFLICT, "g2")
    _open(session, FlagKind.STALE, "g3")
    closed = _open(session, FlagKind.CONFLICT, "g4")
    flags.clear(session, closed, "gone", actor_id=None)
    session.commit()
    text = client.get("/metrics").text
    counts = {
        kind.value: sample(text, "claimtrack_open_flags", kind=kind.value) for kind in FlagKind
    }
    assert counts == {
        "unsourced": 0,
        "unverified": 0,
        "conflict": 2,
        "contradicted_by_data": 0,
        "target_missed": 0,
        "stale": 1,
    }


def test_metrics_can_be_turned_off(make_client: ClientFactory) -> None:
    client = make_client(metrics_enabled=False)
    assert client.get("/metrics").status_code == 404
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def dead_session() -> Iterator[Session]:
    # Port 9 (discard) has no database behind it: the connection is refused at once.
    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    with Session(dead) as session:
        yield session


def test_metrics_without_a_database_leave_out_only_open_flags(
    client: TestClient, dead_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    client.get("/healthz")
    app.dependency_overrides[get_session] = lambda: dead_session
    capsys.readouterr()
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.text
    assert "claimtrack_open_flags" not in text
    health = {"method": "GET", "route": "/healthz", "status": "200"}
    assert sample(text, "claimtrack_http_requests_total", **health) == 1
    assert "database unavailable: /metrics leaves out open flags" in capsys.readouterr().err


def test_metrics_report_the_webhook_outbox_depth_and_oldest_age(
    client: TestClient, session: Session, auth: KeyFactory
) -> None:
    auth(Role.ANALYST)
    owner = session.execute(select(func.max(col(ApiKey.id)))).scalar_one()
    assert owner is not None
    hook = WebhookSubscription(
        owner_key_id=owner, url="https://h.example.org", event_types=[], secret_encrypted="x"
    )
    session.add(hook)
    session.flush()
    assert hook.id is not None
    now = utcnow()
    for n, (state, age) in enumerate(
        [("pending", 90), ("pending", 30), ("dead", 500), ("delivered", 900)]
    ):
        session.add(
            WebhookOutbox(
                event_id=f"msg_{n}",
                subscription_id=hook.id,
                event_type="flag.opened",
                payload={},
                state=OutboxState(state),
                created_at=now - timedelta(seconds=age),
            )
        )
    session.commit()

    text = client.get("/metrics").text

    assert sample(text, "claimtrack_webhook_outbox_events", state="pending") == 2
    assert sample(text, "claimtrack_webhook_outbox_events", state="dead") == 1
    oldest = sample(text, "claimtrack_webhook_outbox_oldest_pending_seconds")
    assert oldest is not None and 90 <= oldest < 150
