"""Roll-ups and transforms against hand-computed values."""

import calendar
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.indicators.transforms import Aggregate, Rollup, Transform, bucket_end, roll_up, transform

D = Decimal
DAILY = [
    (date(2026, 1, 30), D("10")),
    (date(2026, 1, 31), D("20")),
    (date(2026, 2, 1), D("30")),
    (date(2026, 2, 27), D("50")),
    (date(2026, 4, 2), D("7")),
]


def test_bucket_end_for_every_rollup() -> None:
    day = date(2026, 5, 28)  # a Thursday
    assert bucket_end(day, Rollup.WEEKLY) == date(2026, 5, 31)
    assert bucket_end(day, Rollup.MONTHLY) == date(2026, 5, 31)
    assert bucket_end(day, Rollup.QUARTERLY) == date(2026, 6, 30)
    assert bucket_end(day, Rollup.ANNUAL) == date(2026, 12, 31)
    assert bucket_end(date(2024, 2, 3), Rollup.MONTHLY) == date(2024, 2, 29)


def test_roll_up_monthly_avg_sum_last() -> None:
    assert roll_up(DAILY, Rollup.MONTHLY, Aggregate.AVG) == [
        (date(2026, 1, 31), D("15")),
        (date(2026, 2, 28), D("40")),
        (date(2026, 4, 30), D("7")),
    ]
    assert roll_up(DAILY, Rollup.MONTHLY, Aggregate.SUM) == [
        (date(2026, 1, 31), D("30")),
        (date(2026, 2, 28), D("80")),
        (date(2026, 4, 30), D("7")),
    ]
    assert roll_up(DAILY, Rollup.QUARTERLY, Aggregate.LAST) == [
        (date(2026, 3, 31), D("50")),
        (date(2026, 6, 30), D("7")),
    ]


def test_transforms_as_fred_computes_them() -> None:
    series = [
        (date(2025, m, 28), D(v))
        for m, v in [(1, "100"), (2, "110"), (3, "99"), (4, "0"), (5, "5")]
    ]
    assert transform(series, Transform.CHG, 12) == [
        (date(2025, 2, 28), D("10")),
        (date(2025, 3, 28), D("-11")),
        (date(2025, 4, 28), D("-99")),
        (date(2025, 5, 28), D("5")),
    ]
    assert transform(series, Transform.PCH, 12) == [
        (date(2025, 2, 28), D("10")),
        (date(2025, 3, 28), D("-10")),
        (date(2025, 4, 28), D("-100")),
    ]
    quarterly = [(date(2024 + i // 4, 3 * (i % 4) + 3, 28), D(100 + i)) for i in range(6)]
    assert transform(quarterly, Transform.PC1, 4) == [
        (date(2025, 3, 28), D("4")),
        (date(2025, 6, 28), D("3.960396")),
    ]


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
    points = [(day, Decimal(i)) for i, day in enumerate(days)]
    rolled = roll_up(points, rollup, how)
    ends = sorted({bucket_end(day, rollup) for day in days})
    assert [end for end, _ in rolled] == ends
    if how is Aggregate.SUM:
        assert sum(value for _, value in rolled) == sum(range(len(days)))
    if how is Aggregate.LAST:
        assert rolled[-1][1] == len(days) - 1
