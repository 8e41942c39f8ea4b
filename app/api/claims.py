"""/api/v1/claims: log, read, edit, retract and list quantitative claims."""

import hashlib
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.api.bodies import raw_body
from app.api.formats import Representation, csv_operation
from app.auth.deps import AUTH_ERRORS, Credentials, Reader, Writer, authorize
from app.auth.policy import Permission
from app.claims import bulk, listing, storage, view
from app.claims.errors import ClaimNotFound, ClaimRetracted
from app.claims.models import (
    CitationIn,
    ClaimCreate,
    ClaimKind,
    ClaimStatus,
    ClaimUpdate,
    ClaimVersion,
)
from app.claims.states import Verdict, VerificationState
from app.core.answers import json_answer
from app.core.csvstream import csv_response
from app.core.errors import (
    PreconditionFailed,
    PreconditionRequired,
    responses,
)
from app.core.etag import etag, expected_version, not_modified
from app.core.links import ETAG_HEADER, by_id, edit, success
from app.core.pagination import next_link
from app.core.params import MAX_ID, IsoDate, PathId
from app.core.prefer import APPLIED_HEADER, HEADER, RETURN_MINIMAL, wants_minimal
from app.core.sessions import SessionDep, StreamSessionDep
from app.entities.errors import CloseMatch, NameTaken
from app.flows import claims, views
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute, commit_unless_kept
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.quantities import FigureType
from app.review.models import BulkResult, BulkResultMinimal, BulkRowMinimal, ClaimPage, ClaimPublic

router = APIRouter(prefix="/api/v1", tags=["claims"], route_class=IdempotentRoute)
EDIT_ERRORS = (
    *AUTH_ERRORS,
    ClaimNotFound,
    ClaimRetracted,
    PreconditionFailed,
    PreconditionRequired,
)

StrictNames = Annotated[
    bool,
    Query(
        description="Refuse (409 close_match) a new entity or metric name close to a known "
        "one's (case, punctuation, a designator, a spelling, initials, a part of it), rather "
        "than create it and say so in a notice"
    ),
]

GET = by_id("claims_get", "claim_id", "Read the claim again.")
EDIT = edit("claims_update", "claim_id", "Edit the claim, at the version this response shows.")
RETRACT = edit("claims_retract", "claim_id", "Retract the claim, at this version.")
HISTORY = by_id("claims_history", "claim_id", "The claim's versions.")


def _tagged(response: Response, public: ClaimPublic) -> ClaimPublic:
    response.headers["ETag"] = claim_etag(public)
    return public


def claim_etag(public: ClaimPublic) -> str:
    derived = orjson.dumps(
        [
            public.rank,
            public.verification.state,
            public.verification.verdict,
            [(f.id, f.status, f.with_) for f in public.flags],
        ]
    )
    return etag("claim", public.id, public.version, hashlib.sha256(derived).hexdigest()[:12])


def _created(public: ClaimPublic, *, stored: bool = True) -> Response:
    """A new claim's 201 (200 with the claim stored before, when the same claim was), its JSON
    dumped as it is: the model is already valid, and a response model would validate it again
    (and cost one more hop to the thread pool)."""
    headers = {"ETag": claim_etag(public), "Location": f"/api/v1/claims/{public.id}"}
    return json_answer(public, status.HTTP_201_CREATED if stored else status.HTTP_200_OK, headers)


@router.post(
    "/claims",
    status_code=status.HTTP_201_CREATED,
    response_model=ClaimPublic,
    operation_id="claims_create",
    responses={
        **responses(*AUTH_ERRORS, NameTaken, CloseMatch, *IDEMPOTENCY_ERRORS),
        200: {
            "model": ClaimPublic,
            "description": "The same claim (entity, metric, period, kind, value as written, "
            "stated by and date) was stored before: that claim, the new citations merged in, "
            "with a notice saying so.",
        },
        **success(
            201,
            {
                "GetClaim": GET,
                "EditClaim": EDIT,
                "RetractClaim": RETRACT,
                "CiteClaim": by_id("claims_cite", "claim_id", "Add citations to the claim."),
                "ReviewClaim": by_id("claims_review", "claim_id", "Give a verdict on the claim."),
                "ClaimReviews": by_id("claims_reviews", "claim_id", "Verdicts on the claim."),
                "ClaimHistory": HISTORY,
            },
            etag=True,
            location=True,
        ),
    },
    dependencies=[IDEMPOTENT],
)
def create_claim(
    data: ClaimCreate,
    request: Request,
    session: SessionDep,
    key: Writer,
    strict_names: StrictNames = False,
) -> ClaimPublic | Response:
    """Log one claim as written; the response shows how it was read and what it flagged. A new
    entity or metric name is created, with a notice naming any known one it is close to."""
    created = claims.create_one(session, data, actor_id=key.id, strict_names=strict_names)
    commit_unless_kept(request, session)
    return _created(created.public, stored=created.stored)


