"""Periods read against the claim's date: spans counted in whole calendar units before or after
the unit the claim's date falls in."""

from datetime import date

import pytest

from app.quantities import Period, parse_period

# text, claim's date, start, end
WHOLE_UNITS: list[tuple[str, date, date, date]] = [
    # back: the N whole units before the one the claim's date falls in
    ("over the past four years", date(2024, 2, 29), date(2020, 1, 1), date(2023, 12, 31)),
    ("the past three months", date(2026, 5, 31), date(2026, 2, 1), date(2026, 4, 30)),
    ("the past three months", date(2026, 5, 1), date(2026, 2, 1), date(2026, 4, 30)),
    ("the last two months", date(2026, 1, 15), date(2025, 11, 1), date(2025, 12, 31)),
    ("the last year", date(2026, 1, 1), date(2025, 1, 1), date(2025, 12, 31)),
    ("the past two quarters", date(2026, 1, 10), date(2025, 7, 1), date(2025, 12, 31)),
    ("the past decade", date(2026, 12, 31), date(2016, 1, 1), date(2025, 12, 31)),
    # a week runs Monday to Sunday (ISO 8601); 2026-05-28 is a Thursday
    ("the last two weeks", date(2026, 5, 28), date(2026, 5, 11), date(2026, 5, 24)),
    ("the past week", date(2026, 5, 25), date(2026, 5, 18), date(2026, 5, 24)),
    ("the past 30 days", date(2026, 5, 28), date(2026, 4, 28), date(2026, 5, 27)),
    # ahead: the N whole units starting with the one after the claim's
    ("the next 2 months", date(2025, 12, 31), date(2026, 1, 1), date(2026, 2, 28)),
    ("over the next five years", date(2026, 1, 1), date(2027, 1, 1), date(2031, 12, 31)),
    ("the next quarter", date(2026, 3, 31), date(2026, 4, 1), date(2026, 6, 30)),
    ("the coming two weeks", date(2026, 5, 31), date(2026, 6, 1), date(2026, 6, 14)),
    ("the next 10 days", date(2026, 5, 28), date(2026, 5, 29), date(2026, 6, 7)),
    ("the next decade", date(2026, 7, 1), date(2027, 1, 1), date(2036, 12, 31)),
]


@pytest.mark.parametrize(("text", "said_on", "start", "end"), WHOLE_UNITS)
def test_parse_period_counts_whole_units_beside_claim_date(
    text: str, said_on: date, start: date, end: date
) -> None:
    assert parse_period(text, reference=said_on) == Period(start, end, text)
