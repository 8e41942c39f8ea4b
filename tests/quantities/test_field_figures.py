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


@pytest.mark.parametrize(
    "text",
    ["rose 5% a year", "grew by 5-7 percent per annum", "fell 2% p.a.", "a 12% a year increase"],
)
def test_parse_quantity_refuses_change_of_percent_a_year(text: str) -> None:
    # a change a year is an average over the years, not the change over the claim's period
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == (
        "unsupported_rate",
        f"'{text}' is a change a year (an average over years), not the change over its period: "
        "log the change over the period, or the yearly rate as a level of a metric of its own",
    )


def test_parse_value_reads_percent_a_year_unit() -> None:
    quantity = parse_value("16.75", "percent per annum")

    assert (quantity.value, quantity.unit) == (D("16.75"), "percent")


# --- things and people counted --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42,000 containers", "42000"),
        ("over 5,100 shipping containers", "5100"),
        ("Over 2,100 container trains", "2100"),
        ("16,145 freight trains", "16145"),
        ("one train", "1"),
        ("over 13,800 wagons", "13800"),
        ("504,601 rakes", "504601"),
        ("more than 18,000 freight vehicles", "18000"),
        ("1,200 trucks", "1200"),
        ("about 40 projects", "40"),
        ("280 investment projects", "280"),
        ("over 6,000 enterprises", "6000"),
        ("4,468 exporting entities", "4468"),
        ("over 20 bilateral agreements", "20"),
        ("More than 35,000 Chinese citizens", "35000"),
        ("Around 400,000 Tajiks", "400000"),
        ("5,000 Kazakhs", "5000"),
        ("120 flights a day", "43830"),
        ("12 vessels", "12"),
        ("3 new stations", "3"),
    ],
)
def test_parse_quantity_reads_counted_noun_as_count(text: str, value: str) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit.removesuffix("/yr")) == (D(value), "count")


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        # money is no count of things: the figure stays refused, as it was
        ("$10 billion investment", "unknown_unit",
         "could not read the unit 'investment' in '$10 billion investment'"),
        ("$4.2 billion investment projects", "unknown_unit",
         "could not read the unit 'investment projects' in '$4.2 billion investment projects'"),
        ("5 billion tenge projects", "unknown_unit",
         "could not read the unit 'projects' in '5 billion tenge projects'"),
        # a count of boxes is not a count of twenty-foot units, whichever is written first
        ("5,000 TEU containers", "unknown_unit",
         "could not read the unit 'containers' in '5,000 TEU containers'"),
        # three words before the noun, or a word that makes the figure a change: not guessed
        ("5 big new freight trains", "unknown_unit",
         "could not read the unit 'big new freight trains' in '5 big new freight trains'"),
        ("20 more trains", "unknown_unit",
         "could not read the unit 'more trains' in '20 more trains'"),
        ("20 bridges", "unknown_unit", "could not read the unit 'bridges' in '20 bridges'"),
    ],
)  # fmt: skip
def test_parse_quantity_refuses_what_counts_no_listed_thing(
    text: str, code: str, message: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == (code, message)


@pytest.mark.parametrize(
    "text", ["5 daily trains", "12 weekly flights", "5 Mt trains", "5 percent companies"]
)
def test_parse_quantity_refuses_counted_noun_after_rate_or_unit_word(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == "unknown_unit"


# --- units of grain, land and rail reports --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "low", "high"),
    [
        # USDA: million and thousand metric tons
        ("12.8 MMT", "12800000", "t", "12750000", "12850000"),
        ("188.1 KMT", "188100", "t", "188050", "188150"),
        ("1.7 mmt", "1700000", "t", "1650000", "1750000"),
        # the international acre, 4046.8564224 m2 (43,560 international square feet)
        ("40.3 million acres", "163088.31382272", "km2", "162885.9710016", "163290.65664384"),
        ("1 acre", "0.0040468564224", "km2", "0.0020234282112", "0.0060702846336"),
        # Indian Railways: net tonne-kilometres
        ("903 Bn NTKMs", "903000000000", "tkm", "902500000000", "903500000000"),
        ("5 net tonne-km", "5", "tkm", "4.5", "5.5"),
    ],
)
def test_parse_quantity_reads_grain_land_and_rail_units(
    text: str, value: str, unit: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.low, quantity.high) == (
        D(value),
        unit,
        D(low),
        D(high),
    )


def test_parse_quantity_refuses_gross_tonne_km() -> None:
    # gross tonne-km weigh the wagons too: another figure than the tonne-km of freight
    with pytest.raises(QuantityError) as caught:
        parse_quantity("903 Bn GTKMs")

    assert caught.value.code == "unknown_unit"


# --- marks between digits -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # the British raised decimal point
        ("980·7 million tonnes", "980700000", "t"),
        ("1,234·5 km", "1234.5", "km"),
        ("0·25%", "0.25", "percent"),
        # a left single quote groups thousands as the apostrophe and the right quote do
        ("CHF 1‘250.35", "1250.35", "CHF"),
        ("1‘200‘000 tonnes", "1200000", "t"),
    ],
)
def test_parse_quantity_reads_middle_dot_and_left_quote_between_digits(
    text: str, value: str, unit: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit) == (D(value), unit)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # only between digits: anywhere else the marks are no part of a number
        ("5· million tonnes", "unknown_unit"),
        ("·5 million tonnes", "unknown_unit"),
        ("1·2·3 km", "unreadable_number"),
        ("1·234.5 km", "unreadable_number"),
        ("‘5 million’ tonnes", "unknown_unit"),
    ],
)
def test_parse_quantity_refuses_marks_not_between_digits(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == code


# --- words around a number ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "low", "high"),
    [
        # an article before a figure is no part of it ("a $21 billion rescue package")
        ("a $21 billion", "21000000000", "USD", "20500000000", "21500000000"),
        ("an 8 percent", "8", "percent", "7.5", "8.5"),
        ("a KZT 5 billion", "5000000000", "KZT", "4500000000", "5500000000"),
        # "a" before a scale word is still one
        ("a billion dollars", "1000000000", "USD", "500000000", "1500000000"),
        # half of "a billion" (0.5 to 1.5 billion): 0.25 to 0.75 billion
        ("Half a billion people", "500000000", "count", "250000000", "750000000"),
        ("half a million tonnes", "500000", "t", "250000", "750000"),
    ],
)
def test_parse_quantity_reads_article_and_half_before_figure(
    text: str, value: str, unit: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.low, quantity.high) == (
        D(value),
        unit,
        D(low),
        D(high),
    )


