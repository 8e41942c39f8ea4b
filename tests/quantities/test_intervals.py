"""Intervals: membership, intersection with open and unbounded ends, and the conflict pairs."""

from decimal import Decimal

import pytest

from app.quantities import APPROX_TOLERANCE, Interval, QuantityError, parse_quantity
from app.quantities.intervals import Qualifier, approx_spread, interval_for, range_interval

D = Decimal


def test_contains_includes_closed_ends() -> None:
    interval = Interval(D(1), D(2))

    assert interval.contains(D(1))
    assert interval.contains(D("1.5"))
    assert interval.contains(D(2))


def test_contains_excludes_open_ends() -> None:
    interval = Interval(D(1), D(2), low_open=True, high_open=True)

    assert not interval.contains(D(1))
    assert not interval.contains(D(2))
    assert interval.contains(D("1.000001"))


def test_contains_excludes_values_outside() -> None:
    interval = Interval(D(1), D(2))

    assert not interval.contains(D("0.999"))
    assert not interval.contains(D("2.001"))


def test_contains_reaches_infinity_on_unbounded_side() -> None:
    assert Interval(D(4000), None, low_open=True).contains(D(10) ** 23)
    assert Interval(None, D(3)).contains(D(-(10**23)))
    assert not Interval(None, D(3), high_open=True).contains(D(3))


def test_intersects_when_closed_ends_touch() -> None:
    assert Interval(D(1), D(2)).intersects(Interval(D(2), D(3)))


def test_intersects_not_when_an_open_end_touches() -> None:
    assert not Interval(D(1), D(2), high_open=True).intersects(Interval(D(2), D(3)))
    assert not Interval(D(1), D(2)).intersects(Interval(D(2), D(3), low_open=True))


def test_intersects_not_when_apart() -> None:
    assert not Interval(D(1), D(2)).intersects(Interval(D("2.01"), D(3)))


def test_intersects_when_nested() -> None:
    assert Interval(D(1), D(10)).intersects(Interval(D(4), D(5)))
    assert Interval(D(4), D(5)).intersects(Interval(D(1), D(10)))


def test_intersects_unbounded_intervals_pointing_the_same_way() -> None:
    assert Interval(D(5), None).intersects(Interval(D(100), None, low_open=True))
    assert Interval(None, D(5)).intersects(Interval(None, D(-100)))


def test_intersects_unbounded_intervals_pointing_apart_only_when_they_overlap() -> None:
    assert not Interval(None, D(5), high_open=True).intersects(Interval(D(5), None))
    assert Interval(None, D(5)).intersects(Interval(D(5), None))
    assert Interval(None, D(6)).intersects(Interval(D(5), None, low_open=True))


def test_intersects_everything_when_unbounded_both_ways() -> None:
    assert Interval(None, None).intersects(Interval(D(1), D(1)))


def test_intersection_keeps_the_tighter_ends() -> None:
    shared = Interval(D(1), D(5), low_open=True).intersection(Interval(D(1), D(3), high_open=True))

    assert shared == Interval(D(1), D(3), low_open=True, high_open=True)


@pytest.mark.parametrize("open_first", [True, False])
def test_intersection_at_a_shared_end_is_open_when_either_is(open_first: bool) -> None:
    closed = Interval(D(1), D(3))
    low_open = Interval(D(1), D(5), low_open=True)
    high_open = Interval(D(0), D(3), high_open=True)
    pairs = [(low_open, closed), (high_open, closed)]
    if not open_first:
        pairs = [(b, a) for a, b in pairs]

    assert [a.intersection(b) for a, b in pairs] == [
        Interval(D(1), D(3), low_open=True),
        Interval(D(1), D(3), high_open=True),
    ]


def test_intersection_is_none_when_disjoint() -> None:
    assert Interval(D(1), D(2)).intersection(Interval(D(3), D(4))) is None


def test_scaled_multiplies_both_ends_and_keeps_openness() -> None:
    scaled = Interval(D("559.5"), D("560.5"), low_open=True).scaled(D("1.609344"))

    assert scaled == Interval(D("900.427968"), D("902.037312"), low_open=True)


def test_scaled_keeps_unbounded_end() -> None:
    assert Interval(D(2), None).scaled(D(1000)) == Interval(D(2000), None)
    assert Interval(None, D(2), high_open=True).scaled(D(3)) == Interval(None, D(6), high_open=True)


@pytest.mark.parametrize("factor", [D(1), D("0.001")])
def test_scaled_accepts_any_positive_factor(factor: Decimal) -> None:
    assert Interval(D(1), D(2), high_open=True).scaled(factor) == Interval(
        factor, 2 * factor, high_open=True
    )


def test_shifted_adds_to_both_ends_and_keeps_openness() -> None:
    shifted = Interval(D(1), D(2), low_open=True, high_open=True).shifted(D("-0.5"))

    assert shifted == Interval(D("0.5"), D("1.5"), low_open=True, high_open=True)


def test_shifted_keeps_unbounded_ends() -> None:
    assert Interval(None, D(2)).shifted(D(1)) == Interval(None, D(3))
    assert Interval(D(2), None).shifted(D(1)) == Interval(D(3), None)


@pytest.mark.parametrize("factor", [D(0), D(-1), D("NaN")])
def test_scaled_refuses_non_positive_factor(factor: Decimal) -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D(1), D(2)).scaled(factor)

    assert (caught.value.code, caught.value.message) == (
        "invalid_factor",
        f"a scale factor must be positive, not {factor}",
    )


