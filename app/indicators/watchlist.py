"""The watchlist: every indicator, what needs attention first."""

from datetime import date

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.core.types import decimal_text
from app.indicators.frequency import cadence
from app.indicators.models import Indicator, WatchItem
from app.indicators.progress import TargetStatus
from app.indicators.series import recent_points
from app.indicators.targets import progress_of
from app.indicators.transforms import Point, Transform, native_lags, transform

# The newest points read for the change: the previous period is among them when it has a value
# (a daily series' Friday before a Monday, a period of another length ending between).
RECENT = 4
NO_TARGETS = "none"  # the watchlist status of an indicator without targets
# What needs attention first.
ATTENTION: dict[str, int] = {
    TargetStatus.MISSED: 0,
    TargetStatus.AT_RISK: 1,
    TargetStatus.NOT_STARTED: 2,
    TargetStatus.ON_TRACK: 3,
    TargetStatus.MET: 4,
    NO_TARGETS: 5,
}


def watchlist(session: Session, today: date) -> list[WatchItem]:
    """Every indicator, what needs attention first: missed, at risk, not started, on track, met."""
    items = []
    for indicator in session.execute(select(Indicator).order_by(col(Indicator.slug))).scalars():
        assert indicator.id is not None
        recent = [Point(end, value) for end, value in recent_points(session, indicator.id, RECENT)]
        regular = cadence(str(indicator.frequency))
        changes = transform(
            recent, Transform.CHG, native_lags(regular) if regular is not None else None
        )
        targets = progress_of(session, indicator, today)
        worst = min((t.status for t in targets), key=ATTENTION.__getitem__, default=NO_TARGETS)
        items.append(
            WatchItem(
                id=indicator.id,
                slug=indicator.slug,
                name=indicator.name,
                question=indicator.question,
                unit=indicator.unit,
                last_value=decimal_text(recent[-1].value) if recent else None,
                last_on=recent[-1].end if recent else None,
                # From the previous period by date, as the series' chg: None when it has none.
                change=decimal_text(changes[-1].value) if changes else None,
                status=worst,
                targets=targets,
            )
        )
    return sorted(items, key=lambda i: (ATTENTION[i.status], i.slug))
