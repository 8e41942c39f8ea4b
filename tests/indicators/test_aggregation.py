"""The one rule of what a longer period reads from a finer series: tiles, sums, averages,
end values, and coverage."""

from datetime import date
from decimal import Decimal

from app.indicators.aggregation import (
    Aggregation,
    default_aggregation,
    parts,
    read_period,
    running_total,
)

D = Decimal
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def months(year: int, values: list[str]) -> dict[tuple[date, date], Decimal]:
    """{(first day, last day) of month m: value} for m = 1, 2, …"""
    ends = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return {
        (date(year, m, 1), date(year, m, ends[m - 1])): D(v) for m, v in enumerate(values, start=1)
    }


def test_parts_tile_the_period_or_nothing() -> None:
    quarters = parts("quarterly", *YEAR)
    assert quarters == [
        (date(2024, 1, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 9, 30)),
        (date(2024, 10, 1), date(2024, 12, 31)),
    ]
    jan_oct = parts("monthly", date(2023, 1, 1), date(2023, 10, 31))
    assert jan_oct is not None and len(jan_oct) == 10 and jan_oct[-1][0] == date(2023, 10, 1)
    # Weeks do not tile a month; a month does not start mid-month; irregular has no periods.
    assert parts("weekly", date(2024, 1, 1), date(2024, 1, 31)) is None
    assert parts("monthly", date(2024, 1, 15), date(2024, 3, 31)) is None
    assert parts("irregular", *YEAR) is None
    assert parts("annual", date(2023, 1, 1), date(2024, 12, 31)) == [
        (date(2023, 1, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 12, 31)),
    ]


def test_a_flow_sums_its_months_once_all_are_known() -> None:
    known = months(2024, ["10"] * 10 + ["10.5"])  # January to November
    assert read_period(Aggregation.FLOW, "monthly", YEAR, known, lambda v: v) is None
    known[(date(2024, 12, 1), date(2024, 12, 31))] = D("14.5")
    read = read_period(Aggregation.FLOW, "monthly", YEAR, known, lambda v: v)
    assert read is not None
    assert (read.value, len(read.used), read.basis) == (
        D("125.0"),  # 10 * 10 + 10.5 + 14.5
        12,
        "sum of 12 monthly observations",
    )
    jan_oct = read_period(
        Aggregation.FLOW, "monthly", (date(2024, 1, 1), date(2024, 10, 31)), known, lambda v: v
    )
    assert jan_oct is not None and (jan_oct.value, jan_oct.basis) == (
        D(100),
        "sum of 10 monthly observations",
    )


def test_a_rate_averages_and_a_stock_takes_the_end() -> None:
    quarters = {
        span: D(v)
        for span, v in zip(parts("quarterly", *YEAR) or [], ["8", "8.5", "9", "8.6"], strict=True)
    }
    rate = read_period(Aggregation.RATE, "quarterly", YEAR, quarters, lambda v: v)
    assert rate is not None
    assert (rate.value, rate.basis) == (D("8.525"), "average of 4 quarterly values")  # 34.1 / 4
    # A stock needs only the last quarter: the first three missing change nothing.
    last = {(date(2024, 10, 1), date(2024, 12, 31)): D(52)}
    stock = read_period(Aggregation.STOCK, "quarterly", YEAR, last, lambda v: v)
    assert stock is not None
    assert (stock.value, stock.basis) == (
        D(52),
        "year-end value: the quarterly observation ending 2024-12-31",
    )
    first_three = {k: v for k, v in quarters.items() if k[1] != date(2024, 12, 31)}
    assert read_period(Aggregation.STOCK, "quarterly", YEAR, first_three, lambda v: v) is None


def test_the_observation_of_the_period_itself_comes_first() -> None:
    known = months(2024, ["1"] * 12) | {YEAR: D(20)}
    read = read_period(Aggregation.FLOW, "monthly", YEAR, known, lambda v: v)
    assert read is not None
    assert (read.value, read.basis) == (D(20), "the observation of the claim's period")


def test_running_total_says_what_it_sums_and_what_is_missing() -> None:
    points = [(date(2026, 1, 31), D(11)), (date(2026, 3, 31), D(13))]
    totals, basis = running_total("monthly", date(2026, 1, 1), points)
    assert totals == [(date(2026, 1, 31), D(11)), (date(2026, 3, 31), D(24))]
    assert basis == (
        "sum of 2 monthly observations from 2026-01-01 to 2026-03-31 "
        "(1 monthly periods without a value)"
    )
    assert running_total("monthly", date(2026, 1, 1), []) == (
        [],
        "sum from 2026-01-01: no observation yet",
    )


def test_default_aggregation_by_dimension() -> None:
    assert [default_aggregation(d) for d in ("percent", "volume/yr", "money", "length")] == [
        Aggregation.RATE,
        Aggregation.RATE,
        Aggregation.STOCK,
        Aggregation.STOCK,
    ]
