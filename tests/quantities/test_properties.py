"""Properties of reading figures that must hold for every number, not just the examples."""

import calendar
from datetime import MAXYEAR, date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.quantities import (
    Bound,
    Interval,
    Period,
    QuantityError,
    convert,
    parse_period,
    parse_quantity,
    parse_value,
)
from app.quantities.grouping import GLUED_YEARS

# Deterministic and without an example database, so a run never writes outside the repo's
# folders and always checks the same examples.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150)

SCALES = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "mln": 6,
    "mn": 6,
    "billion": 9,
    "bn": 9,
    "bln": 9,
    "B": 9,
    "trillion": 12,
    "trln": 12,
    "tn": 12,
}


def decimals(places: int, bound: int = 10**9) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=-bound, max_value=bound, places=places, allow_nan=False, allow_infinity=False
    )


def any_decimal(bound: int = 10**9) -> st.SearchStrategy[Decimal]:
    return st.integers(0, 6).flatmap(lambda places: decimals(places, bound))


def refused_as_written(number: Decimal, *, scaled: bool = False) -> bool:
    """Whether the digit-group rule refuses ``number`` written plainly, as ``f"{number:f}"``.

    A whole part that starts with a year and goes on with a digit other than 0 ("2021100") may
    be a year run into a figure; a point before "000" with no scale word ("1.000") may group
    thousands.
    """
    whole, _, fraction = f"{abs(number):f}".partition(".")
    glued = len(whole) > 4 and int(whole[:4]) in GLUED_YEARS and whole[4] != "0"
    zeros = not scaled and fraction == "000" and len(whole) <= 3 and whole[0] != "0"
    return glued or zeros


def half_unit(number: Decimal) -> Decimal:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


@PROPERTY
@given(any_decimal())
def test_parse_quantity_reads_plain_decimal_as_itself(number: Decimal) -> None:
    if refused_as_written(number):
        with pytest.raises(QuantityError) as refused:
            parse_quantity(f"{number:f}")
        assert refused.value.code == "ambiguous_number"
        return
    quantity = parse_quantity(f"{number:f}")

    assert quantity.value == number
    assert quantity.low == number - half_unit(number)
    assert quantity.high == number + half_unit(number)


@PROPERTY
@given(any_decimal())
def test_parse_quantity_reads_grouped_decimal_as_itself(number: Decimal) -> None:
    assert parse_quantity(f"{number:,f}").value == number


# Marks that group thousands: comma, spaces (plain, thin, narrow no-break, no-break), apostrophes.
GROUPING_MARKS = [",", " ", "\u2009", "\u202f", "\u00a0", "'", "\u2019", "."]


@PROPERTY
@given(st.integers(0, 10**15), st.sampled_from(GROUPING_MARKS), st.sampled_from(["", " t", "$"]))
def test_parse_quantity_reads_an_integer_grouped_by_any_mark_as_itself(
    number: int, mark: str, unit: str
) -> None:
    # One point alone before three digits is a decimal point ("1.234"); two group thousands.
    assume(mark != "." or number >= 10**6)
    written = f"{number:,}".replace(",", mark)
    quantity = parse_quantity(f"${written}" if unit == "$" else f"{written}{unit}")

    assert (quantity.value, quantity.low) == (Decimal(number), number - Decimal("0.5"))


@PROPERTY
@given(
    st.integers(0, 10**12),
    st.from_regex(r"[0-9]{1,3}", fullmatch=True),
    st.sampled_from([".", " ", "\u00a0", "'"]),
)
def test_parse_quantity_reads_a_decimal_comma_after_any_grouping(
    whole: int, fraction: str, mark: str
) -> None:
    # Three digits after a comma are decimals only when the number's grouping says so.
    assume(len(fraction) < 3 or whole >= 1000)
    written = f"{whole:,}".replace(",", mark) + f",{fraction}"

    assert parse_quantity(written).value == Decimal(f"{whole}.{fraction}")


@PROPERTY
@given(any_decimal(10**6).map(abs), st.sampled_from(sorted(SCALES)))
def test_parse_quantity_multiplies_scale_word_exactly(number: Decimal, word: str) -> None:
    assume(not refused_as_written(number, scaled=True))
    quantity = parse_quantity(f"{number:f} {word}")

    assert quantity.value == number.scaleb(SCALES[word])
    assert quantity.high == (number + half_unit(number)).scaleb(SCALES[word])


@PROPERTY
@given(st.integers(1, 10**9))
def test_parse_quantity_reads_millions_as_billions(millions: int) -> None:
    assume(not refused_as_written(Decimal(millions).scaleb(-3), scaled=True))
    as_millions = parse_quantity(f"{millions:,} million USD")
    as_billions = parse_quantity(f"${Decimal(millions).scaleb(-3):f} billion")

    assert as_millions.value == as_billions.value == Decimal(millions) * 10**6


