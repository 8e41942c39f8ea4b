"""/api/v1/watchlist: every indicator, what needs attention first."""

from fastapi import APIRouter, Response

from app.api.formats import Representation, csv_operation
from app.auth.deps import AUTH_ERRORS, Reader
from app.core.csvstream import csv_response
from app.core.errors import responses
from app.core.models import utcnow
from app.core.sessions import SessionDep
from app.indicators import watchlist
from app.indicators.models import WatchItem

router = APIRouter(prefix="/api/v1/watchlist", tags=["indicators"])
WATCH_CSV = ("slug", "name", "status", "last_value", "last_on", "change", "unit", "due", "question")


@router.get(
    "", operation_id="watchlist", response_model=list[WatchItem], responses=responses(*AUTH_ERRORS)
)
@router.get(".csv", operation_id="watchlist_csv", **csv_operation(*AUTH_ERRORS))
def get_watchlist(
    session: SessionDep,
    _: Reader,
    format: Representation,
) -> Response | list[WatchItem]:
    """Every indicator with its last value and target status, what needs attention first."""
    items = watchlist.watchlist(session, utcnow().date())
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
