"""`/events`: the audit log, newest first, a keyset page at a time, with the API's filters
(record type, record id, action, actor, since), read through the same service
(`audit.service.get_page`)."""

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import TypeAdapter, ValidationError
from starlette.responses import Response

from app.audit import service
from app.audit.models import EventPublic
from app.auth import service as keys
from app.core.params import MAX_ID, IsoDateTime
from app.core.sessions import SessionDep
from app.web.render import PageRoute, page
from app.web.sessions import SignedIn
from app.web.tables import PAGE_SIZE, Cell, first_url, next_url, signed_in_context, text

router = APIRouter(prefix="/events", route_class=PageRoute, include_in_schema=False)

Text = Annotated[str, Query(max_length=300)]
# The records that have a page of their own here.
PAGES = {
    "source": "/sources",
    "entity": "/entities",
    "metric": "/measures",
    "claim": "/claims",
    "indicator": "/indicators",
}
# Record types people filter by, offered as suggestions (any other is accepted).
RECORD_TYPES = (
    "claim",
    "entity",
    "flag",
    "fx_rate",
    "indicator",
    "key",
    "metric",
    "observation",
    "publisher",
    "review",
    "source",
)
SINCE = TypeAdapter(IsoDateTime)


def _filters(
    record_type: str, record_id: str, action: str, actor: str, since: str
) -> tuple[service.EventFilters, list[str]]:
    """The filters as the API reads them, and the fields that do not read (an empty field is
    no filter)."""
    wrong: list[str] = []

    def number(name: str, value: str) -> int | None:
        if not value.strip():
            return None
        if value.strip().isdigit() and 1 <= int(value) <= MAX_ID:
            return int(value)
        wrong.append(f"{name} (a whole number from 1)")
        return None

    def words(name: str, value: str, longest: int) -> str | None:
        if len(value.strip()) > longest:
            wrong.append(f"{name} (at most {longest} characters)")
            return None
        return value.strip() or None

    def moment(value: str) -> datetime | None:
        if not value.strip():
            return None
        try:
            return SINCE.validate_python(value.strip())
        except ValidationError:
            wrong.append("since (a date, 2026-05-01, or a time, 2026-05-01T09:30:00Z)")
            return None

    # In the form's order, so that the message names the fields as the page shows them.
    record_type_, record_id_ = words("record type", record_type, 32), number("record id", record_id)
    action_, actor_ = words("action", action, 40), number("actor", actor)
    filters = service.EventFilters(record_type_, record_id_, actor_, action_, moment(since))
    return filters, wrong


def _change(event: EventPublic) -> str:
    """The event's before and after, as compact JSON for people who want to look."""
    parts = []
    if event.before is not None:
        parts.append("before: " + json.dumps(event.before, ensure_ascii=False, sort_keys=True))
    if event.after is not None:
        parts.append("after: " + json.dumps(event.after, ensure_ascii=False, sort_keys=True))
    return "\n".join(parts)


def _row(event: EventPublic) -> dict[str, Any]:
    path = PAGES.get(event.record_type)
    record = f"{event.record_type} {event.record_id}"
    return {
        "cells": [
            Cell(event.occurred_at.strftime("%Y-%m-%d %H:%M:%S UTC"), nowrap=True),
            text(event.actor.name if event.actor else None),
            Cell(event.action, code=True),
            Cell(record, href=f"{path}/{event.record_id}" if path else None),
            text(event.version),
        ],
        "change": _change(event),
    }


@router.get("")
def list_events(
    request: Request,
    session: SessionDep,
    me: SignedIn,
    record_type: Text = "",
    record_id: Text = "",
    action: Text = "",
    actor: Text = "",
    since: Text = "",
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    """Who did what to which record, when, before and after; newest first."""
    filters, wrong = _filters(record_type, record_id, action, actor, since)
    rows: list[EventPublic] = []
    nxt = None
    if not wrong:
        rows, nxt = service.get_page(
            session, filters, actors=keys.ACTORS, limit=PAGE_SIZE, cursor=cursor
        )
    context = signed_in_context(
        me,
        sent={
            "record_type": record_type,
            "record_id": record_id,
            "action": action,
            "actor": actor,
            "since": since,
        },
        record_types=RECORD_TYPES,
        columns=["When", "Actor", "Action", "Record", "Version"],
        error=f"Check: {', '.join(wrong)}." if wrong else "",
        rows=[_row(e) for e in rows],
        next_url=next_url(request, nxt),
        first_url=first_url(request),
    )
    return page(request, "events.html", context, status=422 if wrong else 200)
