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
WATCH_CSV = (
    *(
        "slug",
        "name",
        "status",
        "last_value",
        "last_on",
        "change",
        "unit",
        "aggregation",
        "due",
        "question",
    ),
    *("goal", "goal_value", "goal_due", "percent_complete"),
    *("open_stale", "open_target_missed", "open_contradicted_by_data"),
    # the sparkline: the newest points' values and period ends, oldest first, joined by ";"
    *("recent_values", "recent_on"),
)


@router.get(
    "", operation_id="watchlist", response_model=list[WatchItem], responses=responses(*AUTH_ERRORS)
)
@router.get(".csv", operation_id="watchlist_csv", **csv_operation(*AUTH_ERRORS))
def get_watchlist(
    session: SessionDep,
    _: Reader,
    format: Representation,
) -> Response | list[WatchItem]:
    """Every indicator: last value, target status, goal, open flags, recent points; worst first.

    CSV: one row an indicator; the flag counts are columns, the recent points two columns of
    values and dates joined by ";"."""
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
                i.aggregation,
                ";".join(t.due_on.isoformat() for t in i.targets),
                i.question,
                i.goal or "",
                i.goal_value or "",
                i.goal_due.isoformat() if i.goal_due else "",
                i.percent_complete or "",
                str(i.open_flag_counts.stale),
                str(i.open_flag_counts.target_missed),
                str(i.open_flag_counts.contradicted_by_data),
                ";".join(p.value for p in i.recent),
                ";".join(p.on.isoformat() for p in i.recent),
            ]
            for i in items
        )
        return csv_response(WATCH_CSV, rows, "watchlist.csv")
    return items
