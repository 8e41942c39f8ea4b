"""The conflict key: which claims are compared at all, and its SQL (the same columns, in the
same order, as its Python form)."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import bindparam
from sqlalchemy.dialects import sqlite

from app.quantities import Interval
from app.review.conflict_key import (
    KEY_COLUMNS,
    comparison_key,
    key,
    key_start,
    key_values,
    keys_json,
    kinds_compared,
    moved_key,
    on_key,
    on_key_text,
)
from app.review.rules import Figure

YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def claim(
    kind: str = "actual",
    *,
    entity: int = 3,
    metric: int = 5,
    period: tuple[date | None, date | None] = YEAR,
    figure_type: str = "level",
) -> Figure:
    start, end = period
    return Figure(
        1, entity, metric, start, end, kind, None, "USD", "money", Interval(None, None), figure_type
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("actual", "estimate", True),
        ("projection", "projection", True),
        ("target", "commitment", True),
        ("actual", "projection", False),
        ("estimate", "target", False),
        ("projection", "commitment", False),
    ],
)
def test_key_is_shared_by_kinds_of_one_class(a: str, b: str, same: bool) -> None:
    assert (key(claim(a)) == key(claim(b))) is same
    assert (comparison_key(claim(a)) == comparison_key(claim(b))) is same


@pytest.mark.parametrize(
    "other",
    [
        claim(entity=4),
        claim(metric=6),
        claim(period=(date(2024, 7, 1), YEAR[1])),
        claim(period=(YEAR[0], date(2024, 6, 30))),
        claim(period=(None, YEAR[1])),
        claim(period=(YEAR[0], None)),
        claim(period=(None, None)),
        claim(figure_type="change"),
        claim(figure_type="multiple"),
        claim(figure_type="share"),
    ],
    ids=[
        *("entity", "metric", "start", "end", "no start", "no end", "no period"),
        *("change", "multiple", "share"),
    ],
)
def test_key_is_not_shared_across_entity_metric_period_or_figure_type(other: Figure) -> None:
    assert key(claim()) != key(other)
    assert comparison_key(claim()) != comparison_key(other)


def test_comparison_key_writes_entity_metric_period_and_kind_class() -> None:
    assert [
        comparison_key(claim("estimate")),
        comparison_key(claim("commitment", period=(None, None))),
        comparison_key(claim("target", period=(None, date(2030, 12, 31)))),
        comparison_key(claim("projection", period=(YEAR[0], None))),
        comparison_key(claim("estimate", figure_type="change")),
        comparison_key(claim("target", period=(None, None), figure_type="share")),
    ] == [
        "3:5:2024-01-01:2024-12-31:observed",
        "3:5:-:-:goal",
        "3:5:-:2030-12-31:goal",
        "3:5:2024-01-01:-:forecast",
        # a level's key names no figure type: the keys of flags opened before them hold
        "3:5:2024-01-01:2024-12-31:observed:change",
        "3:5:-:-:goal:share",
    ]


def test_kinds_compared_are_the_kind_classes_of_the_claims() -> None:
    assert kinds_compared([claim("actual")]) == ["actual", "estimate"]
    assert kinds_compared([claim("target"), claim("projection")]) == [
        "commitment",
        "projection",
        "target",
    ]


def test_on_key_reads_every_column_and_none_as_null() -> None:
    dated = on_key(bindparam("e"), bindparam("m"), bindparam("s"), bindparam("t"), "level")
    undated = on_key(1, 2, None, None, "change")
    assert str(dated.compile(dialect=sqlite.dialect())) == (
        "claims.entity_id = ? AND claims.metric_id = ? "
        "AND claims.period_start = ? AND claims.period_end = ? AND claims.figure_type = ?"
    )
    assert str(undated.compile(dialect=sqlite.dialect())) == (
        "claims.entity_id = ? AND claims.metric_id = ? "
        "AND claims.period_start IS NULL AND claims.period_end IS NULL "
        "AND claims.figure_type = ?"
    )


def test_on_key_of_a_horizon_also_finds_the_periods_that_start_on_the_day_said() -> None:
    horizon = on_key(1, 2, None, date(2030, 12, 31), "level")
    assert str(horizon.compile(dialect=sqlite.dialect())) == (
        "claims.entity_id = ? AND claims.metric_id = ? "
        "AND (claims.period_start IS NULL OR claims.period_from_said IS 1) "
        "AND claims.period_end = ? AND claims.figure_type = ?"
    )


def test_on_key_text_and_keys_json_name_the_same_columns() -> None:
    assert on_key_text("c", lambda name: f":{name}") == (
        "c.entity_id = :entity_id AND c.metric_id = :metric_id "
        "AND c.period_start = :period_start AND c.period_end = :period_end "
        "AND c.figure_type = :figure_type"
    )
    assert keys_json([(1, 2, date(2024, 1, 1), date(2024, 12, 31), "change")]) == (
        '[{"entity_id":1,"metric_id":2,"period_start":"2024-01-01","period_end":"2024-12-31",'
        '"figure_type":"change"}]'
    )


def test_key_values_are_the_claims_values_of_the_columns_sql_reads() -> None:
    c = claim(figure_type="multiple")
    names = [name for name, _ in KEY_COLUMNS]
    assert names == ["entity_id", "metric_id", "period_start", "period_end", "figure_type"]
    assert key_values(c) == tuple(getattr(c, name) for name in names) == (3, 5, *YEAR, "multiple")


SAID = date(2026, 5, 28)


@pytest.mark.parametrize(
    ("period", "from_said", "start"),
    [
        ((SAID, date(2030, 12, 31)), True, None),  # "to 2030", said that day: the horizon
        ((SAID, date(2030, 12, 31)), False, SAID),  # "28 May 2026 - 2030": a start written
        ((date(2024, 1, 1), date(2024, 12, 31)), False, date(2024, 1, 1)),  # "2024"
        ((None, date(2030, 12, 31)), False, None),  # "by 2030" said after it
    ],
)
def test_key_start_drops_the_day_a_horizon_was_said(
    period: tuple[date | None, date | None], from_said: bool, start: date | None
) -> None:
    assert key_start(replace(claim(period=period), period_from_said=from_said)) == start


def test_a_horizon_said_on_two_days_has_one_key() -> None:
    may = replace(claim("target", period=(SAID, date(2030, 12, 31))), period_from_said=True)
    june = replace(
        claim("commitment", period=(date(2026, 6, 2), date(2030, 12, 31))),
        period_from_said=True,
    )
    assert comparison_key(may) == comparison_key(june) == "3:5:-:2030-12-31:goal"
    assert key_values(may) == (3, 5, None, date(2030, 12, 31), "level")


def test_moved_key_replaces_the_entity_or_the_metric_and_keeps_the_rest() -> None:
    group = "3:5:-:2030-12-31:goal:share"
    assert moved_key(group, entity_id=7) == "7:5:-:2030-12-31:goal:share"
    assert moved_key(group, metric_id=9) == "3:9:-:2030-12-31:goal:share"
    assert moved_key(group, entity_id=7, metric_id=9) == "7:9:-:2030-12-31:goal:share"
    assert moved_key(group) == group
