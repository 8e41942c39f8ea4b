"""/api/v1/indicators: What-to-Watch series for dashboards, with vintages and targets."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.auth.deps import AUTH_ERRORS, Credentials, Reader, Writer, authorize
from app.auth.policy import Permission
from app.claims.router import raw_body
from app.core.cache import ResponseCache
from app.core.config import get_settings
from app.core.csvstream import csv_response
from app.core.db import SessionDep, StreamSessionDep
from app.core.errors import (
    InvalidInput,
    PreconditionFailed,
    PreconditionRequired,
    responses,
)
from app.core.etag import etag, expected_version, not_modified
from app.core.links import by_id, edit, success
from app.core.models import utcnow
from app.core.pagination import next_link
from app.core.params import IsoDate, PathId
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.indicators import service
from app.indicators.errors import IndicatorNotFound, ObservationExists
from app.indicators.models import (
    IndicatorCreate,
    IndicatorPage,
    IndicatorPublic,
    IndicatorUpdate,
    ObservationsCreated,
    TargetCreate,
    TargetProgress,
    TargetPublic,
    WatchItem,
)
from app.indicators.transforms import Aggregate, Rollup, Transform

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"], route_class=IdempotentRoute)

GET = by_id("indicators_get", "indicator_id", "Read the indicator again.")
EDIT = edit(
    "indicators_update", "indicator_id", "Edit the indicator, at the version this response shows."
)
OBSERVE = by_id("indicators_add_observations", "indicator_id", "Add observations.")
TARGET = by_id("indicators_add_target", "indicator_id", "Set a target.")
SERIES = by_id("indicators_series", "indicator_id", "The indicator's series.")
PROGRESS = by_id("indicators_progress", "indicator_id", "Progress towards its targets.")


class Series(BaseModel):
    """A compact series: points are [period_end, value] (or [period_end, value, vintage])."""

    indicator: str
    unit: str
    as_of: date | None
    vintages: bool
    points: list[list[str]]
    next: str | None


def _public(session: SessionDep, response: Response, row: Any) -> IndicatorPublic:
    response.headers["ETag"] = etag("indicator", row.id, row.version)
    return service.to_public_many(session, [row])[0]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_create",
    responses={
        **responses(*AUTH_ERRORS, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {
                "GetIndicator": GET,
                "EditIndicator": EDIT,
                "AddObservations": OBSERVE,
                "AddTarget": TARGET,
                "Series": SERIES,
                "Progress": PROGRESS,
            },
            etag=True,
            location=True,
        ),
    },
    dependencies=[IDEMPOTENT],
)
def create_indicator(
    data: IndicatorCreate, session: SessionDep, key: Writer, response: Response
) -> IndicatorPublic:
    """Register an indicator: the question, what it measures, its unit and frequency."""
    row = service.create(session, data, actor_id=key.id)
    response.headers["Location"] = f"/api/v1/indicators/{row.id}"
    return _public(session, response, row)


class Checked(BaseModel):
    checked: int


@router.post(":check", operation_id="indicators_check", responses=responses(*AUTH_ERRORS))
def check_indicators(session: SessionDep, key: Writer) -> Checked:
    """Open or close target_missed and stale flags for every indicator, as of today."""
    return Checked(checked=service.check_all(session, utcnow().date(), actor_id=key.id))


@router.get("", operation_id="indicators_list", responses=responses(*AUTH_ERRORS))
def list_indicators(
    request: Request,
    session: SessionDep,
    _: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> IndicatorPage:
    """List indicators by slug."""
    rows, nxt = service.get_all(session, limit=limit, cursor=cursor)
    return IndicatorPage(items=service.to_public_many(session, rows), next=next_link(request, nxt))


@router.get(
    "/{indicator_id}",
    operation_id="indicators_get",
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound),
        **success(
            200,
            {"EditIndicator": EDIT, "AddObservations": OBSERVE, "Series": SERIES},
            etag=True,
        ),
    },
)
def get_indicator(
    indicator_id: PathId, session: SessionDep, _: Reader, response: Response
) -> IndicatorPublic:
    """Get one indicator with its targets."""
    return _public(session, response, service.get(session, indicator_id))


@router.patch(
    "/{indicator_id}",
    operation_id="indicators_update",
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound, PreconditionFailed, PreconditionRequired),
        **success(
            200, {"GetIndicator": GET, "EditIndicator": EDIT, "Progress": PROGRESS}, etag=True
        ),
    },
)
def update_indicator(
    indicator_id: PathId,
    data: IndicatorUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> IndicatorPublic:
    """Edit an indicator's name, question, frequency, direction, description or tags; If-Match."""
    service.get(session, indicator_id)
    version = expected_version(if_match, "indicator", indicator_id)
    row = service.update(session, indicator_id, data, expected_version=version, actor_id=key.id)
    return _public(session, response, row)


