"""Relative figures: a change, a multiple or a share is read as one, never as a level, and the
words that cannot tell are refused."""

from decimal import Decimal

import pytest

from app.quantities import (
    Bound,
    FigureType,
    QuantityError,
    for_metric,
    in_metric_unit,
    parse_quantity,
    parse_value,
)

LEVEL, CHANGE = FigureType.LEVEL, FigureType.CHANGE
MULTIPLE, SHARE = FigureType.MULTIPLE, FigureType.SHARE
EXACT, APPROX, RANGE = Bound.EXACT, Bound.APPROX, Bound.RANGE
MORE_THAN, LESS_THAN = Bound.MORE_THAN, Bound.LESS_THAN

# text, figure type, value, unit, bound, low, high (None: unbounded)
RELATIVE: list[tuple[str, FigureType, str, str, Bound, str | None, str | None]] = [
    # multiples: a factor; a word that names one stands for X within 5 %
    ("doubled", MULTIPLE, "2", "factor", EXACT, "1.9", "2.1"),
    ("tripled", MULTIPLE, "3", "factor", EXACT, "2.85", "3.15"),
    ("quadrupled", MULTIPLE, "4", "factor", EXACT, "3.8", "4.2"),
    ("halved", MULTIPLE, "0.5", "factor", EXACT, "0.475", "0.525"),
    ("more than doubled", MULTIPLE, "2", "factor", MORE_THAN, "2", None),
    ("nearly tripled", MULTIPLE, "3", "factor", APPROX, "2.85", "3"),
    ("sixfold", MULTIPLE, "6", "factor", EXACT, "5.5", "6.5"),
    ("six-fold", MULTIPLE, "6", "factor", EXACT, "5.5", "6.5"),
    ("2.4-fold", MULTIPLE, "2.4", "factor", EXACT, "2.35", "2.45"),
    ("a sixfold increase", MULTIPLE, "6", "factor", EXACT, "5.5", "6.5"),
    ("2.4 times", MULTIPLE, "2.4", "factor", EXACT, "2.35", "2.45"),
    ("2.4x", MULTIPLE, "2.4", "factor", EXACT, "2.35", "2.45"),
    ("3x", MULTIPLE, "3", "factor", EXACT, "2.5", "3.5"),
    ("2.4\u00d7", MULTIPLE, "2.4", "factor", EXACT, "2.35", "2.45"),
    ("grew three times", MULTIPLE, "3", "factor", EXACT, "2.5", "3.5"),
    ("increased by 3 times", MULTIPLE, "3", "factor", EXACT, "2.5", "3.5"),
    ("3 times as much", MULTIPLE, "3", "factor", EXACT, "2.5", "3.5"),
    # "N times more" is N times as much, as the region's (translated) news means it
    ("three times more", MULTIPLE, "3", "factor", EXACT, "2.5", "3.5"),
    ("2.4 times higher", MULTIPLE, "2.4", "factor", EXACT, "2.35", "2.45"),
    ("twice more", MULTIPLE, "2", "factor", EXACT, "1.5", "2.5"),
    ("rose 2-3 times", MULTIPLE, "2.5", "factor", RANGE, "2", "3"),
    # changes in percent; a fall is negative, its interval and bound turned about zero
    ("rose by 38 per cent", CHANGE, "38", "percent", EXACT, "37.5", "38.5"),
    ("increased 38%", CHANGE, "38", "percent", EXACT, "37.5", "38.5"),
    ("a 38% increase", CHANGE, "38", "percent", EXACT, "37.5", "38.5"),
    ("an increase of 38%", CHANGE, "38", "percent", EXACT, "37.5", "38.5"),
    ("up 12% year-on-year", CHANGE, "12", "percent", EXACT, "11.5", "12.5"),
    ("up 12% from a year earlier", CHANGE, "12", "percent", EXACT, "11.5", "12.5"),
    ("rose 12% from 2022", CHANGE, "12", "percent", EXACT, "11.5", "12.5"),
    ("rose 0.6% m/m", CHANGE, "0.6", "percent", EXACT, "0.55", "0.65"),
    ("fell 12%", CHANGE, "-12", "percent", EXACT, "-12.5", "-11.5"),
    ("down 12%", CHANGE, "-12", "percent", EXACT, "-12.5", "-11.5"),
    ("decreased by 12 percent", CHANGE, "-12", "percent", EXACT, "-12.5", "-11.5"),
    ("12% lower", CHANGE, "-12", "percent", EXACT, "-12.5", "-11.5"),
    ("a decline of 12%", CHANGE, "-12", "percent", EXACT, "-12.5", "-11.5"),
    ("fell by more than 12%", CHANGE, "-12", "percent", LESS_THAN, None, "-12"),
    ("fell by almost 12%", CHANGE, "-12", "percent", APPROX, "-12", "-11.4"),
    ("fell 5-7%", CHANGE, "-6", "percent", RANGE, "-7", "-5"),
    ("rose 5 to 7 percent", CHANGE, "6", "percent", RANGE, "5", "7"),
    ("rose five to seven percent", CHANGE, "6", "percent", RANGE, "5", "7"),
    ("fell by half", CHANGE, "-50", "percent", EXACT, "-52.5", "-47.5"),
    ("rose by a third", CHANGE, "33.33", "percent", EXACT, "31.6635", "34.9965"),
    # changes in percentage points
    ("up 3 percentage points", CHANGE, "3", "pp", EXACT, "2.5", "3.5"),
    ("3 pp", CHANGE, "3", "pp", EXACT, "2.5", "3.5"),
    ("75 basis points", CHANGE, "0.75", "pp", EXACT, "0.745", "0.755"),
    ("cut by 75 basis points", CHANGE, "-0.75", "pp", EXACT, "-0.755", "-0.745"),
    ("a 75 basis point hike", CHANGE, "0.75", "pp", EXACT, "0.745", "0.755"),
    ("raised by 25 bp", CHANGE, "0.25", "pp", EXACT, "0.245", "0.255"),
    ("lowered by 0.5 percentage points", CHANGE, "-0.5", "pp", EXACT, "-0.55", "-0.45"),
    # a change written in the thing's own unit
    ("rose by $5 billion", CHANGE, "5000000000", "USD", EXACT, "4500000000", "5500000000"),
    ("$84.5 million more", CHANGE, "84500000", "USD", EXACT, "84450000", "84550000"),
    # shares: a percent of the whole; a fraction word stands for X within 5 %
    ("a quarter", SHARE, "25", "percent", EXACT, "23.75", "26.25"),
    ("two-fifths", SHARE, "40", "percent", EXACT, "38", "42"),
    ("three quarters", SHARE, "75", "percent", EXACT, "71.25", "78.75"),
    ("half of", SHARE, "50", "percent", EXACT, "47.5", "52.5"),
    ("a third", SHARE, "33.33", "percent", EXACT, "31.6635", "34.9965"),
    ("one in five", SHARE, "20", "percent", EXACT, "19", "21"),
    ("1 out of 4", SHARE, "25", "percent", EXACT, "23.75", "26.25"),
    ("40% of", SHARE, "40", "percent", EXACT, "39.5", "40.5"),
    ("40 per cent of GDP", SHARE, "40", "percent", EXACT, "39.5", "40.5"),
    ("more than half", SHARE, "50", "percent", MORE_THAN, "50", None),
    ("almost a third of", SHARE, "33.33", "percent", APPROX, "31.6635", "33.33"),
    # levels: the verbs that state the level reached, and a bare percent
    ("rose to $44 billion", LEVEL, "44000000000", "USD", EXACT, "43500000000", "44500000000"),
    ("reached $44 billion", LEVEL, "44000000000", "USD", EXACT, "43500000000", "44500000000"),
    ("has reached $5 billion", LEVEL, "5000000000", "USD", EXACT, "4500000000", "5500000000"),
    ("40%", LEVEL, "40", "percent", EXACT, "39.5", "40.5"),
    ("-$2 billion", LEVEL, "-2000000000", "USD", EXACT, "-2500000000", "-1500000000"),
    # a sign before a percent, and "+" before any figure, says it changed
    ("+5.2%", CHANGE, "5.2", "percent", EXACT, "5.15", "5.25"),
    ("-3%", CHANGE, "-3", "percent", EXACT, "-3.5", "-2.5"),
    ("+$2 billion", CHANGE, "2000000000", "USD", EXACT, "1500000000", "2500000000"),
    ("up to 5%", LEVEL, "5", "percent", Bound.AT_MOST, None, "5"),
    ("5% or more", LEVEL, "5", "percent", Bound.AT_LEAST, "5", None),
]