@pytest.mark.parametrize(
    "text", ["a", "a $", "the $21 billion", "a a $21 billion", "half a tonne", "half a"]
)
def test_parse_quantity_refuses_article_without_figure(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_parse_quantity_refuses_signed_percent_a_year_of_a_level_metric() -> None:
    # "+5%" of a metric kept in money is its change (`relative.settle`): a year's is refused
    with pytest.raises(QuantityError) as caught:
        parse_quantity("+5% p.a.", default_unit="USD")

    assert caught.value.code == "unsupported_rate"


def test_parse_quantity_reads_negative_rate_a_year_as_level() -> None:
    quantity = parse_quantity("-0.5% per annum")

    assert (quantity.value, quantity.unit, str(quantity.figure_type)) == (
        D("-0.5"),
        "percent",
        "level",
    )


# --- a unit word before the number ------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("percent 2,7", "2.7"), ("per cent 5", "5")])
def test_parse_quantity_reads_percent_word_before_bare_number(text: str, value: str) -> None:
    # as translated statutes write it: "or percent 2,7 to country gross domestic product"
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit) == (D(value), "percent")


@pytest.mark.parametrize(
    "text", ["percent 5 billion", "percent 5%", "% 5", "percent 5 tonnes", "tonnes 5"]
)
def test_parse_quantity_refuses_unit_word_before_number_with_more(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == "unreadable_number"
