"""Rolling a series up to a lower frequency and FRED's units transforms, on plain values.

Three rules a dashboard can rely on:
- A bucket is complete when the observations' periods cover every day of it (a daily series'
  Saturdays and Sundays may be missing); a roll-up marks each bucket, it never passes a
  quarter with one month for a quarter.
- Changes are calendar lags: `chg` and `pch` compare a period with the previous period,
  `pc1` with the same period a year earlier, found by date (`frequency.Cadence`); when that
  period has no value, or either side is an incomplete bucket, the change is null.
- An average keeps the bucket's stated precision (the most decimal places among its
  values) plus `AVG_EXTRA_PLACES`, rounded half away from zero; sums and last values are exact.
"""

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import StrEnum

from app.indicators.frequency import CADENCES, Cadence, Frequency
from app.quantities.intervals import ARITHMETIC


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
    CHG = "chg"  # change from the previous period
    PCH = "pch"  # percent change from the previous period
    PC1 = "pc1"  # percent change from the same period a year earlier


class Partial(StrEnum):
    """What a roll-up does with a bucket its observations do not cover."""

    MARK = "mark"  # kept, marked complete: false
    OMIT = "omit"  # left out


PERCENT_PLACES = 6
AVG_EXTRA_PLACES = 2


@dataclass(frozen=True, slots=True)
class Observed:
    """An observation as roll-ups read it: its period and value."""

    start: date
    end: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class Point:
    """A point of a derived series, dated at its period's end; value None: no comparison."""

    end: date
    value: Decimal | None
    complete: bool = True


@dataclass(frozen=True, slots=True)
class Lags:
    """Where a point's comparisons are: the previous period's end, the end a year earlier."""

    previous: Callable[[date], date | None]
    year_before: Callable[[date], date | None]
    weekends_optional: bool = False


def native_lags(regular: Cadence) -> Lags:
    """Lags between a series' own periods (an observation dated at its period's end)."""
    return Lags(regular.previous, regular.year_before, regular.weekends_optional)


def bucket_lags(rollup: Rollup) -> Lags:
    """Lags between roll-up buckets: the bucket that holds the date a period (a year) before."""
    regular = CADENCES[Frequency(rollup)]

    def within(step: Callable[[date], date | None]) -> Callable[[date], date | None]:
        def lag(day: date) -> date | None:
            before = step(day)
            return None if before is None else regular.bucket_end(before)

        return lag

    return Lags(within(regular.previous), within(regular.year_before))


def bucket_end(day: date, rollup: Rollup) -> date:
    """The last day of the week (Sunday), month, quarter or year that holds `day`."""
    return CADENCES[Frequency(rollup)].bucket_end(day)


def decimal_places(value: Decimal) -> int:
    """Digits after the point as the value is written: 3.25 has 2, 16500000000 has 0."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    kept = "".join(map(str, digits)).rstrip("0")
    return max(0, -exponent - (len(digits) - len(kept))) if kept else 0


def _rounded(value: Decimal, places: int) -> Decimal:
    """`value` to `places` decimals, half away from zero, however many digits that takes (a
    context of fixed precision would refuse 1E+30 to 40 places)."""
    digits = max(ARITHMETIC.prec, value.adjusted() + places + 2)
    context = Context(prec=digits, rounding=ROUND_HALF_UP, traps=ARITHMETIC.traps)
    return value.quantize(Decimal(1).scaleb(-places), context=context)


def _sum(values: Sequence[Decimal]) -> Decimal:
    """Exact: the default context's 28 digits would round a long sum."""
    total = Decimal(0)
    for value in values:
        total = ARITHMETIC.add(total, value)
    return total


def _average(values: Sequence[Decimal]) -> Decimal:
    places = max(decimal_places(v) for v in values) + AVG_EXTRA_PLACES
    return _rounded(ARITHMETIC.divide(_sum(values), Decimal(len(values))), places)


def _aggregate(values: Sequence[Decimal], how: Aggregate) -> Decimal:
    if how is Aggregate.SUM:
        return _sum(values)
    if how is Aggregate.AVG:
        return _average(values)
    return values[-1]