@pytest.mark.parametrize(("text", "kind", "value", "unit", "bound", "low", "high"), RELATIVE)
def test_parse_quantity_reads_relative_figures_with_their_type(
    text: str,
    kind: FigureType,
    value: str,
    unit: str,
    bound: Bound,
    low: str | None,
    high: str | None,
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.figure_type, quantity.value, quantity.unit) == (kind, Decimal(value), unit)
    assert quantity.bound is bound
    assert quantity.low == (None if low is None else Decimal(low))
    assert quantity.high == (None if high is None else Decimal(high))


def test_a_fall_turns_the_open_end_about_zero() -> None:
    interval = parse_quantity("fell by more than 12%").interval

    assert (interval.low_open, interval.high_open) == (False, True)


REFUSED: list[tuple[str, str]] = [
    ("rose from 5 to 7", "two_levels"),
    ("grew from 9.75 percent to 10.25 percent", "two_levels"),
    ("up from 40", "two_levels"),
    ("rose 12% to $5.2 billion", "two_figures"),
    ("fell by 0.2 percentage points to 10.8%", "two_figures"),
    ("rose 12% from $4 billion", "two_figures"),
    ("raised the rate three times this year", "counts_events"),
    ("three times in a row", "counts_events"),
    ("three times", "ambiguous_times"),
    ("3 times", "ambiguous_times"),
    ("twice", "ambiguous_times"),
    ("2-3 times", "ambiguous_times"),
    ("three times less", "ambiguous_multiple"),
    ("2.4 times lower", "ambiguous_multiple"),
    ("twice as low", "ambiguous_multiple"),
    ("fell threefold", "ambiguous_multiple"),
    ("a threefold decrease", "ambiguous_multiple"),
    ("fell -3%", "conflicting_sign"),
    ("up +5%", "conflicting_sign"),
    ("rose by -5 to 7%", "conflicting_sign"),
    ("rose 2 factor", "incompatible_units"),
    # a verb that takes an object is a change only with "by": money raised is no change
    ("raised $5 billion", "unreadable_number"),
    ("cut 5,000 jobs", "unreadable_number"),
    # (the article is read since: the noun "loss" is what is refused)
    ("a $5 billion loss", "unknown_unit"),
    ("5 of the 10", "unknown_unit"),
    ("$5 billion of investment", "unknown_unit"),
    ("index 105.3% of", "incompatible_units"),
]


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_parse_quantity_refuses_what_the_words_cannot_tell(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rose from 5 to 7",
            "'rose from 5 to 7' states two levels, before and after, not a range nor one "
            "change: log each level as a claim for its own period, or the change alone "
            "('rose by ...')",
        ),
        (
            "raised the rate three times this year",
            "'raised the rate three times this year' counts how often something happened "
            "('... times this year'), it is no multiple of a figure: log the figure itself",
        ),
        (
            "three times",
            "'three times' may count events ('three times this year') or be a multiple "
            "('grew three times'): write it as 'tripled', '3x', '3-fold' or 'grew 3 times'",
        ),
    ],
)
def test_parse_quantity_says_why_it_refuses_a_relative_figure(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "default_unit", "kind", "value"),
    [
        # a signed percent of a metric measured in money can only be its change
        ("+5.2%", "USD", CHANGE, "5.2"),
        ("-3%", "t", CHANGE, "-3"),
        ("plus 13pct", "KZT", CHANGE, "13"),
        ("+5.2%", "percent", LEVEL, "5.2"),
        ("-3%", "pp", LEVEL, "-3"),
        ("+$2 billion", "USD", CHANGE, "2000000000"),
        ("-$2 billion", "USD", LEVEL, "-2000000000"),
        ("5.2%", "USD", LEVEL, "5.2"),
        ("rose by 5 billion", "USD", CHANGE, "5000000000"),
        ("105.3%", "percent", LEVEL, "5.3"),
    ],
)
def test_parse_quantity_reads_a_signed_percent_by_the_metric_unit(
    text: str, default_unit: str, kind: FigureType, value: str
) -> None:
    quantity = parse_quantity(text, default_unit=default_unit, index=text == "105.3%")

    assert (quantity.figure_type, quantity.value) == (kind, Decimal(value))


