"""Numbers as people read them on a page: a scale word picked from the magnitude ("43.82 billion
USD"), the unit as a word, a sign on a change. Display only: every page also shows the exact
value (a table, a `<data value>`), so rounding here never hides a digit."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

# Largest first: the first whose factor the magnitude reaches is the scale.
SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
# Units written as words or signs on a page; the rest as stored (USD, km, t, KZT).
UNIT_WORDS = {"percent": "%", "count": ""}
SHOWN_DECIMALS = Decimal("0.01")


@dataclass(frozen=True)
class Scale:
    """A factor the values are divided by, and its word ("" for 1)."""

    factor: Decimal
    word: str

    def label(self, unit: str) -> str:
        """An axis label: "billion USD", "%", "km"; "value" when there is nothing to say."""
        unit_word = UNIT_WORDS.get(unit, unit)
        if unit == "percent":
            unit_word = "percent"
        return " ".join(w for w in (self.word, unit_word) if w) or "value"


ONE = Scale(Decimal(1), "")


def scale_of(values: Iterable[Decimal | None]) -> Scale:
    """The scale of the largest magnitude among the values (one for all: an axis has one)."""
    top = max((abs(v) for v in values if v is not None), default=Decimal(0))
    for factor, word in SCALES:
        if top >= factor:
            return Scale(factor, word)
    return ONE


def _digits(value: Decimal) -> str:
    """At most two decimals, none trailing, thousands separated: 43.82, 1,250, 3.8."""
    rounded = value.quantize(SHOWN_DECIMALS, rounding=ROUND_HALF_EVEN)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def readable(value: Decimal | str | None, unit: str, *, signed: bool = False) -> str:
    """ "43.82 billion USD", "12.4%", "900 km"; signed: "+2.82 billion USD", "+3.2 pp" (a
    change of a percentage); "—" for none."""
    if value is None:
        return "—"
    number = Decimal(value)
    scale = scale_of([number])
    text = _digits(number / scale.factor)
    if signed and number > 0:
        text = "+" + text
    unit_word = UNIT_WORDS.get(unit, unit)
    if unit == "percent":  # a change of a percentage is in points
        return f"{text}{' ' + scale.word if scale.word else ''}{' pp' if signed else '%'}"
    return " ".join(w for w in (text, scale.word, unit_word) if w)


def interval(
    low: str | None, high: str | None, unit: str, *, low_open: bool, high_open: bool
) -> str:
    """A claim's interval on one scale, with as many decimals as tell its ends apart:
    "43.815 to 43.825 billion USD", "more than 100 billion USD"."""
    if low is None and high is None:
        return "no interval"
    ends = [Decimal(v) for v in (low, high) if v is not None]
    scale = scale_of(ends)
    shown = [_digits(e / scale.factor) for e in ends]
    places = 2
    while len(ends) == 2 and ends[0] != ends[1] and shown[0] == shown[1] and places < 12:
        places += 1
        step = Decimal(1).scaleb(-places)
        shown = [f"{(e / scale.factor).quantize(step):,f}".rstrip("0").rstrip(".") for e in ends]
    unit_word = "" if unit == "percent" else UNIT_WORDS.get(unit, unit)
    tail = " ".join(w for w in (scale.word, unit_word) if w)
    sign = "%" if unit == "percent" else ""
    if high is None:
        return f"{'more than' if low_open else 'at least'} {shown[0]}{sign} {tail}".strip()
    if low is None:
        return f"{'less than' if high_open else 'at most'} {shown[0]}{sign} {tail}".strip()
    return f"{shown[0]}{sign} to {shown[1]}{sign} {tail}".strip()
