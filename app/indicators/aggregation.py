"""How an indicator's values add up over time, and the one rule of what a longer period reads
from a series of a finer frequency (a claim's data check and a target's progress use it).

A period's value, when the series has no observation of exactly that period:
- `flow` (GDP, trade turnover, km built): the sum of the observations of every period of the
  indicator's frequency inside it;
- `rate` (growth, inflation, a share): their plain average;
- `stock` (a population, a capacity, a debt): the value at its end, the observation of its
  last period of the indicator's frequency (earlier ones do not change a level at the end).

The periods of the frequency must tile the longer one exactly (a claim about a month meets a
weekly series nowhere), and each must have a value: a partial sum is never a period's value.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from app.indicators.frequency import cadence
from app.indicators.transforms import Aggregate
from app.quantities.intervals import ARITHMETIC


class Aggregation(StrEnum):
    STOCK = "stock"  # a level on a date
    FLOW = "flow"  # an amount in a period
    RATE = "rate"  # a ratio, a growth or a price


# A roll-up's aggregate when the caller names none: a flow's buckets sum (months into a
# quarter's trade), a stock's is its level at the bucket's end, a rate's the plain average.
ROLL_UP: dict[str, Aggregate] = {
    "flow": Aggregate.SUM,
    "stock": Aggregate.LAST,
    "rate": Aggregate.AVG,
}


def default_aggregation(dimension: str) -> Aggregation:
    """What an indicator that names none holds: a percent or a per-year unit is a rate; any
    other unit a stock (a period's value is its latest: how progress read every series before
    indicators said how they add up)."""
    if dimension == "percent" or dimension.endswith("/yr"):
        return Aggregation.RATE
    return Aggregation.STOCK


Span = tuple[date, date]
MAX_PARTS = 4000  # about eleven years of a daily series: a longer claim meets no sub-periods
T = TypeVar("T")


def parts(frequency: str, start: date, end: date) -> list[Span] | None:
    """The periods of `frequency` that tile [start, end] exactly, in order; None when the
    frequency is irregular or its periods do not tile the span."""
    regular = cadence(frequency)
    if regular is None or end < start:
        return None
    if start > date.min:
        before = start - timedelta(days=1)
        if regular.bucket_end(before) != before:
            return None
    out: list[Span] = []
    day = start
    while True:
        last = regular.bucket_end(day)
        if last > end or len(out) == MAX_PARTS:
            return None
        out.append((day, last))
        if last == end:
            return out
        day = last + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Reading(Generic[T]):
    """A period's value read from a series, the observations it came from, and how."""

    value: Decimal
    used: list[T]
    basis: str


EXACT_BASIS = "the observation of the claim's period"


def _kind(frequency: str) -> str:
    """ "monthly " before a noun; nothing for an irregular series."""
    return "" if cadence(frequency) is None else f"{frequency} "


def _end_word(start: date, end: date) -> str:
    if start.day == 1 and end == date(start.year, 12, 31) and start.month == 1:
        return "year-end value"
    if (
        start.day == 1
        and start.month % 3 == 1
        and (start.month + 2, start.year)
        == (
            end.month,
            end.year,
        )
    ):
        return "quarter-end value"
    if start.day == 1 and (start.month, start.year) == (end.month, end.year):
        return "month-end value"
    return "value at the period's end"


def read_period(
    aggregation: str,
    frequency: str,
    span: Span,
    known: Mapping[Span, T],
    value_of: Callable[[T], Decimal],
) -> Reading[T] | None:
    """The value of `span` from the observations `known` by their (start, end); None when they
    do not cover it (see the module's rule)."""
    exact = known.get(span)
    if exact is not None:
        return Reading(value_of(exact), [exact], EXACT_BASIS)
    tiles = parts(frequency, *span)
    if tiles is None:
        return None
    if aggregation == Aggregation.STOCK:
        last = known.get(tiles[-1])
        if last is None:
            return None
        basis = f"{_end_word(*span)}: the {frequency} observation ending {tiles[-1][1]}"
        return Reading(value_of(last), [last], basis)
    found = [known.get(t) for t in tiles]
    used = [f for f in found if f is not None]
    if len(used) < len(tiles):
        return None
    total = sum((value_of(u) for u in used), Decimal(0))
    n = len(used)
    if aggregation == Aggregation.FLOW:
        return Reading(total, used, f"sum of {n} {_kind(frequency)}observations")
    mean = ARITHMETIC.divide(total, Decimal(n))
    return Reading(mean, used, f"average of {n} {_kind(frequency)}values")


def running_total(
    frequency: str, start: date, points: Sequence[tuple[date, Decimal]]
) -> tuple[list[tuple[date, Decimal]], str]:
    """A flow's total since `start` after each of `points` (period ends in order, each period
    inside [start, …]), and what it sums, saying how many periods of the frequency have no
    value yet (a gap makes the total short, never a guess)."""
    out: list[tuple[date, Decimal]] = []
    total = Decimal(0)
    for day, value in points:
        total += value
        out.append((day, total))
    if not out:
        return out, f"sum from {start}: no observation yet"
    basis = f"sum of {len(out)} {_kind(frequency)}observations from {start} to {out[-1][0]}"
    tiles = parts(frequency, start, out[-1][0])
    if tiles is not None and len(tiles) > len(out):
        basis += f" ({len(tiles) - len(out)} {frequency} periods without a value)"
    return out, basis
