"""/api/v1/flags and claim reviews: the fact-checker's queue and verdicts."""

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Body, Header, Query, Request, Response, status
from pydantic import BaseModel

from app.auth.deps import AUTH_ERRORS, Reader, Reviewer
from app.claims import service as claims
from app.claims.errors import ClaimNotFound, ClaimRetracted
from app.core.csvstream import csv_response
from app.core.db import SessionDep, StreamSessionDep
from app.core.errors import (
    PreconditionFailed,
    PreconditionRequired,
    responses,
)
from app.core.etag import etag, expected_version
from app.core.links import link, success
from app.core.models import as_utc
from app.core.pagination import next_link
from app.core.params import MAX_ID, IsoDateTime, PathId
from app.core.urls import base_url
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.review import service
from app.review.errors import FlagClosed, FlagNotFound, NoReview
from app.review.models import (
    AssignIn,
    BulkAssignIn,
    BulkResolveIn,
    Flag,
    FlagDetail,
    FlagKind,
    FlagPage,
    FlagPublic,
    FlagStatus,
    ResolveIn,
    Review,
    ReviewIn,
    ReviewPublic,
)

router = APIRouter(prefix="/api/v1", tags=["review"], route_class=IdempotentRoute)
IfMatch = Annotated[str | None, Header(max_length=200)]


def _tagged(response: Response, flag: Flag) -> None:
    assert flag.id is not None
    response.headers["ETag"] = etag("flag", flag.id, flag.version)


class FlagList(BaseModel):
    items: list[FlagPublic]


@router.get(
    "/flags",
    operation_id="flags_list",
    response_model=FlagPage,
    responses={
        **responses(*AUTH_ERRORS),
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    },
)
def list_flags(
    request: Request,
    session: SessionDep,
    stream: StreamSessionDep,
    _: Reader,
    kind: FlagKind | None = None,
    flag_status: Annotated[
        FlagStatus | Literal["all"], Query(alias="status", description="default: open")
    ] = FlagStatus.OPEN,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    metric: Annotated[str | None, Query(max_length=200)] = None,
    assignee: Annotated[int | None, Query(ge=1, le=MAX_ID, description="key id")] = None,
    since: Annotated[IsoDateTime | None, Query(description="opened at or after")] = None,
    sort: Literal["oldest", "newest", "most_claims", "severity"] = "oldest",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    format: Literal["json", "csv"] = "json",
) -> Response | FlagPage:
    """The review queue: open flags oldest first by default; `format=csv` streams every match."""
    filters = service.FlagFilters(
        kind=kind,
        status=None if flag_status == "all" else flag_status,
        entity=entity,
        metric=metric,
        assignee_id=assignee,
        since=since,
    )
    if format == "csv":
        rows = service.iter_csv(stream, filters, sort=sort)
        return csv_response(service.FLAG_CSV_COLUMNS, rows, "flags.csv")
    flags, nxt = service.get_all(session, filters, sort=sort, limit=limit, cursor=cursor)
    return FlagPage(items=service.to_public_many(session, flags), next=next_link(request, nxt))


@router.get(
    "/flags/{flag_id}", operation_id="flags_get", responses=responses(*AUTH_ERRORS, FlagNotFound)
)
def get_flag(flag_id: PathId, session: SessionDep, _: Reader, response: Response) -> FlagDetail:
    """One flag with its claims side by side: as written, as read, with quotes and sources."""
    flag = service.get(session, flag_id)
    _tagged(response, flag)
    return service.detail(session, flag)


EDIT = (*AUTH_ERRORS, FlagNotFound, FlagClosed, PreconditionFailed, PreconditionRequired)


@router.post("/flags/{flag_id}/assign", operation_id="flags_assign", responses=responses(*EDIT))
def assign_flag(
    flag_id: PathId,
    data: AssignIn,
    session: SessionDep,
    key: Reviewer,
    response: Response,
    if_match: IfMatch = None,
) -> FlagDetail:
    """Assign a flag to a reviewer's key (null to unassign); send If-Match."""
    service.get(session, flag_id)
    version = expected_version(if_match, "flag", flag_id)
    flag = service.assign(
        session, flag_id, data.assignee_id, expected_version=version, actor_id=key.id
    )
    _tagged(response, flag)
    return service.detail(session, flag)


