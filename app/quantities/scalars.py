"""Units of no physical dimension an indicator or a metric may be kept in: an index (with its
base), a ratio, points, a plain number.

============== ================ ====================================================
dimension      canonical        written as (a whole unit field, any case)
============== ================ ====================================================
index          index            index
index          index 2015=100   index 2015=100, index (2015=100), index, 2015 = 100
ratio          ratio            ratio
points         points           points, index points
number         1                1, number, dimensionless
============== ================ ====================================================

Each is a dimension of its own, so none ever converts to another (nor to money, a length or
a percent: "percent" is the percent of `unit_table`). Two indices convert only when they share
their base: an index on 2015 = 100 and one on 2010 = 100 are two units, and a claim meets an
indicator's data only in the indicator's own unit (`indicators.datacheck`). A base is a year
equal to 1, 10, 100 or 1000: the canonical unit must fit the 16 characters of the unit columns.

These are read only as a unit given on its own (a metric's or an indicator's unit, an
observation's `unit`), never from prose: "5 points" in a sentence is a change of something,
and "1" after a figure is no unit.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.quantities.spellings import Unit

__all__ = ["SCALAR_DIMENSIONS", "read_scalar"]

INDEX = "index"
SCALAR_DIMENSIONS = frozenset((INDEX, "ratio", "points", "number"))

# spelling (lowercase, spaces collapsed) -> (canonical unit, dimension)
_SPELLINGS: dict[str, tuple[str, str]] = {
    "index": ("index", INDEX),
    "ratio": ("ratio", "ratio"),
    "points": ("points", "points"),
    "index points": ("points", "points"),
    "1": ("1", "number"),
    "number": ("1", "number"),
    "dimensionless": ("1", "number"),
}
# "index 2015=100", "index (2015=100)", "index, 2015 = 100"
_BASED = re.compile(r"index\s*(?:,\s*|\(\s*)?(\d{4})\s*=\s*(1|10|100|1000)\s*\)?")


def read_scalar(spelling: str) -> Unit | None:
    """The scalar unit a whole unit field names, or ``None`` when it names none."""
    key = " ".join(spelling.lower().split())
    found = _SPELLINGS.get(key)
    if found is not None:
        return Unit(found[0], found[1], Decimal(1))
    based = _BASED.fullmatch(key) if key.startswith(INDEX) else None
    if based is None or (key.count("(") != key.count(")")):
        return None
    year, level = based.groups()
    return Unit(f"{INDEX} {year}={level}", INDEX, Decimal(1))
