"""/api/v1/series: several series in one call, long JSON records or a wide CSV, for pandas."""

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response

from app.api.formats import Representation, csv_operation
from app.auth.deps import AUTH_ERRORS, Reader
from app.core.csvstream import csv_response
from app.core.errors import InvalidInput, responses
from app.core.etag import not_modified
from app.core.params import MAX_ID, IsoDate
from app.core.sessions import SessionDep
from app.indicators import panel, series, shapes
from app.indicators.errors import IndicatorNotFound
from app.indicators.shapes import SeriesPoint
from app.indicators.transforms import Aggregate, Rollup, Transform

router = APIRouter(prefix="/api/v1/series", tags=["indicators"])


def _ids(text: str | None) -> list[int]:
    if text is None:
        return []
    try:
        ids = [int(part) for part in text.split(",")]
    except ValueError:
        raise InvalidInput("ids are whole numbers separated by commas", field="ids") from None
    if any(not 1 <= i <= MAX_ID for i in ids):
        raise InvalidInput(f"an id is from 1 to {MAX_ID}", field="ids")
    return ids


@router.get(
    "",
    operation_id="series_many",
    response_model=list[SeriesPoint],
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound, InvalidInput),
        304: {"description": "Not modified"},
    },
)
@router.get(
    ".csv",
    operation_id="series_many_csv",
    **csv_operation(*AUTH_ERRORS, IndicatorNotFound, InvalidInput, not_modified=True),
)
def get_many(
    request: Request,
    session: SessionDep,
    _: Reader,
    format: Representation,
    ids: Annotated[
        str | None, Query(max_length=400, description="indicator ids: 1,2,3 (or `indicators`)")
    ] = None,
    indicators: Annotated[
        str | None, Query(max_length=2000, description="indicator slugs: slug-a,slug-b")
    ] = None,
    start: Annotated[IsoDate | None, Query(alias="from")] = None,
    end: Annotated[IsoDate | None, Query(alias="to")] = None,
    as_of: Annotated[IsoDate | None, Query(description="values as known on this date")] = None,
    vintages: Literal["latest", "first", "all"] = "latest",
    realtime: bool = False,
    frequency: Annotated[Rollup | None, Query(description="roll up to this frequency")] = None,
    aggregate: Annotated[
        Aggregate | None,
        Query(
            description="how a bucket's values combine; default by each indicator's "
            "aggregation: a flow's sum, a stock's last, a rate's average"
        ),
    ] = None,
    transform: Transform = Transform.NONE,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Several series: JSON records each naming its series, or CSV with a column per series.

    Name them by `ids` or by `indicators` (slugs), up to 20; the other parameters are the
    single series' (no pages: 100,000 points in all at most).
    """
    if (ids is None) == (indicators is None):
        raise InvalidInput("give ids or indicators (one of them)", field="ids")
    if start and end and start > end:
        raise InvalidInput("`from` is after `to`", field="from")
    field = "ids" if ids is not None else "indicators"
    slugs = [s for s in (indicators or "").split(",") if s] if indicators is not None else []
    chosen = panel.resolve(session, _ids(ids), slugs, field=field)
    # The CSV and the JSON of one query are two representations: two tags.
    query = request.url.query
    if "format" in query:
        query = request.url.remove_query_params("format").query
    tag = panel.panel_etag(session, chosen, f"{format}?{query}")
    if not_modified(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    q = series.SeriesQuery(
        start=start,
        end=end,
        as_of=as_of,
        all_vintages=vintages == "all",
        first_release=vintages == "first",
        realtime=realtime,
    )
    how = panel.Derivation(frequency, aggregate, transform)
    records = panel.long_records(session, chosen, q, how)
    if format == "csv":
        header, rows = panel.wide_table(chosen, q, records)
        response: Response = csv_response(header, rows, "series.csv")
        response.headers["ETag"] = tag
        return response
    return Response(shapes.dumps(records), media_type="application/json", headers={"ETag": tag})