BULK_ANSWER = (
    "One item a row, in order: the whole claim (`BulkResult`), or with `Prefer: "
    "return=minimal` its id, version, flags and notices (`BulkResultMinimal`, answered with "
    "`Preference-Applied: return=minimal`)."
)
BULK_HEADERS = {
    APPLIED_HEADER: {
        "description": "`return=minimal` when the minimal answer was given",
        "schema": {"type": "string", "enum": [RETURN_MINIMAL]},
    },
    "Vary": {
        "description": "`Prefer`: the answer's shape follows it",
        "schema": {"type": "string"},
    },
}
PreferHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=500,
        description="`return=minimal` (RFC 7240) for a lighter answer: each row's claim id, "
        "version, flags and notices, not the whole claim; `return=representation`, or none, "
        "for the whole claims. An Idempotency-Key replay answers as the first request did, "
        "whatever this header says now (`Preference-Applied` tells which).",
    ),
]


@router.post(
    "/claims:bulk",
    status_code=status.HTTP_201_CREATED,
    response_model=BulkResult | BulkResultMinimal,
    operation_id="claims_bulk_create",
    responses={
        **responses(*AUTH_ERRORS, *IDEMPOTENCY_ERRORS),
        201: {"description": BULK_ANSWER, "headers": BULK_HEADERS},
        200: {
            "model": BulkResult | BulkResultMinimal,
            "description": "Every row was a claim stored before: nothing new was stored. "
            + BULK_ANSWER,
            "headers": BULK_HEADERS,
        },
    },
    dependencies=[IDEMPOTENT],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A JSON array of claims, or CSV as GET /claims?format=csv writes it.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ClaimCreate"},
                        "minItems": 1,
                    }
                },
                "text/csv": {"schema": bulk.csv_body_schema()},
            },
        }
    },
)
def bulk_create_claims(
    body: Annotated[bytes, Depends(raw_body)],
    request: Request,
    session: SessionDep,
    key: Writer,
    strict_names: StrictNames = False,
    prefer: PreferHeader = None,
) -> BulkResult | BulkResultMinimal | Response:
    """Import a batch of claims, all or nothing; a bad row rejects the batch with its number
    (with strict names, a row naming a new entity or metric close to a known one)."""
    rows = bulk.read_rows(body, request.headers.get("content-type", ""))
    result: BulkResult | BulkResultMinimal
    headers = {"Vary": HEADER}
    if wants_minimal(prefer):
        stored = claims.create_many_minimal(
            session, rows, actor_id=key.id, strict_names=strict_names
        )
        items = [
            BulkRowMinimal(
                id=s.claim.id or 0,
                stored=s.stored,
                version=s.claim.version,
                flags=s.flags,
                notices=s.notices,
            )
            for s in stored
        ]
        new = sum(s.stored for s in stored)
        result = BulkResultMinimal(created=new, existing=len(items) - new, items=items)
        headers[APPLIED_HEADER] = RETURN_MINIMAL
    else:
        created = claims.create_many(session, rows, actor_id=key.id, strict_names=strict_names)
        new = sum(c.stored for c in created)
        shown = [c.public for c in created]
        result = BulkResult(created=new, existing=len(shown) - new, items=shown)
    commit_unless_kept(request, session)
    return json_answer(result, status.HTTP_201_CREATED if new else status.HTTP_200_OK, headers)


Sort = Literal["relevance", "id", "-id", "asserted_on", "-asserted_on"]


