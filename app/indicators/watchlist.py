"""The watchlist: every indicator, what needs attention first."""

from datetime import date

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.core.types import decimal_text
from app.indicators.models import Indicator, WatchItem
from app.indicators.progress import TargetStatus
from app.indicators.series import recent_points
from app.indicators.targets import progress_of

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
        last_two = recent_points(session, indicator.id, 2)
        targets = progress_of(session, indicator, today)
        worst = min((t.status for t in targets), key=ATTENTION.__getitem__, default=NO_TARGETS)
        items.append(
            WatchItem(
                id=indicator.id,
                slug=indicator.slug,
                name=indicator.name,
                question=indicator.question,
                unit=indicator.unit,
                aggregation=indicator.aggregation,
                last_value=decimal_text(last_two[-1][1]) if last_two else None,
                last_on=last_two[-1][0] if last_two else None,
                change=decimal_text(last_two[-1][1] - last_two[0][1])
                if len(last_two) == 2
                else None,
                status=worst,
                targets=targets,
            )
        )
    return sorted(items, key=lambda i: (ATTENTION[i.status], i.slug))
