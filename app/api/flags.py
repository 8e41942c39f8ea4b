"""/api/v1/flags: the fact-checker's queue: list, read, assign and resolve flags."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from pydantic import BaseModel

from app.api.formats import Representation, csv_operation
from app.auth.deps import AUTH_ERRORS, Reader, Reviewer
from app.core.csvstream import csv_response
from app.core.errors import (
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    responses,
)
from app.core.etag import etag, expected_version
from app.core.pagination import next_link
from app.core.params import MAX_ID, IsoDateTime
from app.core.sessions import SessionDep, StreamSessionDep
from app.flows import review
from app.idempotency.deps import IdempotentRoute
from app.review import queue
from app.review.errors import FlagClosed, FlagNotFound
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
)

router = APIRouter(prefix="/api/v1", tags=["review"], route_class=IdempotentRoute)
IfMatch = Annotated[str | None, Header(max_length=200)]
# A flag's id, or minus a claim's id: that claim's verification item (review/queue_claims.py).
FlagId = Annotated[
    int,
    Path(
        ge=-MAX_ID, le=MAX_ID, description="a flag's id; minus a claim's id: its verification item"
    ),
]


def _tagged(response: Response, flag: Flag) -> None:
    assert flag.id is not None
    response.headers["ETag"] = etag("flag", flag.id, flag.version)


class FlagList(BaseModel):
    items: list[FlagPublic]


@router.get(
    "/flags", operation_id="flags_list", response_model=FlagPage, responses=responses(*AUTH_ERRORS)
)
@router.get("/flags.csv", operation_id="flags_list_csv", **csv_operation(*AUTH_ERRORS))
def list_flags(
    request: Request,
    session: SessionDep,
    stream: StreamSessionDep,
    _: Reader,
    format: Representation,
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
) -> Response | FlagPage:
    """The review queue: open flags oldest first by default (`.csv`: every match as CSV)."""
    filters = queue.FlagFilters(
        kind=kind,
        status=None if flag_status == "all" else flag_status,
        entity=entity,
        metric=metric,
        assignee_id=assignee,
        since=since,
    )
    if format == "csv":
        rows = queue.iter_csv(stream, filters, sort=sort)
        return csv_response(queue.FLAG_CSV_COLUMNS, rows, "flags.csv")
    flags, nxt = queue.get_all(session, filters, sort=sort, limit=limit, cursor=cursor)
    return FlagPage(items=queue.to_public_many(session, flags), next=next_link(request, nxt))


@router.get(
    "/flags/{flag_id}", operation_id="flags_get", responses=responses(*AUTH_ERRORS, FlagNotFound)
)
def get_flag(flag_id: FlagId, session: SessionDep, _: Reader, response: Response) -> FlagDetail:
    """One flag with its claims side by side: as written, as read, with quotes and sources."""
    flag = queue.get(session, flag_id)
    _tagged(response, flag)
    return queue.detail(session, flag)


# A body over the size limit is refused (413) before it is read, schema-valid or not.
EDIT = (
    *AUTH_ERRORS,
    FlagNotFound,
    FlagClosed,
    PreconditionFailed,
    PreconditionRequired,
    PayloadTooLarge,
)


@router.post("/flags/{flag_id}/assign", operation_id="flags_assign", responses=responses(*EDIT))
def assign_flag(
    flag_id: FlagId,
    data: AssignIn,
    session: SessionDep,
    key: Reviewer,
    response: Response,
    if_match: IfMatch = None,
) -> FlagDetail:
    """Assign a flag to a reviewer's key (null to unassign); send If-Match."""
    queue.get(session, flag_id)
    version = expected_version(if_match, "flag", flag_id)
    flag = review.assign(
        session, flag_id, data.assignee_id, expected_version=version, actor_id=key.id
    )
    _tagged(response, flag)
    return queue.detail(session, flag)


@router.post("/flags/{flag_id}/resolve", operation_id="flags_resolve", responses=responses(*EDIT))
def resolve_flag(
    flag_id: FlagId,
    data: Annotated[ResolveIn, Body()],
    session: SessionDep,
    key: Reviewer,
    response: Response,
    if_match: IfMatch = None,
) -> FlagDetail:
    """Resolve a flag: `ranked` (the claims ranked count as reviewed), `different_quantities`
    or `dismissed`; send If-Match."""
    queue.get(session, flag_id)
    version = expected_version(if_match, "flag", flag_id)
    flag = review.resolve(session, flag_id, data, expected_version=version, actor_id=key.id)
    _tagged(response, flag)
    return queue.detail(session, flag)


@router.post(
    "/flags:resolve",
    operation_id="flags_bulk_resolve",
    responses=responses(*AUTH_ERRORS, FlagNotFound, FlagClosed),
)
def bulk_resolve_flags(data: BulkResolveIn, session: SessionDep, key: Reviewer) -> FlagList:
    """Resolve many flags alike (different quantities or dismissed), all or nothing."""
    return FlagList(
        items=queue.to_public_many(session, review.bulk_resolve(session, data, actor_id=key.id))
    )


@router.post(
    "/flags:assign",
    operation_id="flags_bulk_assign",
    responses=responses(*AUTH_ERRORS, FlagNotFound),
)
def bulk_assign_flags(data: BulkAssignIn, session: SessionDep, key: Reviewer) -> FlagList:
    """Assign many flags to one reviewer, all or nothing."""
    flags = review.bulk_assign(session, data.flag_ids, data.assignee_id, actor_id=key.id)
    return FlagList(items=queue.to_public_many(session, flags))