@router.post("/flags/{flag_id}/resolve", operation_id="flags_resolve", responses=responses(*EDIT))
def resolve_flag(
    flag_id: PathId,
    data: Annotated[ResolveIn, Body()],
    session: SessionDep,
    key: Reviewer,
    response: Response,
    if_match: IfMatch = None,
) -> FlagDetail:
    """Resolve a flag: `ranked`, `different_quantities` or `dismissed`; send If-Match."""
    service.get(session, flag_id)
    version = expected_version(if_match, "flag", flag_id)
    flag = service.resolve(session, flag_id, data, expected_version=version, actor_id=key.id)
    _tagged(response, flag)
    return service.detail(session, flag)


@router.post(
    "/flags:resolve",
    operation_id="flags_bulk_resolve",
    responses=responses(*AUTH_ERRORS, FlagNotFound, FlagClosed),
)
def bulk_resolve_flags(data: BulkResolveIn, session: SessionDep, key: Reviewer) -> FlagList:
    """Resolve many flags alike (different quantities or dismissed), all or nothing."""
    return FlagList(
        items=service.to_public_many(session, service.bulk_resolve(session, data, actor_id=key.id))
    )


@router.post(
    "/flags:assign",
    operation_id="flags_bulk_assign",
    responses=responses(*AUTH_ERRORS, FlagNotFound),
)
def bulk_assign_flags(data: BulkAssignIn, session: SessionDep, key: Reviewer) -> FlagList:
    """Assign many flags to one reviewer, all or nothing."""
    flags = service.bulk_assign(session, data.flag_ids, data.assignee_id, actor_id=key.id)
    return FlagList(items=service.to_public_many(session, flags))


def review_public(r: Review) -> ReviewPublic:
    assert r.id is not None
    return ReviewPublic(
        id=r.id,
        claim_id=r.claim_id,
        verdict=r.verdict,
        note=r.note,
        reviewer=r.reviewer,
        reviewer_key_id=r.reviewer_key_id,
        created_at=as_utc(r.created_at) or r.created_at,
    )


@router.post(
    "/claims/{claim_id}/reviews",
    status_code=status.HTTP_201_CREATED,
    operation_id="claims_review",
    responses={
        **responses(*AUTH_ERRORS, ClaimNotFound, ClaimRetracted, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {
                "ClaimReviewJsonLd": link(
                    "claims_claimreview",
                    "The latest verdict as ClaimReview.",
                    claim_id="$response.body#/claim_id",
                ),
                "ClaimReviews": link(
                    "claims_reviews", "Verdicts on the claim.", claim_id="$response.body#/claim_id"
                ),
            },
        ),
    },
    dependencies=[IDEMPOTENT],
)
def review_claim(
    claim_id: PathId, data: ReviewIn, session: SessionDep, key: Reviewer
) -> ReviewPublic:
    """Record a verdict on a claim; accurate or mostly accurate verifies it."""
    return review_public(service.add_review(session, claims.get(session, claim_id), data, key=key))


@router.get(
    "/claims/{claim_id}/reviews",
    operation_id="claims_reviews",
    responses=responses(*AUTH_ERRORS, ClaimNotFound),
)
def list_reviews(claim_id: PathId, session: SessionDep, _: Reader) -> list[ReviewPublic]:
    """Every verdict on a claim, oldest first."""
    claims.get(session, claim_id)
    return [review_public(r) for r in service.reviews_of(session, claim_id)]


@router.get(
    "/claims/{claim_id}/claimreview",
    operation_id="claims_claimreview",
    responses={
        **responses(*AUTH_ERRORS, ClaimNotFound, NoReview),
        200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}},
    },
)
def claim_review(claim_id: PathId, request: Request, session: SessionDep, _: Reader) -> Response:
    """The latest review as schema.org ClaimReview JSON-LD; 404 when there is none."""
    doc = service.claim_review(session, claims.get(session, claim_id), base_url=base_url(request))
    return Response(orjson.dumps(doc), media_type="application/ld+json")
