"""`/webhooks`: the signed-in key's webhook subscriptions (an admin's: every one) with their
health and delivery log, and the API's actions on them: create (the secret shown once, on the
answer to the form), edit, pause, resume, rotate the secret (shown once), delete, redeliver.
Through the flows `/api/v1/webhooks` calls; each form that changes a subscription carries the
version the page showed, as If-Match does on the API. Readers have no such page."""

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth import service as keys
from app.auth.models import Role
from app.auth.policy import Permission
from app.core.errors import AppError, PreconditionFailed
from app.core.params import MAX_ID, PathId
from app.core.sessions import SessionDep
from app.core.versioning import check_version
from app.entities import service as names
from app.flows import webhooks as flow
from app.review.models import FlagKind
from app.web.render import PageRoute, page, redirect
from app.web.sessions import SignedInPage, require, require_post
from app.web.tables import restart, signed_in_context
from app.webhooks import health, service
from app.webhooks.addresses import UrlPolicy
from app.webhooks.models import EventType, WebhookCreate, WebhookSubscription, WebhookUpdate
from app.webhooks.service import Viewer

router = APIRouter(prefix="/webhooks", route_class=PageRoute, include_in_schema=False)

ManagerPage = Annotated[SignedInPage, Depends(require(Permission.MANAGE_WEBHOOKS))]
ManagerPost = Annotated[SignedInPage, Depends(require_post(Permission.MANAGE_WEBHOOKS))]
Version = Annotated[int, Form(ge=1, le=MAX_ID)]
EventId = Annotated[str, Path(min_length=5, max_length=40, pattern=r"^msg_[0-9a-z]+$")]
# What a subscription's page lists of its log and its queue: the latest, as the API's first page.
RECENT = 20
# The entities and metrics a filter offers (by name): enough for any list people keep.
CHOICES = 500
SAVED = {
    "edited": "Saved.",
    "paused": "Paused: no events are queued for it until it is resumed.",
    "resumed": "Resumed: events are queued for it again.",
    "redelivered": "The event is queued to be sent again now, with the same webhook-id.",
}


@dataclass
class Sent:
    """A subscription form as sent (shown again when it is refused)."""

    url: str = ""
    event_types: list[str] = field(default_factory=list)
    entity_id: str = ""
    metric_id: str = ""
    flag_kind: str = ""
    description: str = ""

    @classmethod
    def of(cls, row: WebhookSubscription) -> "Sent":
        def text(value: object) -> str:
            return "" if value is None else str(value)

        return cls(
            row.url,
            list(row.event_types),
            text(row.entity_id),
            text(row.metric_id),
            text(row.flag_kind),
            row.description,
        )

    def body(self) -> dict[str, Any]:
        """The API's request body, for its models to read (their limits, their messages)."""
        found = {"entity_id": self.entity_id, "metric_id": self.metric_id}
        filters: dict[str, Any] = {k: v.strip() for k, v in found.items() if v.strip()}
        if self.flag_kind:
            filters["flag_kind"] = self.flag_kind
        return {
            "url": self.url,
            "event_types": self.event_types,
            "filter": filters or None,
            "description": self.description,
        }


def _viewer(me: SignedInPage) -> Viewer:
    return Viewer(key_id=me.key.id, sees_all=me.key.role == Role.ADMIN)


def _policy(request: Request) -> UrlPolicy:
    policy: UrlPolicy = request.app.state.webhook_urls
    return policy


def _choices(session: Session) -> dict[str, Any]:
    """What the subscription form offers: event types, entities, metrics, flag kinds."""
    return {
        "event_types": list(EventType),
        "entities": names.get_all_entities(session, q=None, after=None, limit=CHOICES),
        "metrics": names.get_all_metrics(session, after=None, limit=CHOICES),
        "flag_kinds": list(FlagKind),
    }


def _form_context(request: Request, session: Session) -> dict[str, Any]:
    """The choices and the URL rules (CLAIMTRACK_WEBHOOK_ALLOW_HTTP, _ALLOWED_HOSTS) the
    subscription form states."""
    return {**_choices(session), "url_policy": _policy(request)}


