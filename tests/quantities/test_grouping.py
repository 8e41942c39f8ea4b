"""The digit-group rule: thousands separators and decimal marks as the world writes them.

After a comma or a space, a group of exactly three digits groups thousands; one or two digits
after a comma are a decimal part; three digits after a comma are a decimal part only when the
text says so. What stays ambiguous is refused naming both readings; never a different number.
"""

from decimal import Decimal

import pytest

from app.quantities import Bound, QuantityError, parse_quantity

# text, value, unit, low, high: each read exactly (bound EXACT), the last written digit giving
# the half-unit, so low and high show which digits were read as decimals.
RULES: list[tuple[str, str, str, str, str]] = [
    # one or two digits after a comma: a decimal comma
    ("1,25 billion", "1250000000", "count", "1245000000", "1255000000"),
    ("1,23", "1.23", "count", "1.225", "1.235"),
    ("12,4%", "12.4", "percent", "12.35", "12.45"),
    ("0,5%", "0.5", "percent", "0.45", "0.55"),
    ("2500,5", "2500.5", "count", "2500.45", "2500.55"),
    # more than three digits after a comma, or a whole part that cannot be grouped: decimal
    ("1,2345", "1.2345", "count", "1.23445", "1.23455"),
    ("0,500", "0.500", "count", "0.4995", "0.5005"),
    # three digits after a comma: thousands, unless the text says the comma is decimal
    ("1,340 million", "1340000000", "count", "1339500000", "1340500000"),
    ("1.234,567", "1234.567", "count", "1234.5665", "1234.5675"),
    ("1 234,567", "1234.567", "count", "1234.5665", "1234.5675"),
    # spaces (also thin, narrow no-break and no-break) and apostrophes group thousands
    ("1 000", "1000", "count", "999.5", "1000.5"),
    ("640 000 litres", "640", "m3", "639.9995", "640.0005"),
    ("2 500,5", "2500.5", "count", "2500.45", "2500.55"),
    ("1 234,5", "1234.5", "count", "1234.45", "1234.55"),
    ("1 234.5", "1234.5", "count", "1234.45", "1234.55"),
    ("1\u2009234\u2009567 tonnes", "1234567", "t", "1234566.5", "1234567.5"),
    ("1\u202f234 tonnes", "1234", "t", "1233.5", "1234.5"),
    ("1\u00a0234,5 tonnes", "1234.5", "t", "1234.45", "1234.55"),
    ("1'200", "1200", "count", "1199.5", "1200.5"),
    ("1\u2019200", "1200", "count", "1199.5", "1200.5"),
    ("1'234'567.5", "1234567.5", "count", "1234567.45", "1234567.55"),
    # points group thousands when there are two of them, or a decimal comma follows
    ("1.234.567", "1234567", "count", "1234566.5", "1234567.5"),
    ("1.234,5", "1234.5", "count", "1234.45", "1234.55"),
    # Indian grouping (lakh, crore): two-digit groups before the last three
    ("1,00,000", "100000", "count", "99999.5", "100000.5"),
    ("12,34,567.5", "1234567.5", "count", "1234567.45", "1234567.55"),
    # a number that starts like a year but cannot be a year run into another number
    ("20000 tonnes", "20000", "t", "19999.5", "20000.5"),
    ("2021.5", "2021.5", "count", "2021.45", "2021.55"),
    # invisible formatting characters outside a number are dropped
    ("\u200b5\u200b km", "5", "km", "4.5", "5.5"),
]


@pytest.mark.parametrize(("text", "value", "unit", "low", "high"), RULES)
def test_parse_quantity_reads_digit_groups_by_the_rule(
    text: str, value: str, unit: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.bound) == (Decimal(value), unit, Bound.EXACT)
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


