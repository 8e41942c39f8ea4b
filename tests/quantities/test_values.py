"""Reading figures as written in the news, and refusing what cannot be read."""

from decimal import Decimal

import pytest

from app.quantities import Bound, QuantityError, parse_quantity, parse_value

EXACT, APPROX, RANGE = Bound.EXACT, Bound.APPROX, Bound.RANGE
AT_LEAST, MORE_THAN = Bound.AT_LEAST, Bound.MORE_THAN
AT_MOST, LESS_THAN = Bound.AT_MOST, Bound.LESS_THAN

# text, value, unit, bound, low, high (None = unbounded)
READABLE: list[tuple[str, str, str, Bound, str | None, str | None]] = [
    # money, scale words and currency spellings
    ("$10 billion", "10000000000", "USD", EXACT, "9500000000", "10500000000"),
    ("\\$10 billion", "10000000000", "USD", EXACT, "9500000000", "10500000000"),
    ("US$2.35 bln", "2350000000", "USD", EXACT, "2345000000", "2355000000"),
    ("US$ 2.35 billion", "2350000000", "USD", EXACT, "2345000000", "2355000000"),
    ("U.S.$2 billion", "2000000000", "USD", EXACT, "1500000000", "2500000000"),
    ("12 billion US dollars", "12000000000", "USD", EXACT, "11500000000", "12500000000"),
    ("12 billion U.S. dollars", "12000000000", "USD", EXACT, "11500000000", "12500000000"),
    ("$3.1 bln", "3100000000", "USD", EXACT, "3050000000", "3150000000"),
    ("16,500 million USD", "16500000000", "USD", EXACT, "16499500000", "16500500000"),
    ("$16.5 billion", "16500000000", "USD", EXACT, "16450000000", "16550000000"),
    ("$44 billion", "44000000000", "USD", EXACT, "43500000000", "44500000000"),
    ("$1.2B", "1200000000", "USD", EXACT, "1150000000", "1250000000"),
    ("$250k", "250000", "USD", EXACT, "249500", "250500"),
    ("1.2 trillion tenge", "1200000000000", "KZT", EXACT, "1150000000000", "1250000000000"),
    ("KZT 4.8 trln", "4800000000000", "KZT", EXACT, "4750000000000", "4850000000000"),
    ("4.8 trillion KZT", "4800000000000", "KZT", EXACT, "4750000000000", "4850000000000"),
    ("₸500bn", "500000000000", "KZT", EXACT, "499500000000", "500500000000"),
    ("€1.5bn", "1500000000", "EUR", EXACT, "1450000000", "1550000000"),
    ("EUR1.5bn", "1500000000", "EUR", EXACT, "1450000000", "1550000000"),
    ("EUR 3m", "3000000", "EUR", EXACT, "2500000", "3500000"),
    ("5 euros", "5", "EUR", EXACT, "4.5", "5.5"),
    ("£300m", "300000000", "GBP", EXACT, "299500000", "300500000"),
    ("Rs 500 crore", "5000000000", "INR", EXACT, "4995000000", "5005000000"),
    ("CN¥5 billion", "5000000000", "CNY", EXACT, "4500000000", "5500000000"),
    ("CNY 120 billion", "120000000000", "CNY", EXACT, "119500000000", "120500000000"),
    ("300 yuan", "300", "CNY", EXACT, "299.5", "300.5"),
    ("100 rubles", "100", "RUB", EXACT, "99.5", "100.5"),
    ("₽1.5 trillion", "1500000000000", "RUB", EXACT, "1450000000000", "1550000000000"),
    ("RUB 2 trln", "2000000000000", "RUB", EXACT, "1500000000000", "2500000000000"),
    # counts: digits, scale words and numbers in words
    ("6,000", "6000", "count", EXACT, "5999.5", "6000.5"),
    ("1,234.5", "1234.5", "count", EXACT, "1234.45", "1234.55"),
    ("1.005 billion", "1005000000", "count", EXACT, "1004500000", "1005500000"),
    ("10bn", "10000000000", "count", EXACT, "9500000000", "10500000000"),
    ("5 mln", "5000000", "count", EXACT, "4500000", "5500000"),
    ("2.5 thousand", "2500", "count", EXACT, "2450", "2550"),
    ("six", "6", "count", EXACT, "5.5", "6.5"),
    ("twenty", "20", "count", EXACT, "19.5", "20.5"),
    ("twenty-four", "24", "count", EXACT, "23.5", "24.5"),
    ("four thousand", "4000", "count", EXACT, "3500", "4500"),
    ("two hundred", "200", "count", EXACT, "150", "250"),
    ("one thousand two hundred", "1200", "count", EXACT, "1150", "1250"),
    ("one hundred and twenty", "120", "count", EXACT, "119.5", "120.5"),
    ("one million two hundred thousand", "1200000", "count", EXACT, "1150000", "1250000"),
    ("five billion dollars", "5000000000", "USD", EXACT, "4500000000", "5500000000"),
    # physical units
    ("900 kilometers", "900", "km", EXACT, "899.5", "900.5"),
    ("900 kilometres", "900", "km", EXACT, "899.5", "900.5"),
    ("120-km", "120", "km", EXACT, "119.5", "120.5"),
    ("95-kilometer", "95", "km", EXACT, "94.5", "95.5"),
    ("3,000-kilometer", "3000", "km", EXACT, "2999.5", "3000.5"),
    ("560 miles", "901.23264", "km", EXACT, "900.427968", "902.037312"),
    ("4.5 million tonnes", "4500000", "t", EXACT, "4450000", "4550000"),
    ("4.5 million tons", "4500000", "t", EXACT, "4450000", "4550000"),
    ("5m tonnes", "5000000", "t", EXACT, "4500000", "5500000"),
    ("a million tonnes", "1000000", "t", EXACT, "500000", "1500000"),
    ("2 TWh", "2000", "GWh", EXACT, "1500", "2500"),
    ("1.2 GW", "1200", "MW", EXACT, "1150", "1250"),
    ("20 bcm", "20000000000", "m3", EXACT, "19500000000", "20500000000"),
    ("30 hectares", "0.3", "km2", EXACT, "0.295", "0.305"),
    # a superscript after a unit is its exponent
    ("10 km²", "10", "km2", EXACT, "9.5", "10.5"),
    ("5,000 m²", "0.005", "km2", EXACT, "0.0049995", "0.0050005"),
    ("2 mi²", "5.179976220672", "km2", EXACT, "3.884982165504", "6.474970275840"),
    ("300 m³", "300", "m3", EXACT, "299.5", "300.5"),
    ("2 km³", "2000000000", "m3", EXACT, "1500000000", "2500000000"),
    ("2 weeks", "14", "day", EXACT, "10.5", "17.5"),
    # percent
    ("12.4%", "12.4", "percent", EXACT, "12.35", "12.45"),
    ("18.5 percent", "18.5", "percent", EXACT, "18.45", "18.55"),
    ("6 per cent", "6", "percent", EXACT, "5.5", "6.5"),
    ("-2.5%", "-2.5", "percent", EXACT, "-2.55", "-2.45"),
    ("\u22125%", "-5", "percent", EXACT, "-5.5", "-4.5"),
    ("$-5 billion", "-5000000000", "USD", EXACT, "-5500000000", "-4500000000"),
    # a hyphen joined to a word is no minus sign; a minus sign, "minus" or "negative" is one
    ("EUR-7-billion", "7000000000", "EUR", EXACT, "6500000000", "7500000000"),
    ("KZT-4.8-trln", "4800000000000", "KZT", EXACT, "4750000000000", "4850000000000"),
    ("EUR\u22127 billion", "-7000000000", "EUR", EXACT, "-7500000000", "-6500000000"),
    ("minus 7", "-7", "count", EXACT, "-7.5", "-6.5"),
    ("negative 2.5%", "-2.5", "percent", EXACT, "-2.55", "-2.45"),
    ("minus $5 billion", "-5000000000", "USD", EXACT, "-5500000000", "-4500000000"),
    ("$5bn-7bn", "6000000000", "USD", RANGE, "5000000000", "7000000000"),
    # approximations: the wider of 5 % and the half-unit
    ("about $10 billion", "10000000000", "USD", APPROX, "9500000000", "10500000000"),
    ("around $5bn", "5000000000", "USD", APPROX, "4500000000", "5500000000"),
    ("~$5bn", "5000000000", "USD", APPROX, "4500000000", "5500000000"),
    ("approximately 4,200", "4200", "count", APPROX, "3990", "4410"),
    ("roughly 300 km", "300", "km", APPROX, "285", "315"),
    ("c. 300 km", "300", "km", APPROX, "285", "315"),
    ("some 6,000", "6000", "count", APPROX, "5700", "6300"),
    # "nearly" is "almost": a little below X, never above (it was read as "about" before)
    ("nearly $1.95 billion", "1950000000", "USD", APPROX, "1852500000", "1950000000"),
    ("an estimated $100 billion", "100000000000", "USD", APPROX, "95000000000", "105000000000"),
    ("almost €1 billion", "1000000000", "EUR", APPROX, "950000000", "1000000000"),
    ("just under 4,000", "4000", "count", APPROX, "3800", "4000"),
    # bounds: the stated value itself is the end
    ("more than four thousand", "4000", "count", MORE_THAN, "4000", None),
    ("more than 4,000", "4000", "count", MORE_THAN, "4000", None),
    ("over 4,000", "4000", "count", MORE_THAN, "4000", None),
    ("exceeded $200 billion", "200000000000", "USD", MORE_THAN, "200000000000", None),
    ("above $100 billion", "100000000000", "USD", MORE_THAN, "100000000000", None),
    ("topped $100 billion", "100000000000", "USD", MORE_THAN, "100000000000", None),
    ("in excess of $1 billion", "1000000000", "USD", MORE_THAN, "1000000000", None),
    ("upwards of 1,000 km", "1000", "km", MORE_THAN, "1000", None),
    ("at least $3 billion", "3000000000", "USD", AT_LEAST, "3000000000", None),
    ("no less than 500 km", "500", "km", AT_LEAST, "500", None),
    ("4,000+", "4000", "count", AT_LEAST, "4000", None),
    ("$5 billion or more", "5000000000", "USD", AT_LEAST, "5000000000", None),
    ("up to 500 km", "500", "km", AT_MOST, None, "500"),
    ("at most 7%", "7", "percent", AT_MOST, None, "7"),
    ("no more than 5%", "5", "percent", AT_MOST, None, "5"),
    ("less than 3%", "3", "percent", LESS_THAN, None, "3"),
    ("under 10,000 tonnes", "10000", "t", LESS_THAN, None, "10000"),
    ("below 2%", "2", "percent", LESS_THAN, None, "2"),
    ("fewer than 100", "100", "count", LESS_THAN, None, "100"),
    # ranges: the ends as written, the scale and currency written once
    ("$5-7 billion", "6000000000", "USD", RANGE, "5000000000", "7000000000"),
    ("$2\u20133bn", "2500000000", "USD", RANGE, "2000000000", "3000000000"),
    ("$1.5-2 billion", "1750000000", "USD", RANGE, "1500000000", "2000000000"),
    ("$10\u201312 billion", "11000000000", "USD", RANGE, "10000000000", "12000000000"),
    ("10 to 12 billion dollars", "11000000000", "USD", RANGE, "10000000000", "12000000000"),
    ("USD 5-7 billion", "6000000000", "USD", RANGE, "5000000000", "7000000000"),
    ("£5m-£7m", "6000000", "GBP", RANGE, "5000000", "7000000"),
    ("5,000-6,000 km", "5500", "km", RANGE, "5000", "6000"),
    ("2 to 3 per cent", "2.5", "percent", RANGE, "2", "3"),
    ("$5 billion to $7 billion", "6000000000", "USD", RANGE, "5000000000", "7000000000"),
    ("between $5 billion and $8 billion", "6500000000", "USD", RANGE, "5000000000", "8000000000"),
    ("between 1 and 2 million tonnes", "1500000", "t", RANGE, "1000000", "2000000"),
    ("from 300 to 350 km", "325", "km", RANGE, "300", "350"),
    ("5-7%", "6", "percent", RANGE, "5", "7"),
    ("between five and seven", "6", "count", RANGE, "5", "7"),
    ("500,000 to 1 million", "750000", "count", RANGE, "500000", "1000000"),
    ("-5 to -3%", "-4", "percent", RANGE, "-5", "-3"),
    ("about $5-7 billion", "6000000000", "USD", RANGE, "4750000000", "7350000000"),
]