def test_interval_refuses_low_above_high() -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D(2), D(1))

    assert (caught.value.code, caught.value.message) == (
        "inverted_range",
        "the low end 2 is above the high end 1",
    )


def test_interval_refuses_empty_point() -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D(1), D(1), low_open=True)

    assert (caught.value.code, caught.value.message) == (
        "inverted_range",
        "an interval open at 1 on one side is empty",
    )


def test_interval_refuses_non_finite_end() -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D("NaN"), D(1))

    assert (caught.value.code, caught.value.message) == (
        "non_finite",
        "an interval end is not a finite number: NaN",
    )


def test_interval_drops_openness_of_unbounded_end() -> None:
    assert Interval(None, D(1), low_open=True) == Interval(None, D(1))
    unbounded_above = Interval(D(1), None, high_open=True)
    assert (unbounded_above.low_open, unbounded_above.high_open) == (False, False)
    assert unbounded_above == Interval(D(1), None)


@pytest.mark.parametrize(
    ("value", "qualifier", "half_unit", "expected"),
    [
        (D("16.5"), Qualifier.EXACT, D("0.05"), Interval(D("16.45"), D("16.55"))),
        # The wider of the tolerance (5) and the half-unit (0.5)...
        (D(100), Qualifier.APPROX, D("0.5"), Interval(D(95), D(105))),
        # ...and here the half-unit (0.5), wider than the tolerance (0.1).
        (D(2), Qualifier.APPROX, D("0.5"), Interval(D("1.5"), D("2.5"))),
        (D(-100), Qualifier.APPROX, D("0.5"), Interval(D(-105), D(-95))),
        # One-sided hedges use the tolerance alone, however roundly the figure is written...
        (D(2), Qualifier.ALMOST, D("0.5"), Interval(D("1.9"), D(2))),
        (D(-2), Qualifier.ALMOST, D("0.5"), Interval(D("-2.1"), D(-2))),
        (D(2), Qualifier.JUST_OVER, D("0.5"), Interval(D(2), D("2.1"), low_open=True)),
        (D(-2), Qualifier.JUST_OVER, D("0.5"), Interval(D(-2), D("-1.9"), low_open=True)),
        # ...and the half-unit only for a stated zero.
        (D(0), Qualifier.ALMOST, D("0.5"), Interval(D("-0.5"), D(0))),
        (D(0), Qualifier.JUST_OVER, D("0.5"), Interval(D(0), D("0.5"), low_open=True)),
        (D(2), Qualifier.AT_LEAST, D("0.5"), Interval(D(2), None)),
        (D(2), Qualifier.MORE_THAN, D("0.5"), Interval(D(2), None, low_open=True)),
        (D(2), Qualifier.AT_MOST, D("0.5"), Interval(None, D(2))),
        (D(2), Qualifier.LESS_THAN, D("0.5"), Interval(None, D(2), high_open=True)),
    ],
)
def test_interval_for_follows_the_qualifier(
    value: Decimal, qualifier: Qualifier, half_unit: Decimal, expected: Interval
) -> None:
    assert interval_for(value, qualifier, half_unit) == expected


def test_approx_spread_is_the_wider_of_tolerance_and_half_unit() -> None:
    assert [approx_spread(D(-100), D("0.5")), approx_spread(D(2), D("0.5"))] == [D(5), D("0.5")]


def test_range_interval_keeps_the_stated_ends() -> None:
    assert range_interval(D(5), D(7)) == Interval(D(5), D(7))
    assert range_interval(D(5), D(5)) == Interval(D(5), D(5))


def test_range_interval_widens_both_ends_when_approximate() -> None:
    assert range_interval(D(100), D(200), approx=True) == Interval(D(95), D(210))
    assert range_interval(D(-100), D(-50), approx=True) == Interval(D(-105), D("-47.5"))


def test_range_interval_refuses_an_inverted_range() -> None:
    with pytest.raises(QuantityError) as caught:
        range_interval(D(7), D(5))

    assert (caught.value.code, caught.value.message) == (
        "inverted_range",
        "the range starts at 7, above its end 5",
    )


def test_approx_tolerance_is_five_percent() -> None:
    assert D("0.05") == APPROX_TOLERANCE


# The pairs that decide conflicts between claims (DESIGN.md, "Conflict").
CONFLICT_PAIRS = [
    ("$45 billion", "$44.6 billion", True),
    ("$16.5 billion", "$16.2 billion", False),
    ("more than 4,000", "about 4,200", True),
    ("more than 4,000", "3,900", False),
    ("$5-7 billion", "$8 billion", False),
    ("$5-8 billion", "$7.5 billion", True),
    ("900 km", "560 miles", True),
    ("900 km", "950 km", False),
    # "4,000" spans [3999.5, 4000.5], which reaches above 4,000: no contradiction.
    ("more than 4,000", "4,000", True),
    ("less than 4,000", "4,000", True),
    ("more than 4,000", "at most 4,000", False),
    ("at least 4,000", "at most 4,000", True),
    ("almost $2 billion", "$2.05 billion", False),
    ("about $2 billion", "$2.4 billion", True),
    ("16,500 million USD", "$16.5 billion", True),
    # Rounded to the billion, 44 and 45 meet at 44.5: both could be 44.5 billion.
    ("$44 billion", "$45 billion", True),
]


@pytest.mark.parametrize(("first", "second", "expected"), CONFLICT_PAIRS)
def test_intersects_decides_conflict_pairs(first: str, second: str, expected: bool) -> None:
    a, b = parse_quantity(first).interval, parse_quantity(second).interval

    assert a.intersects(b) is expected
    assert b.intersects(a) is expected