# Figures copied verbatim from public pages (the address above each), read as the page meant.
REAL: list[tuple[str, str, str, str, str]] = [
    # https://www.azernews.az/region/135141.html
    ("3,6 million tons", "3600000", "t", "3550000", "3650000"),
    # https://bakenet.eu/?p=1517
    ("6,1 million tonnes", "6100000", "t", "6050000", "6150000"),
    # https://bnews.kz/en/news/kazakhstans_living_wage_exceeds_29_thous_tenge (the same page
    # also writes "25.5 thousand tenge": both conventions on one page)
    ("29,15 thousand tenge", "29150", "KZT", "29145", "29155"),
    ("13,6%", "13.6", "percent", "13.55", "13.65"),
    ("25.5 thousand tenge", "25500", "KZT", "25450", "25550"),
    # https://stat.gov.kz/en/industries/labor-and-income/stat-wags/publications/190193/
    ("85 000 tenge", "85000", "KZT", "84999.5", "85000.5"),
    ("2,7%", "2.7", "percent", "2.65", "2.75"),
    ("251356 tenge", "251356", "KZT", "251355.5", "251356.5"),
    # https://www.ca-nextbank.ch/en/residents/expat-corner/living-in-switzerland/how-much-does-it-cost-to-live-in-switzerland
    ("17,5%", "17.5", "percent", "17.45", "17.55"),
    ("CHF 6,706", "6706", "CHF", "6705.5", "6706.5"),
    # https://www.localedb.org/currencies/CHF
    ("CHF 123\u2019456.79", "123456.79", "CHF", "123456.785", "123456.795"),
    ("-1\u2019234.56 CHF", "-1234.56", "CHF", "-1234.565", "-1234.555"),
    # http://www.avesta.tj/eng/business/5139-two-way-trade-between-tajikistan-uzbekistan-up-for-first-time-in-8-years.html
    ("79 000 U.S. dollars", "79000", "USD", "78999.5", "79000.5"),
    ("346,800 U.S. dollars", "346800", "USD", "346799.5", "346800.5"),
    # https://adilet.zan.kz/eng/docs/Z1800000197
    ("10 547 475 255 thousand tenge", "10547475255000", "KZT", "10547475254500", "10547475255500"),
    ("-1 364 635 486 thousand tenge", "-1364635486000", "KZT", "-1364635486500", "-1364635485500"),
    ("42 550 000 tenge", "42550000", "KZT", "42549999.5", "42550000.5"),
    # https://zakonpravo.kz/en/about-the-republican-budget-for-1999 (commas group thousands
    # in one figure and mark decimals after space groups in the next)
    ("245,289,425 thousand tenge", "245289425000", "KZT", "245289424500", "245289425500"),
    ("67 048,821 thousand tenge", "67048821", "KZT", "67048820.5", "67048821.5"),
    # https://zakonpravo.kz/en/zakony/zakon-o-respublikanskom-byudzhete-na-1997-god
    ("22387,852 thousand tenge", "22387852", "KZT", "22387851.5", "22387852.5"),
    ("186668929 thousand tenge", "186668929000", "KZT", "186668928500", "186668929500"),
    # https://piaui.folha.uol.com.br/va-plantar-cebolas/amp
    ("US$ 1.491,49", "1491.49", "USD", "1491.485", "1491.495"),
    ("US$ 4,08", "4.08", "USD", "4.075", "4.085"),
    # https://www.inform.kz/en/kazakhstan-to-export-over-6mln-tons-of-grain-this-year_a4102328/amp
    ("2,345 thousand tons", "2345000", "t", "2344500", "2345500"),
    # https://en.trend.az/casia/kyrgyzstan/3903697.html (three decimals after a point stay decimal)
    ("$455.702 million", "455702000", "USD", "455701500", "455702500"),
    # https://wikimili.com/en/Crore and http://www.fact-index.com/l/la/lakh.html
    ("1,00,00,000", "10000000", "count", "9999999.5", "10000000.5"),
    ("30,00,000", "3000000", "count", "2999999.5", "3000000.5"),
]


