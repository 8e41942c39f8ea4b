"""Figures of the field as real pages write them: rates quoted a year, things counted, prices
per barrel, and the words and marks around a number (issue 20, the real-material table)."""

from decimal import Decimal

import pytest

from app.quantities import QuantityError, canonical_unit, parse_quantity, parse_value

D = Decimal


# --- a percent quoted a year is a percent ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        # as real_figures.toml quotes base and deposit rates
        ("16.75 percent per annum", "16.75", "16.745", "16.755"),
        ("12% per annum", "12", "11.5", "12.5"),
        ("9% APR", "9", "8.5", "9.5"),
        ("5% a year", "5", "4.5", "5.5"),
        ("7.5% p.a.", "7.5", "7.45", "7.55"),
        ("12-15% per annum", "13.5", "12", "15"),
    ],
)
def test_parse_quantity_reads_percent_a_year_as_percent(
    text: str, value: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.dimension, quantity.low, quantity.high) == (
        D(value),
        "percent",
        "percent",
        D(low),
        D(high),
    )


def test_canonical_unit_reads_percent_a_year_as_percent() -> None:
    assert canonical_unit("% per annum") == ("percent", "percent")


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        # a monthly or daily rate is not the same percent a year: never read as one
        ("2% a month", "unsupported_rate",
         "'2% a month': a percent per month is no amount Claimtrack keeps"),
        ("0.1 percent a day", "unsupported_rate",
         "'0.1 percent a day': a percent per day is no amount Claimtrack keeps"),
        # "APR" says a percent is a year's rate, and nothing else
        ("5 tonnes APR", "unknown_unit", "could not read the unit 'APR' in '5 tonnes APR'"),
    ],
)  # fmt: skip
def test_parse_quantity_refuses_percent_of_other_period(text: str, code: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == (code, message)


def test_parse_value_reads_percent_a_year_unit() -> None:
    quantity = parse_value("16.75", "percent per annum")

    assert (quantity.value, quantity.unit) == (D("16.75"), "percent")
