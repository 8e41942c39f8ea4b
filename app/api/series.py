"""/api/v1/indicators/{id}/series: the series dashboards poll, JSON or CSV, cached by ETag."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.api.formats import Representation, csv_operation
from app.api.refs import IndicatorRef
from app.auth.deps import AUTH_ERRORS, Credentials, authorize
from app.auth.policy import Permission
from app.core.cache import ResponseCache
from app.core.config import get_settings
from app.core.csvstream import csv_response
from app.core.errors import InvalidInput, responses
from app.core.etag import not_modified
from app.core.pagination import next_link
from app.core.params import IsoDate
from app.core.sessions import SessionDep, StreamSessionDep
from app.indicators import aggregation, observations, series, service, shapes
from app.indicators.errors import IndicatorNotFound
from app.indicators.models import Indicator
from app.indicators.shapes import SeriesAnswer, VintageDate
from app.indicators.transforms import Aggregate, Partial, Rollup, Transform

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"])


@router.get(
    "/{indicator_id}/series",
    operation_id="indicators_series",
    response_model=SeriesAnswer,
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound, InvalidInput),
        304: {"description": "Not modified"},
    },
)
@router.get(
    "/{indicator_id}/series.csv",
    operation_id="indicators_series_csv",
    **csv_operation(*AUTH_ERRORS, IndicatorNotFound, InvalidInput, not_modified=True),
)
async def get_series(
    indicator_id: IndicatorRef,
    request: Request,
    session: SessionDep,
    stream: StreamSessionDep,
    credentials: Credentials,
    format: Representation,
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    as_of: Annotated[IsoDate | None, Query(description="values as known on this date")] = None,
    vintages: Annotated[
        Literal["latest", "first", "all"],
        Query(description="per period the value known on as_of, its first release, or every one"),
    ] = "latest",
    realtime: Annotated[
        bool, Query(description="each point with realtime_start and realtime_end (ALFRED)")
    ] = False,
    shape: Annotated[
        Literal["records", "pairs"],
        Query(description="records (named fields), or the compact [date, text value] pairs"),
    ] = "records",
    envelope: Annotated[
        bool, Query(description="records inside an object with the unit, frequency, transform")
    ] = False,
    frequency: Annotated[Rollup | None, Query(description="roll up to this frequency")] = None,
    aggregate: Annotated[
        Aggregate | None,
        Query(
            description="how a bucket's values combine; default by the indicator's aggregation: "
            "a flow's sum, a stock's last, a rate's average"
        ),
    ] = None,
    transform: Transform = Transform.NONE,
    partial: Annotated[
        Partial,
        Query(description="a rolled-up bucket its observations do not cover: mark or omit"),
    ] = Partial.MARK,
    limit: Annotated[int, Query(ge=1, le=series.MAX_JSON_POINTS)] = 1000,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """A series as JSON records (10,000 a page at most: `Link: rel="next"`) or streamed CSV.

    Records: `date` (period end), `period_start`, `period_end`, `value` (a number),
    `value_exact` (the decimal as text). `frequency` + `aggregate` roll it up, each bucket
    marked `complete` or not (`partial=omit` leaves out the incomplete); `transform` is chg,
    pch or pc1 against the previous period or the same period a year earlier, null without
    one; `shape=pairs` answers the compact pairs; ETag.
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
            realtime,
            shape,
            envelope,
            format,
            frequency,
            aggregate,
            transform,
            partial,
            limit,
            cursor,
            if_none_match,
        ),
        request,
        session,
        stream,
        credentials,
    )


