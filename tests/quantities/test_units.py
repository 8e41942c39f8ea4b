"""Unit spellings, canonical units and exact conversion."""

from decimal import Decimal

import pytest

from app.quantities import QuantityError, canonical_unit, convert
from app.quantities.unit_table import CASED, PHYSICAL
from app.quantities.units import CANONICAL_UNITS, lookup_phrase, lookup_unit

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
        # the units of this field (issue 20)
        ("TEU", "TEU", "containers"),
        ("TEUs", "TEU", "containers"),
        ("FEU", "TEU", "containers"),
        ("twenty-foot equivalent units", "TEU", "containers"),
        ("twenty foot equivalent unit", "TEU", "containers"),
        ("forty-foot equivalent units", "TEU", "containers"),
        ("bbl", "m3", "volume"),
        ("barrels", "m3", "volume"),
        ("MMbbl", "m3", "volume"),
        ("mcm", "m3", "volume"),
        ("tcm", "m3", "volume"),
        ("cu m", "m3", "volume"),
        ("cu. m", "m3", "volume"),
        ("m3", "m3", "volume"),
        ("m³", "m3", "volume"),
        ("cubic meters", "m3", "volume"),
        ("cubic kilometers", "m3", "volume"),
        ("cf", "m3", "volume"),
        ("cu ft", "m3", "volume"),
        ("cubic feet", "m3", "volume"),
        ("ft³", "m3", "volume"),
        ("bcf", "m3", "volume"),
        ("tcf", "m3", "volume"),
        ("W", "MW", "power"),
        ("watts", "MW", "power"),
        ("kW", "MW", "power"),
        ("TW", "MW", "power"),
        ("Wh", "GWh", "energy"),
        ("MWh", "GWh", "energy"),
        ("kilowatt-hours", "GWh", "energy"),
        ("toe", "GWh", "energy"),
        ("Mtoe", "GWh", "energy"),
        ("tonnes of oil equivalent", "GWh", "energy"),
        ("tce", "GWh", "energy"),
        ("tonne-kilometres", "tkm", "freight_work"),
        ("ton-kilometers", "tkm", "freight_work"),
        ("t-km", "tkm", "freight_work"),
        ("tkm", "tkm", "freight_work"),
        ("tonne-km", "tkm", "freight_work"),
        ("passenger-kilometres", "pkm", "passenger_work"),
        ("passenger kilometers", "pkm", "passenger_work"),
        ("ha", "km2", "area"),
        ("sq km", "km2", "area"),
        ("sq. km", "km2", "area"),
        ("square kilometres", "km2", "area"),
        ("Mt", "t", "mass"),
        ("kt", "t", "mass"),
        ("centners", "t", "mass"),
        ("quintals", "t", "mass"),
        ("people", "count", "count"),
        ("persons", "count", "count"),
        ("passengers", "count", "count"),
        ("workers", "count", "count"),
        ("tourists", "count", "count"),
        ("jobs", "count", "count"),
        # rates: per year is the canonical denominator
        ("bpd", "m3/yr", "volume/yr"),
        ("b/d", "m3/yr", "volume/yr"),
        ("bbl/d", "m3/yr", "volume/yr"),
        ("barrels per day", "m3/yr", "volume/yr"),
        ("barrels a day", "m3/yr", "volume/yr"),
        ("mb/d", "m3/yr", "volume/yr"),
        ("kb/d", "m3/yr", "volume/yr"),
        ("bcm/y", "m3/yr", "volume/yr"),
        ("bcm a year", "m3/yr", "volume/yr"),
        ("mcm per day", "m3/yr", "volume/yr"),
        ("m3/d", "m3/yr", "volume/yr"),
        ("TWh a year", "GWh/yr", "energy/yr"),
        ("kWh per year", "GWh/yr", "energy/yr"),
        ("GWh annually", "GWh/yr", "energy/yr"),
        ("GW a year", "MW/yr", "power/yr"),
        ("mtpa", "t/yr", "mass/yr"),
        ("tonnes per annum", "t/yr", "mass/yr"),
        ("tonnes p.a.", "t/yr", "mass/yr"),
        ("TEU per month", "TEU/yr", "containers/yr"),
        ("tonne-km a year", "tkm/yr", "freight_work/yr"),
        ("passengers a day", "count/yr", "count/yr"),
        ("USD a year", "USD/yr", "money/yr"),
        ("tenge per month", "KZT/yr", "money/yr"),
        ("t/ha", "t/ha", "yield"),
        ("tonnes per hectare", "t/ha", "yield"),
        ("centners per hectare", "t/ha", "yield"),
        ("c/ha", "t/ha", "yield"),
        ("q/ha", "t/ha", "yield"),
        ("kg/ha", "t/ha", "yield"),
        ("\u0446/\u0433\u0430", "t/ha", "yield"),
    ],
)
def test_canonical_unit_reads_spelling(spelling: str, unit: str, dimension: str) -> None:
    assert canonical_unit(spelling) == (unit, dimension)


@pytest.mark.parametrize("canonical", sorted(CANONICAL_UNITS))
def test_canonical_unit_maps_canonical_unit_to_itself(canonical: str) -> None:
    assert canonical_unit(canonical)[0] == canonical


@pytest.mark.parametrize(
    "canonical",
    [
        "m3/yr",
        "GWh/yr",
        "MW/yr",
        "t/yr",
        "TEU/yr",
        "tkm/yr",
        "count/yr",
        "USD/yr",
        "KZT/yr",
        "km/yr",
    ],
)
def test_canonical_unit_maps_canonical_rate_to_itself(canonical: str) -> None:
    assert canonical_unit(canonical)[0] == canonical
    assert lookup_unit(canonical).factor == 1


