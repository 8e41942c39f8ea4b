"""Webhook subscriptions made and changed (their filters checked against the records they name);
audited."""

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.entities.models import Entity, Metric
from app.review.models import FlagKind
from app.webhooks import service
from app.webhooks.addresses import UrlPolicy
from app.webhooks.models import (
    WebhookCreate,
    WebhookFilter,
    WebhookOutbox,
    WebhookSubscription,
    WebhookUpdate,
)
from app.webhooks.service import Viewer


def _check_filter(session: Session, found: WebhookFilter | None) -> None:
    if found is None:
        return
    if found.entity_id is not None and session.get(Entity, found.entity_id) is None:
        raise InvalidInput(f"no entity {found.entity_id}", field="filter.entity_id")
    if found.metric_id is not None and session.get(Metric, found.metric_id) is None:
        raise InvalidInput(f"no metric {found.metric_id}", field="filter.metric_id")
    if found.flag_kind is not None and found.flag_kind not in set(FlagKind):
        kinds = ", ".join(FlagKind)
        raise InvalidInput(f"a flag kind is one of {kinds}", field="filter.flag_kind")


def create(
    session: Session, data: WebhookCreate, *, owner_id: int, policy: UrlPolicy
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret, shown once."""
    _check_filter(session, data.filter)
    row, secret = service.create(session, data, owner_id=owner_id, policy=policy)
    audit.write_pending(session)
    return row, secret


def update(
    session: Session,
    webhook_id: int,
    data: WebhookUpdate,
    *,
    expected_version: int | None,
    viewer: Viewer,
    policy: UrlPolicy,
) -> WebhookSubscription:
    _check_filter(session, data.filter)
    row = service.update_one(
        session,
        webhook_id,
        data,
        expected_version=expected_version,
        viewer=viewer,
        policy=policy,
    )
    audit.write_pending(session)
    return row


def set_paused(
    session: Session, webhook_id: int, *, paused: bool, viewer: Viewer
) -> WebhookSubscription:
    row = service.set_paused(session, webhook_id, paused=paused, viewer=viewer)
    audit.write_pending(session)
    return row


def rotate(session: Session, webhook_id: int, *, viewer: Viewer) -> tuple[WebhookSubscription, str]:
    row, secret = service.rotate(session, webhook_id, viewer=viewer)
    audit.write_pending(session)
    return row, secret


def delete(session: Session, webhook_id: int, *, viewer: Viewer) -> None:
    service.delete(session, webhook_id, viewer=viewer)
    audit.write_pending(session)


def redeliver(session: Session, webhook_id: int, event_id: str, *, viewer: Viewer) -> WebhookOutbox:
    row = service.redeliver(session, webhook_id, event_id, viewer=viewer)
    audit.write_pending(session)
    return row