@PROPERTY
@given(
    any_decimal(10**6),
    st.sampled_from(["", "about ", "around ", "approximately ", "roughly ", "some ", "~"]),
    st.sampled_from(["", "$", "€", "KZT "]),
    st.sampled_from(["", " billion", "bn", " million", " thousand"]),
)
def test_parse_quantity_interval_contains_stated_value(
    number: Decimal, qualifier: str, currency: str, scale: str
) -> None:
    assume(not refused_as_written(number, scaled=bool(scale)))
    quantity = parse_quantity(f"{qualifier}{currency}{number:f}{scale}")

    assert quantity.interval.contains(quantity.value)
    assert quantity.low is not None
    assert quantity.high is not None
    assert quantity.low < quantity.value < quantity.high


@PROPERTY
@given(any_decimal(10**6), any_decimal(10**6), st.sampled_from(["", " km", "%", " bn USD"]))
def test_parse_quantity_range_holds_both_ends_and_midpoint(
    a: Decimal, b: Decimal, unit: str
) -> None:
    assume(not refused_as_written(a) and not refused_as_written(b))
    low, high = min(a, b), max(a, b)
    quantity = parse_quantity(f"from {low:f} to {high:f}{unit}")
    plain = parse_quantity(f"{high:f}{unit}").value / high if high else None

    assert quantity.bound is Bound.RANGE
    assert quantity.low is not None
    assert quantity.high is not None
    assert quantity.low <= quantity.value <= quantity.high
    assert quantity.interval.contains(quantity.value)
    if plain is not None:
        assert quantity.low == low * plain
        assert quantity.high == high * plain


@PROPERTY
@given(
    any_decimal(10**6),
    st.sampled_from(
        [
            ("more than ", Bound.MORE_THAN),
            ("over ", Bound.MORE_THAN),
            ("at least ", Bound.AT_LEAST),
            ("up to ", Bound.AT_MOST),
            ("at most ", Bound.AT_MOST),
            ("less than ", Bound.LESS_THAN),
            ("under ", Bound.LESS_THAN),
        ]
    ),
)
def test_parse_quantity_leaves_open_side_unbounded(
    number: Decimal, qualifier: tuple[str, Bound]
) -> None:
    assume(not refused_as_written(number))
    words, bound = qualifier
    quantity = parse_quantity(f"{words}{number:f} km")

    assert quantity.bound is bound
    if bound in (Bound.MORE_THAN, Bound.AT_LEAST):
        assert (quantity.low, quantity.high) == (number, None)
        assert quantity.interval.low_open is (bound is Bound.MORE_THAN)
    else:
        assert (quantity.low, quantity.high) == (None, number)
        assert quantity.interval.high_open is (bound is Bound.LESS_THAN)


@PROPERTY
@given(any_decimal(10**6), st.sampled_from(["km", "miles", "tonnes", "USD", "%", "GWh"]))
def test_parse_value_agrees_with_parse_quantity(number: Decimal, unit: str) -> None:
    assume(not refused_as_written(number))
    assert parse_value(number, unit) == parse_value(f"{number:f}", unit)
    from_text = parse_quantity(f"{number:f} {unit}")
    from_value = parse_value(number, unit)

    assert (from_value.value, from_value.unit, from_value.interval) == (
        from_text.value,
        from_text.unit,
        from_text.interval,
    )


@PROPERTY
@given(any_decimal(10**6), st.sampled_from(["miles", "m", "kg", "kWh", "hectares", "barrels"]))
def test_convert_round_trips_exactly(number: Decimal, unit: str) -> None:
    canonical = parse_value(number, unit).unit

    assert convert(convert(number, unit, canonical), canonical, unit) == number


def intervals() -> st.SearchStrategy[Interval]:
    ends = st.one_of(st.none(), st.integers(-20, 20).map(Decimal))

    def build(low: Decimal | None, high: Decimal | None, lo: bool, hi: bool) -> Interval:
        if low is not None and high is not None:
            low, high = min(low, high), max(low, high)
            if low == high:
                lo = hi = False
        return Interval(low, high, lo, hi)

    return st.builds(build, ends, ends, st.booleans(), st.booleans())


@PROPERTY
@given(intervals(), intervals(), st.integers(-42, 42).map(lambda n: Decimal(n) / 2))
def test_intersects_agrees_with_shared_points(a: Interval, b: Interval, x: Decimal) -> None:
    assert a.intersects(b) is b.intersects(a)
    if a.contains(x) and b.contains(x):
        assert a.intersects(b)
    shared = a.intersection(b)
    if shared is not None:
        assert shared.contains(x) is (a.contains(x) and b.contains(x))


