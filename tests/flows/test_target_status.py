"""target.status_changed from the periodic check: a status time moves (past the due date with
no data reaching the goal) is sent once, by the check or by recorded data, whichever comes
first, in the check's transaction, and only when a subscription wants it."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.flows import indicators, notify, observations
from app.indicators import checks
from app.indicators.models import IndicatorCreate, ObservationIn, Target, TargetCreate
from app.webhooks.models import WebhookOutbox

HOOK = "https://hooks.example.org/claimtrack"
JUNE = datetime(2026, 6, 2, tzinfo=UTC)
DUE = date(2026, 12, 31)


def _subscribe(client: TestClient, headers: dict[str, str], types: list[str]) -> int:
    response = client.post(
        "/api/v1/webhooks", json={"url": HOOK, "event_types": types}, headers=headers
    )
    assert response.status_code == 201, response.text
    hook_id: int = response.json()["id"]
    return hook_id


def _changes(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(WebhookOutbox)
        .where(col(WebhookOutbox.event_type) == "target.status_changed")
        .order_by(col(WebhookOutbox.id))
    ).scalars()
    return [(q.payload["data"]["before"], q.payload["data"]["after"]) for q in rows]


def _check(session: Session, today: date) -> None:
    """What `schedule.run_check` does in its transaction, with the server's writer."""
    checks.check_all(session, today, actor_id=None)
    notify.write_checked(session, today)


@pytest.fixture
def indicator_id(session: Session, monkeypatch: pytest.MonkeyPatch) -> int:
    """An indicator with one target, 'at least $10 billion' by the end of 2026; today is June."""
    monkeypatch.setattr(notify, "utcnow", lambda: JUNE)
    monkeypatch.setattr(observations, "utcnow", lambda: JUNE)
    made = IndicatorCreate(name="EAEU trade", entity="EAEU", metric="trade turnover", unit="USD")
    indicator = indicators.create(session, made, actor_id=None)
    assert indicator.id is not None
    target = TargetCreate(value_text="at least $10 billion", due_on=DUE)
    indicators.add_target(session, indicator.id, target, actor_id=None)
    return indicator.id


def _record(session: Session, indicator_id: int, period: str, value: str, on: date) -> None:
    item = ObservationIn(period=period, value_text=value, vintage=on)
    observations.record(session, indicator_id, [item], actor_id=None)


def test_check_past_the_due_date_sends_the_change_once(
    client: TestClient,
    analyst: dict[str, str],
    session: Session,
    indicator_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _subscribe(client, analyst, ["target.status_changed"])
    _record(session, indicator_id, "2026-03", "$5 billion", date(2026, 4, 20))
    assert _changes(session) == [("not_started", "at_risk")]  # the data's change
    _check(session, JUNE.date())
    assert _changes(session) == [("not_started", "at_risk")]  # nothing moved since

    january = datetime(2027, 1, 5, tzinfo=UTC)
    monkeypatch.setattr(notify, "utcnow", lambda: january)
    _check(session, january.date())
    _check(session, january.date())  # the same day again: nothing new

    assert _changes(session) == [("not_started", "at_risk"), ("at_risk", "missed")]
    (row,) = session.execute(
        select(WebhookOutbox)
        .where(col(WebhookOutbox.event_type) == "target.status_changed")
        .order_by(col(WebhookOutbox.id).desc())
        .limit(1)
    ).scalars()
    data: dict[str, Any] = row.payload["data"]
    assert (data["target"]["status"], data["target"]["due_on"]) == ("missed", "2026-12-31")
    assert data["indicator"]["id"] == indicator_id
    assert row.payload["timestamp"] == january.isoformat()


def test_a_check_notes_targets_recorded_before_the_subscription_then_sends_their_change(
    client: TestClient,
    analyst: dict[str, str],
    session: Session,
    indicator_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _record(session, indicator_id, "2026-03", "$5 billion", date(2026, 4, 20))
    _subscribe(client, analyst, ["target.status_changed"])
    _check(session, JUNE.date())  # notes at_risk: nothing was told yet, nothing changed
    assert _changes(session) == []

    january = datetime(2027, 1, 5, tzinfo=UTC)
    monkeypatch.setattr(notify, "utcnow", lambda: january)
    _check(session, january.date())
    _check(session, january.date())

    assert _changes(session) == [("at_risk", "missed")]


def test_data_and_check_the_same_day_send_a_change_once(
    client: TestClient,
    analyst: dict[str, str],
    session: Session,
    indicator_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _subscribe(client, analyst, ["target.status_changed"])
    _record(session, indicator_id, "2026-03", "$5 billion", date(2026, 4, 20))
    january = datetime(2027, 1, 5, tzinfo=UTC)
    monkeypatch.setattr(notify, "utcnow", lambda: january)
    monkeypatch.setattr(observations, "utcnow", lambda: january)

    # Data short of the goal arrive past the due date before the day's check: the data path
    # tells the change from what was told (at_risk), and the check has nothing left to send.
    _record(session, indicator_id, "2026-09", "$6 billion", date(2026, 10, 20))
    _check(session, january.date())

    assert _changes(session) == [("not_started", "at_risk"), ("at_risk", "missed")]


def test_no_subscription_no_outbox_row_and_nothing_computed(
    session: Session, connection: Connection, indicator_id: int
) -> None:
    _record(session, indicator_id, "2026-03", "$5 billion", date(2026, 4, 20))
    _check(session, JUNE.date())
    statements: list[str] = []
    listen = event.listens_for(connection, "before_cursor_execute")
    record = listen(lambda *args: statements.append(args[2]))

    notify.queue_due_changes(session, date(2027, 1, 5))

    event.remove(connection, "before_cursor_execute", record)
    _check(session, date(2027, 1, 5))
    assert statements == []
    assert session.execute(select(func.count()).select_from(WebhookOutbox)).scalar_one() == 0
    told = session.execute(select(col(Target.notified_status))).scalars().all()
    assert told == [None]
