"""`/`: the signed-in home page, the watchlist: every indicator with its sparkline, last value,
change, progress to its goal and open flags, what needs attention first (`indicators.watchlist`
orders them, as `/api/v1/watchlist` does)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from app.auth.policy import Permission
from app.core.models import utcnow
from app.core.sessions import SessionDep
from app.indicators import watchlist
from app.indicators.models import WatchItem
from app.web.numbers import readable
from app.web.render import PageRoute, page
from app.web.sessions import SignedInPage, require

router = APIRouter(route_class=PageRoute, include_in_schema=False)
ReaderPage = Annotated[SignedInPage, Depends(require(Permission.READ))]

STATUS_WORDS = {
    "missed": "missed",
    "at_risk": "at risk",
    "not_started": "not started",
    "on_track": "on track",
    "met": "met",
    "none": "no target",
}
FLAG_WORDS = {
    "stale": "stale",
    "target_missed": "target missed",
    "contradicted_by_data": "contradicted by data",
}


@dataclass(frozen=True)
class WatchRow:
    """A watchlist item as the page shows it."""

    item: WatchItem
    last: str
    change: str
    status: str
    percent: float | None  # of the goal, for the bar (a bar is full at 100)
    flags: list[tuple[str, int]]  # (kind, how many open), the kinds with any

    @property
    def percent_text(self) -> str:
        if self.item.percent_complete is None:
            return "no value in the target's period yet"
        return f"{readable(self.item.percent_complete, 'count')}% of the goal"


def row(item: WatchItem) -> WatchRow:
    counts = item.open_flag_counts.model_dump()
    return WatchRow(
        item=item,
        last=readable(item.last_value, item.unit),
        change=readable(item.change, item.unit, signed=True) if item.change else "—",
        status=STATUS_WORDS.get(item.status, item.status),
        percent=float(Decimal(item.percent_complete)) if item.percent_complete else None,
        flags=[(kind, n) for kind, n in counts.items() if n],
    )


def sparklines(items: list[WatchItem]) -> dict[str, Any]:
    """What chart.js draws: each indicator's recent points, by slug."""
    return {
        i.slug: {
            "name": i.name,
            "unit": i.unit,
            "points": [[p.on, float(Decimal(p.value))] for p in i.recent],
        }
        for i in items
    }


@router.get("/")
def home(request: Request, session: SessionDep, me: ReaderPage) -> Response:
    """The watchlist: every indicator, what needs attention first."""
    items = watchlist.watchlist(session, utcnow().date())
    context = {
        "me": me,
        "can_manage_keys": me.may(Permission.MANAGE_KEYS),
        "rows": [row(i) for i in items],
        "flag_words": FLAG_WORDS,
        "chart_data": {"sparklines": sparklines(items)},
        "nav": "watchlist",
    }
    return page(request, "watchlist.html", context)
