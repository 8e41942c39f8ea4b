"""Reading the period a claim refers to, absolute or relative to the claim's date."""

from datetime import date

import pytest

from app.quantities import Period, QuantityError, parse_period

CLAIMED = date(2026, 5, 28)

# text, start, end: read without any reference date
ABSOLUTE: list[tuple[str, date, date]] = [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("in 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
    ("Q2 2026", date(2026, 4, 1), date(2026, 6, 30)),
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("first quarter of 2026", date(2026, 1, 1), date(2026, 3, 31)),
    ("3rd quarter 2026", date(2026, 7, 1), date(2026, 9, 30)),
    ("1st half of 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("Sept. 2025", date(2025, 9, 1), date(2025, 9, 30)),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("H1 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("H2 2025", date(2025, 7, 1), date(2025, 12, 31)),
    ("second half of 2025", date(2025, 7, 1), date(2025, 12, 31)),
    ("2024-05", date(2024, 5, 1), date(2024, 5, 31)),
    ("May 2024", date(2024, 5, 1), date(2024, 5, 31)),
    ("February 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ("Feb 2023", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-05-28", date(2024, 5, 28), date(2024, 5, 28)),
    ("28 May 2024", date(2024, 5, 28), date(2024, 5, 28)),
    ("May 28, 2024", date(2024, 5, 28), date(2024, 5, 28)),
    ("May 28th, 2024", date(2024, 5, 28), date(2024, 5, 28)),
    ("1st of June 2026", date(2026, 6, 1), date(2026, 6, 1)),
    ("28.05.2026", date(2026, 5, 28), date(2026, 5, 28)),
    ("2023-01/2023-10", date(2023, 1, 1), date(2023, 10, 31)),
    ("Jan\u2013Oct 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("January-October 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("Jan 2023 - Mar 2024", date(2023, 1, 1), date(2024, 3, 31)),
    ("Q1-Q3 2024", date(2024, 1, 1), date(2024, 9, 30)),
    ("2005\u20132025", date(2005, 1, 1), date(2025, 12, 31)),
    ("2005-2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("2005 to 2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("between 2005 and 2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("from 2005 to 2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("May 25-31, 2026", date(2026, 5, 25), date(2026, 5, 31)),
    ("25\u201331 May 2026", date(2026, 5, 25), date(2026, 5, 31)),
    ("25 May - 1 June 2026", date(2026, 5, 25), date(2026, 6, 1)),
    ("end of 2026", date(2026, 12, 31), date(2026, 12, 31)),
    ("in the first half of 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("January to October 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("between Jan and Oct 2023", date(2023, 1, 1), date(2023, 10, 31)),
]


@pytest.mark.parametrize(("text", "start", "end"), ABSOLUTE)
def test_parse_period_reads_absolute_period(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end, text)


@pytest.mark.parametrize(("text", "start", "end"), ABSOLUTE)
def test_parse_period_ignores_reference_for_absolute_period(
    text: str, start: date, end: date
) -> None:
    assert parse_period(text, reference=CLAIMED) == Period(start, end, text)


# text, start, end: read relative to CLAIMED (2026-05-28)
RELATIVE: list[tuple[str, date | None, date | None]] = [
    ("to 2030", CLAIMED, date(2030, 12, 31)),
    ("through 2030", CLAIMED, date(2030, 12, 31)),
    ("until 2030", CLAIMED, date(2030, 12, 31)),
    ("by 2030", CLAIMED, date(2030, 12, 31)),
    ("by the end of 2026", CLAIMED, date(2026, 12, 31)),
    ("by end-2026", CLAIMED, date(2026, 12, 31)),
    ("before 2030", CLAIMED, date(2029, 12, 31)),
    ("by 2020", None, date(2020, 12, 31)),
    ("this year", date(2026, 1, 1), date(2026, 12, 31)),
    ("this year alone", date(2026, 1, 1), date(2026, 12, 31)),
    ("last year", date(2025, 1, 1), date(2025, 12, 31)),
    ("the previous year", date(2025, 1, 1), date(2025, 12, 31)),
    ("next year", date(2027, 1, 1), date(2027, 12, 31)),
    ("by the end of the year", CLAIMED, date(2026, 12, 31)),
    ("before the end of the year", CLAIMED, date(2026, 12, 31)),
    ("by year end", CLAIMED, date(2026, 12, 31)),
    ("by year-end", CLAIMED, date(2026, 12, 31)),
    ("by end of year", CLAIMED, date(2026, 12, 31)),
    ("this quarter", date(2026, 4, 1), date(2026, 6, 30)),
    ("last quarter", date(2026, 1, 1), date(2026, 3, 31)),
    ("next quarter", date(2026, 7, 1), date(2026, 9, 30)),
    ("this month", date(2026, 5, 1), date(2026, 5, 31)),
    ("last month", date(2026, 4, 1), date(2026, 4, 30)),
    ("year to date", date(2026, 1, 1), CLAIMED),
    ("since 2005", date(2005, 1, 1), CLAIMED),
    ("from May 2024", date(2024, 5, 1), CLAIMED),
    ("as of 1 June", date(2026, 6, 1), date(2026, 6, 1)),
    ("in May", date(2026, 5, 1), date(2026, 5, 31)),
]


@pytest.mark.parametrize(("text", "start", "end"), RELATIVE)
def test_parse_period_reads_relative_period(
    text: str, start: date | None, end: date | None
) -> None:
    assert parse_period(text, reference=CLAIMED) == Period(start, end, text)


def test_parse_period_counts_last_quarter_back_across_new_year() -> None:
    period = parse_period("last quarter", reference=date(2026, 2, 10))

    assert period == Period(date(2025, 10, 1), date(2025, 12, 31), "last quarter")


def test_parse_period_counts_next_month_across_new_year() -> None:
    period = parse_period("next month", reference=date(2025, 12, 31))

    assert period == Period(date(2026, 1, 1), date(2026, 1, 31), "next month")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("to 2030", None, date(2030, 12, 31)),
        ("by end-2026", None, date(2026, 12, 31)),
        ("since 2005", date(2005, 1, 1), None),
    ],
)
def test_parse_period_leaves_end_open_without_reference(
    text: str, start: date | None, end: date | None
) -> None:
    assert parse_period(text) == Period(start, end, text)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_parse_period_returns_none_without_period(text: str | None) -> None:
    assert parse_period(text, reference=CLAIMED) is None


def test_parse_period_keeps_text_unchanged() -> None:
    period = parse_period("  Jan\u2013Oct 2023 ")

    assert period is not None
    assert period.text == "  Jan\u2013Oct 2023 "


@pytest.mark.parametrize(
    "text",
    [
        "this year",
        "last year",
        "next quarter",
        "by the end of the year",
        "by year end",
        "year to date",
        "as of 1 June",
        "29 February",
    ],
)
def test_parse_period_needs_reference_for_relative_phrase(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text)

    assert caught.value.code == "needs_reference_date"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("FY2024", "unreadable_period"),
        ("sometime soon", "unreadable_period"),
        ("2024-02-30", "unreadable_period"),
        ("2024-13", "unreadable_period"),
        ("Q5 2024", "unreadable_period"),
        ("Jan-Oct", "unreadable_period"),
        ("24", "unreadable_period"),
        ("mid-2026", "unreadable_period"),
        ("29 February", "unreadable_period"),
        ("2025-2024", "inverted_period"),
        ("Oct-Jan 2023", "inverted_period"),
        ("2023-10/2023-01", "inverted_period"),
    ],
)
def test_parse_period_refuses_unreadable_period(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=CLAIMED)

    assert caught.value.code == code


def test_parse_period_names_text_it_could_not_read() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("sometime soon")

    assert str(caught.value) == "could not read a period in 'sometime soon'"