@router.get(
    "/claims",
    operation_id="claims_list",
    response_model=ClaimPage,
    responses=responses(*AUTH_ERRORS),
)
@router.get("/claims.csv", operation_id="claims_list_csv", **csv_operation(*AUTH_ERRORS))
def list_claims(
    request: Request,
    session: SessionDep,
    stream: StreamSessionDep,
    _: Reader,
    format: Representation,
    entity: Annotated[
        str | None, Query(min_length=1, max_length=200, description="slug, name or alias")
    ] = None,
    metric: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    kind: ClaimKind | None = None,
    figure_type: Annotated[
        FigureType | None, Query(description="level, change, multiple or share")
    ] = None,
    tag: Annotated[str | None, Query(max_length=50)] = None,
    source: Annotated[int | None, Query(ge=1, le=MAX_ID, description="source id")] = None,
    period_from: Annotated[
        IsoDate | None, Query(alias="from", description="period overlaps from this date")
    ] = None,
    period_to: Annotated[
        IsoDate | None, Query(alias="to", description="period overlaps up to this date")
    ] = None,
    claim_status: Annotated[
        ClaimStatus | Literal["all"], Query(alias="status", description="default: active")
    ] = ClaimStatus.ACTIVE,
    q: Annotated[
        str | None,
        Query(
            max_length=1000,
            description=(
                "words to find, in any form ('trades' finds 'trade'), in the statement, quotes,"
                " entity and metric names and aliases, source titles and publishers;"
                ' "a phrase", -word to leave out, `or` between alternatives (web-search syntax)'
            ),
        ),
    ] = None,
    rank: Annotated[
        Literal["best", "preferred", "normal", "deprecated"] | None,
        Query(description="best: preferred values only where a reviewer ranked them"),
    ] = None,
    verification: Annotated[
        VerificationState | None,
        Query(description="reviewed: a reviewer decided (a verdict, or a rank in a conflict)"),
    ] = None,
    verdict: Annotated[Verdict | None, Query(description="the claim's latest verdict")] = None,
    sort: Annotated[
        Sort | None,
        Query(
            description="default: relevance (best match first, then newest) with q, else -id;"
            " relevance needs q"
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response | ClaimPage:
    """List claims with filters, newest first by default (`.csv`: every match as CSV)."""
    filters = listing.ClaimFilters(
        entity=entity,
        metric=metric,
        kind=kind,
        figure_type=figure_type,
        tag=tag,
        source=source,
        period_from=period_from,
        period_to=period_to,
        status=None if claim_status == "all" else claim_status,
        q=q,
        rank=rank,
        verification=verification,
        verdict=verdict,
    )
    if format == "csv":
        rows_csv = claims.LISTING.iter_csv_rows(stream, filters, sort=sort)
        return csv_response(listing.CSV_COLUMNS, rows_csv, "claims.csv")
    rows, nxt = claims.LISTING.get_all(session, filters, sort=sort, limit=limit, cursor=cursor)
    page = ClaimPage(items=views.to_public_many(session, rows), next=next_link(request, nxt))
    return json_answer(page)


@router.get(
    "/claims/{claim_id}",
    operation_id="claims_get",
    response_model=ClaimPublic,
    responses={
        **responses(*AUTH_ERRORS, ClaimNotFound),
        **success(
            200, {"EditClaim": EDIT, "RetractClaim": RETRACT, "ClaimHistory": HISTORY}, etag=True
        ),
        304: {"description": "Not modified", "headers": {"ETag": ETAG_HEADER}},
    },
)
async def get_claim(
    claim_id: PathId,
    request: Request,
    session: SessionDep,
    credentials: Credentials,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> ClaimPublic | Response:
    """Get one claim with its reading, citations and version (ETag)."""
    # The hottest read: the permission check (the key gate found the key) and the answer
    # share one call to the thread pool.
    return await run_in_threadpool(
        _claim_response, claim_id, request, session, credentials, if_none_match
    )


def _claim_response(
    claim_id: int,
    request: Request,
    session: Session,
    credentials: HTTPAuthorizationCredentials | None,
    if_none_match: str | None,
) -> Response:
    authorize(request, session, credentials, Permission.READ)
    public = views.to_public(session, storage.get_row(session, claim_id))
    tag = claim_etag(public)
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    return json_answer(public, headers={"ETag": tag})


@router.patch(
    "/claims/{claim_id}",
    operation_id="claims_update",
    responses={
        **responses(*EDIT_ERRORS),
        **success(
            200,
            {"GetClaim": GET, "EditClaim": EDIT, "RetractClaim": RETRACT, "ClaimHistory": HISTORY},
            etag=True,
        ),
    },
)
def update_claim(
    claim_id: PathId,
    data: ClaimUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> ClaimPublic:
    """Edit a claim; send If-Match with its ETag (428 without, 412 if it changed since)."""
    storage.get(session, claim_id)
    version = expected_version(if_match, "claim", claim_id)
    edited = claims.update(session, claim_id, data, expected_version=version, actor_id=key.id)
    return _tagged(response, views.to_public(session, edited.claim, edited.notices))


@router.delete(
    "/claims/{claim_id}",
    operation_id="claims_retract",
    responses={
        **responses(*EDIT_ERRORS),
        **success(200, {"GetClaim": GET, "ClaimHistory": HISTORY}, etag=True),
    },
)
def retract_claim(
    claim_id: PathId,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> ClaimPublic:
    """Retract a claim (a soft delete: it and its history stay); send If-Match."""
    storage.get(session, claim_id)
    version = expected_version(if_match, "claim", claim_id)
    claim = claims.retract(session, claim_id, expected_version=version, actor_id=key.id)
    return _tagged(response, views.to_public(session, claim))


@router.get(
    "/claims/{claim_id}/history",
    operation_id="claims_history",
    responses=responses(*AUTH_ERRORS, ClaimNotFound),
)
def claim_history(claim_id: PathId, session: SessionDep, _: Reader) -> list[ClaimVersion]:
    """Every version of a claim, oldest first, with who changed it and when."""
    return view.history(session, claim_id)


@router.post(
    "/claims/{claim_id}/citations",
    status_code=status.HTTP_201_CREATED,
    operation_id="claims_cite",
    responses={
        **responses(*AUTH_ERRORS, ClaimNotFound, ClaimRetracted, *IDEMPOTENCY_ERRORS),
        **success(201, {"GetClaim": GET, "EditClaim": EDIT}, etag=True),
    },
    dependencies=[IDEMPOTENT],
)
def add_citations(
    claim_id: PathId,
    citations: Annotated[list[CitationIn], Field(min_length=1, max_length=50)],
    session: SessionDep,
    key: Writer,
    response: Response,
) -> ClaimPublic:
    """Add citations (source + quote) to a claim; sources are found or created by URL."""
    edited = claims.cite(session, claim_id, citations, actor_id=key.id)
    return _tagged(response, views.to_public(session, edited.claim, edited.notices))