@pytest.mark.parametrize(("text", "value", "unit", "bound", "low", "high"), READABLE)
def test_parse_quantity_reads_real_world_spelling(
    text: str, value: str, unit: str, bound: Bound, low: str | None, high: str | None
) -> None:
    quantity = parse_quantity(text)

    assert quantity.value == Decimal(value)
    assert quantity.unit == unit
    assert quantity.bound is bound
    assert quantity.low == (None if low is None else Decimal(low))
    assert quantity.high == (None if high is None else Decimal(high))
    assert quantity.text == text


def test_parse_quantity_count_has_count_dimension() -> None:
    assert parse_quantity("6,000").dimension == "count"


@pytest.mark.parametrize(
    ("text", "dimension"),
    [("$5", "money"), ("5 km", "length"), ("5 t", "mass"), ("5%", "percent"), ("5 MW", "power")],
)
def test_parse_quantity_reports_dimension_of_unit(text: str, dimension: str) -> None:
    assert parse_quantity(text).dimension == dimension


def test_parse_quantity_keeps_text_unchanged_when_padded() -> None:
    assert parse_quantity("  $16.5 billion. ").text == "  $16.5 billion. "


def test_parse_quantity_marks_more_than_as_open_below() -> None:
    interval = parse_quantity("more than 4,000").interval

    assert (interval.low_open, interval.high_open) == (True, False)


