"""Roll-ups and transforms against hand-computed values."""

from datetime import date
from decimal import Decimal

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