@pytest.mark.parametrize(
    "spelling", ["furlongs", "", "T", "M", "hours", "tonnes per week", "mb", "tg", "centner/acre"]
)
def test_canonical_unit_refuses_unknown_spelling(spelling: str) -> None:
    with pytest.raises(QuantityError) as caught:
        canonical_unit(spelling)

    assert caught.value.code == "unknown_unit"


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        (
            "Mb/d",
            "'Mb/d' is a thousand barrels a day in US industry usage and a million in the IEA's: "
            "write 'kb/d', 'mb/d' or the words",
        ),
        (
            "mbpd",
            "'mbpd' is a thousand barrels a day in US industry usage and a million in the IEA's: "
            "write 'kb/d', 'mb/d' or the words",
        ),
        (
            "mt",
            "'mt' is written both for metric tonnes and for million tonnes (Mt): write the word",
        ),
        (
            "MT",
            "'MT' is written both for metric tonnes and for million tonnes (Mt): write the word",
        ),
        (
            "pounds",
            "'pounds' could be pounds sterling (GBP), another country's pound or a weight: write "
            "GBP or £",
        ),
        (
            "¥",
            "'¥' is the sign of both the Japanese yen (JPY) and the Chinese yuan (CNY): write JPY "
            "or CNY",
        ),
        (
            "manat",
            "'manat' is the currency of both Azerbaijan (AZN) and Turkmenistan (TMT): write AZN "
            "or TMT",
        ),
        ("dinar", "'dinar' is the name of several countries' currencies: write its ISO code"),
    ],
)
def test_canonical_unit_refuses_ambiguous_spelling_naming_readings(
    spelling: str, message: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        canonical_unit(spelling)

    assert (caught.value.code, caught.value.message) == ("ambiguous_unit", message)


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("% a month", "'% a month': a percent per month is no amount Claimtrack keeps"),
        ("t/ha a year", "'t/ha a year': a yield per year is no amount Claimtrack keeps"),
        ("km per hectare", "'km per hectare': only a mass per hectare is kept (a yield)"),
        (
            "passenger-km a year",
            "'passenger-km a year': a passenger_work per year is no amount Claimtrack keeps",
        ),
        ("bpd per year", "'bpd per year' is already a rate (m3/yr): it takes no second one"),
    ],
)
def test_canonical_unit_refuses_rate_of_what_takes_none(spelling: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        canonical_unit(spelling)

    assert (caught.value.code, caught.value.message) == ("unsupported_rate", message)


def test_lookup_phrase_gives_every_listed_spelling_a_terminating_factor() -> None:
    # pint's Decimal arithmetic leaves noise in the 28th digit, cut at 15 digits: a factor
    # still 15 digits long after the cut would be a non-terminating one, never exact.
    factors = {
        spelling: lookup_phrase(spelling.split())
        for _, _, spellings in (*PHYSICAL, *CASED)
        for spelling in spellings
    }

    exact = [u.factor for u in factors.values() if u is not None]
    assert len(exact) == len(factors)
    assert max(len(f.as_tuple().digits) for f in exact) == 14
    # the longest: barrels a day, 0.158987294928 m3 times 365.25 days
    assert {f for f in exact if len(f.as_tuple().digits) == 14} == {
        D("58.070109472452"),
        D("58070.109472452"),
        D("58070109.472452"),
    }


def test_canonical_units_and_dimensions_fit_their_columns() -> None:
    # claims.unit and claims.dimension are VARCHAR(16); a rate adds "/yr" to both.
    names = [
        name
        for canonical, (dimension, _) in CANONICAL_UNITS.items()
        for name in (canonical, dimension, f"{canonical}/yr", f"{dimension}/yr")
        if dimension not in ("passenger_work", "yield")
    ]

    assert max(len(name) for name in names) == 15
    assert len("passenger_work") == 14


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
        ("FEU", "2"),
        ("TEUs", "1"),
        ("bpd", "58.070109472452"),
        ("mb/d", "58070109.472452"),
        ("kb/d", "58070.109472452"),
        ("MMbbl", "158987.294928"),
        ("mcm", "1000000"),
        ("tcm", "1000000000000"),
        ("cubic feet", "0.028316846592"),
        ("bcf", "28316846.592"),
        ("tcf", "28316846592"),
        ("bcf/d", "10342728217.728"),
        ("bcm a year", "1000000000"),
        ("mcm per day", "365250000"),
        ("W", "0.000001"),
        ("Wh", "0.000000001"),
        ("toe", "0.01163"),
        ("Mtoe", "11630"),
        ("tce", "0.008141"),
        ("kWh per month", "0.000012"),
        ("TEU per quarter", "4"),
        ("t-km", "1"),
        ("sq km", "1"),
        ("sq mi", "2.589988110336"),
        ("ft", "0.0003048"),
        ("Mt", "1000000"),
        ("mtpa", "1000000"),
        ("centners", "0.1"),
        ("c/ha", "0.1"),
        ("kg/ha", "0.001"),
        ("people", "1"),
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
        ("3", "FEU", "TEU", "6"),
        ("1.8", "mb/d", "kb/d", "1800"),
        ("1", "bpd", "m3/yr", "58.070109472452"),
        ("116.1402189449040", "m3/yr", "bpd", "2"),
        ("2", "TWh a year", "GWh/yr", "2000"),
        ("24.4", "ton-kilometers", "t-km", "24.4"),
        ("15.2", "centners per hectare", "t/ha", "1.52"),
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
