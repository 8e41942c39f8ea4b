"""Targets: set them from text, and each one's progress against the series."""

from datetime import date

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim
from app.core.errors import InvalidInput
from app.core.types import decimal_text
from app.indicators.models import Indicator, Target, TargetCreate, TargetProgress
from app.indicators.progress import TREND_POINTS, progress
from app.indicators.series import recent_points
from app.indicators.service import event, get
from app.quantities import Interval, QuantityError, parse_quantity


def add_target(
    session: Session, indicator_id: int, data: TargetCreate, *, actor_id: int | None
) -> Target:
    """A target read from text ("more than $100 billion"), in the indicator's unit."""
    indicator = get(session, indicator_id)
    try:
        q = parse_quantity(data.value_text, default_unit=indicator.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="value_text") from exc
    if q.dimension != indicator.dimension:
        raise InvalidInput(
            f"a {q.dimension} cannot be a target of this indicator", field="value_text"
        )
    if q.unit != indicator.unit:
        raise InvalidInput(f"give the target in {indicator.unit}", field="value_text")
    if data.claim_id is not None and session.get(Claim, data.claim_id) is None:
        raise InvalidInput(f"no claim {data.claim_id}", field="claim_id")
    target = Target(
        indicator_id=indicator_id,
        value_text=data.value_text,
        value=q.value,
        bound=q.bound,
        low=q.interval.low,
        high=q.interval.high,
        low_open=q.interval.low_open,
        high_open=q.interval.high_open,
        due_on=data.due_on,
        claim_id=data.claim_id,
    )
    session.add(target)
    session.flush()
    event(session, indicator, "target_added", actor_id, target=data.model_dump(mode="json"))
    return target


def progress_of(session: Session, indicator: Indicator, today: date) -> list[TargetProgress]:
    """Each target of the indicator against its series (see app/indicators/progress.py)."""
    assert indicator.id is not None
    points = recent_points(session, indicator.id, TREND_POINTS)
    targets = session.execute(
        select(Target).where(col(Target.indicator_id) == indicator.id).order_by(col(Target.due_on))
    ).scalars()
    out = []
    for t in targets:
        assert t.id is not None
        p = progress(
            points,
            target=Interval(t.low, t.high, t.low_open, t.high_open),
            value=t.value,
            due_on=t.due_on,
            direction=str(indicator.direction),
            today=today,
        )
        out.append(
            TargetProgress(
                target_id=t.id,
                value_text=t.value_text,
                due_on=t.due_on,
                status=p.status,
                goal=decimal_text(p.goal) or "0",
                latest=decimal_text(p.latest),
                latest_on=p.latest_on,
                percent_of_target=decimal_text(p.percent_of_target),
                required_per_day=decimal_text(p.required_per_day),
                projected=decimal_text(p.projected),
            )
        )
    return out
