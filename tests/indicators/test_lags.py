"""Transforms as calendar lags: the previous period and the same period a year earlier by
date, null where that period has no value or a bucket is incomplete (issue 21)."""

import calendar
from datetime import date
from decimal import Decimal

from app.indicators.frequency import CADENCES, Frequency, months_back
from app.indicators.transforms import (
    Lags,
    Point,
    Rollup,
    Transform,
    bucket_lags,
    native_lags,
    transform,
)

D = Decimal
MONTHLY = native_lags(CADENCES[Frequency.MONTHLY])
DAILY = native_lags(CADENCES[Frequency.DAILY])


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def values(points: list[Point], how: Transform, lags: Lags | None) -> list[Decimal | None]:
    return [p.value for p in transform(points, how, lags)]


def test_transforms_as_fred_computes_them_null_without_a_comparison() -> None:
    series = [
        Point(month_end(2025, m), D(v))
        for m, v in [(1, "100"), (2, "110"), (3, "99"), (4, "0"), (5, "5")]
    ]
    assert values(series, Transform.CHG, MONTHLY) == [None, D(10), D(-11), D(-99), D(5)]
    # No percent from zero.
    assert values(series, Transform.PCH, MONTHLY) == [None, D(10), D(-10), D(-100), None]
    quarterly = [Point(month_end(2024 + i // 4, 3 * (i % 4) + 3), D(100 + i)) for i in range(6)]
    lags = native_lags(CADENCES[Frequency.QUARTERLY])
    assert values(quarterly, Transform.PC1, lags) == [None] * 4 + [D("4"), D("3.960396")]


def test_change_compares_with_the_previous_period_by_date_not_the_neighbour() -> None:
    series = [Point(month_end(2025, m), D(m)) for m in (1, 2, 5, 6)]
    assert values(series, Transform.CHG, MONTHLY) == [None, D(1), None, D(1)]
    # An irregular series has no period: the previous observation is its comparison.
    assert values(series, Transform.CHG, None) == [None, D(1), D(3), D(1)]


def test_no_change_against_an_incomplete_bucket() -> None:
    buckets = [
        Point(date(2025, 9, 30), D(10), True),
        Point(date(2025, 12, 31), D(4), False),
        Point(date(2026, 3, 31), D(12), True),
        Point(date(2026, 6, 30), D(15), True),
    ]
    assert transform(buckets, Transform.CHG, bucket_lags(Rollup.QUARTERLY)) == [
        Point(date(2025, 9, 30), None, True),
        Point(date(2025, 12, 31), None, False),
        Point(date(2026, 3, 31), None, True),
        Point(date(2026, 6, 30), D(3), True),
    ]


def test_month_ends_align_and_leap_days_meet_the_last_february_day() -> None:
    monthly = [Point(date(2024, 2, 29), D(100)), Point(date(2025, 2, 28), D(110))]
    assert values(monthly, Transform.PC1, MONTHLY) == [None, D(10)]
    days = [date(2023, 2, 28), date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 28)]
    daily = [Point(d, D(100 + 10 * i)) for i, d in enumerate(days)]
    assert values(daily, Transform.PC1, DAILY) == [
        None,
        D(10),  # 2024-02-28 against 2023-02-28
        D(20),  # 2024-02-29 against 2023-02-28
        D("18.181818"),  # 2025-02-28 against 2024-02-28 (130 / 110), not the 29th (120)
    ]
    assert [months_back(d, n) for d, n in [(date(2024, 2, 29), 12), (date(2025, 2, 28), 12)]] == [
        date(2023, 2, 28),
        date(2024, 2, 29),
    ]
    assert [months_back(date(2026, 6, 30), 3), months_back(date(2025, 3, 30), 1)] == [
        date(2026, 3, 31),
        date(2025, 2, 28),
    ]
    assert months_back(date(1, 3, 31), 3) is None


def test_a_monday_compares_with_friday_when_the_weekend_has_no_value() -> None:
    thursday, friday, monday = date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9)
    days = [Point(thursday, D(1)), Point(friday, D(2)), Point(monday, D(5))]
    assert values(days, Transform.CHG, DAILY) == [None, D(1), D(3)]
    sunday = [*days[:2], Point(date(2026, 3, 8), D(4)), days[2]]
    assert values(sunday, Transform.CHG, DAILY)[-1] == D(1)
    # Thursday is not the previous working day: no comparison.
    assert values([days[0], days[2]], Transform.CHG, DAILY) == [None, None]
    # A year before Monday 2026-03-09 is Sunday 2025-03-09: its Friday, the 7th, answers.
    year = [Point(date(2025, 3, 7), D(4)), Point(monday, D(5))]
    assert values(year, Transform.PC1, DAILY) == [None, D(25)]
    weekly = native_lags(CADENCES[Frequency.WEEKLY])
    saturdays = [Point(date(2026, 3, 7), D(4)), Point(date(2026, 3, 16), D(5))]
    assert values(saturdays, Transform.CHG, weekly) == [None, None]  # no stepping for a week


def test_weekly_buckets_compare_with_52_weeks_before_even_in_the_calendars_cut_week() -> None:
    lags = bucket_lags(Rollup.WEEKLY)
    assert lags.year_before(date(2026, 1, 4)) == date(2025, 1, 5)
    assert lags.previous(date.max) == date(9999, 12, 26)
    assert lags.year_before(date.max) == date(9999, 1, 3)
    assert lags.previous(date(1, 1, 7)) is None
    assert bucket_lags(Rollup.MONTHLY).previous(date(2026, 3, 31)) == date(2026, 2, 28)
    assert bucket_lags(Rollup.ANNUAL).year_before(date(1, 12, 31)) is None


def test_changes_of_long_values_stay_exact() -> None:
    series = [
        Point(month_end(2026, 1), D("1E-30")),
        Point(month_end(2026, 2), D("1E+30")),
        Point(month_end(2026, 3), D("1234567890123456789012345678901.25")),
    ]
    assert values(series, Transform.CHG, MONTHLY) == [
        None,
        D("9" * 30 + "." + "9" * 30),  # 60 digits, where Python's default context keeps 28
        D("234567890123456789012345678901.25"),
    ]
    assert values(series, Transform.PCH, MONTHLY)[1] == D(10**62 - 100)
