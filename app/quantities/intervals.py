"""Intervals that honour how a figure was written, and the one rule that builds them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from enum import StrEnum

from app.quantities.errors import QuantityError

__all__ = [
    "APPROX_TOLERANCE",
    "ARITHMETIC",
    "INTERVAL_RULES",
    "Bound",
    "Interval",
    "Qualifier",
    "approx_spread",
    "interval_for",
    "range_interval",
]

APPROX_TOLERANCE = Decimal("0.05")
"""Relative half-width given to "about", "around", "nearly", "~": 5 % either side.

News rounding rarely strays further than that ("about $10 billion" for 9.6 or 10.4), and a
wider tolerance would hide real contradictions between two approximate figures.
"""

# Inputs carry at most 30 significant digits and conversion factors at most 15, so 60 digits
# keep every product, sum and midpoint exact; the traps turn silent NaN/overflow into errors.
ARITHMETIC = Context(prec=60, traps=[InvalidOperation, DivisionByZero, Overflow])


class Bound(StrEnum):
    """What the writer committed to about the figure."""

    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"
    RANGE = "range"


class Qualifier(StrEnum):
    """How a single figure was qualified in words; finer than `Bound`, which it maps onto."""

    EXACT = "exact"
    APPROX = "approx"
    ALMOST = "almost"  # "almost", "just under": a little below, never above
    JUST_OVER = "just_over"  # "just over", "slightly more than": a little above, never at
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    LESS_THAN = "less_than"

    @property
    def bound(self) -> Bound:
        return _BOUNDS[self]


# Each qualifier's bound, looked up (an enum called by value costs a figure a microsecond).
_BOUNDS: dict[Qualifier, Bound] = {
    q: Bound.APPROX if q in (Qualifier.ALMOST, Qualifier.JUST_OVER) else Bound(q.value)
    for q in Qualifier
}


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of values on the real line; a ``None`` end is unbounded on that side."""

    low: Decimal | None
    high: Decimal | None
    low_open: bool = False
    high_open: bool = False

    def __post_init__(self) -> None:
        low, high = self.low, self.high
        for end in (low, high):
            if end is not None and not end.is_finite():
                raise QuantityError("non_finite", f"an interval end is not a finite number: {end}")
        # An infinite end has no endpoint to exclude; normalising keeps equal intervals equal.
        if low is None and self.low_open:
            object.__setattr__(self, "low_open", False)
        if high is None:
            if self.high_open:
                object.__setattr__(self, "high_open", False)
        elif low is not None:
            if low > high:
                raise QuantityError(
                    "inverted_range", f"the low end {low} is above the high end {high}"
                )
            if low == high and (self.low_open or self.high_open):
                raise QuantityError(
                    "inverted_range", f"an interval open at {low} on one side is empty"
                )

    def intersection(self, other: Interval) -> Interval | None:
        """The values both intervals hold, or ``None`` when they share none."""
        low, low_open = _greater_low(self, other)
        high, high_open = _lesser_high(self, other)
        if (
            low is not None
            and high is not None
            and (low > high or (low == high and (low_open or high_open)))
        ):
            return None
        return Interval(low, high, low_open, high_open)

    def intersects(self, other: Interval) -> bool:
        """Whether the two intervals share at least one value (open ends excluded)."""
        return self.intersection(other) is not None

    def contains(self, x: Decimal) -> bool:
        """Whether ``x`` lies in the interval (open ends excluded)."""
        if self.low is not None and (x < self.low or (self.low_open and x == self.low)):
            return False
        return not (
            self.high is not None and (x > self.high or (self.high_open and x == self.high))
        )

    def scaled(self, factor: Decimal) -> Interval:
        """The interval with both ends multiplied by a positive ``factor`` (a unit change)."""
        if not factor.is_finite() or factor <= 0:
            # A zero or negative factor would collapse or flip the interval, never a unit change.
            raise QuantityError("invalid_factor", f"a scale factor must be positive, not {factor}")
        return Interval(
            None if self.low is None else ARITHMETIC.multiply(self.low, factor),
            None if self.high is None else ARITHMETIC.multiply(self.high, factor),
            self.low_open,
            self.high_open,
        )

    def shifted(self, offset: Decimal) -> Interval:
        """The interval with ``offset`` added to both ends."""
        return Interval(
            None if self.low is None else ARITHMETIC.add(self.low, offset),
            None if self.high is None else ARITHMETIC.add(self.high, offset),
            self.low_open,
            self.high_open,
        )


