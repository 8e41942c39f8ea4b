"""Unit spellings, canonical units and exact conversion."""

from decimal import Decimal

import pytest

from app.quantities import QuantityError, canonical_unit, convert
from app.quantities.units import CANONICAL_UNITS, lookup_unit

D = Decimal


@pytest.mark.parametrize(
    ("spelling", "unit", "dimension"),
    [
        ("USD", "USD", "money"),
        ("$", "USD", "money"),
        ("US$", "USD", "money"),
        ("US dollars", "USD", "money"),
        ("U.S. dollars", "USD", "money"),
        ("€", "EUR", "money"),
        ("euros", "EUR", "money"),
        ("tenge", "KZT", "money"),
        ("₸", "KZT", "money"),
        ("rubles", "RUB", "money"),
        ("₽", "RUB", "money"),
        ("yuan", "CNY", "money"),
        ("¥", "CNY", "money"),
        ("£", "GBP", "money"),
        ("Rs", "INR", "money"),
        ("Rs.", "INR", "money"),
        ("km", "km", "length"),
        ("kilometres", "km", "length"),
        ("miles", "km", "length"),
        ("m", "km", "length"),
        ("tonnes", "t", "mass"),
        ("tons", "t", "mass"),
        ("t", "t", "mass"),
        ("kg", "t", "mass"),
        ("%", "percent", "percent"),
        ("per cent", "percent", "percent"),
        ("count", "count", "count"),
        ("kWh", "GWh", "energy"),
        ("GW", "MW", "power"),
        ("hectares", "km2", "area"),
        ("km²", "km2", "area"),
        ("bcm", "m3", "volume"),
        ("weeks", "day", "duration"),
    ],
)
def test_canonical_unit_reads_spelling(spelling: str, unit: str, dimension: str) -> None:
    assert canonical_unit(spelling) == (unit, dimension)


@pytest.mark.parametrize("canonical", sorted(CANONICAL_UNITS))
def test_canonical_unit_maps_canonical_unit_to_itself(canonical: str) -> None:
    assert canonical_unit(canonical)[0] == canonical


@pytest.mark.parametrize("spelling", ["furlongs", "", "T", "M", "pounds", "dinar", "hours"])
def test_canonical_unit_refuses_unknown_or_ambiguous_spelling(spelling: str) -> None:
    with pytest.raises(QuantityError) as caught:
        canonical_unit(spelling)

    assert caught.value.code == "unknown_unit"


@pytest.mark.parametrize(
    ("spelling", "factor"),
    [
        ("miles", "1.609344"),
        ("m", "0.001"),
        ("kg", "0.001"),
        ("kWh", "0.000001"),
        ("TWh", "1000"),
        ("hectare", "0.01"),
        ("bcm", "1000000000"),
        ("barrels", "0.158987294928"),
        ("week", "7"),
    ],
)
def test_lookup_unit_gives_exact_factor_from_pint(spelling: str, factor: str) -> None:
    assert lookup_unit(spelling).factor == D(factor)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("560", "miles", "km", "901.23264"),
        ("901.23264", "km", "miles", "560"),
        ("1", "mile", "m", "1609.344"),
        ("4.5", "tonnes", "kg", "4500"),
        ("1.5", "$", "USD", "1.5"),
        ("12", "%", "percent", "12"),
        ("2", "TWh", "GWh", "2000"),
        ("0.5", "GW", "kW", "500000"),
    ],
)
def test_convert_is_exact(value: str, source: str, target: str, expected: str) -> None:
    assert convert(D(value), source, target) == D(expected)


def test_convert_rounds_non_terminating_division_to_28_digits() -> None:
    assert convert(D(900), "km", "miles") == D("559.2340730136005726556907659")


@pytest.mark.parametrize(
    ("source", "target"), [("USD", "EUR"), ("$", "KZT"), ("km", "t"), ("USD", "count")]
)
def test_convert_refuses_incompatible_units(source: str, target: str) -> None:
    with pytest.raises(QuantityError) as caught:
        convert(D(1), source, target)

    assert caught.value.code == "incompatible_units"


def test_convert_refuses_non_finite_value() -> None:
    with pytest.raises(QuantityError) as caught:
        convert(D("NaN"), "km", "m")

    assert caught.value.code == "non_finite"
