"""Reading unit spellings: pint's registry with what it lacks, and the tables of `unit_table`
and `currencies` turned into `Unit`s ("bcm", "km²", "foreign tourists", "US$", "¥")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cache, lru_cache
from typing import Any

import pint

from app.quantities.currencies import AMBIGUOUS_NAMES, CURRENCY_SPELLINGS, SHARED
from app.quantities.errors import QuantityError
from app.quantities.unit_table import (
    AMBIGUOUS,
    CANONICAL_UNITS,
    CASED,
    COUNTED_NOUNS,
    DEFINITIONS,
    NOT_ADJECTIVES,
    PER_AFTER_SLASH,
    PER_NOUNS,
    PER_WORDS,
    PHYSICAL,
)

__all__ = [
    "MONEY",
    "PER_YEAR",
    "SUPERSCRIPT_DIGITS",
    "Unit",
    "factor",
    "lookup_per",
    "lookup_phrase",
    "may_spell_with",
]

MONEY = "money"
PER_YEAR = "/yr"

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_EXPONENT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

# Conversion factors are rounded to this many significant digits: enough for every exact
# factor in the table (the oil barrel has 12) while dropping any binary noise from pint.
_FACTOR_DIGITS = Context(prec=15)


@dataclass(frozen=True, slots=True)
class Unit:
    """A written unit: its canonical unit, dimension and exact factor to the canonical unit.

    ``family`` is set for money written with a sign or name several currencies share ("$",
    "¥", "manat"); ``canonical`` is then the currency read when nothing settles it, or "" when
    none may be guessed (see `settle_money`).
    """

    canonical: str
    dimension: str
    factor: Decimal
    family: str | None = None


@cache
def _registry() -> Any:
    # Built on Decimal so pint's own definitions (1 mile = 1.609344 km) stay exact.
    registry: Any = pint.UnitRegistry(non_int_type=Decimal)
    for definition in DEFINITIONS:
        registry.define(definition)
    return registry


@cache
def factor(expression: str, canonical_expression: str) -> Decimal:
    if expression == canonical_expression:
        return Decimal(1)
    magnitude = _registry().Quantity(Decimal(1), expression).to(canonical_expression).magnitude
    return Decimal(str(magnitude)).normalize(_FACTOR_DIGITS)


def _canonical_entry(canonical: str) -> tuple[str, str | None]:
    """(dimension, pint expression) of a canonical unit, a rate's too ("m3/yr")."""
    if canonical.endswith(PER_YEAR):
        dimension, expression = CANONICAL_UNITS[canonical.removesuffix(PER_YEAR)]
        return dimension + PER_YEAR, None if expression is None else f"({expression}) / year"
    return CANONICAL_UNITS[canonical]


def _variants(spelling: str) -> set[str]:
    return {spelling, spelling.replace(" ", "-"), spelling.replace("-", " ")}


def _build_tables() -> tuple[dict[str, tuple[str, str | None]], dict[str, tuple[str, str]]]:
    physical: dict[str, tuple[str, str | None]] = {}
    for canonical, expression, spellings in PHYSICAL:
        for spelling in spellings:
            for variant in _variants(spelling):
                physical[variant] = (canonical, expression)
    for canonical, (_, canonical_expression) in CANONICAL_UNITS.items():
        physical[canonical.lower()] = (canonical, canonical_expression)
    for noun in COUNTED_NOUNS:
        physical[noun] = ("count", None)
    cased = {s: (canonical, expression) for canonical, expression, ss in CASED for s in ss}
    return physical, cased


def _money_table() -> dict[str, Unit]:
    money: dict[str, Unit] = {}
    for code, spellings in CURRENCY_SPELLINGS.items():
        for spelling in (code.lower(), *spellings):
            money[spelling] = Unit(code, MONEY, Decimal(1))
    for spelling, (family, default) in SHARED.items():
        money[spelling] = Unit(default or "", MONEY, Decimal(1), family)
    return money


_PHYSICAL_SPELLINGS, _CASED_SPELLINGS = _build_tables()
_CASED_LOWER = frozenset(spelling.lower() for spelling in _CASED_SPELLINGS)
_MONEY_SPELLINGS = _money_table()

# The spellings with a digit ("20-foot equivalent units", "km2"), and every piece of them: a
# number as written can be part of no other spelling (a counted noun's words are letters).
_WITH_DIGITS = [
    spelling.lower()
    for spelling in (
        *_PHYSICAL_SPELLINGS,
        *_CASED_SPELLINGS,
        *_MONEY_SPELLINGS,
        *AMBIGUOUS,
        *AMBIGUOUS_NAMES,
    )
    if any(c.isdigit() for c in spelling)
]
_DIGIT_PIECES = frozenset(
    s[a:b] for s in _WITH_DIGITS for a in range(len(s)) for b in range(a + 1, len(s) + 1)
)

# One-letter words are no units unless listed here, read only in the case written: "t" is the
# tonne but "T" a trillion, "m" the metre but "M" a million, and "W" the watt.
_ONE_LETTER = {"t", "m", "W"}


def _display(words: Sequence[str]) -> str:
    return " ".join(words).replace(" - ", "-").replace(" / ", "/")