def test_parse_quantity_reads_an_index_of_a_money_metric_as_a_change() -> None:
    quantity = parse_quantity("105.3%", default_unit="USD", index=True)

    assert (quantity.figure_type, quantity.value, quantity.unit) == (
        CHANGE,
        Decimal("5.3"),
        "percent",
    )


@pytest.mark.parametrize(
    ("text", "dimension", "kind"),
    [
        ("40% of", "percent", LEVEL),
        ("a quarter", "percent", LEVEL),
        ("40% of", "money", SHARE),
        ("40% of", None, SHARE),
        ("rose 5%", "percent", CHANGE),
    ],
)
def test_for_metric_reads_a_share_of_a_percent_metric_as_its_level(
    text: str, dimension: str | None, kind: FigureType
) -> None:
    assert for_metric(parse_quantity(text), dimension).figure_type is kind


@pytest.mark.parametrize(
    ("figure_type", "dimension", "expected"),
    [
        ("level", "money", True),
        ("change", "money", True),
        ("change", "percent", False),
        ("change", "pp", False),
        ("multiple", "factor", False),
        ("share", "percent", False),
    ],
)
def test_in_metric_unit_holds_levels_and_changes_in_the_metric_unit(
    figure_type: str, dimension: str, expected: bool
) -> None:
    assert in_metric_unit(figure_type, dimension) is expected


@pytest.mark.parametrize(
    ("value", "unit", "given", "kind"),
    [
        (-12, "%", CHANGE, CHANGE),
        (40, "percent", SHARE, SHARE),
        (40, "percent", None, LEVEL),
        (2, "factor", None, MULTIPLE),
        (Decimal("0.75"), "pp", None, CHANGE),
        (5, "bn USD", CHANGE, CHANGE),
    ],
)
def test_parse_value_takes_the_figure_type_its_unit_allows(
    value: int | Decimal, unit: str, given: FigureType | None, kind: FigureType
) -> None:
    assert parse_value(value, unit, figure_type=given).figure_type is kind


@pytest.mark.parametrize(
    ("unit", "given", "message"),
    [
        ("USD", SHARE, "a value in USD is a level or change, not a share"),
        ("pp", LEVEL, "a value in pp is a change, not a level"),
        ("factor", CHANGE, "a value in factor is a multiple, not a change"),
    ],
)
def test_parse_value_refuses_a_figure_type_its_unit_cannot_carry(
    unit: str, given: FigureType, message: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_value(2, unit, figure_type=given)

    assert (caught.value.code, caught.value.message) == ("incompatible_figure_type", message)
