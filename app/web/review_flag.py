"""`/review/{flag_id}`: one flag with its claims side by side, and the reviewer's actions on it
(the API's flows): assign to me, rank (preferred / deprecated, with a reason), different
quantities, dismiss, a verdict on one of its claims.

Every action's form carries the CSRF token and the flag's ETag as it was read, which stands in
for If-Match: a flag that changed since the page was opened is not acted on; the page comes back
(412) saying so, with the flag as it is now. After a decision that closes the flag, the browser
goes on to the next open flag in the queue, or to the queue when none is left."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.policy import Permission
from app.core.errors import AppError, InvalidInput, PreconditionFailed
from app.core.etag import etag, expected_version
from app.core.sessions import SessionDep
from app.core.versioning import check_version
from app.flows import review
from app.review import queue, reviews
from app.review.errors import FlagNotFound
from app.review.models import (
    FlagStatus,
    RankedClaim,
    ResolveDifferent,
    ResolveDismissed,
    ResolveIn,
    ResolveRanked,
    ReviewIn,
    Verdict,
)
from app.web import notices
from app.web import review_view as view
from app.web.render import PageRoute, page, redirect
from app.web.review import FlagId, base_context
from app.web.sessions import SignedIn, SignedInPage, require_post

router = APIRouter(prefix="/review", route_class=PageRoute, include_in_schema=False)
ReviewerPost = Annotated[SignedInPage, Depends(require_post(Permission.REVIEW))]
IfMatch = Annotated[str, Form(max_length=200)]
Reason = Annotated[str, Form(max_length=2000)]

CHANGED = (
    "This flag changed since you opened it. Here it is as it is now: check it and decide again."
)
DONE = {"assigned": "Assigned.", "unassigned": "Unassigned.", "verdict": "Verdict recorded."}


def flag_page(
    request: Request,
    session: Session,
    me: SignedInPage,
    flag_id: int,
    *,
    status: int = 200,
    **context: Any,
) -> Response:
    flag = queue.get(session, flag_id)
    detail = queue.detail(session, flag)
    names = view.key_names(session, (detail.assignee_id, detail.resolved_by_id))
    context = {
        **base_context(me),
        "flag": detail,
        "etag": etag("flag", detail.id, detail.version),
        "place": view.place(session, flag_id),
        "entity": view.entity_name(session, detail.entity_id),
        "metric": view.metric_name(session, detail.metric_id),
        "names": names,
        "age": view.age,
        "interval": view.interval,
        "period": view.period,
        "verdicts": {c.id: reviews.reviews_of(session, c.id) for c in detail.claims},
        "verdict_choices": list(Verdict),
        "is_open": detail.status == FlagStatus.OPEN,
        **context,
    }
    return page(request, "review_flag.html", context, status=status)


@router.get("/{flag_id}")
def show_flag(
    request: Request,
    session: SessionDep,
    me: SignedIn,
    flag_id: FlagId,
    done: str = "",
    sig: notices.Signature = "",
) -> Response:
    """The flag, its claims side by side, and (for reviewers) what can be decided."""
    said = notices.genuine(request, me, f"/review/{flag_id}", sig)
    return flag_page(request, session, me, flag_id, notice=DONE.get(done, "") if said else "")


def _act(
    request: Request,
    session: Session,
    me: SignedInPage,
    flag_id: int,
    if_match: str,
    action: Callable[[int | None], str],
) -> Response:
    """Run `action` with the version the form read; answer the page again, unchanged, when the
    flag moved on (412) or the decision cannot be taken (422, 409), else go on."""
    queue.get(session, flag_id)  # 404 before anything else
    expected = expected_version(if_match, "flag", flag_id)  # 428 without the ETag
    after = view.place(session, flag_id).next
    try:
        done = action(expected)
    except PreconditionFailed:
        session.rollback()
        return flag_page(request, session, me, flag_id, status=412, changed=CHANGED)
    except ValidationError as exc:
        session.rollback()
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        error = "Give a reason." if "reason" in fields else f"Check: {fields}."
        return flag_page(request, session, me, flag_id, status=422, error=error)
    except AppError as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        session.rollback()
        error = exc.detail or exc.title
        return flag_page(request, session, me, flag_id, status=exc.status, error=error)
    if _still_open(session, flag_id):
        return redirect(notices.signed(me, f"/review/{flag_id}", [("done", done)]))
    return redirect(f"/review/{after}" if after is not None else "/review")


def _still_open(session: Session, flag_id: int) -> bool:
    try:
        return queue.get(session, flag_id).status == FlagStatus.OPEN
    except FlagNotFound:  # a claim's item ends with its claim's queued state
        return False


def _resolve(
    session: Session, me: SignedInPage, flag_id: int, body: ResolveIn
) -> Callable[[int | None], str]:
    def run(expected: int | None) -> str:
        review.resolve(session, flag_id, body, expected_version=expected, actor_id=me.key.id)
        return "resolved"

    return run


@router.post("/{flag_id}/assign")
def assign(
    request: Request,
    session: SessionDep,
    me: ReviewerPost,
    flag_id: FlagId,
    if_match: IfMatch = "",
    to: Annotated[str, Form()] = "me",
) -> Response:
    """Assign the flag to me (or, `to=none`, take it back)."""
    assignee = None if to == "none" else me.key.id

    def run(expected: int | None) -> str:
        review.assign(session, flag_id, assignee, expected_version=expected, actor_id=me.key.id)
        return "assigned" if assignee else "unassigned"

    return _act(request, session, me, flag_id, if_match, run)


@router.post("/{flag_id}/rank")
def rank_claims(
    request: Request,
    session: SessionDep,
    me: ReviewerPost,
    flag_id: FlagId,
    if_match: IfMatch = "",
    claim_id: Annotated[list[int] | None, Form()] = None,
    rank: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Resolve a conflict by ranking: each claim preferred, deprecated or left as it is, each
    ranked one with its reason."""
    ids, ranks, reasons = claim_id or [], rank or [], reason or []
    if not len(ids) == len(ranks) == len(reasons):
        raise InvalidInput("each claim needs its rank and reason", field="rank")
    chosen: dict[str, list[RankedClaim]] = {"preferred": [], "deprecated": []}

    def run(expected: int | None) -> str:
        for i, (cid, choice, why) in enumerate(zip(ids, ranks, reasons, strict=True)):
            if choice in chosen:
                if not why.strip():
                    raise InvalidInput(
                        f"give the reason claim {cid} is {choice}", field=f"reason[{i}]"
                    )
                chosen[choice].append(RankedClaim(claim_id=cid, reason=why.strip()))
            elif choice:
                raise InvalidInput(f"{choice!r} is not a rank", field=f"rank[{i}]")
        if not chosen["preferred"]:
            raise InvalidInput("mark at least one claim preferred", field="rank")
        body = ResolveRanked(resolution="ranked", **chosen)
        return _resolve(session, me, flag_id, body)(expected)

    return _act(request, session, me, flag_id, if_match, run)


