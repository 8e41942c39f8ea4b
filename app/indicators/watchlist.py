"""The watchlist: every indicator, what needs attention first, with its open flags, headline goal
and a few recent points."""

from collections import defaultdict
from datetime import date

from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim
from app.core.types import decimal_text
from app.indicators.frequency import cadence
from app.indicators.models import (
    FlagRef,
    Indicator,
    OpenFlagCounts,
    RecentPoint,
    Target,
    TargetProgress,
    WatchItem,
)
from app.indicators.progress import TREND_POINTS, TargetStatus
from app.indicators.series import recent_points_of_all
from app.indicators.targets import progress_of, targets_of_all
from app.indicators.transforms import Point, Transform, native_lags, transform
from app.review.models import Flag, FlagClaim, FlagKind, FlagStatus

# The newest points: the sparkline, and the change from the previous period, which is among them
# when it has a value (a daily series' Friday before a Monday, a period of another length).
RECENT = 8
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
STALE_KEY, TARGET_KEY = "stale:", "target:"  # the group keys `checks` gives these flags


def open_flags(session: Session, indicators: list[Indicator]) -> dict[int, list[FlagRef]]:
    """Each indicator's open flags, in three queries for all: its stale flag, its targets'
    target_missed flags, and the contradicted_by_data flags of the claims its data meet (same
    entity, metric and unit: `datacheck`)."""
    found: dict[int, list[FlagRef]] = defaultdict(list)
    target_of = dict(session.execute(sa_select(col(Target.id), col(Target.indicator_id))).all())
    for flag_id, kind, key in session.execute(
        sa_select(col(Flag.id), col(Flag.kind), col(Flag.group_key)).where(
            col(Flag.status) == FlagStatus.OPEN,
            col(Flag.kind).in_((FlagKind.STALE, FlagKind.TARGET_MISSED)),
        )
    ):
        if key.startswith(STALE_KEY) and key.removeprefix(STALE_KEY).isdigit():
            found[int(key.removeprefix(STALE_KEY))].append(FlagRef(id=flag_id, kind=kind))
        elif key.startswith(TARGET_KEY) and key.removeprefix(TARGET_KEY).isdigit():
            indicator_id = target_of.get(int(key.removeprefix(TARGET_KEY)))
            if indicator_id is not None:
                found[indicator_id].append(FlagRef(id=flag_id, kind=kind))
    by_key = {(i.entity_id, i.metric_id, i.unit): i.id for i in indicators}
    for flag_id, entity_id, metric_id, unit in session.execute(
        sa_select(col(Flag.id), col(Claim.entity_id), col(Claim.metric_id), col(Claim.unit))
        .join(FlagClaim, col(FlagClaim.flag_id) == col(Flag.id))
        .join(Claim, col(Claim.id) == col(FlagClaim.claim_id))
        .where(
            col(Flag.status) == FlagStatus.OPEN,
            col(Flag.kind) == FlagKind.CONTRADICTED_BY_DATA,
        )
    ):
        indicator_id = by_key.get((entity_id, metric_id, unit))
        if indicator_id is not None:
            found[indicator_id].append(FlagRef(id=flag_id, kind=FlagKind.CONTRADICTED_BY_DATA))
    return {i: sorted(refs, key=lambda r: (r.kind, r.id)) for i, refs in found.items()}


def counts(refs: list[FlagRef]) -> OpenFlagCounts:
    kinds = [r.kind for r in refs]
    return OpenFlagCounts(
        stale=kinds.count(FlagKind.STALE),
        target_missed=kinds.count(FlagKind.TARGET_MISSED),
        contradicted_by_data=kinds.count(FlagKind.CONTRADICTED_BY_DATA),
    )


def headline(targets: list[TargetProgress]) -> TargetProgress | None:
    """The target that sets the item's status: the worst status, then the first due."""
    return min(targets, key=lambda t: (ATTENTION[t.status], t.due_on, t.target_id), default=None)


def watchlist(session: Session, today: date) -> list[WatchItem]:
    """Every indicator, what needs attention first: missed, at risk, not started, on track, met.
    Read set-based, whatever the number of indicators: the indicators, their open flags, their
    targets and their newest points in a few statements (a flow's targets read its totals)."""
    indicators = list(session.execute(select(Indicator).order_by(col(Indicator.slug))).scalars())
    flagged = open_flags(session, indicators)
    every_target = targets_of_all(session)
    newest = recent_points_of_all(session, max(RECENT, TREND_POINTS))
    items = []
    for indicator in indicators:
        assert indicator.id is not None
        points = newest.get(indicator.id, [])
        recent = [Point(end, value) for end, value in points[-RECENT:]]
        regular = cadence(str(indicator.frequency))
        changes = transform(
            recent, Transform.CHG, native_lags(regular) if regular is not None else None
        )
        targets = progress_of(
            session,
            indicator,
            today,
            targets=every_target.get(indicator.id, []),
            recent=points,
        )
        top = headline(targets)
        refs = flagged.get(indicator.id, [])
        items.append(
            WatchItem(
                id=indicator.id,
                slug=indicator.slug,
                name=indicator.name,
                question=indicator.question,
                unit=indicator.unit,
                aggregation=indicator.aggregation,
                last_value=decimal_text(recent[-1].value) if recent else None,
                last_on=recent[-1].end if recent else None,
                # From the previous period by date, as the series' chg: None when it has none.
                change=decimal_text(changes[-1].value) if changes else None,
                status=top.status if top is not None else NO_TARGETS,
                goal=top.value_text if top is not None else None,
                goal_value=top.goal if top is not None else None,
                goal_due=top.due_on if top is not None else None,
                percent_complete=top.percent_of_target if top is not None else None,
                open_flags=refs,
                open_flag_counts=counts(refs),
                recent=[RecentPoint(on=p.end, value=decimal_text(p.value) or "0") for p in recent],
                targets=targets,
            )
        )
    return sorted(items, key=lambda i: (ATTENTION[i.status], i.slug))