def test_parse_quantity_marks_less_than_as_open_above() -> None:
    interval = parse_quantity("less than 3%").interval

    assert (interval.low_open, interval.high_open) == (False, True)


def test_parse_quantity_closes_at_least_and_almost() -> None:
    assert not parse_quantity("at least $3 billion").interval.low_open
    assert not parse_quantity("almost €1 billion").interval.high_open


def test_parse_quantity_keeps_decimal_type_exact_for_1_005_billion() -> None:
    value = parse_quantity("1.005 billion").value

    assert isinstance(value, Decimal)
    assert str(value) == "1005000000"


# --- growth indices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index", "value", "low", "high"),
    [
        ("105.3%", True, "5.3", "5.25", "5.35"),
        ("98.7%", True, "-1.3", "-1.35", "-1.25"),
        ("105.3", True, "5.3", "5.25", "5.35"),
        ("index 105.3%", False, "5.3", "5.25", "5.35"),
        ("105.3% index", False, "5.3", "5.25", "5.35"),
    ],
)
def test_parse_quantity_reads_growth_index_as_growth_percent(
    text: str, index: bool, value: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text, index=index)

    assert (quantity.value, quantity.unit) == (Decimal(value), "percent")
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


def test_parse_quantity_shifts_bounded_index() -> None:
    quantity = parse_quantity("over 102%", index=True)

    assert (quantity.bound, quantity.low, quantity.high) == (MORE_THAN, Decimal(2), None)