@router.get(
    "/{indicator_id}/vintages",
    operation_id="indicators_vintages",
    response_model=list[VintageDate],
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound),
        304: {"description": "Not modified"},
    },
)
def get_vintages(
    indicator_id: IndicatorRef,
    request: Request,
    session: SessionDep,
    credentials: Credentials,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """The days values of the series were published (its vintage dates, as ALFRED), oldest first."""
    authorize(request, session, credentials, Permission.READ)
    tag = series.series_etag(session, indicator_id, "vintages")
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    dates = observations.vintage_dates(session, indicator_id)
    body = shapes.dumps([{"vintage": day, "observations": n} for day, n in dates])
    return Response(body, media_type="application/json", headers={"ETag": tag})


@dataclass(frozen=True)
class SeriesRequest:
    indicator_id: int
    start: date | None
    end: date | None
    as_of: date | None
    vintages: str
    realtime: bool
    shape: str
    envelope: bool
    format: str
    frequency: Rollup | None
    aggregate: Aggregate | None
    transform: Transform
    partial: Partial
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
    if r.start and r.end and r.start > r.end:
        raise InvalidInput("`from` is after `to`", field="from")
    if r.shape == "pairs" and r.realtime:
        raise InvalidInput("pairs carry no real-time periods: ask for records", field="realtime")
    # The CSV and the JSON of one query are two representations: two tags (`.csv` and the
    # old `?format=csv` are one).
    query = request.url.query
    if "format" in query:
        query = request.url.remove_query_params("format").query
    tag = series.series_etag(session, r.indicator_id, f"{r.format}?{query}")
    if not_modified(r.if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    if r.format == "json" and (body := series_cache().get(tag)) is not None:
        return _json(body, tag, series_cache().get(tag + NEXT))
    indicator = service.get(session, r.indicator_id)
    q = series.SeriesQuery(
        start=r.start,
        end=r.end,
        as_of=r.as_of,
        all_vintages=r.vintages == "all",
        first_release=r.vintages == "first",
        realtime=r.realtime,
    )
    if r.frequency is not None or r.transform is not Transform.NONE:
        shapes.check_derivable(q)
        points = series.derived_series(
            session,
            indicator,
            q,
            rollup=r.frequency,
            how=r.aggregate,
            change=r.transform,
            partial=r.partial,
        )
        if r.format == "csv":
            header = ["date", "period_end", "value", *(["complete"] if r.frequency else [])]
            cells = (_csv_row([p[0], *p]) for p in points)
            derived = csv_response(header, cells, f"{indicator.slug}.csv")
            derived.headers["ETag"] = tag
            return derived
        return _answer(
            r, indicator, q, [shapes.derived_record(p) for p in points], points, None, tag
        )
    if r.format == "csv":
        rows = series.iter_series_csv(stream, r.indicator_id, q)
        csv = shapes.csv_rows(rows, q)
        response: Response = csv_response(shapes.csv_header(q), csv, f"{indicator.slug}.csv")
        response.headers["ETag"] = tag
        return response
    page, nxt = series.series_page(session, r.indicator_id, q, limit=r.limit, cursor=r.cursor)
    link = next_link(request, nxt)
    if r.shape == "pairs":
        pairs = [shapes.pair(row, q) for row in page]
        return _answer(r, indicator, q, [], pairs, link, tag)
    return _answer(r, indicator, q, [shapes.record(row, q) for row in page], [], link, tag)


def _answer(
    r: SeriesRequest,
    indicator: Indicator,
    q: series.SeriesQuery,
    records: list[dict[str, Any]],
    pairs: Sequence[Sequence[str | bool | None]],
    link: str | None,
    tag: str,
) -> Response:
    """The answer in the shape asked for, kept in the series cache."""
    unit = indicator.unit if r.transform in (Transform.NONE, Transform.CHG) else "percent"
    body: Any = records
    if r.shape == "pairs":
        body = {
            "indicator": indicator.slug,
            "unit": unit,
            "as_of": r.as_of,
            "vintages": q.all_vintages,
            "points": pairs,
            "next": link,
        }
    elif r.envelope:
        body = {
            "indicator": indicator.slug,
            "indicator_id": indicator.id,
            "unit": unit,
            "frequency": r.frequency or indicator.frequency,
            "aggregate": (
                (r.aggregate or aggregation.ROLL_UP[str(indicator.aggregation)])
                if r.frequency is not None
                else None
            ),
            "transform": r.transform,
            "as_of": r.as_of,
            "vintages": r.vintages,
            "data": records,
            "next": link,
        }
    rendered = shapes.dumps(body)
    series_cache().put(tag, rendered)
    if link is not None:
        series_cache().put(tag + NEXT, link.encode())
    return _json(rendered, tag, link.encode() if link is not None else None)


def _csv_row(point: list[str | bool | None]) -> list[str]:
    """A derived point as CSV: an empty cell for null, true/false for complete."""
    return [
        ("true" if cell else "false") if isinstance(cell, bool) else cell or "" for cell in point
    ]


@lru_cache
def series_cache() -> ResponseCache:
    """Rendered series JSON by ETag: dashboards ask for the same series again and again."""
    return ResponseCache(get_settings().series_cache_mb * 2**20)


# The next page's URL is kept beside a page's body, under its ETag and this suffix.
NEXT = "#next"


def _json(body: bytes, tag: str, link: bytes | None) -> Response:
    headers = {"ETag": tag}
    if link is not None:
        headers["Link"] = f'<{link.decode()}>; rel="next"'
    return Response(body, media_type="application/json", headers=headers)
