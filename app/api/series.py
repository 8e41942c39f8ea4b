"""/api/v1/indicators/{id}/series: the series dashboards poll, JSON or CSV, cached by ETag."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.api.formats import Representation, csv_operation
from app.auth.deps import AUTH_ERRORS, Credentials, authorize
from app.auth.policy import Permission
from app.core.cache import ResponseCache
from app.core.config import get_settings
from app.core.csvstream import csv_response
from app.core.errors import InvalidInput, responses
from app.core.etag import not_modified
from app.core.pagination import next_link
from app.core.params import IsoDate, PathId
from app.core.sessions import SessionDep, StreamSessionDep
from app.indicators import series, service
from app.indicators.errors import IndicatorNotFound
from app.indicators.transforms import Aggregate, Rollup, Transform

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"])


class Series(BaseModel):
    """A compact series: points are [period_end, value] (or [period_end, value, vintage])."""

    indicator: str
    unit: str
    as_of: date | None
    vintages: bool
    points: list[list[str]]
    next: str | None


@router.get(
    "/{indicator_id}/series",
    operation_id="indicators_series",
    response_model=Series,
    responses={**responses(*AUTH_ERRORS, IndicatorNotFound), 304: {"description": "Not modified"}},
)
@router.get(
    "/{indicator_id}/series.csv",
    operation_id="indicators_series_csv",
    **csv_operation(*AUTH_ERRORS, IndicatorNotFound, not_modified=True),
)
async def get_series(
    indicator_id: PathId,
    request: Request,
    session: SessionDep,
    stream: StreamSessionDep,
    credentials: Credentials,
    format: Representation,
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    as_of: Annotated[IsoDate | None, Query(description="values as known on this date")] = None,
    vintages: Literal["latest", "all"] = "latest",
    frequency: Annotated[Rollup | None, Query(description="roll up to this frequency")] = None,
    aggregate: Aggregate = Aggregate.AVG,
    transform: Transform = Transform.NONE,
    limit: Annotated[int, Query(ge=1, le=series.MAX_JSON_POINTS)] = 1000,
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
    # The CSV and the JSON of one query are two representations: two tags (`.csv` and the
    # old `?format=csv` are one).
    query = request.url.query
    if "format" in query:
        query = request.url.remove_query_params("format").query
    tag = series.series_etag(session, indicator_id, f"{format}?{query}")
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    if format == "json" and (body := series_cache().get(tag)) is not None:
        return _json(body, tag)
    indicator = service.get(session, indicator_id)
    q = series.SeriesQuery(start=start, end=end, as_of=as_of, all_vintages=vintages == "all")
    if frequency is not None or transform is not Transform.NONE:
        points = series.derived_series(
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
        rows = series.iter_series_csv(stream, indicator_id, q)
        response: Response = csv_response(header, rows, f"{indicator.slug}.csv")
        response.headers["ETag"] = tag
        return response
    points, nxt = series.series_page(session, indicator_id, q, limit=limit, cursor=cursor)
    page = Series(
        indicator=indicator.slug,
        unit=indicator.unit,
        as_of=as_of,
        vintages=q.all_vintages,
        points=points,
        next=next_link(request, nxt),
    )
    return _json(page.model_dump_json().encode(), tag, keep=True)


@lru_cache
def series_cache() -> ResponseCache:
    """Rendered series JSON by ETag: dashboards ask for the same series again and again."""
    return ResponseCache(get_settings().series_cache_mb * 2**20)


def _json(body: bytes, tag: str, *, keep: bool = False) -> Response:
    if keep:
        series_cache().put(tag, body)
    return Response(body, media_type="application/json", headers={"ETag": tag})
