"""Target statuses at the edges."""

from datetime import date
from decimal import Decimal

from app.indicators.progress import progress
from app.quantities import parse_quantity

D = Decimal
MORE_THAN_100 = parse_quantity("more than 100")
AT_LEAST_100 = parse_quantity("at least 100")
DUE = date(2026, 12, 31)


def status(points: list[tuple[date, Decimal]], today: date, text: str = "at least 100") -> str:
    q = parse_quantity(text)
    return progress(
        points,
        target=q.interval,
        value=q.value,
        bound=q.bound,
        due_on=DUE,
        direction="up_is_good",
        today=today,
    ).status


def test_no_data_is_not_started() -> None:
    assert status([], date(2026, 6, 1)) == "not_started"


def test_exactly_on_target_is_met_but_not_for_more_than() -> None:
    points = [(date(2026, 5, 31), D(100))]
    assert status(points, date(2026, 6, 1)) == "met"
    assert status(points, date(2026, 6, 1), "more than 100") == "at_risk"


def test_one_day_after_due_date_unmet_is_missed() -> None:
    points = [(date(2026, 11, 30), D(90)), (date(2026, 12, 31), D(99))]
    assert status(points, DUE) == "at_risk"
    assert status(points, date(2027, 1, 1)) == "missed"


def test_trend_decides_on_track_or_at_risk() -> None:
    rising = [(date(2026, m, 28), D(10 * m)) for m in range(1, 6)]  # 50 by May, +10/month
    assert status(rising, date(2026, 6, 1)) == "on_track"
    flat = [(date(2026, m, 28), D(50)) for m in range(1, 6)]
    result = progress(
        flat,
        target=AT_LEAST_100.interval,
        value=D(100),
        bound="at_least",
        due_on=DUE,
        direction="up_is_good",
        today=date(2026, 6, 1),
    )
    assert (result.status, result.percent_of_target, result.projected) == (
        "at_risk",
        D("50.0000"),
        D("50.0000"),
    )
    assert result.required_per_day == D("0.2347")  # 50 more in the 213 days to Dec 31
