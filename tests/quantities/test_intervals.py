"""Intervals: membership, intersection with open and unbounded ends, and the conflict pairs."""

from decimal import Decimal

import pytest

from app.quantities import APPROX_TOLERANCE, Interval, QuantityError, parse_quantity

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


def test_intersection_is_none_when_disjoint() -> None:
    assert Interval(D(1), D(2)).intersection(Interval(D(3), D(4))) is None


def test_scaled_multiplies_both_ends_and_keeps_openness() -> None:
    scaled = Interval(D("559.5"), D("560.5"), low_open=True).scaled(D("1.609344"))

    assert scaled == Interval(D("900.427968"), D("902.037312"), low_open=True)


def test_scaled_keeps_unbounded_end() -> None:
    assert Interval(D(2), None).scaled(D(1000)) == Interval(D(2000), None)


@pytest.mark.parametrize("factor", [D(0), D(-1), D("NaN")])
def test_scaled_refuses_non_positive_factor(factor: Decimal) -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D(1), D(2)).scaled(factor)

    assert caught.value.code == "invalid_factor"


def test_interval_refuses_low_above_high() -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D(2), D(1))

    assert caught.value.code == "inverted_range"


def test_interval_refuses_empty_point() -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D(1), D(1), low_open=True)

    assert caught.value.code == "inverted_range"


def test_interval_refuses_non_finite_end() -> None:
    with pytest.raises(QuantityError) as caught:
        Interval(D("NaN"), D(1))

    assert caught.value.code == "non_finite"


def test_interval_drops_openness_of_unbounded_end() -> None:
    assert Interval(None, D(1), low_open=True) == Interval(None, D(1))


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