class Coverage:
    """The days the observations' periods cover, as sorted disjoint runs of ordinals."""

    def __init__(self, observed: Sequence[Observed], *, weekends_optional: bool) -> None:
        runs: list[list[int]] = []
        for lo, hi in sorted((o.start.toordinal(), o.end.toordinal()) for o in observed):
            if runs and lo <= runs[-1][1] + 1:
                runs[-1][1] = max(runs[-1][1], hi)
            else:
                runs.append([lo, hi])
        self.runs = runs
        self.starts = [lo for lo, _ in runs]
        self.weekends_optional = weekends_optional

    def covers(self, first: date, last: date) -> bool:
        """Every day from `first` to `last` is in some observation's period (or is a weekend
        day a daily series may skip)."""
        day, end = first.toordinal(), last.toordinal()
        while True:
            i = bisect_right(self.starts, day) - 1
            if i >= 0 and self.runs[i][1] >= day:
                if self.runs[i][1] >= end:
                    return True
                day = self.runs[i][1] + 1
            elif self.weekends_optional and (day - 1) % 7 >= 5:  # ordinal 1 is a Monday
                if day >= end:
                    return True
                day += 1
            else:
                return False


def roll_up(
    observed: Sequence[Observed], rollup: Rollup, how: Aggregate, *, weekends_optional: bool
) -> list[Point]:
    """One point per bucket that holds an observation's end, dated at the bucket's end and
    marked complete when the observations cover the bucket; observed in (end, start) order."""
    regular = CADENCES[Frequency(rollup)]
    coverage = Coverage(observed, weekends_optional=weekends_optional)
    out: list[Point] = []
    values: list[Decimal] = []
    current: date | None = None

    def close() -> None:
        if current is None:
            return
        complete = coverage.covers(regular.bucket_start(current), current)
        out.append(Point(current, _aggregate(values, how), complete))

    for o in observed:
        end = regular.bucket_end(o.end)
        if end != current:
            close()
            current, values = end, []
        values.append(o.value)
    close()
    return out


def _percent(new: Decimal, old: Decimal) -> Decimal | None:
    if old == 0:
        return None
    change = ARITHMETIC.multiply(
        ARITHMETIC.divide(ARITHMETIC.subtract(new, old), abs(old)), Decimal(100)
    )
    return _rounded(change, PERCENT_PLACES)


def _change(how: Transform, point: Point, base: Point | None) -> Decimal | None:
    if base is None or not (point.complete and base.complete):
        return None
    if point.value is None or base.value is None:
        return None
    if how is Transform.CHG:
        return ARITHMETIC.subtract(point.value, base.value)
    return _percent(point.value, base.value)


def transform(points: Sequence[Point], how: Transform, lags: Lags | None) -> list[Point]:
    """Every point, its value the change against its comparison, None where there is none.

    With `lags` (a regular series) the comparison is the point ending on the lagged date
    (stepping back over a weekend a daily series skips); without (an irregular series, which
    has no period to lag by) chg and pch compare with the previous point, and pc1 cannot be
    asked (the caller refuses it)."""
    if how is Transform.NONE:
        return list(points)
    if lags is None:
        if how is Transform.PC1:
            raise ValueError("pc1 needs a regular frequency")
        bases: list[Point | None] = [None, *points[:-1]] if points else []
        return [
            Point(p.end, _change(how, p, b), p.complete) for p, b in zip(points, bases, strict=True)
        ]
    by_end = {p.end: p for p in points}  # of two periods ending on one day, the shorter

    def base_of(day: date | None) -> Point | None:
        while day is not None:
            if (found := by_end.get(day)) is not None or not lags.weekends_optional:
                return found
            if day.weekday() < 5:
                return None
            day = lags.previous(day)
        return None

    step = lags.year_before if how is Transform.PC1 else lags.previous
    return [Point(p.end, _change(how, p, base_of(step(p.end))), p.complete) for p in points]
