"""Periods read against the claim's date: spans counted in whole calendar units before or after
the unit the claim's date falls in, and months, quarters and days written without their year."""

from datetime import date

import pytest

from app.quantities import Period, QuantityError, parse_period

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


# text, claim's date, start, end: a period without its year is the latest one that starts on
# or before the claim's date (in the claim's year, else the year before)
WITHOUT_YEAR: list[tuple[str, date, date, date]] = [
    ("in the second quarter", date(2015, 5, 13), date(2015, 4, 1), date(2015, 6, 30)),
    ("in the fourth quarter", date(2015, 5, 13), date(2014, 10, 1), date(2014, 12, 31)),
    ("in December", date(2026, 1, 11), date(2025, 12, 1), date(2025, 12, 31)),
    ("in December", date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 31)),
    ("from January to June", date(2016, 1, 1), date(2016, 1, 1), date(2016, 6, 30)),
    ("in November and December", date(2026, 2, 3), date(2025, 11, 1), date(2025, 12, 31)),
    ("the second half", date(2026, 6, 30), date(2025, 7, 1), date(2025, 12, 31)),
    ("the final two months", date(2026, 5, 28), date(2025, 11, 1), date(2025, 12, 31)),
    ("at the close of June", date(2026, 5, 28), date(2025, 6, 30), date(2025, 6, 30)),
    ("on 1 June", date(2026, 5, 28), date(2025, 6, 1), date(2025, 6, 1)),
    ("since December", date(2026, 5, 28), date(2025, 12, 1), date(2026, 5, 28)),
    ("the first two quarters", date(2026, 5, 28), date(2026, 1, 1), date(2026, 6, 30)),
]


@pytest.mark.parametrize(("text", "said_on", "start", "end"), WITHOUT_YEAR)
def test_parse_period_without_year_is_latest_started_by_claim_date(
    text: str, said_on: date, start: date, end: date
) -> None:
    assert parse_period(text, reference=said_on) == Period(start, end, text)


@pytest.mark.parametrize("text", ["in the second quarter", "From January to June", "in May"])
def test_parse_period_without_year_needs_reference(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text)

    assert caught.value.code == "needs_reference_date"


def test_parse_period_without_year_before_calendar_is_refused() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("in December", reference=date(1, 5, 1))

    assert caught.value.code == "period_outside_calendar"


@pytest.mark.parametrize(
    "text", ["in January and March 2021", "in 2019 and 2021", "in October and December"]
)
def test_parse_period_refuses_two_periods_apart(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=date(2026, 5, 28))

    assert (caught.value.code, caught.value.message) == (
        "unreadable_period",
        f"'{text}' names two periods that do not follow each other; a claim has one period: "
        "write one of them, or the span from the first to the last if the figure covers it",
    )


@pytest.mark.parametrize("said_on", [None, date(2021, 3, 1)])
@pytest.mark.parametrize(
    "text", ["In early January this year", "in mid-May", "late December 2020", "early Q3"]
)
def test_parse_period_refuses_vague_part_of_period(text: str, said_on: date | None) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=said_on)

    assert (caught.value.code, caught.value.message) == (
        "unreadable_period",
        f"'{text}' names an early, middle or late part of a period, which has no dates; "
        "write the period the figure covers (the month or quarter, or the days)",
    )


@pytest.mark.parametrize("text", ["over 12 months", "in 10 months", "eight months"])
def test_parse_period_refuses_count_of_months_without_year(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=date(2026, 5, 28))

    assert caught.value.code == "unreadable_period"