def _list_page(
    request: Request, session: Session, me: SignedInPage, *, status: int = 200, **context: Any
) -> Response:
    rows = service.get_all(session, _viewer(me))
    found = health.of(session, [r.id for r in rows if r.id is not None])
    sees_all = me.key.role == Role.ADMIN
    context = signed_in_context(
        me,
        nav="webhooks",
        subscriptions=[(service.public(r), found[r.id or 0]) for r in rows],
        sees_all=sees_all,
        owners={k.id: k.name for k in keys.get_all(session)} if sees_all else {},
        sent=context.pop("sent", None) or Sent(event_types=[EventType.FLAG_OPENED.value]),
        **_form_context(request, session),
        **context,
    )
    return page(request, "webhooks.html", context, status=status)


def _one_page(
    request: Request,
    session: Session,
    me: SignedInPage,
    webhook_id: int,
    *,
    status: int = 200,
    **context: Any,
) -> Response:
    viewer = _viewer(me)
    row = service.get(session, webhook_id, viewer)
    deliveries, more = service.deliveries(
        session, webhook_id, viewer=viewer, limit=RECENT, cursor=None
    )
    messages = service.messages(session, webhook_id, viewer=viewer, limit=RECENT)
    context = signed_in_context(
        me,
        nav="webhooks",
        hook=service.public(row),
        health=health.of(session, [webhook_id])[webhook_id],
        deliveries=deliveries,
        more_deliveries=more is not None,
        messages=[service.message_public(m) for m in messages],
        sent=context.pop("sent", None) or Sent.of(row),
        **_form_context(request, session),
        **context,
    )
    return page(request, "webhook.html", context, status=status)


def _refused_message(error: AppError | ValidationError) -> str:
    """Why a form was refused, naming the fields as the API's problem does."""
    if isinstance(error, ValidationError):
        wrong = [
            ".".join(str(p) for p in e["loc"] if not isinstance(p, int)) + f": {e['msg']}"
            for e in error.errors()
        ]
        return "Check " + "; ".join(wrong) + "."
    if isinstance(error, PreconditionFailed):
        return (
            f"Not saved: this subscription was changed since you loaded the page ({error.detail})."
            " The page below shows it as it is now; make your change again."
        )
    detail = error.detail or error.title
    return f"{error.field}: {detail}" if error.field else detail


def _at_version(session: Session, webhook_id: int, version: int, me: SignedInPage) -> None:
    """The subscription is still at the version the page showed (412 if not), and stays so
    until this transaction ends (its row locked on PostgreSQL; SQLite has one writer)."""
    row = service.get(session, webhook_id, _viewer(me))
    session.refresh(row, with_for_update=True)
    check_version(row.version, version, "webhook", webhook_id)