@router.post("/{flag_id}/different")
def different(
    request: Request,
    session: SessionDep,
    me: ReviewerPost,
    flag_id: FlagId,
    if_match: IfMatch = "",
    reason: Reason = "",
) -> Response:
    """Resolve a conflict as different quantities: never compared with each other again."""

    def run(expected: int | None) -> str:
        body = ResolveDifferent(resolution="different_quantities", reason=reason.strip())
        return _resolve(session, me, flag_id, body)(expected)

    return _act(request, session, me, flag_id, if_match, run)


@router.post("/{flag_id}/dismiss")
def dismiss(
    request: Request,
    session: SessionDep,
    me: ReviewerPost,
    flag_id: FlagId,
    if_match: IfMatch = "",
    reason: Reason = "",
) -> Response:
    """Dismiss the flag, with the reason."""

    def run(expected: int | None) -> str:
        body = ResolveDismissed(resolution="dismissed", reason=reason.strip())
        return _resolve(session, me, flag_id, body)(expected)

    return _act(request, session, me, flag_id, if_match, run)


@router.post("/{flag_id}/verdict")
def give_verdict(
    request: Request,
    session: SessionDep,
    me: ReviewerPost,
    flag_id: FlagId,
    if_match: IfMatch = "",
    claim_id: Annotated[int, Form(ge=1)] = 0,
    verdict: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """A verdict on one of the flag's claims (the reviews flow), if the flag is as it was read."""

    def run(expected: int | None) -> str:
        flag = queue.get(session, flag_id)
        check_version(flag.version, expected, "flag", flag_id)
        if claim_id not in queue.member_ids(session, [flag_id])[flag_id]:
            raise InvalidInput("choose one of this flag's claims", field="claim_id")
        data = ReviewIn.model_validate({"verdict": verdict, "note": note})
        review.add_review(session, claim_id, data, key=me.key)
        return "verdict"

    return _act(request, session, me, flag_id, if_match, run)
