"""Targets: set them from text, and each one's progress against the series."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim
from app.core.errors import InvalidInput
from app.core.statements import fetch
from app.core.types import decimal_text
from app.core.versioning import bump_version
from app.indicators.aggregation import Aggregation, running_total
from app.indicators.errors import TargetNotFound
from app.indicators.models import (
    Indicator,
    Observation,
    Target,
    TargetCreate,
    TargetProgress,
    TargetUpdate,
)
from app.indicators.progress import TREND_POINTS, progress
from app.indicators.series import recent_points
from app.indicators.service import event, get
from app.quantities import Interval, QuantityError, parse_quantity

LATEST_BASIS = "latest value"


def _columns(
    session: Session,
    indicator: Indicator,
    value_text: str,
    due_on: date,
    period_start: date | None,
    claim_id: int | None,
) -> dict[str, Any]:
    """A target's columns read from text in the indicator's unit, about the period from
    `period_start` (given, else the start of its claim's period) to its due date."""
    try:
        q = parse_quantity(value_text, default_unit=indicator.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="value_text") from exc
    if q.dimension != indicator.dimension:
        raise InvalidInput(
            f"a {q.dimension} cannot be a target of this indicator", field="value_text"
        )
    if q.unit != indicator.unit:
        raise InvalidInput(f"give the target in {indicator.unit}", field="value_text")
    claim = session.get(Claim, claim_id) if claim_id is not None else None
    if claim_id is not None and claim is None:
        raise InvalidInput(f"no claim {claim_id}", field="claim_id")
    start = period_start
    if start is None and claim is not None:
        start = claim.period_start
    if start is not None and start > due_on:
        raise InvalidInput(f"the period starts after the due date {due_on}", field="period_start")
    if start is None and indicator.aggregation == Aggregation.FLOW:
        raise InvalidInput(
            "a target on a flow is a sum over a period: give period_start (or a claim_id whose "
            "claim names a period)",
            field="period_start",
        )
    return {
        "value_text": value_text,
        "value": q.value,
        "bound": q.bound,
        "low": q.interval.low,
        "high": q.interval.high,
        "low_open": q.interval.low_open,
        "high_open": q.interval.high_open,
        "period_start": start,
        "due_on": due_on,
        "claim_id": claim_id,
    }


def _snapshot(target: Target) -> dict[str, Any]:
    """A target as its events record it."""
    return {
        "id": target.id,
        "value_text": target.value_text,
        "due_on": target.due_on.isoformat(),
        "period_start": target.period_start.isoformat() if target.period_start else None,
        "claim_id": target.claim_id,
    }


def add_target(
    session: Session, indicator_id: int, data: TargetCreate, *, actor_id: int | None
) -> Target:
    """A target read from text ("more than $100 billion"), in the indicator's unit, about the
    period from `period_start` (given, else the start of its claim's period) to its due date."""
    indicator = get(session, indicator_id)
    columns = _columns(
        session, indicator, data.value_text, data.due_on, data.period_start, data.claim_id
    )
    target = Target(indicator_id=indicator_id, **columns)
    session.add(target)
    session.flush()
    start = columns["period_start"]
    made = data.model_dump(mode="json") | {
        "period_start": start.isoformat() if start is not None else None
    }
    event(session, indicator, "target_added", actor_id, target=made)
    return target


def get_target(session: Session, indicator_id: int, target_id: int) -> Target:
    """One target of this indicator; 404 for the indicator or it."""
    get(session, indicator_id)
    target = session.get(Target, target_id)
    if target is None or target.indicator_id != indicator_id:
        raise TargetNotFound(f"indicator {indicator_id} has no target {target_id}")
    return target


def update_target(
    session: Session,
    indicator_id: int,
    target_id: int,
    data: TargetUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Target:
    """A target's value, due date or period changed (the fields sent; the rest kept), read as
    a new one is. Targets are part of their indicator: the indicator takes its next version
    (from `expected_version`, 412 when stale) and records `indicator.target_changed`."""
    target = get_target(session, indicator_id, target_id)
    indicator = get(session, indicator_id)
    sent = data.model_fields_set
    columns = _columns(
        session,
        indicator,
        data.value_text if data.value_text is not None else target.value_text,
        data.due_on if data.due_on is not None else target.due_on,
        data.period_start if "period_start" in sent else target.period_start,
        target.claim_id,
    )
    before = _snapshot(target)
    bump_version(session, Indicator, indicator_id, expected_version, "indicator")
    session.refresh(indicator)
    for name, value in columns.items():
        setattr(target, name, value)
    session.flush()
    event(session, indicator, "target_changed", actor_id, before=before, target=_snapshot(target))
    return target


def remove_target(
    session: Session,
    indicator_id: int,
    target_id: int,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Indicator:
    """A target taken off its indicator (the indicator's next version, 412 when stale); its
    fields are kept in the `indicator.target_removed` event."""
    target = get_target(session, indicator_id, target_id)
    indicator = get(session, indicator_id)
    before = _snapshot(target)
    bump_version(session, Indicator, indicator_id, expected_version, "indicator")
    session.refresh(indicator)
    session.delete(target)
    session.flush()
    event(session, indicator, "target_removed", actor_id, target=before)
    return indicator


# A flow's values inside a target's period, oldest vintage first (the latest of each stays).
WITHIN = (
    sa_select(
        col(Observation.period_start),
        col(Observation.period_end),
        col(Observation.value),
    )
    .where(
        col(Observation.indicator_id) == bindparam("id"),
        col(Observation.period_start) >= bindparam("start"),
        col(Observation.period_end) <= bindparam("end"),
    )
    .order_by(col(Observation.vintage), col(Observation.id))
)


def flow_points(
    session: Session, indicator: Indicator, start: date, end: date
) -> tuple[list[tuple[date, Decimal]], str]:
    """A flow's running total over [start, end], as known today: the latest vintage of each
    observation whose whole period lies inside (one straddling an end is left out), summed in
    period order; and what the total is (`aggregation.running_total`)."""
    known = {
        (r.period_start, r.period_end): r.value
        for r in fetch(session, WITHIN, {"id": indicator.id, "start": start, "end": end})
    }
    ordered = [(span[1], value) for span, value in sorted(known.items())]
    return running_total(str(indicator.frequency), start, ordered)


def targets_of_all(session: Session) -> dict[int, list[Target]]:
    """Every indicator's targets, by indicator id, each's by due date: one query for a list
    of indicators (`progress_of`'s `targets`)."""
    found: dict[int, list[Target]] = {}
    for t in session.execute(select(Target).order_by(col(Target.due_on), col(Target.id))).scalars():
        found.setdefault(t.indicator_id, []).append(t)
    return found


def progress_of(
    session: Session,
    indicator: Indicator,
    today: date,
    *,
    targets: list[Target] | None = None,
    recent: list[tuple[date, Any]] | None = None,
) -> list[TargetProgress]:
    """Each target of the indicator against its series (see app/indicators/progress.py): a
    flow's total over the target's period, a stock's or a rate's latest value. A list of
    indicators reads theirs once for all: `targets` (`targets_of_all`) and `recent`, the
    series' newest points as known today, oldest first (`series.recent_points_of_all`)."""
    assert indicator.id is not None
    if targets is None:
        targets = list(
            session.execute(
                select(Target)
                .where(col(Target.indicator_id) == indicator.id)
                .order_by(col(Target.due_on))
            ).scalars()
        )
    if not targets:
        latest: list[tuple[date, Any]] = []
    elif recent is not None:
        latest = recent[-TREND_POINTS:]
    else:
        latest = recent_points(session, indicator.id, TREND_POINTS)
    out = []
    for t in targets:
        assert t.id is not None
        points, basis = latest, LATEST_BASIS
        if indicator.aggregation == Aggregation.FLOW:
            # Targets set before their indicator was a flow may name no start: the due date's
            # year is then the period, and the basis says so.
            start = t.period_start or date(t.due_on.year, 1, 1)
            points, basis = flow_points(session, indicator, start, t.due_on)
            if t.period_start is None:
                basis += " (the target names no start: its due date's year)"
        p = progress(
            points,
            target=Interval(t.low, t.high, t.low_open, t.high_open),
            value=t.value,
            bound=t.bound,
            due_on=t.due_on,
            direction=str(indicator.direction),
            today=today,
        )
        out.append(
            TargetProgress(
                target_id=t.id,
                value_text=t.value_text,
                period_start=t.period_start,
                due_on=t.due_on,
                status=p.status,
                goal=decimal_text(p.goal) or "0",
                basis=basis,
                latest=decimal_text(p.latest),
                latest_on=p.latest_on,
                percent_of_target=decimal_text(p.percent_of_target),
                required_per_day=decimal_text(p.required_per_day),
                projected=decimal_text(p.projected),
            )
        )
    return out
