"""Webhook subscriptions: made, read, edited at a version, paused, resumed, rotated, deleted;
each change audited. A key sees and manages its own subscriptions; an admin's, every one."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.core.config import get_settings
from app.core.models import as_utc, utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.versioning import bump_version, next_version
from app.webhooks import outbox, secrets
from app.webhooks.addresses import UrlPolicy, check_url
from app.webhooks.errors import WebhookMessageNotFound, WebhookNotFound
from app.webhooks.models import (
    DeliveryPublic,
    EventType,
    MessagePublic,
    OutboxState,
    SubscriptionStatus,
    WebhookCreate,
    WebhookDelivery,
    WebhookFilter,
    WebhookOutbox,
    WebhookPublic,
    WebhookSubscription,
    WebhookUpdate,
)


@dataclass(frozen=True)
class Viewer:
    """Who asks: a key's id, and whether it sees every subscription (an admin's)."""

    key_id: int
    sees_all: bool = False


def public(row: WebhookSubscription) -> WebhookPublic:
    assert row.id is not None
    return WebhookPublic(
        id=row.id,
        owner_key_id=row.owner_key_id,
        url=row.url,
        event_types=[EventType(t) for t in row.event_types],
        filter=WebhookFilter(
            entity_id=row.entity_id, metric_id=row.metric_id, flag_kind=row.flag_kind
        ),
        description=row.description,
        status=row.status,
        failing_since=as_utc(row.failing_since),
        previous_secret_until=as_utc(row.previous_secret_until),
        version=row.version,
        created_at=as_utc(row.created_at) or row.created_at,
        updated_at=as_utc(row.updated_at) or row.updated_at,
    )


def _record(session: Session, row: WebhookSubscription, action: str, actor_id: int) -> None:
    assert row.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"webhook.{action}",
        record_type="webhook",
        record_id=row.id,
        version=row.version,
        after={"url": row.url, "event_types": row.event_types, "status": row.status},
    )


def _filter_columns(found: WebhookFilter | None) -> dict[str, Any]:
    found = found or WebhookFilter()
    return {
        "entity_id": found.entity_id,
        "metric_id": found.metric_id,
        "flag_kind": found.flag_kind,
    }


def create(
    session: Session, data: WebhookCreate, *, owner_id: int, policy: UrlPolicy
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (the one time the secret is shown)."""
    check_url(data.url, policy)
    secret = secrets.new_secret()
    row = WebhookSubscription(
        owner_key_id=owner_id,
        url=data.url,
        event_types=sorted(set(data.event_types)),
        description=data.description,
        secret_encrypted=secrets.encrypt(secret),
        **_filter_columns(data.filter),
    )
    session.add(row)
    session.flush()
    _record(session, row, "created", owner_id)
    outbox.forget()
    return row, secret


def get(session: Session, webhook_id: int, viewer: Viewer) -> WebhookSubscription:
    """A subscription the viewer may see; another's is not found (not forbidden: its existence
    is not the viewer's business)."""
    row = session.get(WebhookSubscription, webhook_id)
    if row is None or not (viewer.sees_all or row.owner_key_id == viewer.key_id):
        raise WebhookNotFound(f"no webhook subscription {webhook_id}")
    return row


def get_all(session: Session, viewer: Viewer) -> Sequence[WebhookSubscription]:
    stmt = select(WebhookSubscription).order_by(col(WebhookSubscription.id))
    if not viewer.sees_all:
        stmt = stmt.where(col(WebhookSubscription.owner_key_id) == viewer.key_id)
    return session.execute(stmt).scalars().all()


def update_one(
    session: Session,
    webhook_id: int,
    data: WebhookUpdate,
    *,
    expected_version: int | None,
    viewer: Viewer,
    policy: UrlPolicy,
) -> WebhookSubscription:
    row = get(session, webhook_id, viewer)
    bump_version(session, WebhookSubscription, webhook_id, expected_version, "webhook")
    session.refresh(row)
    if data.url is not None:
        row.url = check_url(data.url, policy)
    if data.event_types is not None:
        row.event_types = sorted(set(data.event_types))
    if "filter" in data.model_fields_set:
        for name, value in _filter_columns(data.filter).items():
            setattr(row, name, value)
    if data.description is not None:
        row.description = data.description
    session.flush()
    _record(session, row, "updated", viewer.key_id)
    outbox.forget()
    return row


