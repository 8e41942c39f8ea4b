"""Unit spellings, their canonical unit per dimension, and exact Decimal conversion via pint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cache
from typing import Any

import pint

from app.quantities.errors import QuantityError
from app.quantities.intervals import ARITHMETIC

__all__ = [
    "CANONICAL_UNITS",
    "MONEY",
    "SUPERSCRIPT_DIGITS",
    "Unit",
    "canonical_unit",
    "convert",
    "lookup_phrase",
    "lookup_unit",
    "plain",
]

MONEY = "money"

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_EXPONENT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

# Canonical unit -> (dimension, pint expression). Every stored value is in one of these, so two
# claims about the same metric compare without conversion. Money is per currency (below).
CANONICAL_UNITS: dict[str, tuple[str, str | None]] = {
    "km": ("length", "kilometer"),
    "t": ("mass", "tonne"),
    "GWh": ("energy", "gigawatt_hour"),
    "MW": ("power", "megawatt"),
    "km2": ("area", "kilometer ** 2"),
    "m3": ("volume", "meter ** 3"),
    "day": ("duration", "day"),
    "percent": ("percent", None),
    "count": ("count", None),
    # Relative figures (app/quantities/relative.py): a change in percentage points, a multiple.
    "pp": ("pp", None),
    "factor": ("factor", None),
}

# (canonical unit, pint expression of the written unit, spellings). Only units whose factor to
# the canonical unit is a terminating decimal are listed (no hours: 1/24 day is not), so every
# conversion to a canonical unit is an exact multiplication.
_PHYSICAL: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("km", "kilometer", ("km", "kms", "kilometer", "kilometers", "kilometre", "kilometres")),
    ("km", "meter", ("m", "meter", "meters", "metre", "metres")),
    ("km", "mile", ("mi", "mile", "miles")),
    # "ton(s)" is the metric tonne here: Eurasian trade and rail statistics never use short tons.
    ("t", "tonne", ("t", "tonne", "tonnes", "ton", "tons", "metric ton", "metric tons")),
    ("t", "tonne", ("metric tonne", "metric tonnes")),
    ("t", "kilogram", ("kg", "kilogram", "kilograms", "kilogramme", "kilogrammes")),
    ("GWh", "gigawatt_hour", ("gwh", "gigawatt hour", "gigawatt hours")),
    ("GWh", "kilowatt_hour", ("kwh", "kilowatt hour", "kilowatt hours")),
    ("GWh", "megawatt_hour", ("mwh", "megawatt hour", "megawatt hours")),
    ("GWh", "terawatt_hour", ("twh", "terawatt hour", "terawatt hours")),
    ("MW", "megawatt", ("mw", "megawatt", "megawatts")),
    ("MW", "kilowatt", ("kw", "kilowatt", "kilowatts")),
    ("MW", "gigawatt", ("gw", "gigawatt", "gigawatts")),
    ("km2", "kilometer ** 2", ("km2", "sq km", "square kilometer", "square kilometers")),
    ("km2", "kilometer ** 2", ("square kilometre", "square kilometres")),
    ("km2", "meter ** 2", ("m2", "sq m", "square meter", "square meters", "square metres")),
    ("km2", "hectare", ("ha", "hectare", "hectares")),
    ("m3", "meter ** 3", ("m3", "cubic meter", "cubic meters", "cubic metre", "cubic metres")),
    # "bcm", billion cubic metres, is how gas volumes are written; it is one cubic kilometre.
    ("m3", "kilometer ** 3", ("bcm",)),
    ("m3", "liter", ("liter", "liters", "litre", "litres")),
    ("m3", "oil_barrel", ("bbl", "barrel", "barrels")),
    ("day", "day", ("day", "days")),
    ("day", "week", ("week", "weeks")),
    ("percent", None, ("%", "percent", "per cent", "pct")),
    ("count", None, ("count",)),
)

# Spellings -> ISO 4217 code. "$" alone is the US dollar and "¥" the Chinese yuan: in news about
# Kazakhstan and its partners these are the readings in use; "Rs" is the Indian rupee. Names
# shared by several currencies ("dinar", "som", "manat", "pounds") are deliberately absent.
_CURRENCY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "USD": ("$", "us$", "dollar", "dollars", "us dollar", "us dollars", "american dollars"),
    "EUR": ("€", "euro", "euros"),
    "KZT": ("₸", "tenge", "kazakh tenge"),
    "RUB": ("₽", "ruble", "rubles", "rouble", "roubles", "russian rubles", "russian roubles"),
    "CNY": ("¥", "yuan", "rmb", "renminbi", "yuan renminbi", "chinese yuan"),
    "GBP": ("£", "pound sterling", "pounds sterling", "sterling", "british pounds"),
    "INR": ("₹", "rs", "rupee", "rupees", "indian rupees"),
    "JPY": ("yen", "japanese yen"),
    "CHF": ("swiss franc", "swiss francs"),
    "TRY": ("₺", "turkish lira", "turkish liras"),
    "KRW": ("₩", "won", "korean won", "south korean won"),
    "CAD": ("c$", "canadian dollar", "canadian dollars"),
    "AUD": ("a$", "australian dollar", "australian dollars"),
    "HKD": ("hk$", "hong kong dollar", "hong kong dollars"),
    "AZN": ("₼",),
    "GEL": ("₾", "lari"),
    "UZS": (),
    "KGS": (),
    "TJS": (),
    "TMT": (),
    "AED": (),
    "SAR": (),
    "QAR": (),
    "KWD": (),
    "SGD": (),
    "BYN": (),
    "UAH": (),
    "PLN": (),
    "CZK": (),
    "HUF": (),
    "SEK": (),
    "NOK": (),
    "DKK": (),
    "MNT": (),
    "PKR": (),
    "IRR": (),
}

# Conversion factors are rounded to this many significant digits: enough for every exact
# factor in the table (the oil barrel has 12) while dropping any binary noise from pint.
_FACTOR_DIGITS = Context(prec=15)


@dataclass(frozen=True, slots=True)
class Unit:
    """A written unit: its canonical unit, dimension and exact factor to the canonical unit."""

    canonical: str
    dimension: str
    factor: Decimal


@cache
def _registry() -> Any:
    # Built on Decimal so pint's own definitions (1 mile = 1.609344 km) stay exact.
    return pint.UnitRegistry(non_int_type=Decimal)


@cache
def _factor(expression: str, canonical_expression: str) -> Decimal:
    if expression == canonical_expression:
        return Decimal(1)
    magnitude = _registry().Quantity(Decimal(1), expression).to(canonical_expression).magnitude
    return Decimal(str(magnitude)).normalize(_FACTOR_DIGITS)


def _build_tables() -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    physical: dict[str, tuple[str, str | None]] = {}
    for canonical, expression, spellings in _PHYSICAL:
        for spelling in spellings:
            physical[spelling] = (canonical, expression)
    for canonical, (_, canonical_expression) in CANONICAL_UNITS.items():
        physical[canonical.lower()] = (canonical, canonical_expression)
    money: dict[str, str] = {}
    for code, spellings in _CURRENCY_SPELLINGS.items():
        for spelling in (code.lower(), *spellings):
            money[spelling] = code
    return physical, money


_PHYSICAL_SPELLINGS, _MONEY_SPELLINGS = _build_tables()

# One-letter spellings are read only in the case written: "t" is the tonne but "T" is a
# trillion, "m" the metre but "M" a million, so they never fall through to the lowercase table.
_CASED = {"t", "m"}


def _key(words: Sequence[str]) -> str:
    # Abbreviation dots ("U.S.", "sq.", "Rs.") are spelling, not meaning.
    return " ".join(word.replace(".", "").lower() for word in words)


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
            return Unit(canonical, dimension, _factor(raised, canonical_expression))
    return None


def lookup_phrase(words: Sequence[str]) -> Unit | None:
    """The unit spelled by these words ("US", "dollars"), or ``None`` when they spell none.

    A superscript after the last word is its exponent: "km²" and "mi²" are areas, "m³" and
    "km³" volumes; a power that is no dimension stored here ("km⁴", "t²") spells no unit.
    """
    *rest, last = words or [""]
    base = last.rstrip(".").rstrip(SUPERSCRIPT_DIGITS)
    if base != last.rstrip("."):
        power = last.rstrip(".")[len(base) :].translate(_EXPONENT)
        entry = _PHYSICAL_SPELLINGS.get(_key([*rest, base]))
        if not base or entry is None or entry[1] is None or lookup_phrase([*rest, base]) is None:
            return None
        return _powered(entry[1], int(power))
    if len(words) == 1 and len(words[0]) == 1 and words[0].isalpha() and words[0] not in _CASED:
        return None
    key = _key(words)
    code = _MONEY_SPELLINGS.get(key)
    if code is not None:
        return Unit(code, MONEY, Decimal(1))
    entry = _PHYSICAL_SPELLINGS.get(key)
    if entry is None:
        return None
    canonical, expression = entry
    dimension, canonical_expression = CANONICAL_UNITS[canonical]
    if expression is None or canonical_expression is None:
        return Unit(canonical, dimension, Decimal(1))
    return Unit(canonical, dimension, _factor(expression, canonical_expression))


def lookup_unit(spelling: str) -> Unit:
    """The unit for one spelling ("miles", "US$", "per cent"); ``unknown_unit`` otherwise."""
    words = spelling.split()
    unit = lookup_phrase(words) if words else None
    if unit is None:
        raise QuantityError("unknown_unit", f"could not read the unit '{spelling}'")
    return unit


def canonical_unit(unit: str) -> tuple[str, str]:
    """Any spelling of a unit -> (canonical unit, dimension), e.g. "miles" -> ("km", "length")."""
    found = lookup_unit(unit)
    return found.canonical, found.dimension


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit``; never between two currencies.

    Conversions into a canonical unit are exact; the reverse may need a division that does not
    terminate (km -> miles) and is then rounded to 28 significant digits.
    """
    if not value.is_finite():
        raise QuantityError("non_finite", f"cannot convert a non-finite value: {value}")
    source, target = lookup_unit(from_unit), lookup_unit(to_unit)
    if source.dimension != target.dimension:
        raise QuantityError(
            "incompatible_units",
            f"cannot convert {source.dimension} ('{from_unit}') to {target.dimension} "
            f"('{to_unit}')",
        )
    if source.dimension == MONEY and source.canonical != target.canonical:
        # Exchange rates change daily; only a rate someone stored may compare two currencies.
        raise QuantityError(
            "incompatible_units",
            f"cannot convert {source.canonical} to {target.canonical}: no exchange rate is guessed",
        )
    in_canonical = ARITHMETIC.multiply(value, source.factor)
    if target.factor == 1:
        return plain(in_canonical)
    return plain(Context(prec=28).divide(in_canonical, target.factor))


def plain(value: Decimal) -> Decimal:
    """The same number without exponent notation or trailing zeros (1.65E+10 -> 16500000000)."""
    if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 50:
        return value.quantize(Decimal(1), context=ARITHMETIC)
    return value.normalize(ARITHMETIC)
