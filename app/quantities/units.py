"""Unit spellings, their canonical unit per dimension, rates, and exact Decimal conversion via pint.

Every value is stored in the canonical unit of its dimension, so two claims of a metric compare
without conversion:

============== ========= ==============================================================
dimension      canonical written as (examples)
============== ========= ==============================================================
length         km        m, mi, ft, kilometres
mass           t         kg, kt, Mt, tons, centners (100 kg), MMT, KMT
energy         GWh       Wh, kWh, MWh, TWh, toe, Mtoe, tce
power          MW        W, kW, GW, TW
area           km2       m², km², sq km, ha, hectares, acres
volume         m3        m³, cu m, litres, bcm, mcm, tcm, bbl, barrels, cf, bcf, tcf
duration       day       days, weeks
containers     TEU       TEU(s), twenty-foot equivalent units; FEU = 2 TEU
freight_work   tkm       tonne-kilometres, ton-km, t-km, NTKMs
passenger_work pkm       passenger-kilometres, passenger-km
yield          t/ha      t/ha, tonnes per hectare, centners per hectare, c/ha, q/ha
percent        percent   %, per cent
count          count     a bare number; people, jobs, containers, trains, projects ...
money          ISO code  each currency its own unit (USD, KZT, ...): never converted
money/volume   USD/bbl   a price per barrel ("$40 a barrel"), in the currency written
money/mass     USD/t     a price per tonne ("$250 per tonne"), in the currency written
============== ========= ==============================================================

An index (with its base: "index 2015=100"), a ratio, points and a plain number ("1") are
dimensions of their own, read only as a whole unit field and never converted: `scalars`.

A rate ("a year", "per day", "/d", "annually", "bpd", "mtpa") is stored per year: its canonical
unit and dimension take "/yr" ("m3/yr", "volume/yr"; "USD/yr", "money/yr"). A year is pint's
365.25 days, so 1 bpd is 58.070109472452 m3/yr; a month is a twelfth of a year. A percent a
year ("per annum", "p.a.", "APR") is the percent itself, as interest and inflation are quoted;
a percent of any other period, yields and passenger-kilometres take no rate, and a rate takes
no second one.
"""

from __future__ import annotations

import re
from decimal import Context, Decimal

from app.quantities.currencies import FAMILY, UNSETTLED
from app.quantities.errors import QuantityError
from app.quantities.intervals import ARITHMETIC
from app.quantities.scalars import SCALAR_DIMENSIONS, read_scalar
from app.quantities.spellings import (
    MONEY,
    PER_YEAR,
    SUPERSCRIPT_DIGITS,
    Unit,
    factor,
    lookup_per,
    lookup_phrase,
)
from app.quantities.unit_table import CANONICAL_UNITS, PRICES

__all__ = [
    "CANONICAL_UNITS",
    "MONEY",
    "PER_YEAR",
    "SUPERSCRIPT_DIGITS",
    "Unit",
    "agree",
    "base_of",
    "canonical_unit",
    "convert",
    "is_price",
    "lookup_per",
    "lookup_phrase",
    "lookup_unit",
    "plain",
    "rate",
    "settle_money",
]

# Dimensions that take no rate: a percent a day is no year's rate (`rate`), a yield is already per
# hectare, and "passenger_work/yr" would not fit the dimension column.
_NO_RATE = frozenset(("percent", "yield", "passenger_work", "pp", "factor"))
_PER_TIME = {
    "year": "1 / year",
    "day": "1 / day",
    "month": "1 / month",
    "quarter": "1 / quarter_year",
}


def settle_money(unit: Unit, default: Unit | None, original: str | None) -> Unit:
    """A currency written with a shared sign or name, settled: by its usual reading ("$" is
    USD), else by the metric's unit ``default`` when that is of its family ("¥5 billion" for a
    metric in CNY), else refused ("5 billion manat"), quoting ``original`` when given."""
    if unit.family is None:
        return unit
    if unit.canonical:
        return Unit(unit.canonical, MONEY, Decimal(1))
    base = base_of(default) if default is not None else None
    if base is not None and base.family is None and FAMILY.get(base.canonical) == unit.family:
        return base
    message = UNSETTLED[unit.family]
    raise QuantityError(
        "ambiguous_unit", message if original is None else f"{message} ('{original}')"
    )


def agree(a: Unit, b: Unit) -> Unit | None:
    """The one unit two spellings in a figure name, or ``None`` when they name two.

    A shared sign or name agrees with a currency of its family ("$5 billion CAD" is CAD) and
    with another of its family ("£5bn pounds" is GBP).
    """
    if a == b:
        return a
    if a.dimension != MONEY or b.dimension != MONEY:
        return None
    if a.family is not None and b.family is not None:
        if a.family != b.family or (a.canonical and b.canonical):
            return None
        return a if a.canonical else b
    if a.family is not None and a.family == FAMILY.get(b.canonical):
        return b
    if b.family is not None and b.family == FAMILY.get(a.canonical):
        return a
    return None