# --- default unit and the lone "m" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "default_unit", "value", "unit"),
    [
        ("10 billion", "USD", "10000000000", "USD"),
        ("10 billion", "$", "10000000000", "USD"),
        ("6,000", "count", "6000", "count"),
        ("900 km", "USD", "900", "km"),
        ("$5m", None, "5000000", "USD"),
        ("5m", "USD", "5000000", "USD"),
        ("5m", "count", "5000000", "count"),
        ("120 m", "km", "0.12", "km"),
        ("500 m to 1 km", None, "0.75", "km"),
    ],
)
def test_parse_quantity_uses_default_unit_only_when_none_written(
    text: str, default_unit: str | None, value: str, unit: str
) -> None:
    quantity = parse_quantity(text, default_unit=default_unit)

    assert (quantity.value, quantity.unit) == (Decimal(value), unit)


def test_parse_quantity_keeps_half_metre_for_metres() -> None:
    quantity = parse_quantity("120 m", default_unit="km")

    assert (quantity.low, quantity.high) == (Decimal("0.1195"), Decimal("0.1205"))


# --- errors ----------------------------------------------------------------------------------

UNREADABLE: list[tuple[str, str]] = [
    ("", "empty_value"),
    ("   ", "empty_value"),
    ("about lots", "unreadable_number"),
    ("approximately", "unreadable_number"),
    ("$", "unreadable_number"),
    ("between 5", "unreadable_number"),
    ("from 5", "unreadable_number"),
    ("5 to 6 to 7", "unreadable_number"),
    ("5 gazillion", "unknown_unit"),
    ("5 furlongs", "unknown_unit"),
    ("5 pounds", "ambiguous_unit"),
    ("5 # km", "unknown_unit"),
    ("$10 billion investment", "unknown_unit"),
    ("5m", "ambiguous_unit"),
    ("5-7m", "ambiguous_unit"),
    ("5 million billion", "unknown_scale"),
    ("five thousand bn", "unknown_scale"),
    ("$5 km", "mixed_units"),
    ("$5 to €7 billion", "mixed_units"),
    ("5 km to 7 t", "mixed_units"),
    ("$7-5 billion", "inverted_range"),
    ("from 350 to 300 km", "inverted_range"),
    ("NaN", "non_finite"),
    ("inf", "non_finite"),
    ("-Infinity", "non_finite"),
    ("1e400", "out_of_range"),
    ("$1e30", "out_of_range"),
    ("1,000,000,000,000,000,000,000,000", "out_of_range"),
    ("1,000,000,000,000 trillion", "out_of_range"),
    ("1.0000000000000000000000000000001", "out_of_range"),
    ("5 km⁴", "footnote_mark"),
    ("about up to 5", "conflicting_bounds"),
    ("more than 5 or less", "conflicting_bounds"),
    ("more than $5-7 billion", "conflicting_bounds"),
]


