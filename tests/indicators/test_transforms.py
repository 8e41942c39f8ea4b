"""Roll-ups against hand-computed values: buckets, their cover, the precision of averages."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.indicators.transforms import (
    Aggregate,
    Coverage,
    Observed,
    Point,
    Rollup,
    Transform,
    bucket_end,
    decimal_places,
    roll_up,
    transform,
)

D = Decimal
DAILY = [
    Observed(day, day, D(value))
    for day, value in [
        (date(2026, 1, 30), "10"),
        (date(2026, 1, 31), "20"),
        (date(2026, 2, 1), "30"),
        (date(2026, 2, 27), "50"),
        (date(2026, 4, 2), "7"),
    ]
]


def month(year: int, number: int, value: str) -> Observed:
    last = calendar.monthrange(year, number)[1]
    return Observed(date(year, number, 1), date(year, number, last), D(value))


def rolled(observed: list[Observed], rollup: Rollup, how: Aggregate) -> list[Point]:
    return roll_up(observed, rollup, how, weekends_optional=False)


def test_bucket_end_for_every_rollup() -> None:
    day = date(2026, 5, 28)  # a Thursday
    assert bucket_end(day, Rollup.WEEKLY) == date(2026, 5, 31)
    assert bucket_end(day, Rollup.MONTHLY) == date(2026, 5, 31)
    assert bucket_end(day, Rollup.QUARTERLY) == date(2026, 6, 30)
    assert bucket_end(day, Rollup.ANNUAL) == date(2026, 12, 31)
    assert bucket_end(date(2024, 2, 3), Rollup.MONTHLY) == date(2024, 2, 29)


def test_roll_up_monthly_avg_sum_last() -> None:
    # Days do not cover their months: every bucket is marked incomplete.
    assert rolled(DAILY, Rollup.MONTHLY, Aggregate.AVG) == [
        Point(date(2026, 1, 31), D("15"), False),
        Point(date(2026, 2, 28), D("40"), False),
        Point(date(2026, 4, 30), D("7"), False),
    ]
    assert rolled(DAILY, Rollup.MONTHLY, Aggregate.SUM) == [
        Point(date(2026, 1, 31), D("30"), False),
        Point(date(2026, 2, 28), D("80"), False),
        Point(date(2026, 4, 30), D("7"), False),
    ]
    assert rolled(DAILY, Rollup.QUARTERLY, Aggregate.LAST) == [
        Point(date(2026, 3, 31), D("50"), False),
        Point(date(2026, 6, 30), D("7"), False),
    ]


def test_roll_up_marks_a_quarter_complete_only_when_its_months_cover_it() -> None:
    observed = [month(2025, m, "10") for m in (10, 11, 12)] + [month(2026, 1, "12")]
    assert rolled(observed, Rollup.QUARTERLY, Aggregate.SUM) == [
        Point(date(2025, 12, 31), D("30"), True),
        Point(date(2026, 3, 31), D("12"), False),
    ]
    gap = [month(2025, 10, "10"), month(2025, 12, "10")]
    assert rolled(gap, Rollup.QUARTERLY, Aggregate.SUM) == [
        Point(date(2025, 12, 31), D("20"), False)
    ]
    # One observation of the whole quarter covers it.
    whole = [Observed(date(2025, 10, 1), date(2025, 12, 31), D("31"))]
    assert rolled(whole, Rollup.QUARTERLY, Aggregate.SUM) == [
        Point(date(2025, 12, 31), D("31"), True)
    ]


def test_roll_up_of_weeks_counts_a_week_ending_next_month_as_cover() -> None:
    # Weeks Monday to Sunday, 2026-02-23 .. 2026-04-05: the one ending 04-05 covers 03-30, 03-31.
    weeks = [
        Observed(
            date(2026, 2, 23) + timedelta(weeks=i), date(2026, 3, 1) + timedelta(weeks=i), D(i)
        )
        for i in range(6)
    ]
    assert rolled(weeks, Rollup.MONTHLY, Aggregate.LAST) == [
        Point(date(2026, 3, 31), D("4"), True),
        Point(date(2026, 4, 30), D("5"), False),
    ]


def test_roll_up_of_working_days_skips_weekends_not_weekdays() -> None:
    days = [date(2026, 2, 1) + timedelta(days=i) for i in range(28)]  # 02-01 is a Sunday
    working = [Observed(d, d, D(1)) for d in days if d.weekday() < 5]
    assert roll_up(working, Rollup.MONTHLY, Aggregate.SUM, weekends_optional=True) == [
        Point(date(2026, 2, 28), D(20), True)
    ]
    assert rolled(working, Rollup.MONTHLY, Aggregate.SUM) == [
        Point(date(2026, 2, 28), D(20), False)
    ]
    holiday = [o for o in working if o.end != date(2026, 2, 23)]
    assert roll_up(holiday, Rollup.MONTHLY, Aggregate.SUM, weekends_optional=True) == [
        Point(date(2026, 2, 28), D(19), False)
    ]


def test_average_rounds_to_stated_places_plus_two_half_away_from_zero() -> None:
    def avg(*values: str) -> str:
        observed = [month(2026, i + 1, v) for i, v in enumerate(values)]
        return str(rolled(observed, Rollup.ANNUAL, Aggregate.AVG)[0].value)

    assert avg("1", "0", "0", "0", "0", "0", "0", "0") == "0.13"  # 0.125
    assert avg("-1", "0", "0", "0", "0", "0", "0", "0") == "-0.13"
    assert avg("16500000000", "16600000000", "16800000000") == "16633333333.33"
    assert avg("2.50", "3") == "2.750"  # 2.50 states one place, as the API writes it: 2.5
    stated = ("3.25", "2.50", "1E+3", "0.0001", "0.00", "12345678901234567890123.4567891")
    assert [decimal_places(D(v)) for v in stated] == [2, 1, 0, 4, 0, 7]
    summed = rolled([month(2026, 1, "0.1"), month(2026, 2, "0.25")], Rollup.ANNUAL, Aggregate.SUM)
    assert summed == [Point(date(2026, 12, 31), D("0.35"), False)]


def test_sums_and_averages_of_long_values_stay_exact() -> None:
    observed = [month(2026, 1, "1234567890123456789012345678901.25"), month(2026, 2, "0.5")]
    assert rolled(observed, Rollup.ANNUAL, Aggregate.SUM)[0].value == D(
        "1234567890123456789012345678901.75"
    )
    average = rolled(observed, Rollup.ANNUAL, Aggregate.AVG)[0].value
    assert str(average) == "617283945061728394506172839450.8750"
    # Forty-two places of a value of thirty digits: more than the 60 digits of the arithmetic.
    wide = [month(2026, 1, "1E+30"), month(2026, 2, "1E-40")]
    assert rolled(wide, Rollup.ANNUAL, Aggregate.AVG)[0].value == D("5E+29")


PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=200)

# Anywhere in date.min..date.max, the first and last weeks as often as the rest.
calendar_days = st.one_of(
    st.dates(min_value=date.min, max_value=date.max),
    st.dates(min_value=date.min, max_value=date(1, 1, 14)),
    st.dates(min_value=date(9999, 12, 18), max_value=date.max),
)


def holds(end: date, day: date, rollup: Rollup) -> bool:
    """`end` is the last day of `day`'s bucket, or the calendar's last day where it is cut."""
    month_end = date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])
    if rollup is Rollup.WEEKLY:
        return (end.weekday() == 6 or end == date.max) and (end - day).days <= 6
    if rollup is Rollup.MONTHLY:
        return end == month_end and (end.year, end.month) == (day.year, day.month)
    if rollup is Rollup.QUARTERLY:
        return end == month_end and end.month % 3 == 0 and end.month - 3 < day.month
    return (end.month, end.day) == (12, 31)


@PROPERTY
@given(calendar_days, st.sampled_from(Rollup))
def test_bucket_end_anywhere_in_calendar_ends_the_bucket(day: date, rollup: Rollup) -> None:
    end = bucket_end(day, rollup)
    assert day <= end <= date.max
    assert end.year == day.year
    assert holds(end, day, rollup)
    # No day after `day` and up to the end falls in a different bucket.
    assert bucket_end(end, rollup) == end


@PROPERTY
@given(
    st.lists(calendar_days, min_size=1, max_size=20).map(sorted),
    st.sampled_from(Rollup),
    st.sampled_from(Aggregate),
)
def test_roll_up_anywhere_in_calendar_gives_one_point_per_bucket(
    days: list[date], rollup: Rollup, how: Aggregate
) -> None:
    observed = [Observed(day, day, Decimal(i)) for i, day in enumerate(days)]
    points = rolled(observed, rollup, how)
    assert [p.end for p in points] == sorted({bucket_end(day, rollup) for day in days})
    values = [p.value for p in points]
    if how is Aggregate.SUM:
        assert sum(v for v in values if v is not None) == sum(range(len(days)))
    if how is Aggregate.LAST:
        assert values[-1] == len(days) - 1


nearby = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 3, 31))


@PROPERTY
@given(
    st.lists(st.tuples(nearby, st.integers(0, 20)), max_size=8),
    nearby,
    st.integers(0, 40),
    st.booleans(),
)
def test_coverage_is_every_day_in_some_period(
    spans: list[tuple[date, int]], first: date, length: int, weekends: bool
) -> None:
    observed = [Observed(s, s + timedelta(days=n), D(0)) for s, n in spans]
    covered = {s + timedelta(days=i) for s, n in spans for i in range(n + 1)}
    wanted = all(
        day in covered or (weekends and day.weekday() >= 5)
        for day in (first + timedelta(days=i) for i in range(length + 1))
    )
    last = first + timedelta(days=length)
    assert Coverage(observed, weekends_optional=weekends).covers(first, last) is wanted


def test_a_series_with_no_points_has_no_changes_with_or_without_a_period() -> None:
    # An irregular indicator with no observations yet (the watchlist asks for its change).
    assert transform([], Transform.CHG, None) == []
    assert transform([], Transform.PCH, None) == []
