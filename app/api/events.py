"""/api/v1/events: the audit log, newest first."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from app.audit import service
from app.audit.models import EventPublic
from app.auth import service as keys
from app.auth.deps import AUTH_ERRORS, Reader
from app.core.errors import responses
from app.core.pagination import next_link
from app.core.params import MAX_ID, IsoDateTime
from app.core.sessions import SessionDep

router = APIRouter(prefix="/api/v1/events", tags=["events"])


class EventPage(BaseModel):
    items: list[EventPublic]
    next: str | None


@router.get("", operation_id="events_list", responses=responses(*AUTH_ERRORS))
def list_events(
    request: Request,
    session: SessionDep,
    _: Reader,
    record_type: Annotated[str | None, Query(max_length=32)] = None,
    record_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    actor: Annotated[int | None, Query(ge=1, le=MAX_ID, description="key id")] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    since: IsoDateTime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> EventPage:
    """Who did what to which record, when, before and after; newest first."""
    rows, nxt = service.get_page(
        session,
        service.EventFilters(record_type, record_id, actor, action, since),
        actors=keys.ACTORS,
        limit=limit,
        cursor=cursor,
    )
    return EventPage(items=rows, next=next_link(request, nxt))