@pytest.mark.parametrize(("text", "value", "unit", "low", "high"), REAL)
def test_parse_quantity_reads_real_digit_groups(
    text: str, value: str, unit: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.bound) == (Decimal(value), unit, Bound.EXACT)
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1,5-2,5 billion", "1500000000", "2500000000"),
        # "2,5" says the text writes decimal commas, so "1,500" is 1.5 too
        ("1,500-2,5 billion", "1500000000", "2500000000"),
        ("5 000-6 000 km", "5000", "6000"),
        ("from 1 234,5 to 2 345,5 tonnes", "1234.5", "2345.5"),
    ],
)
def test_parse_quantity_reads_both_ends_of_a_range_by_one_convention(
    text: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert quantity.bound is Bound.RANGE
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


AMBIGUOUS = "ambiguous_number"
UNREADABLE = "unreadable_number"

REFUSED: list[tuple[str, str, str | None]] = [
    # https://24.kg/english/99856_Trade_turnover_with_EEU_countries_falling/ ($1.481 billion)
    (
        "$ 1,481 billion",
        AMBIGUOUS,
        "'1,481 billion' in '$ 1,481 billion' could be 1.481 billion (a decimal comma) or "
        "1481 billion (a comma grouping thousands); write '1.481 billion' or '1 481 billion'",
    ),
    # https://24.kg./english/321020_Companies_of_Kazakhstan_invested_almost_49_million_in_Kyrgyzstans_economy/
    (
        "$1,340 billion",
        AMBIGUOUS,
        "'1,340 billion' in '$1,340 billion' could be 1.340 billion (a decimal comma) or "
        "1340 billion (a comma grouping thousands); write '1.340 billion' or '1 340 billion'",
    ),
    ("EUR 1,250 bn", AMBIGUOUS, None),
    # https://197lines.com/more-than-half-of-all-swiss-cash-in-circulation-i-e-almost-chf-50-billion-is-held-in-1-000-franc-notes-a-significant-portion-of-these-notes-may-be-held-in-other-countries-according-to-swiss-national-bank-vice-president-schlegel
    (
        "1.000-franc notes",
        AMBIGUOUS,
        "'1.000' in '1.000-franc notes' could be 1 (a decimal point) or 1000 (a point grouping "
        "thousands); write '1' or '1 000'",
    ),
    (
        "1,5 to 2.5 billion",
        AMBIGUOUS,
        "'1,5' (a decimal comma) and '2.5' (a decimal point) in '1,5 to 2.5 billion' write "
        "numbers two ways; write both the same way",
    ),
    (
        "2021100 tonnes",
        AMBIGUOUS,
        "'2021100' in '2021100 tonnes' may be the year 2021 run into 100: if it is one number, "
        "group its digits ('2,021,100'); a year belongs in the period",
    ),
    (
        "in 20215 million",
        AMBIGUOUS,
        "'20215' in 'in 20215 million' may be the year 2021 run into 5: if it is one number, "
        "group its digits ('20,215'); a year belongs in the period",
    ),
    (
        "2021,5 million",
        AMBIGUOUS,
        "'2021,5' in '2021,5 million' may be the year 2021 run into 5: if it is one number, "
        "write it '2021.5'; a year belongs in the period",
    ),
    ("2021,100 tonnes", AMBIGUOUS, None),
    ("19995.5 km", AMBIGUOUS, None),
    (
        "1,234,5",
        UNREADABLE,
        "could not read the number '1,234,5' in '1,234,5': digits are grouped in threes with one "
        "mark ('1,234,567', '1 234 567', '1.234.567', \"1'234'567\") and a number has at most "
        "one decimal mark",
    ),
    ("1.2.3", UNREADABLE, None),
    ("12.05.2021", UNREADABLE, None),
    ("1,2,3", UNREADABLE, None),
    ("1'23", UNREADABLE, None),
    ("1 234'567", UNREADABLE, None),
    ("1 234,567,890", UNREADABLE, None),
    ("1,234.567,8", UNREADABLE, None),
    ("1.234.5678", UNREADABLE, None),
    ("0,500,000", UNREADABLE, None),
    ("1,5e3", UNREADABLE, None),
    (".5,3", UNREADABLE, None),
    # two numbers side by side: a year next to a figure, or a space that groups no thousands
    (
        "2020 2 500",
        UNREADABLE,
        "'2020' and '2 500' in '2020 2 500' are two numbers side by side: digits grouped by "
        "spaces go in threes ('2 500'), and a year belongs in the period",
    ),
    ("2021 100 tonnes", UNREADABLE, None),
    (
        "5 million 2019",
        UNREADABLE,
        "could not read the number '2019' in '5 million 2019': a figure has one number, and a "
        "year belongs in the period",
    ),
    ("2021 $5 billion", UNREADABLE, None),
    ("20 2500", UNREADABLE, None),
    ("1 000 1 000", UNREADABLE, None),
    (
        "in 2021 100 tonnes",
        UNREADABLE,
        "could not read 'in' before the number in 'in 2021 100 tonnes'",
    ),
    # stray characters
    (
        "1\u200b000",
        UNREADABLE,
        "an invisible character (U+200B) stands between digits in '1\u200b000': remove it",
    ),
    ("1\u200b\u00ad000", UNREADABLE, None),
]


@pytest.mark.parametrize(("text", "code", "message"), REFUSED)
def test_parse_quantity_refuses_what_the_digits_leave_open(
    text: str, code: str, message: str | None
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == code
    if message is not None:
        assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("$5 billion\u1d43", "\u1d43"),
        ("4,000\u207b\u00b9 tonnes", "\u207b"),
        ("5 km\u207f", "\u207f"),
    ],
)
def test_parse_quantity_refuses_superscript_letters_and_signs_as_footnote_marks(
    text: str, mark: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == "footnote_mark"
    assert caught.value.message.startswith(f"could not read '{mark}' in '{text}'")


@pytest.mark.parametrize(
    "text",
    [
        "\u201c$5 billion\u201d",
        "\u00ab$5 billion\u00bb",
        '"$5 billion."',
        "\u201c$5 billion\u201d.",
    ],
)
def test_parse_quantity_reads_a_figure_copied_with_its_quotation_marks(text: str) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.text) == (Decimal(5000000000), "USD", text)


@pytest.mark.parametrize(("text", "mark"), [("\u201c$5 billion", "\u201c"), ("5'", "'")])
def test_parse_quantity_refuses_a_lone_quotation_mark(text: str, mark: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == (
        "unknown_unit",
        f"could not read '{mark}' in '{text}'",
    )