def set_paused(
    session: Session, webhook_id: int, *, paused: bool, viewer: Viewer
) -> WebhookSubscription:
    """Pause (no events are queued for it; those queued wait) or resume (active again, its
    failing mark cleared: the subscriber says the receiver is fixed)."""
    row = get(session, webhook_id, viewer)
    status = SubscriptionStatus.PAUSED if paused else SubscriptionStatus.ACTIVE
    if row.status == status:
        return row
    row.status = status
    row.failing_since = None
    next_version(session, row)
    _record(session, row, "paused" if paused else "resumed", viewer.key_id)
    outbox.forget()
    return row


def rotate(session: Session, webhook_id: int, *, viewer: Viewer) -> tuple[WebhookSubscription, str]:
    """A new secret; the old one still signs (beside it) for the overlap, so that a receiver
    can switch without losing a delivery."""
    row = get(session, webhook_id, viewer)
    secret = secrets.new_secret()
    overlap = timedelta(hours=get_settings().webhook_secret_overlap_hours)
    row.previous_secret_encrypted = row.secret_encrypted
    row.previous_secret_until = utcnow() + overlap
    row.secret_encrypted = secrets.encrypt(secret)
    next_version(session, row)
    _record(session, row, "rotated", viewer.key_id)
    return row, secret


def delete(session: Session, webhook_id: int, *, viewer: Viewer) -> None:
    """Delete a subscription with its queued events and its delivery log."""
    row = get(session, webhook_id, viewer)
    _record(session, row, "deleted", viewer.key_id)
    session.delete(row)
    session.flush()
    outbox.forget()


def deliveries(
    session: Session, webhook_id: int, *, viewer: Viewer, limit: int, cursor: str | None
) -> tuple[list[DeliveryPublic], str | None]:
    """The delivery log, newest attempt first."""
    get(session, webhook_id, viewer)
    stmt = (
        select(WebhookDelivery)
        .where(col(WebhookDelivery.subscription_id) == webhook_id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit + 1)
    )
    if cursor is not None:
        (before,) = decode_cursor(cursor, (int,))
        stmt = stmt.where(col(WebhookDelivery.id) < before)
    rows = session.execute(stmt).scalars().all()
    items = [
        DeliveryPublic(
            id=d.id or 0,
            event_id=d.event_id,
            event_type=d.event_type,
            attempt=d.attempt,
            status_code=d.status_code,
            latency_ms=d.latency_ms,
            response_excerpt=d.response_excerpt,
            error=d.error,
            attempted_at=as_utc(d.attempted_at) or d.attempted_at,
        )
        for d in rows[:limit]
    ]
    nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return items, nxt


def messages(
    session: Session, webhook_id: int, *, viewer: Viewer, limit: int
) -> Sequence[WebhookOutbox]:
    """The subscription's latest events, newest first."""
    get(session, webhook_id, viewer)
    stmt = (
        select(WebhookOutbox)
        .where(col(WebhookOutbox.subscription_id) == webhook_id)
        .order_by(col(WebhookOutbox.id).desc())
        .limit(limit)
    )
    return session.execute(stmt).scalars().all()


def message_public(row: WebhookOutbox) -> MessagePublic:
    return MessagePublic(
        event_id=row.event_id,
        event_type=row.event_type,
        state=row.state,
        attempts=row.attempts,
        created_at=as_utc(row.created_at) or row.created_at,
        next_attempt_at=as_utc(row.next_attempt_at) or row.next_attempt_at,
        delivered_at=as_utc(row.delivered_at),
    )


def redeliver(session: Session, webhook_id: int, event_id: str, *, viewer: Viewer) -> WebhookOutbox:
    """Send an event again, now, with the same webhook-id (a receiver that already has it
    can tell): delivered, dead or still pending alike."""
    get(session, webhook_id, viewer)
    now = utcnow()
    result = session.execute(
        update(WebhookOutbox)
        .where(
            col(WebhookOutbox.subscription_id) == webhook_id,
            col(WebhookOutbox.event_id) == event_id,
        )
        .values(state=OutboxState.PENDING, next_attempt_at=now, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise WebhookMessageNotFound(f"no event {event_id} for webhook subscription {webhook_id}")
    row = session.execute(
        select(WebhookOutbox).where(
            col(WebhookOutbox.subscription_id) == webhook_id,
            col(WebhookOutbox.event_id) == event_id,
        )
    ).scalar_one()
    session.refresh(row)
    audit.record(
        session,
        actor_id=viewer.key_id,
        action="webhook.redelivered",
        record_type="webhook",
        record_id=webhook_id,
        after={"event_id": event_id},
    )
    return row
