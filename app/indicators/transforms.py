"""Rolling a series up to a lower frequency and FRED's units transforms, on plain values."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

from app.indicators.frequency import CADENCES, Frequency
from app.quantities.intervals import ARITHMETIC

Point = tuple[date, Decimal]  # (period end, value)


# The frequencies a series can be rolled up to, each one of `Frequency`'s.
class Rollup(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class Aggregate(StrEnum):
    AVG = "avg"
    SUM = "sum"
    LAST = "last"


class Transform(StrEnum):
    NONE = "none"
    CHG = "chg"  # change from the previous point
    PCH = "pch"  # percent change from the previous point
    PC1 = "pc1"  # percent change from a year ago


PERCENT_PLACES = Decimal("0.000001")


def bucket_end(day: date, rollup: Rollup) -> date:
    """The last day of the week (Sunday), month, quarter or year that holds `day`."""
    return CADENCES[Frequency(rollup)].bucket_end(day)


def roll_up(points: Iterable[Point], rollup: Rollup, how: Aggregate) -> list[Point]:
    """One point per bucket, dated at the bucket's end; points must come in date order."""
    out: list[Point] = []
    current: date | None = None
    values: list[Decimal] = []

    def close() -> None:
        if current is None:
            return
        if how is Aggregate.SUM:
            total = sum(values, Decimal(0))
        elif how is Aggregate.AVG:
            total = ARITHMETIC.divide(sum(values, Decimal(0)), Decimal(len(values)))
        else:
            total = values[-1]
        out.append((current, total.normalize()))

    end_of = CADENCES[Frequency(rollup)].bucket_end
    for day, value in points:
        end = end_of(day)
        if end != current:
            close()
            current, values = end, []
        values.append(value)
    close()
    return out


def _percent(new: Decimal, old: Decimal) -> Decimal | None:
    if old == 0:
        return None
    change = ARITHMETIC.multiply(ARITHMETIC.divide(new - old, abs(old)), Decimal(100))
    return change.quantize(PERCENT_PLACES).normalize()


def transform(points: list[Point], how: Transform, per_year: int) -> list[Point]:
    """chg and pch against the previous point; pc1 against the point `per_year` before.

    Points with no earlier point to compare with (or a zero base) are dropped, as FRED does.
    """
    if how is Transform.NONE:
        return points
    lag = per_year if how is Transform.PC1 else 1
    out: list[Point] = []
    for i in range(lag, len(points)):
        day, value = points[i]
        base = points[i - lag][1]
        if how is Transform.CHG:
            out.append((day, (value - base).normalize()))
        else:
            pct = _percent(value, base)
            if pct is not None:
                out.append((day, pct))
    return out
