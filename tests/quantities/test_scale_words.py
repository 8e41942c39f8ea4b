"""Scale words as the region's English writes them, alone and one after another."""

from decimal import Decimal

import pytest

from app.quantities import Bound, QuantityError, parse_quantity

# text, value, unit, low, high: each read exactly, the half-unit of the last written digit
# scaled by the last scale word.
READABLE: list[tuple[str, str, str, str, str]] = [
    ("1,25 milliard", "1250000000", "count", "1245000000", "1255000000"),
    ("KZT 2,5 mlrd", "2500000000", "KZT", "2450000000", "2550000000"),
    ("$1trn", "1000000000000", "USD", "500000000000", "1500000000000"),
    # https://bnews.kz/en/news/kazakhstans_living_wage_exceeds_29_thous_tenge
    ("29 thous. tenge", "29000", "KZT", "28500", "29500"),
    # https://wexport.com/en/news/1563/in-september-2017-kazakhstan-exported-record-volumes-of-grains
    ("417 thsd tonnes", "417000", "t", "416500", "417500"),
    ("257.5 thsd tonnes", "257500", "t", "257450", "257550"),
    # https://www.inform.kz/en/national-budget-revenues-augment-by-101-3-alikhan-smailov_a3594673
    ("8 trillion 514 billion tenge", "8514000000000", "KZT", "8513500000000", "8514500000000"),
    ("1 trillion 129 billion tenge", "1129000000000", "KZT", "1128500000000", "1129500000000"),
    # https://en.trend.az/casia/uzbekistan/3535466.html
    ("37 billion 940.5 million USD", "37940500000", "USD", "37940450000", "37940550000"),
    ("$2 million 500 thousand", "2500000", "USD", "2499500", "2500500"),
    ("-1 billion 20 million", "-1020000000", "count", "-1020500000", "-1019500000"),
    # the Indian lakh crore: a hundred thousand crore, 10^12
    ("Rs 2 lakh crore", "2000000000000", "INR", "1500000000000", "2500000000000"),
    ("₹1.6 lakh crores", "1600000000000", "INR", "1550000000000", "1650000000000"),
    ("Rs 1.5 lakh-crore", "1500000000000", "INR", "1450000000000", "1550000000000"),
]


@pytest.mark.parametrize(("text", "value", "unit", "low", "high"), READABLE)
def test_parse_quantity_reads_scale_words_of_the_region(
    text: str, value: str, unit: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.bound) == (Decimal(value), unit, Bound.EXACT)
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


def test_parse_quantity_reads_a_range_of_figures_in_several_scale_words() -> None:
    quantity = parse_quantity("from 8 trillion 514 billion to 9 trillion tenge")

    assert (quantity.bound, quantity.unit) == (Bound.RANGE, "KZT")
    assert (quantity.low, quantity.high) == (Decimal("8514000000000"), Decimal("9000000000000"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "5 billion 1500 million",
            "'1500 million' cannot follow 'billion' in '5 billion 1500 million': each part of a "
            "figure is smaller than one of the scale before it ('8 trillion 514 billion')",
        ),
        (
            "5 million 3 billion",
            "'3 billion' cannot follow 'million' in '5 million 3 billion': each part of a "
            "figure is smaller than one of the scale before it ('8 trillion 514 billion')",
        ),
        (
            "5 billion 300 billion",
            "'300 billion' cannot follow 'billion' in '5 billion 300 billion': each part of a "
            "figure is smaller than one of the scale before it ('8 trillion 514 billion')",
        ),
    ],
)
def test_parse_quantity_refuses_scale_words_out_of_order(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == ("unknown_scale", message)


def test_parse_quantity_refuses_a_later_part_as_large_as_the_scale_before_it() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity("1 trillion 1,340 billion")

    assert caught.value.code == "unknown_scale"


@pytest.mark.parametrize("text", ["Rs 2 crore lakh", "Rs 2 lakh lakh", "Rs 2 lakh crore crore"])
def test_parse_quantity_refuses_indian_scales_in_another_order(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == "unknown_scale"
