"""`/claims` and `/claims/{id}`: search and filter the claims, and read one with its
citations, verification, verdicts, history and open flags, through the same listing and views
as `GET /api/v1/claims`."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.audit import service as audit
from app.auth import service as keys
from app.auth.policy import Permission
from app.claims import listing, storage
from app.claims.models import ClaimKind, ClaimStatus
from app.claims.states import VerificationState
from app.core.errors import AppError, FieldProblem
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import claims, views
from app.review import reviews
from app.web import notices, readings
from app.web.render import PageRoute, page, templates
from app.web.sessions import SignedIn, SignedInPage

router = APIRouter(prefix="/claims", route_class=PageRoute, include_in_schema=False)
templates.env.filters.update(readings.FILTERS)

PAGE_SIZE = 25
Text = Annotated[str, Query(max_length=1000)]
Short = Annotated[str, Query(max_length=200)]
E = TypeVar("E", bound=StrEnum)


def nav(me: SignedInPage) -> dict[str, Any]:
    """What the pages' header needs to know of the key: which links to show."""
    return {
        "me": me,
        "can_manage_keys": me.may(Permission.MANAGE_KEYS),
        "can_write": me.may(Permission.WRITE),
    }


def _choice(kind: type[E], text: str, field: str, problems: list[FieldProblem]) -> E | None:
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        choices = ", ".join(e.value for e in kind)
        problems.append(FieldProblem(field=field, problem=f"choose one of {choices}"))
        return None


def _day(text: str, field: str, problems: list[FieldProblem]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(FieldProblem(field=field, problem="give a date as YYYY-MM-DD"))
        return None


def _next_page(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor" and v]
    return "/claims?" + urlencode([*query, ("cursor", cursor)])


@router.get("")
def list_claims(
    request: Request,
    session: SessionDep,
    me: SignedIn,
    q: Text = "",
    entity: Short = "",
    metric: Short = "",
    kind: Short = "",
    verification: Short = "",
    status: Short = "",
    period_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    period_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
) -> Response:
    """Claims found by words (the API's full-text search) and filters, a page at a time."""
    problems: list[FieldProblem] = []
    claim_status: ClaimStatus | None = ClaimStatus.ACTIVE
    if status == "all":
        claim_status = None
    elif status:
        claim_status = _choice(ClaimStatus, status, "status", problems)
    filters = listing.ClaimFilters(
        entity=entity.strip() or None,
        metric=metric.strip() or None,
        kind=_choice(ClaimKind, kind, "kind", problems),
        verification=_choice(VerificationState, verification, "verification", problems),
        status=claim_status,
        period_from=_day(period_from, "from", problems),
        period_to=_day(period_to, "to", problems),
        q=q.strip() or None,
    )
    items: list[Any] = []
    nxt = None
    if not problems:
        try:
            rows, nxt = claims.LISTING.get_all(
                session, filters, sort=None, limit=limit, cursor=cursor or None
            )
            items = views.to_public_many(session, rows)
        except AppError as error:
            problems.append(FieldProblem(field=error.field or "q", problem=error.detail or ""))
    form = {
        "q": q,
        "entity": entity,
        "metric": metric,
        "kind": kind,
        "verification": verification,
        "status": status,
        "from": period_from,
        "to": period_to,
    }
    context = {
        **nav(me),
        "items": items,
        "next": _next_page(request, nxt),
        "form": form,
        "problems": problems,
        "kinds": list(ClaimKind),
        "states": list(VerificationState),
        "searched": any(form.values()) or bool(cursor),
        "filtered": any(v for k, v in form.items() if k != "q") or bool(problems),
    }
    return page(request, "claims.html", context, status=422 if problems else 200)


@router.get("/{claim_id:int}")
def show_claim(
    request: Request,
    session: SessionDep,
    me: SignedIn,
    claim_id: PathId,
    notice: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006 (FastAPI's default)
    created: Annotated[str, Query(max_length=5)] = "",
    sig: notices.Signature = "",
) -> Response:
    """One claim: as written and as read, its citations, verification, verdicts, history and
    open flags; after logging it, the notices its creation gave."""
    claim = views.to_public(session, storage.get_row(session, claim_id))
    genuine = notices.genuine(request, me, f"/claims/{claim_id}", sig)  # else a link made elsewhere
    low, high = (None if v is None else Decimal(v) for v in (claim.low, claim.high))
    history, _ = audit.get_page(
        session,
        audit.EventFilters(record_type="claim", record_id=claim_id),
        actors=keys.ACTORS,
        limit=100,
        cursor=None,
    )
    context = {
        **nav(me),
        "claim": claim,
        "low": readings.amount(low, claim.unit) if low is not None else None,
        "high": readings.amount(high, claim.unit) if high is not None else None,
        "ends": readings.ends(low, high, claim.low_open, claim.high_open),
        "interval": readings.interval(low, high, claim.low_open, claim.high_open, claim.unit),
        "value": readings.amount(Decimal(claim.value), claim.unit),
        "reviews": reviews.reviews_of(session, claim_id),
        "history": list(reversed(history)),
        "notices": [n[:1000] for n in notice] if genuine else [],
        "created": genuine and created in ("new", "old"),
        "stored_before": created == "old",
    }
    return page(request, "claim.html", context)
