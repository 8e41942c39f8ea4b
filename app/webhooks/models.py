"""Webhook subscriptions, the outbox of events to deliver, and the log of delivery attempts."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints
from pydantic import Field as PydField
from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import text_enum, timestamp
from app.core.params import RecordId
from app.core.schemas import InputModel


class EventType(StrEnum):
    """What a subscription may ask for: each is one kind of change, named `record.what`."""

    FLAG_OPENED = "flag.opened"
    FLAG_RESOLVED = "flag.resolved"
    FLAG_REOPENED = "flag.reopened"
    CLAIM_CREATED = "claim.created"
    CLAIM_CORRECTED = "claim.corrected"
    CLAIM_RETRACTED = "claim.retracted"
    CLAIM_VERIFICATION_CHANGED = "claim.verification_changed"
    REVIEW_CREATED = "review.created"
    TARGET_STATUS_CHANGED = "target.status_changed"
    OBSERVATION_ADDED = "observation.added"


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # no events are queued for it while paused
    FAILING = "failing"  # an event ran out of attempts; still sent new events, active again on 2xx


class OutboxState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # every attempt failed; `redeliver` puts it back


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    owner_key_id: int = Field(foreign_key="api_keys.id", index=True, ondelete="CASCADE")
    url: str = Field(sa_type=String(2000))
    event_types: list[str] = Field(sa_type=JSON)
    entity_id: int | None = None
    metric_id: int | None = None
    flag_kind: str | None = Field(default=None, sa_type=String(32))
    description: str = Field(default="", sa_type=String(500))
    # Fernet tokens of the `whsec_` secrets: encrypted with CLAIMTRACK_WEBHOOK_SECRET_KEY, so
    # that the worker can sign with them and a copy of the database cannot.
    secret_encrypted: str = Field(sa_type=Text)
    previous_secret_encrypted: str | None = Field(default=None, sa_type=Text)
    previous_secret_until: datetime | None = timestamp(nullable=True)
    status: SubscriptionStatus = text_enum(default=SubscriptionStatus.ACTIVE)
    failing_since: datetime | None = timestamp(nullable=True)
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class WebhookOutbox(SQLModel, table=True):
    """One event to deliver to one subscription, written in the transaction of the change."""

    __tablename__ = "webhook_outbox"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id"),
        # The worker's question: the due pending events, oldest due first.
        Index("ix_webhook_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_type=String(40))  # `msg_…`: the webhook-id, the same on each retry
    subscription_id: int = Field(foreign_key="webhook_subscriptions.id", ondelete="CASCADE")
    event_type: str = Field(sa_type=String(40))
    payload: dict[str, Any] = Field(sa_type=JSON)
    record_version: int | None = None
    created_at: datetime = timestamp()
    next_attempt_at: datetime = timestamp()
    attempts: int = 0
    state: OutboxState = text_enum(default=OutboxState.PENDING)
    locked_until: datetime | None = timestamp(nullable=True)
    delivered_at: datetime | None = timestamp(nullable=True)


class WebhookDelivery(SQLModel, table=True):
    """One attempt to deliver an outbox event: the log a subscriber reads."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_subscription_id_id", "subscription_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="webhook_outbox.id", index=True, ondelete="CASCADE")
    subscription_id: int = Field(foreign_key="webhook_subscriptions.id", ondelete="CASCADE")
    event_id: str = Field(sa_type=String(40))
    event_type: str = Field(sa_type=String(40))
    attempt: int
    status_code: int | None = None
    latency_ms: int
    response_excerpt: str | None = Field(default=None, sa_type=String(500))
    error: str | None = Field(default=None, sa_type=String(500))
    attempted_at: datetime = timestamp()


# -- the API's shapes ------------------------------------------------------------------------

WebhookUrl = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
Description = Annotated[str, StringConstraints(max_length=500)]


class WebhookFilter(InputModel):
    """Only events about this entity, metric or flag kind (each optional; all given must match)."""

    entity_id: RecordId | None = None
    metric_id: RecordId | None = None
    flag_kind: str | None = PydField(default=None, max_length=32)


class WebhookCreate(InputModel):
    """A new subscription: where to send which events."""

    url: WebhookUrl
    event_types: list[EventType] = PydField(min_length=1, max_length=len(EventType))
    filter: WebhookFilter | None = None
    description: Description = ""


class WebhookUpdate(InputModel):
    """The fields to change; those left out stay."""

    url: WebhookUrl | None = None
    event_types: list[EventType] | None = PydField(
        default=None, min_length=1, max_length=len(EventType)
    )
    filter: WebhookFilter | None = None
    description: Description | None = None


class WebhookPublic(BaseModel):
    """A subscription as listed: never its secret."""

    id: int
    owner_key_id: int
    url: str
    event_types: list[EventType]
    filter: WebhookFilter
    description: str
    status: SubscriptionStatus
    failing_since: datetime | None
    previous_secret_until: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookPublic):
    """A subscription just made, or its secret just rotated: the only answers with the secret."""

    secret: str


class DeliveryPublic(BaseModel):
    """One delivery attempt."""

    id: int
    event_id: str
    event_type: str
    attempt: int
    status_code: int | None
    latency_ms: int
    response_excerpt: str | None
    error: str | None
    attempted_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryPublic]
    next: str | None = None


class MessagePublic(BaseModel):
    """An event queued for a subscription, and where its delivery stands."""

    event_id: str
    event_type: str
    state: OutboxState
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
