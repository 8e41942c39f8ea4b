"""The period rules beyond the calendar: parts of years, fiscal and marketing years, spans
counted from the claim's date, and the spellings that are refused because they have two
readings."""

from datetime import date

import pytest

from app.quantities import Period, QuantityError, parse_period

CLAIMED = date(2026, 5, 28)

# text, start, end: read without any reference date
PARTS_OF_YEARS: list[tuple[str, date, date]] = [
    # months counted from the start of the year
    ("the first four months of 2021", date(2021, 1, 1), date(2021, 4, 30)),
    ("first 10 months of 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("the first ten months of 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("in 10 months of 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("the ten-month period of 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("the first month of 2024", date(2024, 1, 1), date(2024, 1, 31)),
    ("the first twelve months of 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("the last three months of 2021", date(2021, 10, 1), date(2021, 12, 31)),
    ("the final two months of 2024", date(2024, 11, 1), date(2024, 12, 31)),
    ("8M 2022", date(2022, 1, 1), date(2022, 8, 31)),
    ("9M2023", date(2023, 1, 1), date(2023, 9, 30)),
    ("9M23", date(2023, 1, 1), date(2023, 9, 30)),
    ("9m'23", date(2023, 1, 1), date(2023, 9, 30)),
    ("12M 2017", date(2017, 1, 1), date(2017, 12, 31)),
    ("January\u2013August 2022", date(2022, 1, 1), date(2022, 8, 31)),
    ("Jan-Aug 2022", date(2022, 1, 1), date(2022, 8, 31)),
    ("Jan.-Aug. 2022", date(2022, 1, 1), date(2022, 8, 31)),
    ("from January through November of 2023", date(2023, 1, 1), date(2023, 11, 30)),
    ("October of 2023", date(2023, 10, 1), date(2023, 10, 31)),
    ("01/2023", date(2023, 1, 1), date(2023, 1, 31)),
    # halves and quarters in their short forms
    ("2H 2020", date(2020, 7, 1), date(2020, 12, 31)),
    ("H2 2020", date(2020, 7, 1), date(2020, 12, 31)),
    ("1H21", date(2021, 1, 1), date(2021, 6, 30)),
    ("1H'20", date(2020, 1, 1), date(2020, 6, 30)),
    ("H1\u201921", date(2021, 1, 1), date(2021, 6, 30)),
    ("H1/2023", date(2023, 1, 1), date(2023, 6, 30)),
    ("in the first half-year of 2021", date(2021, 1, 1), date(2021, 6, 30)),
    ("Q2 2019", date(2019, 4, 1), date(2019, 6, 30)),
    ("2Q19", date(2019, 4, 1), date(2019, 6, 30)),
    ("2Q'21", date(2021, 4, 1), date(2021, 6, 30)),
    ("Q2'19", date(2019, 4, 1), date(2019, 6, 30)),
    ("Q1/2023", date(2023, 1, 1), date(2023, 3, 31)),
    ("Q3 of 2022", date(2022, 7, 1), date(2022, 9, 30)),
    ("2019 Q2", date(2019, 4, 1), date(2019, 6, 30)),
    ("second quarter of 2019", date(2019, 4, 1), date(2019, 6, 30)),
    ("the final quarter of 2020", date(2020, 10, 1), date(2020, 12, 31)),
    ("the last quarter of 2020", date(2020, 10, 1), date(2020, 12, 31)),
    ("the first three quarters of 2022", date(2022, 1, 1), date(2022, 9, 30)),
    ("1Q-3Q 2023", date(2023, 1, 1), date(2023, 9, 30)),
    ("the 2010s", date(2010, 1, 1), date(2019, 12, 31)),
    ("2015-20", date(2015, 1, 1), date(2020, 12, 31)),
    # reporting periods named by their last day
    ("the six months ended 30 June 2021", date(2021, 1, 1), date(2021, 6, 30)),
    ("the nine months to September 2023", date(2023, 1, 1), date(2023, 9, 30)),
    ("the nine months ended September 30, 2022", date(2022, 1, 1), date(2022, 9, 30)),
    ("the first half-year ended 30 June 2022", date(2022, 1, 1), date(2022, 6, 30)),
    ("the year ended 31 March 2022", date(2021, 4, 1), date(2022, 3, 31)),
    ("the fiscal year ended June 30, 2022", date(2021, 7, 1), date(2022, 6, 30)),
    ("the 12 months to 15 March 2024", date(2023, 3, 16), date(2024, 3, 15)),
    ("the quarter ended 31 March 2024", date(2024, 1, 1), date(2024, 3, 31)),
    # fiscal years: the calendar year (Kazakhstan's rule)
    ("FY2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("FY 2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("FY21", date(2021, 1, 1), date(2021, 12, 31)),
    ("fiscal 2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("fiscal year 2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("the 2021 financial year", date(2021, 1, 1), date(2021, 12, 31)),
    ("full-year 2022", date(2022, 1, 1), date(2022, 12, 31)),
    ("Q1 FY2023", date(2023, 1, 1), date(2023, 3, 31)),
    ("H1 FY22", date(2022, 1, 1), date(2022, 6, 30)),
    ("FY2021-FY2025", date(2021, 1, 1), date(2025, 12, 31)),
    # marketing years: July to June
    ("2019/20 season", date(2019, 7, 1), date(2020, 6, 30)),
    ("the 2019/20 marketing year", date(2019, 7, 1), date(2020, 6, 30)),
    ("MY 2019/20", date(2019, 7, 1), date(2020, 6, 30)),
    ("MY2019/20", date(2019, 7, 1), date(2020, 6, 30)),
    ("2019/2020 season", date(2019, 7, 1), date(2020, 6, 30)),
    ("the 2019-20 grain season", date(2019, 7, 1), date(2020, 6, 30)),
    ("2019/20 crop year", date(2019, 7, 1), date(2020, 6, 30)),
    ("1999/00 season", date(1999, 7, 1), date(2000, 6, 30)),
    ("the first ten months of 2019/20 MY", date(2019, 7, 1), date(2020, 4, 30)),
    ("July-May of 2020/21 MY", date(2020, 7, 1), date(2021, 5, 31)),
    ("September-December of 2020/21 MY", date(2020, 9, 1), date(2020, 12, 31)),
    ("February-April of 2020/21 MY", date(2021, 2, 1), date(2021, 4, 30)),
    ("the first half of the 2020/21 season", date(2020, 7, 1), date(2020, 12, 31)),
    # split years whose months are written out
    ("April-March 2021-22", date(2021, 4, 1), date(2022, 3, 31)),
    ("October-September 2021/22", date(2021, 10, 1), date(2022, 9, 30)),
    ("April 2021 - March 2022", date(2021, 4, 1), date(2022, 3, 31)),
]


@pytest.mark.parametrize(("text", "start", "end"), PARTS_OF_YEARS)
def test_parse_period_reads_part_of_year(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end, text)


@pytest.mark.parametrize(("text", "start", "end"), PARTS_OF_YEARS)
def test_parse_period_reads_part_of_year_alike_with_reference(
    text: str, start: date, end: date
) -> None:
    assert parse_period(text, reference=CLAIMED) == Period(start, end, text)


# text, start, end: read relative to CLAIMED (2026-05-28, a Thursday); spans counted from it
# are whole calendar units before or after the one it falls in (test_period_counts.py)
FROM_CLAIM: list[tuple[str, date | None, date | None]] = [
    ("over the last three years", date(2023, 1, 1), date(2025, 12, 31)),
    ("in the past five years", date(2021, 1, 1), date(2025, 12, 31)),
    ("the past 3 years", date(2023, 1, 1), date(2025, 12, 31)),
    ("over the previous two decades", date(2006, 1, 1), date(2025, 12, 31)),
    ("in the past decade", date(2016, 1, 1), date(2025, 12, 31)),
    ("over the past year", date(2025, 1, 1), date(2025, 12, 31)),
    ("in the last year", date(2025, 1, 1), date(2025, 12, 31)),
    ("the last 12 months", date(2025, 5, 1), date(2026, 4, 30)),
    ("the past six months", date(2025, 11, 1), date(2026, 4, 30)),
    ("the past two quarters", date(2025, 10, 1), date(2026, 3, 31)),
    ("the last two weeks", date(2026, 5, 11), date(2026, 5, 24)),
    ("the past 30 days", date(2026, 4, 28), date(2026, 5, 27)),
    ("over the next five years", date(2027, 1, 1), date(2031, 12, 31)),
    ("in the coming three years", date(2027, 1, 1), date(2029, 12, 31)),
    ("the next 12 months", date(2026, 6, 1), date(2027, 5, 31)),
    ("the next 10 days", date(2026, 5, 29), date(2026, 6, 7)),
    ("since 2010", date(2010, 1, 1), CLAIMED),
    ("since the beginning of the year", date(2026, 1, 1), CLAIMED),
    ("since the start of 2023", date(2023, 1, 1), CLAIMED),
    ("since January", date(2026, 1, 1), CLAIMED),
    ("so far this year", date(2026, 1, 1), CLAIMED),
    ("year to date", date(2026, 1, 1), CLAIMED),
    ("in the year to date", date(2026, 1, 1), CLAIMED),
    ("last year", date(2025, 1, 1), date(2025, 12, 31)),
    ("next year", date(2027, 1, 1), date(2027, 12, 31)),
    ("in the coming year", date(2027, 1, 1), date(2027, 12, 31)),
    ("the following year", date(2027, 1, 1), date(2027, 12, 31)),
    ("by 2030", CLAIMED, date(2030, 12, 31)),
    ("by the yearend", CLAIMED, date(2026, 12, 31)),
    ("the first four months of this year", date(2026, 1, 1), date(2026, 4, 30)),
    ("in the first four months of the current year", date(2026, 1, 1), date(2026, 4, 30)),
    ("January-October this year", date(2026, 1, 1), date(2026, 10, 31)),
    ("in January and February of this year", date(2026, 1, 1), date(2026, 2, 28)),
    ("for January-June last year", date(2025, 1, 1), date(2025, 6, 30)),
    ("Q1 this year", date(2026, 1, 1), date(2026, 3, 31)),
    ("the first half of the year", date(2026, 1, 1), date(2026, 6, 30)),
    ("the second half of last year", date(2025, 7, 1), date(2025, 12, 31)),
    ("the first quarter of next year", date(2027, 1, 1), date(2027, 3, 31)),
    ("the first 3 quarters this year", date(2026, 1, 1), date(2026, 9, 30)),
    ("the six months ended 31 March", date(2025, 10, 1), date(2026, 3, 31)),
]


@pytest.mark.parametrize(("text", "start", "end"), FROM_CLAIM)
def test_parse_period_counts_from_claim_date(
    text: str, start: date | None, end: date | None
) -> None:
    assert parse_period(text, reference=CLAIMED) == Period(start, end, text)


@pytest.mark.parametrize(
    "text",
    [
        "over the last three years",
        "the next five years",
        "the past decade",
        "the first four months of this year",
        "January-October this year",
        "since the beginning of the year",
    ],
)
def test_parse_period_needs_reference_for_span_from_claim(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text)

    assert caught.value.code == "needs_reference_date"


# text, message: a split year or a two-digit suffix that has two readings is refused
AMBIGUOUS: list[tuple[str, str]] = [
    (
        "2019/20",
        "'2019/20' spans two years and does not say which year it is: a marketing year runs "
        "July to June (write '2019/20 marketing year' or '2019/20 season'); a fiscal year "
        "starts in a month that differs by country (write its months, e.g. "
        "'April 2019 - March 2020')",
    ),
    (
        "2019/2020",
        "'2019/2020' spans two years and does not say which year it is: a marketing year runs "
        "July to June (write '2019/20 marketing year' or '2019/20 season'); a fiscal year "
        "starts in a month that differs by country (write its months, e.g. "
        "'April 2019 - March 2020')",
    ),
    (
        "in 2019-20",
        "'in 2019-20' spans two years and does not say which year it is: a marketing year "
        "runs July to June (write '2019/20 marketing year' or '2019/20 season'); a fiscal year "
        "starts in a month that differs by country (write its months, e.g. "
        "'April 2019 - March 2020')",
    ),
    (
        "FY2021/22",
        "'FY2021/22' is a fiscal year across two calendar years, and the month it starts in "
        "differs by country (April in India, the UK and Japan; July in Australia and "
        "Pakistan); write its months, e.g. 'April 2021 - March 2022' or "
        "'the year ended 31 March 2022'",
    ),
    (
        "FY 2021-22",
        "'FY 2021-22' is a fiscal year across two calendar years, and the month it starts in "
        "differs by country (April in India, the UK and Japan; July in Australia and "
        "Pakistan); write its months, e.g. 'April 2021 - March 2022' or "
        "'the year ended 31 March 2022'",
    ),
    (
        "fiscal 2021/22",
        "'fiscal 2021/22' is a fiscal year across two calendar years, and the month it starts "
        "in differs by country (April in India, the UK and Japan; July in Australia and "
        "Pakistan); write its months, e.g. 'April 2021 - March 2022' or "
        "'the year ended 31 March 2022'",
    ),
    (
        "2021-22 fiscal year",
        "'2021-22 fiscal year' is a fiscal year across two calendar years, and the month it "
        "starts in differs by country (April in India, the UK and Japan; July in Australia and "
        "Pakistan); write its months, e.g. 'April 2021 - March 2022' or "
        "'the year ended 31 March 2022'",
    ),
    (
        "2008-09",
        "'2008-09' is either September 2008 (year-month), a split year (write "
        "'2008/09 season') or the years 2008 to 2009; write 'September 2008' or '2008-2009'",
    ),
    (
        "2003-07",
        "'2003-07' is either July 2003 (year-month) or the years 2003 to 2007; "
        "write 'July 2003' or '2003-2007'",
    ),
    (
        "January-March 2021/22",
        "'January-March 2021/22' names months of a year that spans two calendar years without "
        "saying in which of the two they fall; write the years, e.g. "
        "'January 2021 - March 2021' or 'January 2022 - March 2022'",
    ),
]


@pytest.mark.parametrize(("text", "message"), AMBIGUOUS)
def test_parse_period_refuses_period_with_two_readings(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=CLAIMED)

    assert (caught.value.code, caught.value.message) == ("ambiguous_period", message)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2008-09", date(2008, 9, 1), date(2008, 9, 30)),
        ("2003-07", date(2003, 7, 1), date(2003, 7, 31)),
        ("2024-05", date(2024, 5, 1), date(2024, 5, 31)),
    ],
)
def test_parse_period_reads_year_month_of_data_file_as_month(
    text: str, start: date, end: date
) -> None:
    assert parse_period(text, iso_months=True) == Period(start, end, text)


@pytest.mark.parametrize("text", ["2019/20", "FY2021/22"])
def test_parse_period_refuses_split_year_of_data_file(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, iso_months=True)

    assert caught.value.code == "ambiguous_period"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13M 2022", "'13M 2022' counts more months than its period has"),
        (
            "the first 13 months of 2023",
            "'the first 13 months of 2023' counts more months than its period has",
        ),
        ("0M 2022", "'0M 2022' counts no months"),
        ("the first 0 months of 2023", "'the first 0 months of 2023' counts no months"),
        ("0 months ended 30 June 2021", "'0 months ended 30 June 2021' counts no months"),
        (
            "the first two months of 15 May 2024",
            "'the first two months of 15 May 2024' counts more months than its period has",
        ),
        ("2019/21 season", "could not read a period in '2019/21 season'"),
        ("over the past 0 years", "'over the past 0 years' counts no time"),
        ("in recent years", "could not read a period in 'in recent years'"),
        ("over the past few years", "could not read a period in 'over the past few years'"),
        ("the same period last year", "could not read a period in 'the same period last year'"),
        ("Q5 19", "could not read a period in 'Q5 19'"),
        ("2019/23", "could not read a period in '2019/23'"),
    ],
)
def test_parse_period_refuses_unreadable_part(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=CLAIMED)

    assert (caught.value.code, caught.value.message) == ("unreadable_period", message)


@pytest.mark.parametrize(
    ("text", "year"),
    [("FY68", 2068), ("FY69", 1969), ("9M99", 1999), ("2Q00", 2000)],
)
def test_parse_period_reads_two_digit_year_as_python_does(text: str, year: int) -> None:
    period = parse_period(text)

    assert period is not None and period.start is not None
    assert period.start.year == year


def test_parse_period_refuses_trailing_span_before_calendar() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("the past five years", reference=date(3, 1, 1))

    assert caught.value.code == "period_outside_calendar"


def test_parse_period_refuses_span_ahead_past_calendar() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("the next 5 days", reference=date(9999, 12, 30))

    assert caught.value.code == "period_outside_calendar"


def test_parse_period_refuses_marketing_year_after_calendar() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("9999/00 season")

    assert caught.value.code == "period_outside_calendar"
