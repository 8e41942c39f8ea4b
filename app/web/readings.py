"""Values and periods as people read them on the pages: "16.45-16.55 billion USD" (an en
dash between the ends), "2026-05-28 … 2030-12-31". Display only: what a value IS is read by
`app.quantities` (through `claims.intake`); this writes the numbers it gives with a scale word."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.quantities import Period, Quantity

SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
EN_DASH = "\u2013"
UNIT_WORDS = {"percent": "%", "count": ""}


def _digits(value: Decimal) -> str:
    """Plain digits grouped by thousands, never an exponent: 16.45, 4,000, -12."""
    text = format(value.normalize(), ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scale_of(*values: Decimal | None) -> tuple[Decimal, str]:
    """The scale word for the largest of these values (none under a million)."""
    largest = max((abs(v) for v in values if v is not None), default=Decimal(0))
    for factor, word in SCALES:
        if largest >= factor:
            return factor, word
    return Decimal(1), ""


def _unit(unit: str) -> str:
    return UNIT_WORDS.get(unit, unit)


def _with_unit(number: str, word: str, unit: str) -> str:
    unit_text = _unit(unit)
    if unit_text == "%" and not word:
        return f"{number}%"
    return " ".join(part for part in (number, word, unit_text) if part)


def amount(value: Decimal | None, unit: str) -> str:
    """One value with its scale word and unit: 16.5 billion USD; 4,000 km; 38%."""
    if value is None:
        return "—"
    factor, word = scale_of(value)
    return _with_unit(_digits(value / factor), word, unit)


def interval(
    low: Decimal | None, high: Decimal | None, low_open: bool, high_open: bool, unit: str
) -> str:
    """The interval a value was read as: 16.45-16.55 billion USD; more than 4,000 km; at
    most 2 million t; any value."""
    factor, word = scale_of(low, high)
    lo = _digits(low / factor) if low is not None else None
    hi = _digits(high / factor) if high is not None else None
    if lo is None and hi is None:
        return "any value"
    if lo is None:
        return ("less than " if high_open else "at most ") + _with_unit(str(hi), word, unit)
    if hi is None:
        return ("more than " if low_open else "at least ") + _with_unit(lo, word, unit)
    if lo == hi:
        return _with_unit(lo, word, unit)
    # A dash between minus signs reads as a subtraction: "-0.85 to -0.75%", not a dash.
    between = " to " if lo.startswith("-") or hi.startswith("-") else EN_DASH
    ends = ("(" if low_open else "") + f"{lo}{between}{hi}" + (")" if high_open else "")
    return _with_unit(ends, word, unit)


def span(start: date | None, end: date | None) -> str:
    """A period's dates: 2026-05-28 … 2030-12-31 (one date when it is a day); — for none."""
    if start is None and end is None:
        return "—"
    if start is None:
        return f"… {end.isoformat()}" if end else "—"
    if end is None:
        return f"{start.isoformat()} …"
    return start.isoformat() if start == end else f"{start.isoformat()} … {end.isoformat()}"


@dataclass(frozen=True)
class Ends:
    """What each end of an interval means, in words."""

    low: str
    high: str


def ends(low: Decimal | None, high: Decimal | None, low_open: bool, high_open: bool) -> Ends:
    return Ends(
        low="no lower limit" if low is None else ("excluded" if low_open else "included"),
        high="no upper limit" if high is None else ("excluded" if high_open else "included"),
    )


def value_reading(quantity: Quantity) -> dict[str, Any]:
    """A preview's value: as read, and in words."""
    iv = quantity.interval
    return {
        "text": quantity.text,
        "value": str(quantity.value),
        "unit": quantity.unit,
        "dimension": quantity.dimension,
        "bound": str(quantity.bound),
        "figure_type": str(quantity.figure_type),
        "low": None if iv.low is None else str(iv.low),
        "high": None if iv.high is None else str(iv.high),
        "low_open": iv.low_open,
        "high_open": iv.high_open,
        "shown": amount(quantity.value, quantity.unit),
        "interval": interval(iv.low, iv.high, iv.low_open, iv.high_open, quantity.unit),
    }


def period_reading(period: Period | None) -> dict[str, Any] | None:
    """A preview's period: its dates, and in words; None for a claim without one."""
    if period is None:
        return None
    return {
        "text": period.text,
        "start": None if period.start is None else period.start.isoformat(),
        "end": None if period.end is None else period.end.isoformat(),
        "shown": span(period.start, period.end),
    }


FILTERS = {"amount": amount, "span": span}
