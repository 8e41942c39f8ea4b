"""The conflict key's SQL: the same columns, in the same order, as its Python form."""

from datetime import date

from sqlalchemy import bindparam
from sqlalchemy.dialects import sqlite

from app.quantities import Interval
from app.review.conflict_key import comparison_key, keys_json, kinds_compared, on_key, on_key_text
from app.review.rules import Figure


def _of_kind(kind: str) -> Figure:
    return Figure(1, 1, 1, None, None, kind, None, "USD", "money", Interval(None, None))


def test_kinds_compared_are_the_kind_classes_of_the_claims() -> None:
    assert kinds_compared([_of_kind("actual")]) == ["actual", "estimate"]
    assert kinds_compared([_of_kind("target"), _of_kind("projection")]) == [
        "commitment",
        "projection",
        "target",
    ]


def test_on_key_reads_every_column_and_none_as_null() -> None:
    dated = on_key(bindparam("e"), bindparam("m"), bindparam("s"), bindparam("t"))
    undated = on_key(1, 2, None, None)
    assert str(dated.compile(dialect=sqlite.dialect())) == (
        "claims.entity_id = ? AND claims.metric_id = ? "
        "AND claims.period_start = ? AND claims.period_end = ?"
    )
    assert str(undated.compile(dialect=sqlite.dialect())) == (
        "claims.entity_id = ? AND claims.metric_id = ? "
        "AND claims.period_start IS NULL AND claims.period_end IS NULL"
    )


def test_on_key_text_and_keys_json_name_the_same_columns() -> None:
    assert on_key_text("c", lambda name: f":{name}") == (
        "c.entity_id = :entity_id AND c.metric_id = :metric_id "
        "AND c.period_start = :period_start AND c.period_end = :period_end"
    )
    assert keys_json([(1, 2, date(2024, 1, 1), date(2024, 12, 31))]) == (
        '[{"entity_id":1,"metric_id":2,"period_start":"2024-01-01","period_end":"2024-12-31"}]'
    )


def test_figure_is_keyed() -> None:
    whole = Interval(None, None)
    f = Figure(1, 3, 4, None, date(2030, 12, 31), "commitment", None, "USD", "money", whole)
    assert comparison_key(f) == "3:4:-:2030-12-31:goal"