def _key(words: Sequence[str]) -> str:
    # Abbreviation dots ("U.S.", "sq.", "Rs.") are spelling, not meaning.
    return _display([word.replace(".", "") for word in words]).lower()


def _unit(canonical: str, expression: str | None) -> Unit:
    dimension, canonical_expression = _canonical_entry(canonical)
    if expression is None or canonical_expression is None:
        return Unit(canonical, dimension, Decimal(1))
    return Unit(canonical, dimension, factor(expression, canonical_expression))


@cache
def _powered(expression: str, power: int) -> Unit | None:
    """A physical unit raised to a power ("km" squared), if that is a canonical dimension."""
    registry = _registry()
    raised = f"({expression}) ** {power}"
    dimensionality = registry.Quantity(Decimal(1), raised).dimensionality
    for canonical, (dimension, canonical_expression) in CANONICAL_UNITS.items():
        if (
            canonical_expression is not None
            and registry.Quantity(Decimal(1), canonical_expression).dimensionality == dimensionality
        ):
            return Unit(canonical, dimension, factor(raised, canonical_expression))
    return None


def _exponent(words: Sequence[str]) -> Unit | None:
    """ "km²", "m³", "ft³": a superscript after the last word is its power."""
    *rest, last = words
    base = last.rstrip(".").rstrip(SUPERSCRIPT_DIGITS)
    entry = _PHYSICAL_SPELLINGS.get(_key([*rest, base])) if base else None
    if entry is None or entry[1] is None or _unit(*entry).dimension != "length":
        return None
    power = last.rstrip(".")[len(base) :].translate(_EXPONENT)
    return _powered(entry[1], int(power))


def _modifier(word: str) -> bool:
    """A plain word that may stand before a counted noun: no unit of another dimension ("5,000
    TEU containers", "5 billion tenge projects" name two units) nor one that makes a change."""
    if not word.isalpha() or word in NOT_ADJECTIVES or word in _MONEY_SPELLINGS:
        return False
    if word in _CASED_LOWER or word in AMBIGUOUS or word in AMBIGUOUS_NAMES:
        return False
    entry = _PHYSICAL_SPELLINGS.get(word)
    return entry is None or entry[0] == "count"


def _counted(key: str) -> bool:
    """ "foreign tourists", "container trains": a counted noun after at most two plain words."""
    *before, noun = key.split(" ")
    return noun in COUNTED_NOUNS and 0 < len(before) <= 2 and all(map(_modifier, before))


# Bounded: the phrases come from what users write.
@lru_cache(maxsize=4096)
def _lookup(words: tuple[str, ...]) -> Unit | None:
    if words[-1].rstrip(".") != words[-1].rstrip(".").rstrip(SUPERSCRIPT_DIGITS):
        return _exponent(words)
    if (
        len(words) == 1
        and len(words[0]) == 1
        and words[0].isalpha()
        and words[0] not in _ONE_LETTER
    ):
        return None
    display = _display([word.replace(".", "") for word in words])
    if display in _CASED_SPELLINGS:
        return _unit(*_CASED_SPELLINGS[display])
    key = display.lower()
    if key in AMBIGUOUS:
        raise QuantityError("ambiguous_unit", f"'{display}' {AMBIGUOUS[key]}")
    if key in AMBIGUOUS_NAMES:
        raise QuantityError("ambiguous_unit", f"'{display}' {AMBIGUOUS_NAMES[key]}")
    if key in _MONEY_SPELLINGS:
        return _MONEY_SPELLINGS[key]
    if key in _PHYSICAL_SPELLINGS:
        return _unit(*_PHYSICAL_SPELLINGS[key])
    if _counted(key):
        return _unit("count", None)
    return None


def lookup_phrase(words: Sequence[str]) -> Unit | None:
    """The unit spelled by these words ("US", "dollars"), or ``None`` when they spell none.

    A superscript after the last word is its exponent: "km²" and "mi²" are areas, "m³" and
    "km³" volumes; a power that is no dimension stored here ("km⁴", "t²") spells no unit. A
    spelling with two readings in use ("Mb/d", "mt", "dinar") raises ``ambiguous_unit``.
    """
    return _lookup(tuple(words)) if words and all(words) else None


def may_spell_with(number: str) -> bool:
    """Whether a number as written may be a word of a unit spelling (the "20" of "20-foot
    equivalent units"): ``False`` says no spelling with it can be found."""
    return number.replace(".", "").lower() in _DIGIT_PIECES


def lookup_per(words: Sequence[str]) -> str | None:
    """What these words make a rate per: "year", "day", "month", "quarter" or "hectare".

    "a year", "per annum", "/d", "annually", "p.a." ("a quarter" is a share, not a rate).
    """
    key = tuple(word.replace(".", "").lower() for word in words)
    if key in PER_WORDS:
        return PER_WORDS[key]
    if len(key) != 2:
        return None
    connector, noun = key
    if connector == "/":
        return PER_AFTER_SLASH.get(noun)
    if connector == "per" or (connector == "a" and noun != "quarter"):
        return PER_NOUNS.get(noun)
    return None