@pytest.mark.parametrize(("text", "code"), UNREADABLE)
def test_parse_quantity_refuses_unreadable_text(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == code


def test_parse_quantity_refuses_index_in_other_unit() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity("105.3 km", index=True)

    assert caught.value.code == "incompatible_units"


def test_parse_quantity_refuses_unknown_default_unit() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity("5", default_unit="furlongs")

    assert caught.value.code == "unknown_unit"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("about lots", "could not read a number in 'about lots'"),
        ("5 gazillion", "could not read the unit 'gazillion' in '5 gazillion'"),
        (
            "5m",
            "'m' in '5m' could be million or metres: write 'mln' or 'metres'",
        ),
    ],
)
def test_parse_quantity_names_what_it_could_not_read(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert str(caught.value) == message
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("$10² million", "²"),
        ("10²", "²"),
        ("$10 billion¹", "¹"),
        ("4,000³ tonnes", "³"),
        ("12.4%⁴", "⁴"),
        ("5 t²", "²"),
        ("$5 billion†", "†"),
        ("4,000* km", "*"),
        ("$5-7‡ billion", "‡"),
        # Wikipedia's infobox of Kazakhstan (copied as a page shows it): the reference mark
        # (https://wikiclassic.com/wiki/Corruption_in_Kazakhstan)
        ("$693.415 billion[8]", "[8]"),
        ("20,075,271[7]", "[7]"),
        ("$34,534[8]", "[8]"),
        ("2,000 km[a]", "[a]"),
    ],
)
def test_parse_quantity_refuses_footnote_marks_naming_them(text: str, mark: str) -> None:
    # A superscript or footnote mark after anything but a unit never changes a figure: "$10²
    # million" was read as $102 million.
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == "footnote_mark"
    assert caught.value.message == (
        f"could not read '{mark}' in '{text}': a superscript or footnote mark is not part of a "
        "figure (only a unit takes an exponent, as in 'km²'); remove it"
    )


def test_quantity_error_is_value_error_with_code() -> None:
    error = QuantityError("unknown_unit", "could not read the unit 'x'")

    assert isinstance(error, ValueError)
    assert (error.code, str(error)) == ("unknown_unit", "could not read the unit 'x'")


# --- structured input ------------------------------------------------------------------------

