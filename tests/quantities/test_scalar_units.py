"""Units of no physical dimension (an index and its base, a ratio, points, a plain number)."""

from decimal import Decimal

import pytest

from app.quantities import QuantityError, canonical_unit, convert, parse_quantity, parse_value
from app.quantities.units import lookup_phrase

D = Decimal


@pytest.mark.parametrize(
    ("spelling", "unit", "dimension"),
    [
        ("index", "index", "index"),
        ("Index", "index", "index"),
        ("index 2015=100", "index 2015=100", "index"),
        ("index (2015=100)", "index 2015=100", "index"),
        ("index, 2010 = 100", "index 2010=100", "index"),
        ("index (2015=1000)", "index 2015=1000", "index"),
        ("ratio", "ratio", "ratio"),
        ("points", "points", "points"),
        ("index points", "points", "points"),
        ("1", "1", "number"),
        ("number", "1", "number"),
        ("dimensionless", "1", "number"),
        ("percent", "percent", "percent"),
    ],
)
def test_canonical_unit_reads_scalar_unit(spelling: str, unit: str, dimension: str) -> None:
    assert canonical_unit(spelling) == (unit, dimension)


@pytest.mark.parametrize(
    "spelling",
    ["index 15=100", "index 2015=0", "index 2015=100000", "index 2015", "ratios a year", "2"],
)
def test_canonical_unit_refuses_malformed_scalar_unit(spelling: str) -> None:
    with pytest.raises(QuantityError) as caught:
        canonical_unit(spelling)
    assert caught.value.code == "unknown_unit"


def test_scalar_units_are_not_read_from_prose() -> None:
    # "5 points" in a sentence is a change of something; "1" after a number is no unit.
    assert [lookup_phrase([w]) for w in ("index", "ratio", "points", "number", "1")] == [None] * 5
    with pytest.raises(QuantityError) as caught:
        parse_quantity("12 ratio")
    assert caught.value.code == "unknown_unit"


def test_plain_number_takes_scalar_default_unit() -> None:
    q = parse_quantity("101.5", default_unit="index (2015=100)")
    assert (q.value, q.unit, q.dimension, q.interval.low, q.interval.high) == (
        D("101.5"),
        "index 2015=100",
        "index",
        D("101.45"),
        D("101.55"),
    )
    v = parse_value("0.42", "ratio")
    assert (v.value, v.unit, v.dimension) == (D("0.42"), "ratio", "ratio")
    n = parse_value(D("7"), "1")
    assert (n.value, n.unit, n.dimension) == (D("7"), "1", "number")


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("index 2015=100", "index 2010=100"),
        ("index", "index 2015=100"),
        ("ratio", "percent"),
        ("points", "1"),
        ("index", "USD"),
        ("ratio", "count"),
    ],
)
def test_convert_refuses_between_scalar_units(source: str, target: str) -> None:
    with pytest.raises(QuantityError) as caught:
        convert(D("100"), source, target)
    assert caught.value.code == "incompatible_units"


def test_convert_scalar_unit_to_itself_keeps_value() -> None:
    assert convert(D("101.50"), "index (2015=100)", "index 2015=100") == D("101.5")