@router.post(
    "/{indicator_id}/targets",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_add_target",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound, *IDEMPOTENCY_ERRORS),
    dependencies=[IDEMPOTENT],
)
def add_target(
    indicator_id: PathId, data: TargetCreate, session: SessionDep, key: Writer
) -> TargetPublic:
    """Set a target, written as text ("more than $100 billion"), due on a date."""
    target = service.add_target(session, indicator_id, data, actor_id=key.id)
    row = service.get(session, indicator_id)
    return next(t for t in service.to_public_many(session, [row])[0].targets if t.id == target.id)


@router.post(
    "/{indicator_id}/observations",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_add_observations",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound, ObservationExists, *IDEMPOTENCY_ERRORS),
    dependencies=[IDEMPOTENT],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One observation, a JSON array of them, or CSV with a header row "
            "(period, value_text or value + unit, vintage, source_url, source_title, quote).",
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/ObservationIn"},
                            {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/ObservationIn"},
                            },
                        ]
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def add_observations(
    indicator_id: PathId,
    body: Annotated[bytes, Depends(raw_body)],
    request: Request,
    session: SessionDep,
    key: Writer,
) -> ObservationsCreated:
    """Add observations, all or nothing; a new value for a known period is a new vintage."""
    items = service.parse_observations(body, request.headers.get("content-type", ""))
    stored = service.add_observations(session, indicator_id, items, actor_id=key.id)
    return ObservationsCreated(created=len(stored), items=stored)


