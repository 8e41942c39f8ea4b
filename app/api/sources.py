"""/api/v1/sources: publications that claims cite."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import BaseModel

from app.auth.deps import AUTH_ERRORS, Reader, Writer
from app.core.errors import (
    PreconditionFailed,
    PreconditionRequired,
    responses,
)
from app.core.etag import etag, expected_version
from app.core.links import by_id, edit, link, success
from app.core.pagination import next_link
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import sources
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.sources import service
from app.sources.errors import SourceExists, SourceNotFound
from app.sources.models import SourceCreate, SourceKind, SourcePublic, SourceUpdate

router = APIRouter(prefix="/api/v1/sources", tags=["sources"], route_class=IdempotentRoute)

GET = by_id("sources_get", "source_id", "Read the source again.")
EDIT = edit("sources_update", "source_id", "Edit the source, at the version this response shows.")
CLAIMS = link("claims_list", "Claims that cite the source.", source="$response.body#/id")


class SourcePage(BaseModel):
    items: list[SourcePublic]
    next: str | None


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="sources_create",
    responses={
        **responses(*AUTH_ERRORS, SourceExists, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {"GetSource": GET, "EditSource": EDIT, "ClaimsCitingSource": CLAIMS},
            etag=True,
            location=True,
        ),
    },
    dependencies=[IDEMPOTENT],
)
def create_source(
    data: SourceCreate, session: SessionDep, key: Writer, response: Response
) -> SourcePublic:
    """Register a publication; its canonical URL must be new."""
    source = sources.create(session, data, actor_id=key.id)
    assert source.id is not None
    response.headers["ETag"] = etag("source", source.id, source.version)
    response.headers["Location"] = f"/api/v1/sources/{source.id}"
    return service.to_public(session, source)


@router.get("", operation_id="sources_list", responses=responses(*AUTH_ERRORS))
def list_sources(
    request: Request,
    session: SessionDep,
    _: Reader,
    kind: SourceKind | None = None,
    publisher: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> SourcePage:
    """List sources in the order they were registered, a page at a time."""
    rows, nxt = service.get_all(session, kind=kind, publisher=publisher, limit=limit, cursor=cursor)
    return SourcePage(
        items=[service.to_public(session, s) for s in rows], next=next_link(request, nxt)
    )


@router.get(
    "/{source_id}",
    operation_id="sources_get",
    responses={
        **responses(*AUTH_ERRORS, SourceNotFound),
        **success(200, {"EditSource": EDIT, "ClaimsCitingSource": CLAIMS}, etag=True),
    },
)
def get_source(
    source_id: PathId, session: SessionDep, _: Reader, response: Response
) -> SourcePublic:
    """Get one source."""
    source = service.get(session, source_id)
    response.headers["ETag"] = etag("source", source_id, source.version)
    return service.to_public(session, source)


@router.patch(
    "/{source_id}",
    operation_id="sources_update",
    responses={
        **responses(*AUTH_ERRORS, SourceNotFound, PreconditionFailed, PreconditionRequired),
        **success(200, {"GetSource": GET, "EditSource": EDIT}, etag=True),
    },
)
def update_source(
    source_id: PathId,
    data: SourceUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> SourcePublic:
    """Edit a source; send If-Match with the ETag you read."""
    service.get(session, source_id)
    version = expected_version(if_match, "source", source_id)
    # What backs a claim may have changed (kind, publisher, parents): its claims are verified anew.
    source = sources.update(session, source_id, data, expected_version=version, actor_id=key.id)
    response.headers["ETag"] = etag("source", source_id, source.version)
    return service.to_public(session, source)
