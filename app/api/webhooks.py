"""/api/v1/webhooks: subscriptions to signed event deliveries, their delivery log, redelivery."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from pydantic import BaseModel

from app.auth.deps import AUTH_ERRORS, Subscriber
from app.auth.models import Caller, Role
from app.core.errors import (
    InvalidInput,
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    responses,
)
from app.core.etag import etag, expected_version
from app.core.links import by_id, edit, success
from app.core.pagination import next_link
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import webhooks as flow
from app.idempotency.deps import refuse_key
from app.idempotency.errors import IdempotencyKeyNotAccepted
from app.webhooks import service
from app.webhooks.addresses import UrlPolicy
from app.webhooks.errors import WebhookMessageNotFound, WebhookNotFound, WebhookUrlRefused
from app.webhooks.models import (
    DeliveryPage,
    MessagePublic,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
    WebhookSubscription,
    WebhookUpdate,
)
from app.webhooks.service import Viewer

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

# The create and the rotation show a secret once: keeping their responses to replay them would
# keep the secret (see api/keys.py).
NOT_REPLAYABLE = (
    "this answer shows a webhook secret once and keeps it nowhere: it cannot be replayed; on a "
    "lost response, list the webhooks and rotate or delete the one you did not receive"
)
NoIdempotencyKey = Annotated[None, Depends(refuse_key(NOT_REPLAYABLE))]
IfMatch = Annotated[str | None, Header(max_length=200)]
EventId = Annotated[str, Path(min_length=5, max_length=40, pattern=r"^msg_[0-9a-z]+$")]

GET = by_id("webhooks_get", "webhook_id", "Read the subscription.")
EDIT = edit("webhooks_update", "webhook_id", "Edit the subscription at this version.")
LOG = by_id("webhooks_deliveries", "webhook_id", "The subscription's delivery log.")


def _viewer(key: Caller) -> Viewer:
    return Viewer(key_id=key.id, sees_all=key.role == Role.ADMIN)


def _policy(request: Request) -> UrlPolicy:
    policy: UrlPolicy = request.app.state.webhook_urls
    return policy


def _tagged(response: Response, row: WebhookSubscription) -> WebhookPublic:
    assert row.id is not None
    response.headers["ETag"] = etag("webhook", row.id, row.version)
    return service.public(row)


class WebhookList(BaseModel):
    items: list[WebhookPublic]


class MessageList(BaseModel):
    items: list[MessagePublic]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="webhooks_create",
    responses={
        **responses(*AUTH_ERRORS, IdempotencyKeyNotAccepted, WebhookUrlRefused, InvalidInput),
        **success(201, {"GetWebhook": GET, "EditWebhook": EDIT}, etag=True, location=True),
    },
)
def create_webhook(
    data: WebhookCreate,
    request: Request,
    session: SessionDep,
    key: Subscriber,
    response: Response,
    _: NoIdempotencyKey,
) -> WebhookCreated:
    """Subscribe a URL to events; the signing secret (`whsec_…`) is in this response only.

    Not idempotent: an `Idempotency-Key` header is refused (422), since replaying the answer
    would mean keeping the secret.
    """
    row, secret = flow.create(session, data, owner_id=key.id, policy=_policy(request))
    response.headers["Location"] = f"/api/v1/webhooks/{row.id}"
    return WebhookCreated(**_tagged(response, row).model_dump(), secret=secret)


@router.get("", operation_id="webhooks_list", responses=responses(*AUTH_ERRORS))
def list_webhooks(session: SessionDep, key: Subscriber) -> WebhookList:
    """The key's own subscriptions (an admin's: every one), without secrets."""
    return WebhookList(items=[service.public(r) for r in service.get_all(session, _viewer(key))])


@router.get(
    "/{webhook_id}",
    operation_id="webhooks_get",
    responses={
        **responses(*AUTH_ERRORS, WebhookNotFound),
        **success(200, {"EditWebhook": EDIT, "WebhookDeliveries": LOG}, etag=True),
    },
)
def get_webhook(
    webhook_id: PathId, session: SessionDep, key: Subscriber, response: Response
) -> WebhookPublic:
    """One subscription, with its health (`status`, `failing_since`)."""
    return _tagged(response, service.get(session, webhook_id, _viewer(key)))


@router.patch(
    "/{webhook_id}",
    operation_id="webhooks_update",
    responses={
        **responses(
            *AUTH_ERRORS,
            WebhookNotFound,
            WebhookUrlRefused,
            InvalidInput,
            PreconditionFailed,
            PreconditionRequired,
            PayloadTooLarge,
        ),
        **success(200, {"GetWebhook": GET}, etag=True),
    },
)
def update_webhook(
    webhook_id: PathId,
    data: WebhookUpdate,
    request: Request,
    session: SessionDep,
    key: Subscriber,
    response: Response,
    if_match: IfMatch = None,
) -> WebhookPublic:
    """Change a subscription's URL, events, filter or description; send If-Match."""
    viewer = _viewer(key)
    service.get(session, webhook_id, viewer)
    version = expected_version(if_match, "webhook", webhook_id)
    row = flow.update(
        session,
        webhook_id,
        data,
        expected_version=version,
        viewer=viewer,
        policy=_policy(request),
    )
    return _tagged(response, row)