@router.get(
    "/{indicator_id}/series",
    operation_id="indicators_series",
    response_model=Series,
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound),
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        304: {"description": "Not modified"},
    },
)
async def get_series(
    indicator_id: PathId,
    request: Request,
    session: SessionDep,
    stream: StreamSessionDep,
    credentials: Credentials,
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    as_of: Annotated[IsoDate | None, Query(description="values as known on this date")] = None,
    vintages: Literal["latest", "all"] = "latest",
    format: Literal["json", "csv"] = "json",
    frequency: Annotated[Rollup | None, Query(description="roll up to this frequency")] = None,
    aggregate: Aggregate = Aggregate.AVG,
    transform: Transform = Transform.NONE,
    limit: Annotated[int, Query(ge=1, le=service.MAX_JSON_POINTS)] = 1000,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response | Series:
    """A series as JSON (10,000 points a page at most: follow `next`) or streamed CSV; ETag.

    `frequency` + `aggregate` roll it up; `transform` is chg, pch or pc1 (as FRED).
    """
    # Dashboards poll this: the permission check (the key gate found the key) and the answer
    # share one call to the thread pool.
    return await run_in_threadpool(
        _series,
        SeriesRequest(
            indicator_id,
            start,
            end,
            as_of,
            vintages,
            format,
            frequency,
            aggregate,
            transform,
            limit,
            cursor,
            if_none_match,
        ),
        request,
        session,
        stream,
        credentials,
    )


@dataclass(frozen=True)
class SeriesRequest:
    indicator_id: int
    start: date | None
    end: date | None
    as_of: date | None
    vintages: str
    format: str
    frequency: Rollup | None
    aggregate: Aggregate
    transform: Transform
    limit: int
    cursor: str | None
    if_none_match: str | None


def _series(
    r: SeriesRequest,
    request: Request,
    session: Session,
    stream: Session,
    credentials: HTTPAuthorizationCredentials | None,
) -> Response:
    authorize(request, session, credentials, Permission.READ)
    indicator_id, start, end, as_of = r.indicator_id, r.start, r.end, r.as_of
    vintages, format, frequency, aggregate = r.vintages, r.format, r.frequency, r.aggregate
    transform, limit, cursor, if_none_match = r.transform, r.limit, r.cursor, r.if_none_match
    if start and end and start > end:
        raise InvalidInput("`from` is after `to`", field="from")
    tag = service.series_etag(session, indicator_id, request.url.query)
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    if format == "json" and (body := series_cache().get(tag)) is not None:
        return _json(body, tag)
    indicator = service.get(session, indicator_id)
    q = service.SeriesQuery(start=start, end=end, as_of=as_of, all_vintages=vintages == "all")
    if frequency is not None or transform is not Transform.NONE:
        points = service.derived_series(
            session, indicator, q, rollup=frequency, how=aggregate, change=transform
        )
        if format == "csv":
            derived = csv_response(["period_end", "value"], iter(points), f"{indicator.slug}.csv")
            derived.headers["ETag"] = tag
            return derived
        derived_series = Series(
            indicator=indicator.slug,
            unit=indicator.unit if transform in (Transform.NONE, Transform.CHG) else "percent",
            as_of=as_of,
            vintages=False,
            points=points,
            next=None,
        )
        return _json(derived_series.model_dump_json().encode(), tag, keep=True)
    if format == "csv":
        header = ["period_start", "period_end", "value", *(["vintage"] if q.all_vintages else [])]
        rows = service.iter_series_csv(stream, indicator_id, q)
        response: Response = csv_response(header, rows, f"{indicator.slug}.csv")
        response.headers["ETag"] = tag
        return response
    points, nxt = service.series_page(session, indicator_id, q, limit=limit, cursor=cursor)
    series = Series(
        indicator=indicator.slug,
        unit=indicator.unit,
        as_of=as_of,
        vintages=q.all_vintages,
        points=points,
        next=next_link(request, nxt),
    )
    return _json(series.model_dump_json().encode(), tag, keep=True)


@lru_cache
def series_cache() -> ResponseCache:
    """Rendered series JSON by ETag: dashboards ask for the same series again and again."""
    return ResponseCache(get_settings().series_cache_mb * 2**20)


def _json(body: bytes, tag: str, *, keep: bool = False) -> Response:
    if keep:
        series_cache().put(tag, body)
    return Response(body, media_type="application/json", headers={"ETag": tag})


class ProgressOut(BaseModel):
    indicator: str
    as_of: date
    targets: list[TargetProgress]


@router.get(
    "/{indicator_id}/progress",
    operation_id="indicators_progress",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound),
)
def get_progress(indicator_id: PathId, session: SessionDep, _: Reader) -> ProgressOut:
    """Each target: latest value, % of target, pace still needed, projection, and status."""
    indicator = service.get(session, indicator_id)
    today = utcnow().date()
    return ProgressOut(
        indicator=indicator.slug,
        as_of=today,
        targets=service.progress_of(session, indicator, today),
    )


watchlist_router = APIRouter(prefix="/api/v1/watchlist", tags=["indicators"])
WATCH_CSV = ("slug", "name", "status", "last_value", "last_on", "change", "unit", "due", "question")


@watchlist_router.get(
    "",
    operation_id="watchlist",
    response_model=list[WatchItem],
    responses={
        **responses(*AUTH_ERRORS),
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    },
)
def get_watchlist(
    session: SessionDep,
    _: Reader,
    format: Literal["json", "csv"] = "json",
) -> Response | list[WatchItem]:
    """Every indicator with its last value and target status, what needs attention first."""
    items = service.watchlist(session, utcnow().date())
    if format == "csv":
        rows = (
            [
                i.slug,
                i.name,
                i.status,
                i.last_value or "",
                i.last_on.isoformat() if i.last_on else "",
                i.change or "",
                i.unit,
                ";".join(t.due_on.isoformat() for t in i.targets),
                i.question,
            ]
            for i in items
        )
        return csv_response(WATCH_CSV, rows, "watchlist.csv")
    return items