_PRICE_DIMENSIONS = frozenset(dimension for _, dimension in PRICES.values())


def is_price(unit: Unit) -> bool:
    """Whether a unit is money per barrel or per tonne ("USD/bbl", "KZT/t")."""
    return unit.dimension in _PRICE_DIMENSIONS


def base_of(unit: Unit) -> Unit:
    """The unit a rate or a price is of ("m3/yr" -> "m3", "USD/bbl" -> "USD"); any other unit
    itself."""
    if unit.dimension.endswith(PER_YEAR):
        return lookup_unit(unit.canonical.removesuffix(PER_YEAR))
    if is_price(unit):
        return lookup_unit(unit.canonical.split("/")[0])
    return unit


def rate(unit: Unit, per: str, original: str) -> Unit:
    """``unit`` per ``per`` (a time, "hectare", or for money "barrel" or "tonne": a price), in
    its canonical rate unit."""
    if unit.dimension.endswith(PER_YEAR) or is_price(unit):
        raise QuantityError(
            "unsupported_rate",
            f"'{original}' is already a rate ({unit.canonical}): it takes no second one",
        )
    if per in PRICES:
        if unit.dimension != MONEY:
            raise QuantityError(
                "unsupported_rate", f"'{original}': only money per {per} is kept (a price)"
            )
        of, dimension = PRICES[per]
        return Unit(f"{unit.canonical}/{of}", dimension, unit.factor, unit.family)
    if per == "hectare":
        if unit.dimension != "mass":
            raise QuantityError(
                "unsupported_rate", f"'{original}': only a mass per hectare is kept (a yield)"
            )
        return Unit("t/ha", "yield", unit.factor)
    if unit.dimension == "percent" and per == "year":
        # "16.75 percent per annum", "9% APR": interest and inflation are quoted a year, and the
        # percent is the rate; a percent a month or a day is another figure, refused below.
        return unit
    if unit.dimension in _NO_RATE:
        raise QuantityError(
            "unsupported_rate",
            f"'{original}': a {unit.dimension} per {per} is no amount Claimtrack keeps",
        )
    per_year = ARITHMETIC.multiply(unit.factor, factor(_PER_TIME[per], "1 / year"))
    return Unit(unit.canonical + PER_YEAR, unit.dimension + PER_YEAR, per_year, unit.family)


_WORDS = re.compile(r"[^\s/\-]+|[/\-]")


def lookup_unit(spelling: str) -> Unit:
    """The unit for one spelling ("miles", "US$", "barrels a day"); ``unknown_unit`` otherwise.

    A currency sign or name several currencies share and nothing settles ("¥", "manat") is
    ``ambiguous_unit``; a rate of what takes none ("% a year") is ``unsupported_rate``. A
    scalar unit ("index 2015=100", "ratio": `scalars`) is read only as the whole spelling.
    """
    scalar = read_scalar(spelling)
    if scalar is not None:
        return scalar
    words = _WORDS.findall(spelling)
    for end in range(len(words), 0, -1):
        rest = words[end:]
        per = lookup_per(rest) if rest else None
        if rest and per is None:
            continue
        unit = lookup_phrase(words[:end])
        if unit is None:
            continue
        unit = settle_money(unit, None, None)
        return unit if per is None else rate(unit, per, spelling)
    raise QuantityError("unknown_unit", f"could not read the unit '{spelling}'")


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
    if source.dimension in SCALAR_DIMENSIONS and source.canonical != target.canonical:
        # An index on 2015 = 100 is no index on 2010 = 100: rebasing needs the series itself.
        raise QuantityError(
            "incompatible_units",
            f"cannot convert '{source.canonical}' to '{target.canonical}': a rebased index is "
            "another series",
        )
    if source.dimension.startswith(MONEY) and source.canonical != target.canonical:
        # Exchange rates change daily; only a rate someone stored may compare two currencies.
        raise QuantityError(
            "incompatible_units",
            f"cannot convert {source.canonical} to {target.canonical}: no exchange rate is guessed",
        )
    in_canonical = ARITHMETIC.multiply(value, source.factor)
    if target.factor == 1:
        return plain(in_canonical)
    return plain(Context(prec=28).divide(in_canonical, target.factor))


_ONE = Decimal(1)


def plain(value: Decimal) -> Decimal:
    """The same number without exponent notation or trailing zeros (1.65E+10 -> 16500000000)."""
    if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 50:
        return value.quantize(_ONE, context=ARITHMETIC)
    return value.normalize(ARITHMETIC)
