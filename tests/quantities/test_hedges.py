"""The hedge table: each hedge read with its one bound and interval, the README's copy of the
table held to the code's, and hedges on the ends of a range."""

from decimal import Decimal

import pytest

from app.cli import HEDGES_END, HEDGES_START, ROOT
from app.quantities import Bound, QuantityError, parse_quantity
from app.quantities.hedges import HEDGES, hedge_table
from app.quantities.intervals import INTERVAL_RULES, Qualifier, interval_for

SPELLINGS = [(spelling, h.qualifier, h.after) for h in HEDGES for spelling in h.spellings]


@pytest.mark.parametrize(("spelling", "qualifier", "after"), SPELLINGS)
def test_every_hedge_of_the_table_reads_as_its_bound_and_interval(
    spelling: str, qualifier: Qualifier, after: bool
) -> None:
    text = f"120 km {spelling}" if after else f"{spelling} 120 km"
    quantity = parse_quantity(text)

    assert quantity.bound is qualifier.bound
    assert quantity.interval == interval_for(Decimal(120), qualifier, Decimal("0.5"))


def test_readme_hedge_table_is_the_code_table() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme.split(HEDGES_START, 1)[1].split(HEDGES_END, 1)[0]
    assert table == hedge_table(), "stale: run `claimtrack hedges --readme`"


def test_hedge_table_has_a_row_per_hedge_with_its_bound_and_interval() -> None:
    rows = hedge_table().splitlines()[2:]
    assert len(rows) == len(HEDGES) == 10
    assert rows[2] == (
        "| `almost`, `nearly`, `near`, `just under`, `just below`, `just shy of`, "
        "`slightly less than`, `a little under`, `a little less than` | before X | `approx` "
        "| [X - 5 % of X, X] |"
    )


def test_interval_rules_word_every_qualifier() -> None:
    assert set(INTERVAL_RULES) == set(Qualifier)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        # "nearly" as "almost": a little below X, never above
        ("nearly 200", "190", "200"),
        ("almost 200", "190", "200"),
        ("just over 200", "200", "210"),
        ("close to 200", "190", "210"),
        ("some 200", "190", "210"),
        ("an estimated 200", "190", "210"),
    ],
)
def test_hedges_of_the_approx_bound_differ_by_side(text: str, low: str, high: str) -> None:
    quantity = parse_quantity(text)

    assert quantity.bound is Bound.APPROX
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("text", "value", "unit", "low", "high"),
    [
        # the unit or currency written on one end or on both
        ("$5bn-$7bn", "6000000000", "USD", "5000000000", "7000000000"),
        ("5-7 billion dollars", "6000000000", "USD", "5000000000", "7000000000"),
        ("5 to 7 bcm", "6000000000", "m3", "5000000000", "7000000000"),
        ("5 bcm to 7 bcm", "6000000000", "m3", "5000000000", "7000000000"),
        ("$5 billion to 7 billion dollars", "6000000000", "USD", "5000000000", "7000000000"),
        ("5 billion to $7 billion", "6000000000", "USD", "5000000000", "7000000000"),
        ("between $5bn and $7bn", "6000000000", "USD", "5000000000", "7000000000"),
        ("from $5 billion to $7 billion", "6000000000", "USD", "5000000000", "7000000000"),
        ("€5-€7bn", "6000000000", "EUR", "5000000000", "7000000000"),
        ("5-7 trillion tenge", "6000000000000", "KZT", "5000000000000", "7000000000000"),
        # "about" before the range or on either end widens both ends by 5 %
        ("about 5-7", "6", "count", "4.75", "7.35"),
        ("between about 5 and 7 million tonnes", "6000000", "t", "4750000", "7350000"),
        ("from about 5 to about 7", "6", "count", "4.75", "7.35"),
        ("from 5 to about 7 bcm", "6000000000", "m3", "4750000000", "7350000000"),
        ("roughly 5 to 7 bcm", "6000000000", "m3", "4750000000", "7350000000"),
    ],
)
def test_ranges_share_a_unit_written_on_one_end_or_both(
    text: str, value: str, unit: str, low: str, high: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.bound) == (Decimal(value), unit, Bound.RANGE)
    assert (quantity.low, quantity.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("from 5 to over 7", "hedged_range_end"),
        ("from 5 to almost 7", "hedged_range_end"),
        ("between at least 5 and 7", "hedged_range_end"),
        ("5 to under 7", "hedged_range_end"),
        ("about 5 to over 7", "hedged_range_end"),
        ("over 5-7", "conflicting_bounds"),
        ("up to $5-7 billion", "conflicting_bounds"),
    ],
)
def test_a_bound_on_an_end_of_a_range_is_refused(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == code


def test_a_bound_on_an_end_of_a_range_is_named_in_the_refusal() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity("from 5 to over 7")

    assert caught.value.message == (
        "'from 5 to over 7' bounds one end of a range ('more_than'): log the range without it, "
        "or the bound alone"
    )