@router.get("")
def list_webhooks(
    request: Request,
    session: SessionDep,
    me: ManagerPage,
    deleted: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """The subscriptions with their health, and the form that makes one (`deleted`: the one the
    form before this deleted, to say so)."""
    return _list_page(request, session, me, deleted=deleted)


def _sent(
    url: str, event_types: list[str], entity_id: str, metric_id: str, flag_kind: str, text: str
) -> Sent:
    return Sent(url.strip(), event_types, entity_id, metric_id, flag_kind, text.strip())


Url = Annotated[str, Form(max_length=4000)]
Types = Annotated[list[str], Form(max_length=len(EventType))]
Choice = Annotated[str, Form(max_length=40)]
Description = Annotated[str, Form(max_length=2000)]


@router.post("")
def create_webhook(
    request: Request,
    session: SessionDep,
    me: ManagerPost,
    url: Url = "",
    event_types: Types = [],  # noqa: B006 - FastAPI copies a form's default
    entity_id: Choice = "",
    metric_id: Choice = "",
    flag_kind: Choice = "",
    description: Description = "",
) -> Response:
    """Subscribe a URL: its signing secret is on this answer and nowhere else."""
    sent = _sent(url, event_types, entity_id, metric_id, flag_kind, description)
    try:
        data = WebhookCreate.model_validate(sent.body())
        row, secret = flow.create(session, data, owner_id=me.key.id, policy=_policy(request))
    except (AppError, ValidationError) as error:
        restart(session)
        message = _refused_message(error)
        return _list_page(request, session, me, status=422, error=message, sent=sent)
    assert row.id is not None
    return _one_page(request, session, me, row.id, status=201, secret=secret, created=True)


@router.get("/{webhook_id}")
def webhook_page(
    request: Request,
    webhook_id: PathId,
    session: SessionDep,
    me: ManagerPage,
    saved: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """One subscription: its health, delivery log, queued events and the forms that change it."""
    return _one_page(request, session, me, webhook_id, saved=SAVED.get(saved, ""))


@router.post("/{webhook_id}")
def edit_webhook(
    request: Request,
    webhook_id: PathId,
    session: SessionDep,
    me: ManagerPost,
    version: Version,
    url: Url = "",
    event_types: Types = [],  # noqa: B006
    entity_id: Choice = "",
    metric_id: Choice = "",
    flag_kind: Choice = "",
    description: Description = "",
) -> Response:
    """Change the URL, events, filter or description, at the version the page showed."""
    viewer = _viewer(me)
    service.get(session, webhook_id, viewer)  # 404 first, as the API
    sent = _sent(url, event_types, entity_id, metric_id, flag_kind, description)
    try:
        data = WebhookUpdate.model_validate(sent.body())
        flow.update(
            session,
            webhook_id,
            data,
            expected_version=version,
            viewer=viewer,
            policy=_policy(request),
        )
    except (AppError, ValidationError) as error:
        restart(session)
        status = error.status if isinstance(error, AppError) else 422
        keep = None if isinstance(error, PreconditionFailed) else sent
        message = _refused_message(error)
        return _one_page(request, session, me, webhook_id, status=status, error=message, sent=keep)
    return redirect(f"/webhooks/{webhook_id}?saved=edited")


def _refused(
    request: Request, session: Session, me: SignedInPage, webhook_id: int, error: AppError
) -> Response:
    """The subscription's page again, saying why the form was refused; nothing of it kept."""
    if error.status == 404:  # the subscription itself is gone (or not the key's)
        raise error
    restart(session)
    message = _refused_message(error)
    return _one_page(request, session, me, webhook_id, status=error.status, error=message)


@router.post("/{webhook_id}/pause")
def pause_webhook(
    request: Request, webhook_id: PathId, session: SessionDep, me: ManagerPost, version: Version
) -> Response:
    """Pause: no events are queued for it until it is resumed."""
    return _set_paused(request, webhook_id, session, me, version, paused=True)


@router.post("/{webhook_id}/resume")
def resume_webhook(
    request: Request, webhook_id: PathId, session: SessionDep, me: ManagerPost, version: Version
) -> Response:
    """Resume a paused or failing subscription."""
    return _set_paused(request, webhook_id, session, me, version, paused=False)


def _set_paused(
    request: Request,
    webhook_id: int,
    session: Session,
    me: SignedInPage,
    version: int,
    *,
    paused: bool,
) -> Response:
    try:
        _at_version(session, webhook_id, version, me)
        flow.set_paused(session, webhook_id, paused=paused, viewer=_viewer(me))
    except AppError as error:
        return _refused(request, session, me, webhook_id, error)
    return redirect(f"/webhooks/{webhook_id}?saved={'paused' if paused else 'resumed'}")


@router.post("/{webhook_id}/rotate")
def rotate_secret(
    request: Request, webhook_id: PathId, session: SessionDep, me: ManagerPost, version: Version
) -> Response:
    """A new signing secret, on this answer only; the old one still signs for the overlap."""
    try:
        _at_version(session, webhook_id, version, me)
        _, secret = flow.rotate(session, webhook_id, viewer=_viewer(me))
    except AppError as error:
        return _refused(request, session, me, webhook_id, error)
    return _one_page(request, session, me, webhook_id, secret=secret, rotated=True)


@router.post("/{webhook_id}/delete")
def delete_webhook(
    request: Request, webhook_id: PathId, session: SessionDep, me: ManagerPost, version: Version
) -> Response:
    """Delete the subscription, its queued events and its delivery log."""
    try:
        _at_version(session, webhook_id, version, me)
        flow.delete(session, webhook_id, viewer=_viewer(me))
    except AppError as error:
        return _refused(request, session, me, webhook_id, error)
    return redirect(f"/webhooks?deleted={webhook_id}")


@router.post("/{webhook_id}/messages/{event_id}/redeliver")
def redeliver(
    request: Request, webhook_id: PathId, event_id: EventId, session: SessionDep, me: ManagerPost
) -> Response:
    """Send an event again now, with the same webhook-id."""
    try:
        flow.redeliver(session, webhook_id, event_id, viewer=_viewer(me))
    except AppError as error:
        return _refused(request, session, me, webhook_id, error)
    return redirect(f"/webhooks/{webhook_id}?saved=redelivered")