STRUCTURED: list[
    tuple[
        Decimal | int | str,
        str,
        Bound,
        Decimal | int | str | None,
        str,
        str,
        str | None,
        str | None,
    ]
] = [
    (Decimal("16.5"), "bn USD", EXACT, None, "16500000000", "USD", "16450000000", "16550000000"),
    ("16.5 billion", "USD", EXACT, None, "16500000000", "USD", "16450000000", "16550000000"),
    (Decimal("1.65E+10"), "$", EXACT, None, "16500000000", "USD", "16450000000", "16550000000"),
    (16500000000, "USD", EXACT, None, "16500000000", "USD", "16499999999.5", "16500000000.5"),
    (560, "miles", EXACT, None, "901.23264", "km", "900.427968", "902.037312"),
    ("6,000", "count", EXACT, None, "6000", "count", "5999.5", "6000.5"),
    (Decimal("12.4"), "%", EXACT, None, "12.4", "percent", "12.35", "12.45"),
    (4200, "count", APPROX, None, "4200", "count", "3990", "4410"),
    (5, "million tonnes", AT_LEAST, None, "5000000", "t", "5000000", None),
    (4000, "count", MORE_THAN, None, "4000", "count", "4000", None),
    (500, "km", AT_MOST, None, "500", "km", None, "500"),
    (3, "percent", LESS_THAN, None, "3", "percent", None, "3"),
    (5, "USD bn", RANGE, 7, "6000000000", "USD", "5000000000", "7000000000"),
    ("5", "bn USD", RANGE, Decimal("7.5"), "6250000000", "USD", "5000000000", "7500000000"),
    ("5m", "USD", EXACT, None, "5000000", "USD", "4500000", "5500000"),
    (12, "km²", EXACT, None, "12", "km2", "11.5", "12.5"),
]


@pytest.mark.parametrize(
    ("value", "unit", "bound", "high", "expected", "canonical", "low", "top"), STRUCTURED
)
def test_parse_value_reads_structured_input(
    value: Decimal | int | str,
    unit: str,
    bound: Bound,
    high: Decimal | int | str | None,
    expected: str,
    canonical: str,
    low: str | None,
    top: str | None,
) -> None:
    quantity = parse_value(value, unit, bound, high=high)

    assert quantity.value == Decimal(expected)
    assert quantity.unit == canonical
    assert quantity.bound is bound
    assert quantity.low == (None if low is None else Decimal(low))
    assert quantity.high == (None if top is None else Decimal(top))


def test_parse_value_describes_input_as_text() -> None:
    assert parse_value(4000, "count", MORE_THAN).text == "more than 4000 count"
    assert parse_value(5, "USD bn", RANGE, high=7).text == "5-7 USD bn"


@pytest.mark.parametrize(
    ("value", "unit", "bound", "high", "code"),
    [
        ("NaN", "USD", EXACT, None, "non_finite"),
        (Decimal("NaN"), "USD", EXACT, None, "non_finite"),
        (Decimal("Infinity"), "USD", EXACT, None, "non_finite"),
        (Decimal("-Infinity"), "USD", EXACT, None, "non_finite"),
        (Decimal("sNaN"), "USD", EXACT, None, "non_finite"),
        ("1e400", "USD", EXACT, None, "out_of_range"),
        (Decimal("1E+30"), "USD", EXACT, None, "out_of_range"),
        (Decimal("1E-999999"), "km", EXACT, None, "out_of_range"),
        (10**24, "USD", EXACT, None, "out_of_range"),
        ("lots", "USD", EXACT, None, "unreadable_number"),
        ("10²", "USD", EXACT, None, "footnote_mark"),
        (10, "km⁴", EXACT, None, "footnote_mark"),
        ("", "USD", EXACT, None, "empty_value"),
        (5, "furlongs", EXACT, None, "unknown_unit"),
        (5, "", EXACT, None, "unknown_unit"),
        ("$5", "USD", EXACT, None, "mixed_units"),
        ("5 billion", "bn USD", EXACT, None, "unknown_scale"),
        (5, "USD", RANGE, None, "invalid_bound"),
        (5, "USD", EXACT, 7, "invalid_bound"),
        (7, "USD", RANGE, 5, "inverted_range"),
        (5, "USD", "sideways", None, "invalid_bound"),
    ],
)
def test_parse_value_refuses_bad_input(
    value: Decimal | int | str, unit: str, bound: Bound, high: int | None, code: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_value(value, unit, bound, high=high)

    assert caught.value.code == code


@pytest.mark.parametrize("value", [1.5, True, None])
def test_parse_value_refuses_non_decimal_numbers(value: object) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_value(value, "USD")  # type: ignore[arg-type]

    assert caught.value.code == "unreadable_number"


@pytest.mark.parametrize("text", ["index", "Index", "index y/y", "index of"])
def test_the_word_index_alone_is_no_number(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == "unreadable_number"