def _greater_low(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.low is None:
        return b.low, b.low_open
    if b.low is None or a.low > b.low:
        return a.low, a.low_open
    if b.low > a.low:
        return b.low, b.low_open
    return a.low, a.low_open or b.low_open


def _lesser_high(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.high is None:
        return b.high, b.high_open
    if b.high is None or a.high < b.high:
        return a.high, a.high_open
    if b.high < a.high:
        return b.high, b.high_open
    return a.high, a.high_open or b.high_open


def approx_spread(value: Decimal, half_unit: Decimal) -> Decimal:
    """Half-width of an approximate figure: the wider of the tolerance and the half-unit."""
    return max(half_unit, ARITHMETIC.multiply(abs(value), APPROX_TOLERANCE))


def _one_sided_spread(value: Decimal, half_unit: Decimal) -> Decimal:
    # "almost $2 billion" says the figure is close to 2 billion, however roundly 2 is written,
    # so only the tolerance applies; the half-unit is a fallback for a stated zero.
    return ARITHMETIC.multiply(abs(value), APPROX_TOLERANCE) or half_unit


INTERVAL_RULES: dict[Qualifier, str] = {
    Qualifier.EXACT: "[X - h, X + h], h half a unit of X's last digit",
    Qualifier.APPROX: "[X - s, X + s], s the wider of 5 % of X and h",
    Qualifier.ALMOST: "[X - 5 % of X, X]",
    Qualifier.JUST_OVER: "(X, X + 5 % of X]",
    Qualifier.AT_LEAST: "[X, ∞)",
    Qualifier.MORE_THAN: "(X, ∞)",
    Qualifier.AT_MOST: "(-∞, X]",
    Qualifier.LESS_THAN: "(-∞, X)",
}
"""`interval_for` in words, for the reference table of hedges (`hedges.hedge_table`)."""


def interval_for(value: Decimal, qualifier: Qualifier, half_unit: Decimal) -> Interval:
    """The interval a single qualified figure stands for (the rule of DESIGN.md).

    ``half_unit`` is half a unit of the last digit as written, in the same unit as ``value``.
    Exact figures span that half-unit either side; approximate ones the wider of it and
    `APPROX_TOLERANCE`; "almost X" is [X - tolerance, X] and "just over X" (X, X + tolerance];
    bounded ones ("more than", "up to") use the stated value itself as
    their end, because the writer named that number as the limit.
    """
    sub, add = ARITHMETIC.subtract, ARITHMETIC.add
    match qualifier:
        case Qualifier.EXACT:
            return Interval(sub(value, half_unit), add(value, half_unit))
        case Qualifier.APPROX:
            spread = approx_spread(value, half_unit)
            return Interval(sub(value, spread), add(value, spread))
        case Qualifier.ALMOST:
            return Interval(sub(value, _one_sided_spread(value, half_unit)), value)
        case Qualifier.JUST_OVER:
            return Interval(value, add(value, _one_sided_spread(value, half_unit)), low_open=True)
        case Qualifier.AT_LEAST:
            return Interval(value, None)
        case Qualifier.MORE_THAN:
            return Interval(value, None, low_open=True)
        case Qualifier.AT_MOST:
            return Interval(None, value)
        case Qualifier.LESS_THAN:
            return Interval(None, value, high_open=True)


def range_interval(low: Decimal, high: Decimal, *, approx: bool = False) -> Interval:
    """The interval of a stated range: its ends as written, widened only when "about" is said."""
    if low > high:
        raise QuantityError("inverted_range", f"the range starts at {low}, above its end {high}")
    if approx:
        low = ARITHMETIC.subtract(low, ARITHMETIC.multiply(abs(low), APPROX_TOLERANCE))
        high = ARITHMETIC.add(high, ARITHMETIC.multiply(abs(high), APPROX_TOLERANCE))
    return Interval(low, high)
