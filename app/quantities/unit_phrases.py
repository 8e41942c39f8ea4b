"""Reading a unit phrase from tokens: the unit, what it is of, its rate, and a bracketed repeat.

"barrels of oil per day", "bcm/y", "cubic meters (bcm) per year", "$5 billion (USD)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.quantities.errors import QuantityError
from app.quantities.number_words import SCALES
from app.quantities.spellings import may_spell_with
from app.quantities.tokens import Kind, Token
from app.quantities.unit_table import PERCENT_A_YEAR
from app.quantities.units import (
    MONEY,
    PER_YEAR,
    Unit,
    agree,
    is_price,
    lookup_per,
    lookup_phrase,
    rate,
)

__all__ = [
    "Written",
    "is_rate",
    "name",
    "read_base",
    "read_bracket",
    "read_per",
    "read_unit",
    "restated",
]

# Unit phrases run over words, signs, hyphens, slashes and the digits of "20-foot equivalent
# units"; the longest phrase in the tables wins ("twenty-foot equivalent units" over "units").
_PHRASE_KINDS = frozenset(
    (Kind.WORD, Kind.CURRENCY, Kind.HYPHEN, Kind.SLASH, Kind.NUMBER, Kind.DASH)
)
_LONGEST = 7

# Words that end "of ...": what follows them is no commodity ("tonnes of oil equivalent" is
# energy, listed as a unit of its own; "tonnes of each" names no substance).
_NOT_COMMODITY = frozenset(
    ("equivalent", "eq", "each", "which", "per", "a", "an", "the", "its", "their", "this")
)
# After these a commodity is never read: a count is of what the metric says, money of nothing.
_NO_COMMODITY_DIMENSIONS = frozenset((MONEY, "percent", "count"))


@dataclass(frozen=True, slots=True)
class Written:
    """A unit phrase: its unit, what it is per ("year", "day", "hectare"), and where it ends."""

    unit: Unit
    per: str | None
    end: int


def read_base(tokens: Sequence[Token], i: int) -> tuple[Unit, int] | None:
    """The longest unit spelling starting at ``tokens[i]``, and the index after it."""
    if i < len(tokens) and tokens[i].kind is Kind.PERCENT:
        unit = lookup_phrase(["%"])
        assert unit is not None
        return unit, i + 1
    # The run of tokens a phrase may span from i (at most _LONGEST), tried longest first; it
    # ends before a number no spelling has ("$42.5 billion" is looked up as "$" alone).
    run = 0
    stop = min(len(tokens), i + _LONGEST)
    while i + run < stop and tokens[i + run].kind in _PHRASE_KINDS:
        if tokens[i + run].kind is Kind.NUMBER and not may_spell_with(tokens[i + run].text):
            break
        run += 1
    for length in range(run, 0, -1):
        unit = lookup_phrase([t.text for t in tokens[i : i + length]])
        if unit is not None:
            return unit, i + length
    return None


def read_per(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """ "a year", "per day", "/d", "annually", "p.a." at ``tokens[i]``: what per, and the end."""
    if i >= len(tokens):
        return None
    for length in (2, 1):
        words = tokens[i : i + length]
        if len(words) == length and all(t.kind in (Kind.WORD, Kind.SLASH) for t in words):
            per = lookup_per([t.text for t in words])
            if per is not None:
                return per, i + length
    return None


def _commodity_end(tokens: Sequence[Token], i: int, unit: Unit) -> int:
    """After "of" and up to three plain words ("of oil", "of natural gas"), else ``i``."""
    if unit.dimension in _NO_COMMODITY_DIMENSIONS or i >= len(tokens) or tokens[i].word != "of":
        return i
    j = i + 1
    while (
        j < len(tokens)
        and j - i <= 3
        and tokens[j].kind is Kind.WORD
        and tokens[j].word.isalpha()
        and tokens[j].word not in _NOT_COMMODITY
        and read_per(tokens, j) is None
    ):
        j += 1
    return j if j > i + 1 else i


def read_unit(tokens: Sequence[Token], i: int) -> Written | None:
    """The unit phrase at ``tokens[i]``: "barrels of oil per day", "TWh a year", "bpd"."""
    found = read_base(tokens, i)
    if found is None:
        return None
    unit, end = found
    end = _commodity_end(tokens, end, unit)
    if unit.dimension == "percent" and end < len(tokens) and tokens[end].word in PERCENT_A_YEAR:
        return Written(unit, "year", end + 1)
    per = read_per(tokens, end)
    return Written(unit, None, end) if per is None else Written(unit, per[0], per[1])


def read_bracket(tokens: Sequence[Token], i: int) -> tuple[Written, int] | None:
    """A unit repeated in brackets at ``tokens[i]`` ("(USD)", "(TEUs)", "(bcm)"), and the end.

    A scale word may open it ("5 bcm (billion cubic metres)"): the bracket is a label.
    """
    if i >= len(tokens) or tokens[i].text != "(":
        return None
    start = i + 2 if i + 1 < len(tokens) and tokens[i + 1].word.rstrip(".") in SCALES else i + 1
    inner = read_unit(tokens, start)
    if inner is None or inner.end >= len(tokens) or tokens[inner.end].text != ")":
        return None
    return inner, inner.end + 1


def name(unit: Unit) -> str:
    """A unit as an error names it: its canonical unit, or the family of an unsettled sign."""
    return unit.canonical or (unit.family or "")


def _canonical(unit: Unit, per: str | None, original: str) -> str:
    return unit.canonical if per is None else rate(unit, per, original).canonical


def restated(unit: Unit | None, per: str | None, inner: Written, original: str) -> Unit:
    """The unit of a figure whose unit is repeated in brackets: the two must name one unit.

    The bracket is a label and never changes the number: "10 billion cubic meters (bcm)" is
    in cubic metres with its scale word, whatever scale "bcm" itself carries.
    """
    if unit is None:
        return inner.unit
    if unit.dimension == MONEY or inner.unit.dimension == MONEY:
        merged = agree(unit, inner.unit)
    else:
        same = _canonical(unit, per, original) == _canonical(inner.unit, inner.per, original)
        merged = unit if same else None
    if merged is None:
        raise QuantityError(
            "mixed_units",
            f"'{original}' names two units: {name(unit)} and {name(inner.unit)}",
        )
    return merged


def is_rate(unit: Unit) -> bool:
    """Whether a unit is already per something ("m3/yr", "t/ha", "USD/bbl")."""
    return unit.dimension.endswith(PER_YEAR) or unit.dimension == "yield" or is_price(unit)
