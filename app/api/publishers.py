"""/api/v1/publishers: who publishes the sources, one however citations name them."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel

from app.auth.deps import AUTH_ERRORS, Reader, Reviewer, Writer
from app.core.errors import PreconditionFailed, PreconditionRequired, responses
from app.core.etag import etag, expected_version
from app.core.links import by_id, edit, success
from app.core.pagination import next_link
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.entities.models import Merge
from app.flows import publishers as flows
from app.idempotency.deps import IdempotentRoute
from app.sources import publishers
from app.sources.errors import PublisherNameTaken, PublisherNotFound
from app.sources.models import PublisherPublic, PublisherUpdate

router = APIRouter(prefix="/api/v1/publishers", tags=["sources"], route_class=IdempotentRoute)

GET = by_id("publishers_get", "publisher_id", "Read the publisher again.")
EDIT = edit("publishers_update", "publisher_id", "Rename it or set its aliases, at this version.")


class PublisherPage(BaseModel):
    items: list[PublisherPublic]
    next: str | None


@router.get("", operation_id="publishers_list", responses=responses(*AUTH_ERRORS))
def list_publishers(
    request: Request,
    session: SessionDep,
    _: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> PublisherPage:
    """List publishers, a page at a time, with their aliases and how many sources each has."""
    rows, nxt = publishers.get_all(session, limit=limit, cursor=cursor)
    return PublisherPage(
        items=[publishers.to_public(session, p) for p in rows], next=next_link(request, nxt)
    )


@router.get(
    "/{publisher_id}",
    operation_id="publishers_get",
    responses={
        **responses(*AUTH_ERRORS, PublisherNotFound),
        **success(200, {"EditPublisher": EDIT}, etag=True),
    },
)
def get_publisher(
    publisher_id: PathId, session: SessionDep, _: Reader, response: Response
) -> PublisherPublic:
    """Get one publisher."""
    publisher = publishers.get(session, publisher_id)
    response.headers["ETag"] = etag("publisher", publisher_id, publisher.version)
    return publishers.to_public(session, publisher)


@router.patch(
    "/{publisher_id}",
    operation_id="publishers_update",
    responses={
        **responses(
            *AUTH_ERRORS,
            PublisherNotFound,
            PublisherNameTaken,
            PreconditionFailed,
            PreconditionRequired,
        ),
        **success(200, {"GetPublisher": GET, "EditPublisher": EDIT}, etag=True),
    },
)
def update_publisher(
    publisher_id: PathId,
    data: PublisherUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> PublisherPublic:
    """Rename a publisher or replace its aliases; send If-Match with the ETag you read. An
    alias another publisher is known by is refused (409): merge that one into this instead."""
    publishers.get(session, publisher_id)
    version = expected_version(if_match, "publisher", publisher_id)
    publisher = flows.update(session, publisher_id, data, expected_version=version, actor_id=key.id)
    response.headers["ETag"] = etag("publisher", publisher_id, publisher.version)
    return publishers.to_public(session, publisher)


@router.post(
    "/{publisher_id}/merge",
    operation_id="publishers_merge",
    responses={
        **responses(*AUTH_ERRORS, PublisherNotFound),
        **success(200, {"GetPublisher": GET, "EditPublisher": EDIT}, etag=True),
    },
)
def merge_publisher(
    publisher_id: PathId, data: Merge, session: SessionDep, key: Reviewer, response: Response
) -> PublisherPublic:
    """Fold this publisher into `into` (a reviewer's or an admin's call): its sources and its
    names move there, it is gone, and the claims citing them are verified anew."""
    publisher = flows.merge(session, publisher_id, data.into, actor_id=key.id)
    assert publisher.id is not None
    response.headers["ETag"] = etag("publisher", publisher.id, publisher.version)
    return publishers.to_public(session, publisher)