@router.post(
    "/{webhook_id}/pause",
    operation_id="webhooks_pause",
    responses=responses(*AUTH_ERRORS, WebhookNotFound),
)
def pause_webhook(
    webhook_id: PathId, session: SessionDep, key: Subscriber, response: Response
) -> WebhookPublic:
    """Pause: no events are queued for the subscription until it is resumed."""
    row = flow.set_paused(session, webhook_id, paused=True, viewer=_viewer(key))
    return _tagged(response, row)


@router.post(
    "/{webhook_id}/resume",
    operation_id="webhooks_resume",
    responses=responses(*AUTH_ERRORS, WebhookNotFound),
)
def resume_webhook(
    webhook_id: PathId, session: SessionDep, key: Subscriber, response: Response
) -> WebhookPublic:
    """Resume a paused or failing subscription (active again)."""
    row = flow.set_paused(session, webhook_id, paused=False, viewer=_viewer(key))
    return _tagged(response, row)


@router.post(
    "/{webhook_id}/rotate",
    operation_id="webhooks_rotate",
    responses=responses(*AUTH_ERRORS, WebhookNotFound, IdempotencyKeyNotAccepted),
)
def rotate_webhook_secret(
    webhook_id: PathId,
    session: SessionDep,
    key: Subscriber,
    response: Response,
    _: NoIdempotencyKey,
) -> WebhookCreated:
    """A new signing secret, in this response only; deliveries carry signatures by the old and
    the new one (space-separated) for `CLAIMTRACK_WEBHOOK_SECRET_OVERLAP_HOURS` (24 h)."""
    row, secret = flow.rotate(session, webhook_id, viewer=_viewer(key))
    return WebhookCreated(**_tagged(response, row).model_dump(), secret=secret)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="webhooks_delete",
    responses=responses(*AUTH_ERRORS, WebhookNotFound),
)
def delete_webhook(webhook_id: PathId, session: SessionDep, key: Subscriber) -> None:
    """Delete a subscription, its queued events and its delivery log."""
    flow.delete(session, webhook_id, viewer=_viewer(key))


@router.get(
    "/{webhook_id}/deliveries",
    operation_id="webhooks_deliveries",
    responses=responses(*AUTH_ERRORS, WebhookNotFound, InvalidInput),
)
def list_deliveries(
    webhook_id: PathId,
    request: Request,
    session: SessionDep,
    key: Subscriber,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> DeliveryPage:
    """The delivery log, newest attempt first: status code, latency, the answer's start."""
    items, nxt = service.deliveries(
        session, webhook_id, viewer=_viewer(key), limit=limit, cursor=cursor
    )
    return DeliveryPage(items=items, next=next_link(request, nxt))


@router.get(
    "/{webhook_id}/messages",
    operation_id="webhooks_messages",
    responses=responses(*AUTH_ERRORS, WebhookNotFound),
)
def list_messages(
    webhook_id: PathId,
    session: SessionDep,
    key: Subscriber,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> MessageList:
    """The subscription's latest events and where their delivery stands, newest first."""
    rows = service.messages(session, webhook_id, viewer=_viewer(key), limit=limit)
    return MessageList(items=[service.message_public(r) for r in rows])


@router.post(
    "/{webhook_id}/messages/{event_id}/redeliver",
    operation_id="webhooks_redeliver",
    responses=responses(*AUTH_ERRORS, WebhookNotFound, WebhookMessageNotFound),
)
def redeliver_message(
    webhook_id: PathId, event_id: EventId, session: SessionDep, key: Subscriber
) -> MessagePublic:
    """Send an event again now, with the same `webhook-id`."""
    row = flow.redeliver(session, webhook_id, event_id, viewer=_viewer(key))
    return service.message_public(row)
