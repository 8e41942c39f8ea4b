"""`/indicators/{id or slug}`: an indicator's series chart with its targets and the claims about
it, as known on a day (`?as_of=`); its series as CSV or JSON under the session (the API's need
a key), from the same series functions as `/api/v1/indicators/{id}/series`."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.policy import Permission
from app.core.csvstream import csv_response
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.core.sessions import SessionDep
from app.indicators import observations, service, shapes
from app.indicators.errors import IndicatorNotFound
from app.indicators.models import Indicator
from app.indicators.series import SeriesQuery
from app.web.chart_data import indicator_view, series_rows
from app.web.render import PAGE_HEADERS, PageRoute, page
from app.web.sessions import SignedInPage, require

router = APIRouter(prefix="/indicators", route_class=PageRoute, include_in_schema=False)
ReaderPage = Annotated[SignedInPage, Depends(require(Permission.READ))]
AsOf = Annotated[str, Query(max_length=20, description="values as known on this day")]


def by_ref(session: Session, ref: str) -> Indicator:
    """The indicator a path names: digits are an id, anything else a slug (404 page if none)."""
    if ref.isdigit():
        if len(ref) > 12:
            raise IndicatorNotFound(f"no indicator {ref}")
        return service.get(session, int(ref))
    return service.get(session, service.id_of(session, ref))


def _as_of(text: str) -> date | None:
    """The as-of day of the form: empty for today's values."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("give the as-of day as YYYY-MM-DD", field="as_of") from None


@router.get("/{ref}")
def indicator_page(
    request: Request, session: SessionDep, me: ReaderPage, ref: str, as_of: AsOf = ""
) -> Response:
    """The series chart, targets, claims as intervals, vintages, downloads."""
    indicator = by_ref(session, ref)
    assert indicator.id is not None
    day = _as_of(as_of)
    view = indicator_view(session, indicator, day, utcnow().date())
    view.vintages = observations.vintage_dates(session, indicator.id)
    suffix = f"?as_of={day.isoformat()}" if day else ""
    context = {
        "me": me,
        "can_manage_keys": me.may(Permission.MANAGE_KEYS),
        "view": view,
        "i": view.indicator,
        "downloads": {
            "csv": f"/indicators/{indicator.slug}/series.csv{suffix}",
            "json": f"/indicators/{indicator.slug}/series.json{suffix}",
            "api_csv": f"/api/v1/indicators/{indicator.slug}/series.csv{suffix}",
            "api_json": f"/api/v1/indicators/{indicator.slug}/series{suffix}",
        },
        "chart_data": view.chart(),
    }
    return page(request, "indicator.html", context)


@router.get("/{ref}/series.csv")
def series_csv(session: SessionDep, _: ReaderPage, ref: str, as_of: AsOf = "") -> Response:
    """The series as known on `as_of`, as the API's CSV (the exact decimals)."""
    indicator = by_ref(session, ref)
    assert indicator.id is not None
    q = SeriesQuery(as_of=_as_of(as_of))
    cells = shapes.csv_rows(series_rows(session, indicator.id, q), q)
    response = csv_response(shapes.csv_header(q), cells, f"{indicator.slug}.csv")
    response.headers.update(PAGE_HEADERS)
    return response


@router.get("/{ref}/series.json")
def series_json(session: SessionDep, _: ReaderPage, ref: str, as_of: AsOf = "") -> Response:
    """The series as known on `as_of`, as the API's JSON records."""
    indicator = by_ref(session, ref)
    assert indicator.id is not None
    q = SeriesQuery(as_of=_as_of(as_of))
    records = [shapes.record(r, q) for r in series_rows(session, indicator.id, q)]
    return Response(
        shapes.dumps(records),
        media_type="application/json",
        headers={
            **PAGE_HEADERS,
            "Content-Disposition": f'attachment; filename="{indicator.slug}.json"',
        },
    )
