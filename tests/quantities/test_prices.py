"""Prices as the trade quotes them: money per barrel and per tonne, in the currency written."""

from decimal import Decimal

import pytest

from app.quantities import QuantityError, canonical_unit, parse_quantity, parse_value

D = Decimal


@pytest.mark.parametrize(
    ("text", "value", "unit", "dimension", "low", "high"),
    [
        ("$40 a barrel", "40", "USD/bbl", "money/volume", "39.5", "40.5"),
        ("$45 per barrel", "45", "USD/bbl", "money/volume", "44.5", "45.5"),
        ("31-36.5 US dollars per barrel", "33.75", "USD/bbl", "money/volume", "31", "36.5"),
        # https://pdfslide.us/documents/oil-market-report-template-international-energy-agency-the-supply-front-relentless.html
        # (refused as no amount of money nor of oil until prices were read)
        ("$53.05/bbl", "53.05", "USD/bbl", "money/volume", "53.045", "53.055"),
        ("€60 per bbl", "60", "EUR/bbl", "money/volume", "59.5", "60.5"),
        ("$250 per tonne", "250", "USD/t", "money/mass", "249.5", "250.5"),
        ("KZT 95,000 a ton", "95000", "KZT/t", "money/mass", "94999.5", "95000.5"),
        ("$250-260/t", "255", "USD/t", "money/mass", "250", "260"),
    ],
)
def test_parse_quantity_reads_price_per_barrel_or_tonne(
    text: str, value: str, unit: str, dimension: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.dimension, quantity.low, quantity.high) == (
        D(value),
        unit,
        dimension,
        D(low),
        D(high),
    )


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("USD/bbl", ("USD/bbl", "money/volume")),
        ("US dollars per barrel", ("USD/bbl", "money/volume")),
        ("KZT/t", ("KZT/t", "money/mass")),
    ],
)
def test_canonical_unit_reads_price(spelling: str, canonical: tuple[str, str]) -> None:
    assert canonical_unit(spelling) == canonical


@pytest.mark.parametrize(("text", "default_unit"), [("40 a barrel", "USD/bbl"), ("40", "USD/bbl")])
def test_parse_quantity_reads_price_of_metric_unit(text: str, default_unit: str) -> None:
    quantity = parse_quantity(text, default_unit=default_unit)

    assert (quantity.value, quantity.unit) == (D("40"), "USD/bbl")


def test_parse_value_reads_price_unit() -> None:
    quantity = parse_value("40", "USD/bbl")

    assert (quantity.value, quantity.unit, quantity.dimension) == (D(40), "USD/bbl", "money/volume")


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("5 tonnes per barrel", "unsupported_rate",
         "'5 tonnes per barrel': only money per barrel is kept (a price)"),
        ("$40 a barrel a year", "unknown_unit",
         "could not read the unit 'a year' in '$40 a barrel a year'"),
        ("$40 a barrel to €45 a barrel", "mixed_units",
         "'$40 a barrel to €45 a barrel' mixes units that differ: EUR and USD"),
        ("$40 to $45 a tonne a barrel", "unknown_unit",
         "could not read the unit 'a barrel' in '$40 to $45 a tonne a barrel'"),
        ("$40 a barrel to $45 a tonne", "mixed_units",
         "'$40 a barrel to $45 a tonne' names two rates: per barrel and per tonne"),
        ("40% a barrel", "unsupported_rate",
         "'40% a barrel': only money per barrel is kept (a price)"),
    ],
)  # fmt: skip
def test_parse_quantity_refuses_price_of_what_is_no_money(
    text: str, code: str, message: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == (code, message)


def test_parse_quantity_reads_price_in_currency_of_metric() -> None:
    # the metric's currency, as a bare figure takes it; its dimension then tells them apart
    quantity = parse_quantity("40 a barrel", default_unit="KZT/yr")

    assert (quantity.unit, quantity.dimension) == ("KZT/bbl", "money/volume")
