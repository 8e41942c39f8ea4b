"""How a target stands against its series: pure arithmetic on dates and Decimals.

The points are the series' values (a stock's or a rate's latest value is its standing), or a
flow's running total over the target's period (`targets.py` makes them).

The goal shown, and the one percent and pace are reckoned against, is the figure as written
("900 km": 900; of a range the end that counts); whether it is met is judged on the interval
the words stand for (899.5 km meets "900 km").

Status rule:
- `not_started`: no observation yet.
- `met`: the latest value reaches the goal (the target's low end when up is good, its high
  end when down is good, inside the interval when neutral).
- `missed`: the due date has passed and the latest value does not reach the goal.
- `on_track`: not met, not due, and the linear trend of the last observations (least squares
  over up to six points) reaches the goal by the due date.
- `at_risk`: not met, not due, and the trend does not reach the goal by the due date, or
  there are fewer than two observations to draw a trend from.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.indicators.models import Direction
from app.quantities import Bound, Interval
from app.quantities.intervals import ARITHMETIC


class TargetStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MET = "met"
    MISSED = "missed"


TREND_POINTS = 6
PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Progress:
    status: TargetStatus
    latest: Decimal | None
    latest_on: date | None
    goal: Decimal
    percent_of_target: Decimal | None
    required_per_day: Decimal | None
    projected: Decimal | None


def goal_of(target: Interval, value: Decimal, direction: str) -> Decimal:
    if direction == Direction.UP_IS_GOOD:
        return target.low if target.low is not None else value
    if direction == Direction.DOWN_IS_GOOD:
        return target.high if target.high is not None else value
    return value


def written_goal(target: Interval, value: Decimal, bound: str, direction: str) -> Decimal:
    """The target's figure as written: its value, or of a range the end `goal_of` takes."""
    return goal_of(target, value, direction) if bound == Bound.RANGE else value


def reaches(x: Decimal, goal: Decimal, target: Interval, direction: str) -> bool:
    if direction == Direction.UP_IS_GOOD:
        return x > goal if target.low_open else x >= goal
    if direction == Direction.DOWN_IS_GOOD:
        return x < goal if target.high_open else x <= goal
    return target.contains(x)


def _slope_per_day(points: Sequence[tuple[date, Decimal]]) -> Decimal | None:
    recent = points[-TREND_POINTS:]
    if len(recent) < 2:
        return None
    xs = [Decimal(d.toordinal()) for d, _ in recent]
    ys = [v for _, v in recent]
    n = Decimal(len(recent))
    mean_x = ARITHMETIC.divide(sum(xs, Decimal(0)), n)
    mean_y = ARITHMETIC.divide(sum(ys, Decimal(0)), n)
    var = sum(((x - mean_x) ** 2 for x in xs), Decimal(0))
    if var == 0:
        return None
    cov = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Decimal(0))
    return ARITHMETIC.divide(cov, var)


def progress(
    points: Sequence[tuple[date, Decimal]],
    *,
    target: Interval,
    value: Decimal,
    bound: str,
    due_on: date,
    direction: str,
    today: date,
) -> Progress:
    """Where the latest value stands against the target, and where the trend leads."""
    goal = goal_of(target, value, direction)
    shown = written_goal(target, value, bound, direction)
    if not points:
        return Progress(TargetStatus.NOT_STARTED, None, None, shown, None, None, None)
    latest_on, latest = points[-1]
    percent = (
        ARITHMETIC.multiply(ARITHMETIC.divide(latest, shown), Decimal(100)).quantize(PLACES)
        if shown != 0
        else None
    )
    days_left = (due_on - max(today, latest_on)).days
    required = (
        ARITHMETIC.divide(shown - latest, Decimal(days_left)).quantize(PLACES)
        if days_left > 0
        else None
    )
    slope = _slope_per_day(points)
    projected = (
        (latest + slope * Decimal((due_on - latest_on).days)).quantize(PLACES)
        if slope is not None
        else None
    )
    if reaches(latest, goal, target, direction):
        status = TargetStatus.MET
    elif today > due_on:
        status = TargetStatus.MISSED
    elif projected is not None and reaches(projected, goal, target, direction):
        status = TargetStatus.ON_TRACK
    else:
        status = TargetStatus.AT_RISK
    return Progress(status, latest, latest_on, shown, percent, required, projected)