# Every shape of period the parser reads, with {y} a year and {m} a month number; relative
# ones count from the claim's date, which may be any day of the calendar.
PERIOD_SHAPES = [
    *("{y}", "{y}-Q{q}", "Q{q} {y}", "{y}-H{h}", "{y}-{m:02d}", "{y}-{m:02d}-{d:02d}"),
    *("{d}.{m}.{y}", "May {y}", "Jan-Oct {y}", "May 25-31 {y}", "{y}-{y2}", "{y}/{y2}"),
    *("to {y}", "by the end of {y}", "before {y}", "before {y}-{m:02d}-{d:02d}", "since {y}"),
    *("end of {y}", "{y} year-end", "this year", "last year", "next year", "this quarter"),
    *("last quarter", "next quarter", "this month", "last month", "next month", "ytd"),
    *("year-end", "by end of year", "1 June", "in May", "end of next year", "to next year"),
    *("since last year", "before next month", "Jan-next month", "between 2020 and next year"),
    *("FY{y}", "{y}/{y2} season", "the first {m} months of {y}", "{m}M {y}", "2Q{d:02d}"),
    *("over the past {d} years", "the next {m} months", "the {m} months ended {d} May {y}"),
    *("the first half of {y}/{y2} MY", "Jan-Mar {y}/{y2}", "the past {d} days", "{y}/{y2}"),
]

# Anywhere in date.min..date.max, with the first and last years drawn as often as the rest.
calendar_days = st.one_of(
    st.dates(min_value=date.min, max_value=date.max),
    st.dates(min_value=date.min, max_value=date(2, 12, 31)),
    st.dates(min_value=date(MAXYEAR - 1, 1, 1), max_value=date.max),
    st.sampled_from([date.min, date.max]),
)
years = st.one_of(st.integers(0, MAXYEAR), st.sampled_from([0, 1, 2, MAXYEAR - 1, MAXYEAR]))


CALENDAR = "(0001-01-01 to 9999-12-31)"


def read_or_refusal(text: str, said_on: date) -> Period | QuantityError | None:
    try:
        return parse_period(text, reference=said_on)
    except QuantityError as exc:
        return exc


@PROPERTY
@given(
    st.sampled_from(PERIOD_SHAPES),
    years,
    years,
    st.integers(1, 12),
    st.integers(1, 31),
    calendar_days,
)
def test_parse_period_anywhere_in_calendar_reads_or_refuses(
    shape: str, year: int, year2: int, month: int, day: int, said_on: date
) -> None:
    text = shape.format(
        y=f"{year:04d}", y2=f"{year2:04d}", q=month % 4 + 1, h=month % 2 + 1, m=month, d=day
    )
    period = read_or_refusal(text, said_on)
    if isinstance(period, QuantityError):
        assert period.code in {
            "unreadable_period",
            "inverted_period",
            "period_outside_calendar",
            "ambiguous_period",
        }
        return
    assert period is not None
    assert period.text == text
    if period.start is not None and period.end is not None:
        assert period.start <= period.end


@PROPERTY
@given(calendar_days, st.sampled_from([-1, 0, 1]))
def test_parse_period_relative_year_is_year_of_claim_or_refused(said_on: date, step: int) -> None:
    text = {-1: "last year", 0: "this year", 1: "next year"}[step]
    year = said_on.year + step
    if not 1 <= year <= MAXYEAR:
        with pytest.raises(QuantityError) as refused:
            parse_period(text, reference=said_on)
        assert refused.value.code == "period_outside_calendar"
        assert refused.value.message == f"'{text}' falls outside the calendar {CALENDAR}"
        return
    period = parse_period(text, reference=said_on)
    assert period is not None
    assert (period.start, period.end) == (date(year, 1, 1), date(year, 12, 31))


@PROPERTY
@given(calendar_days, st.sampled_from([-1, 0, 1]), st.sampled_from(["quarter", "month"]))
def test_parse_period_relative_quarter_and_month_hold_their_step(
    said_on: date, step: int, unit: str
) -> None:
    text = {-1: "last", 0: "this", 1: "next"}[step] + f" {unit}"
    months = 3 if unit == "quarter" else 1
    index = said_on.year * 12 + (said_on.month - 1) // months * months + step * months
    year, first_month = divmod(index, 12)
    if not 1 <= year <= MAXYEAR:
        with pytest.raises(QuantityError) as refused:
            parse_period(text, reference=said_on)
        assert refused.value.code == "period_outside_calendar"
        return
    period = parse_period(text, reference=said_on)
    assert period is not None and period.start is not None and period.end is not None
    assert period.start == date(year, first_month + 1, 1)
    assert (period.end.year, period.end.month) == (year, first_month + months)
    assert period.end.day == calendar.monthrange(year, first_month + months)[1]


@PROPERTY
@given(calendar_days, calendar_days)
def test_parse_period_before_a_day_ends_the_day_before_or_is_refused(
    day: date, said_on: date
) -> None:
    text = f"before {day.isoformat()}"
    if day == date.min:
        with pytest.raises(QuantityError) as refused:
            parse_period(text, reference=said_on)
        assert refused.value.code == "period_outside_calendar"
        return
    period = parse_period(text, reference=said_on)
    assert period is not None
    assert period.end == date.fromordinal(day.toordinal() - 1)
    assert period.start == (said_on if said_on <= period.end else None)
