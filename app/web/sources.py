"""`/sources`: the publications claims cite, with their kind, publisher and lineage (the sources
each derives from); a source's page with the sources derived from it and the claims citing it.
Read through the services the API reads (`sources.service`, the claims listing, `flows.views`)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.claims import listing
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import views
from app.flows.claims import LISTING
from app.sources import service
from app.sources.models import Source, SourceKind
from app.web.render import PageRoute, page
from app.web.sessions import SignedIn
from app.web.tables import PAGE_SIZE, Cell, first_url, next_url, signed_in_context, text

router = APIRouter(prefix="/sources", route_class=PageRoute, include_in_schema=False)

Cursor = Annotated[str | None, Query(max_length=300)]


def _titles(session: Session, ids: set[int]) -> dict[int, str]:
    return {i: s.title for i in sorted(ids) if (s := session.get(Source, i)) is not None}


def _lineage(ids: list[int], titles: dict[int, str]) -> Cell:
    return Cell("", items=[Cell(titles.get(i, f"source {i}"), href=f"/sources/{i}") for i in ids])


@router.get("")
def list_sources(
    request: Request,
    session: SessionDep,
    me: SignedIn,
    kind: SourceKind | None = None,
    cursor: Cursor = None,
) -> Response:
    """A page of sources in the order they were registered, optionally of one kind."""
    rows, nxt = service.get_all(session, kind=kind, publisher=None, limit=PAGE_SIZE, cursor=cursor)
    parents = service.parents(session, [s.id for s in rows if s.id is not None])
    titles = _titles(session, {p for ps in parents.values() for p in ps})
    table = [
        [
            Cell(s.title, href=f"/sources/{s.id}"),
            Cell(str(s.kind)),
            text(s.publisher),
            text(s.published_on, nowrap=True),
            _lineage(parents[s.id], titles),
        ]
        for s in rows
        if s.id is not None
    ]
    context = signed_in_context(
        me,
        title="Sources",
        intro="The publications claims cite; a source that derives from others is not "
        "independent of them.",
        columns=["Title", "Kind", "Publisher", "Published", "Derives from"],
        rows=table,
        kinds=[k.value for k in SourceKind],
        kind=kind.value if kind else "",
        next_url=next_url(request, nxt),
        first_url=first_url(request),
    )
    return page(request, "list.html", context)


@router.get("/{source_id}")
def source_page(
    request: Request,
    source_id: PathId,
    session: SessionDep,
    me: SignedIn,
    cursor: Cursor = None,
) -> Response:
    """One source: its fields, its lineage both ways, and the claims citing it, newest first."""
    source = service.get(session, source_id)
    parents = service.parents(session, [source_id])[source_id]
    children = sorted(
        i
        for i, ps in service.parents(session, service.descendants(session, source_id)).items()
        if source_id in ps
    )
    titles = _titles(session, {*parents, *children})
    filters = listing.ClaimFilters(source=source_id)
    found, nxt = LISTING.get_all(session, filters, sort=None, limit=PAGE_SIZE, cursor=cursor)
    claims = [
        [
            Cell(c.value_text, href=f"/claims/{c.id}"),
            Cell(c.entity.name, href=f"/entities/{c.entity.id}"),
            Cell(c.metric.name, href=f"/measures/{c.metric.id}"),
            text(c.period),
            Cell(str(c.kind)),
            text(c.stated_by),
            Cell(str(c.verification.state)),
        ]
        for c in views.to_public_many(session, found)
    ]
    context = signed_in_context(
        me,
        source=source,
        derives_from=_lineage(parents, titles),
        derived_by=_lineage(children, titles),
        columns=["Value", "Entity", "Metric", "Period", "Kind", "Stated by", "Verification"],
        rows=claims,
        next_url=next_url(request, nxt),
        first_url=first_url(request),
    )
    return page(request, "source.html", context)
