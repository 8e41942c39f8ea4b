"""`/review`: the fact-checker's queue, open flags most severe first (the API's flag listing with
its filters), and the bulk actions on the flags ticked: assign to me, dismiss with a reason
(the API's `flags:assign` and `flags:resolve` flows). Everyone signed in reads the queue; only
keys that may review get the forms that act on it."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.policy import Permission
from app.core.errors import AppError
from app.core.params import MAX_ID
from app.core.sessions import SessionDep
from app.flows import review
from app.review import queue
from app.review.models import BulkResolveIn, FlagKind, FlagStatus
from app.web import notices
from app.web import review_view as view
from app.web.render import PageRoute, page, redirect
from app.web.sessions import SignedIn, SignedInPage, require_post

router = APIRouter(prefix="/review", route_class=PageRoute, include_in_schema=False)
ReviewerPost = Annotated[SignedInPage, Depends(require_post(Permission.REVIEW))]

# A flag's id, or minus a claim's id: that claim's verification item (as on the API).
FlagId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]
DONE = {"assigned": "assigned to you", "dismissed": "dismissed"}


def base_context(me: SignedInPage) -> dict[str, Any]:
    """What every review page gives base.html and its own forms."""
    return {
        "me": me,
        "can_manage_keys": me.may(Permission.MANAGE_KEYS),
        "can_review": me.may(Permission.REVIEW),
    }


def queue_page(
    request: Request,
    session: Session,
    me: SignedInPage,
    form: view.QueueForm,
    *,
    cursor: str | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    found = view.filters(session, form, me.key.id)
    rows, nxt = [], None
    if found is not None:
        flags, nxt = queue.get_all(
            session, found, sort=view.QUEUE_SORT, limit=view.PAGE_SIZE, cursor=cursor
        )
        rows = queue.to_public_many(session, flags)
    names = view.key_names(session, (r.assignee_id for r in rows))
    context = {
        **base_context(me),
        "form": form,
        "rows": rows,
        "names": names,
        "age": view.age,
        "next_cursor": nxt,
        "kinds": list(FlagKind),
        "statuses": list(FlagStatus),
        "reviewers": view.reviewers(session),
        **context,
    }
    return page(request, "review.html", context, status=status)


@router.get("")
def review_queue(
    request: Request,
    session: SessionDep,
    me: SignedIn,
    kind: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=40)] = "open",
    entity: Annotated[str, Query(max_length=200)] = "",
    metric: Annotated[str, Query(max_length=200)] = "",
    indicator: Annotated[str, Query(max_length=200)] = "",
    assignee: Annotated[str, Query(max_length=20)] = "",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    done: Annotated[str, Query(max_length=20)] = "",
    n: Annotated[int, Query(ge=0, le=500)] = 0,
    sig: notices.Signature = "",
) -> Response:
    """Open flags most severe first, filtered as the API's listing is; a page of 50."""
    form = view.QueueForm(kind, status, entity, metric, indicator, assignee)
    said = done in DONE and notices.genuine(request, me, "/review", sig)
    notice = f"{n} flag{'s' if n != 1 else ''} {DONE[done]}." if said else ""
    return queue_page(request, session, me, form, cursor=cursor, notice=notice)


@router.post("/bulk")
def bulk(
    request: Request,
    session: SessionDep,
    me: ReviewerPost,
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    flag_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """The flags ticked, all or nothing: assigned to me, or dismissed with the reason given."""
    ids = list(dict.fromkeys(flag_ids or []))
    try:
        if not ids:
            return _bulk_refused(request, session, me, "Tick the flags to act on first.")
        if action == "assign":
            review.bulk_assign(session, ids, me.key.id, actor_id=me.key.id)
        elif action == "dismiss":
            body = BulkResolveIn(flag_ids=ids, resolution="dismissed", reason=reason.strip())
            review.bulk_resolve(session, body, actor_id=me.key.id)
        else:
            return _bulk_refused(request, session, me, "Choose an action.")
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        message = "Give a reason to dismiss." if "reason" in fields else f"Check: {fields}."
        return _bulk_refused(request, session, me, message)
    except AppError as exc:  # a flag not found or closed meanwhile: nothing was changed
        return _bulk_refused(request, session, me, exc.detail or exc.title, status=exc.status)
    done = "assigned" if action == "assign" else "dismissed"
    return redirect(notices.signed(me, "/review", [("done", done), ("n", str(len(ids)))]))


def _bulk_refused(
    request: Request, session: Session, me: SignedInPage, error: str, *, status: int = 422
) -> Response:
    session.rollback()  # all or nothing: what the flow did before it refused is undone
    return queue_page(request, session, me, view.QueueForm(), status=status, error=error)
