"""The quantity read from a figure, and how settled figures become one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from app.quantities.errors import QuantityError
from app.quantities.figures import Figure
from app.quantities.intervals import (
    ARITHMETIC,
    Bound,
    Interval,
    Qualifier,
    interval_for,
    range_interval,
)
from app.quantities.unit_phrases import is_rate, name
from app.quantities.units import MONEY, Unit, agree, base_of, lookup_unit, plain, rate, settle_money

__all__ = ["INDEX_BASE", "MAX_MAGNITUDE", "FigureType", "Quantity", "build", "settle_units"]

MAX_MAGNITUDE = Decimal(10) ** 24
"""Values must be smaller than this in absolute value (in their canonical unit).

The largest real claims are world GDP-sized (~10^14 USD) or in weak currencies (~10^17); a
larger figure is a typo or an attempt to make the service compute with huge exponents.
"""

INDEX_BASE = Decimal(100)
"""Growth indices are written against a base of 100 ("105.3%" = 5.3% growth)."""


class FigureType(StrEnum):
    """What a figure is of the thing it measures (apart from a claim's kind).

    A level is the thing's own value ("$44 billion"); the others are relative, each in one
    unit: a change in ``percent`` ("rose 38%": 38; "fell 12%": -12), in percentage points
    ``pp`` ("up 3 pp": 3; "75 basis points": 0.75) or, written so, in the thing's own unit
    ("rose by $5 billion"); a multiple as a ``factor`` ("doubled": 2); a share in ``percent``
    ("a quarter": 25, "40% of": 40).
    """

    LEVEL = "level"
    CHANGE = "change"
    MULTIPLE = "multiple"
    SHARE = "share"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure as read: its value and interval in the canonical unit, and the text it came from.

    ``value`` is the stated value (for a range, its midpoint); ``interval`` is every value the
    wording allows (see `interval_for`); ``figure_type`` says whether it is a level or a
    change, multiple or share (`FigureType`).
    """

    value: Decimal
    unit: str
    dimension: str
    bound: Bound
    interval: Interval
    text: str
    figure_type: FigureType = FigureType.LEVEL

    @property
    def low(self) -> Decimal | None:
        return self.interval.low

    @property
    def high(self) -> Decimal | None:
        return self.interval.high


_COUNT = lookup_unit("count")
_ONE = Decimal(1)
_HALF = Decimal("0.5")


def _names(units: list[Unit]) -> str:
    return " and ".join(sorted({name(u) for u in units}))


def _settle_currency(figures: list[Figure], default: Unit | None, original: str) -> list[Figure]:
    """Every currency written in a figure names one: a sign settled by a code on either end
    ("¥5 billion to 7 billion yen"), else by the metric's unit, else its usual reading."""
    money = [f.unit for f in figures if f.unit is not None and f.unit.dimension == MONEY]
    if not money:
        return figures
    merged: Unit | None = money[0]
    for unit in money[1:]:
        merged = None if merged is None else agree(merged, unit)
    if merged is None:
        raise QuantityError("mixed_units", f"'{original}' mixes units that differ: {_names(money)}")
    merged = settle_money(merged, default, original)
    return [
        replace(f, unit=merged)
        if f.unit is not None and f.unit.dimension == MONEY and f.unit is not merged
        else f
        for f in figures
    ]


def _settle_rates(
    figures: list[Figure], shared: Unit, default: Unit | None, original: str
) -> list[Figure]:
    """Give every figure its unit, and make it a rate when one is written ("5-7 Mt a year")."""
    pers = {f.per for f in figures if f.per is not None}
    if len(pers) > 1:
        a, b = sorted(pers)
        raise QuantityError("mixed_units", f"'{original}' names two rates: per {a} and per {b}")
    shared_per = next(iter(pers), None)
    settled: list[Figure] = []
    for figure in figures:
        unit, per = figure.unit, figure.per
        if unit is None:
            unit, per = shared, per or shared_per
            if per is not None and unit is default:
                # "5 million a year" for a metric kept in m3/yr: the rate is of its unit.
                unit = base_of(unit)
        elif per is None and not is_rate(unit):
            per = shared_per
        if per is not None:
            unit = rate(unit, per, original)
        # A replace costs a figure's making again: made only when the unit or rate changes.
        same = unit is figure.unit and figure.per is None
        settled.append(figure if same else replace(figure, unit=unit, per=None))
    return settled


def settle_units(figures: list[Figure], default: Unit | None, original: str) -> list[Figure]:
    """Give every figure its scale and unit, sharing what a range writes only once."""
    context = next((f.unit for f in figures if f.unit is not None), default)
    settled: list[Figure] = []
    for figure in figures:
        if figure.bare_m:
            # "$5m" is five million dollars and "500 m to 1 km" metres; with nothing to tell
            # them apart, "5m" is refused rather than guessed.
            if context is None:
                raise QuantityError(
                    "ambiguous_unit",
                    f"'m' in '{original}' could be million or metres: write 'mln' or 'metres'",
                )
            if context.dimension == "length":
                figure = replace(figure, unit=lookup_unit("m"), bare_m=False)
            else:
                figure = replace(figure, scale=6, bare_m=False)
        settled.append(figure)

    settled = _settle_currency(settled, default, original)
    shared = next((f.unit for f in settled if f.unit is not None), default or _COUNT)
    settled = _settle_rates(settled, shared, default, original)
    if len(settled) > 1:  # the ends of a range are in one unit (one figure is, always)
        kinds = {
            f.unit.canonical if f.unit.dimension.startswith(MONEY) else f.unit.dimension
            for f in settled
            if f.unit is not None
        }
        if len(kinds) > 1:
            names = " and ".join(sorted(kinds))
            raise QuantityError("mixed_units", f"'{original}' mixes units that differ: {names}")

    if len(settled) == 2:
        left, right = settled
        # "$5-7 billion": the scale written once applies to both ends, unless the first end is
        # already a full number bigger than the second's digits ("500,000 to 1 million").
        if (
            left.scale is None
            and right.scale is not None
            and not left.full_number
            and (abs(left.digits) < 1000 or left.digits <= right.digits)
        ):
            settled[0] = replace(left, scale=right.scale)
    return settled


def _in_canonical(figure: Figure, original: str) -> tuple[Decimal, Decimal]:
    """The figure's value and half-unit in its canonical unit."""
    assert figure.unit is not None  # settled by settle_units
    factor = ARITHMETIC.multiply(_ONE.scaleb(figure.scale or 0), figure.unit.factor)
    value = ARITHMETIC.multiply(figure.digits, factor)
    half_unit = ARITHMETIC.multiply(ARITHMETIC.multiply(figure.place, factor), _HALF)
    if abs(value) >= MAX_MAGNITUDE:
        raise QuantityError(
            "out_of_range",
            f"'{original}' is beyond the largest value accepted (10^24 {figure.unit.canonical})",
        )
    return value, half_unit


def build(
    figures: list[Figure],
    qualifier: Qualifier | None,
    *,
    indexed: bool,
    text: str,
    original: str,
) -> Quantity:
    if indexed and any(f.unit is None or f.unit.dimension != "percent" for f in figures):
        raise QuantityError(
            "incompatible_units", f"an index is a percentage of 100; '{original}' is not"
        )
    values = [_in_canonical(f, original) for f in figures]
    unit = figures[0].unit
    assert unit is not None
    if len(values) == 1:
        value, half_unit = values[0]
        qualifier = qualifier or Qualifier.EXACT
        interval = interval_for(value, qualifier, half_unit)
        bound = qualifier.bound
    else:
        if qualifier not in (None, Qualifier.APPROX):
            raise QuantityError(
                "conflicting_bounds",
                f"'{original}' is a range and cannot also be a {qualifier.value} bound",
            )
        (low, _), (high, _) = values
        if low > high:
            raise QuantityError(
                "inverted_range", f"the range '{original}' starts above where it ends"
            )
        interval = range_interval(low, high, approx=qualifier is Qualifier.APPROX)
        value = ARITHMETIC.divide(ARITHMETIC.add(low, high), 2)
        bound = Bound.RANGE
    if indexed:
        # Growth indices are written against 100: "105.3%" is 5.3 % growth.
        value = ARITHMETIC.subtract(value, INDEX_BASE)
        interval = interval.shifted(-INDEX_BASE)
    start, end = interval.low, interval.high
    return Quantity(
        plain(value),
        unit.canonical,
        unit.dimension,
        bound,
        Interval(
            None if start is None else plain(start),
            None if end is None else plain(end),
            interval.low_open,
            interval.high_open,
        ),
        text,
    )
