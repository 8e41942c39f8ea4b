"""`q` read once as web-search syntax, and written for each database: FTS5 strings on SQLite
(nothing of the input outside double quotes, nothing inside but letters, digits and spaces), and
`websearch_to_tsquery`'s own syntax on PostgreSQL."""

import pytest

from app.claims.search import parse, to_fts5, to_websearch
from app.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("q", "fts5", "websearch"),
    [
        ("China trade", '("China" AND "trade")', "China trade"),
        (
            '"trade with China" -EU or coal',
            '(("trade with China") NOT ("EU")) OR ("coal")',
            '"trade with China" -EU or coal',
        ),
        (
            "China's state-of-the-art",
            '("China" AND ("state" AND "art"))',
            "China's state-of-the-art",
        ),
        (
            'NEAR(rail* ^freight) "unmatched',
            '(("NEAR" AND "rail") AND "freight" AND "unmatched")',
            'NEAR(rail* ^freight) "unmatched"',
        ),
        ('--rail - coal -"x y" or or OR', '(("coal") NOT ("rail" OR "x y"))', '-rail coal -"x y"'),
        ("the coal *** ()", '("coal")', "coal"),
    ],
)
def test_query_is_written_for_each_database(q: str, fts5: str, websearch: str) -> None:
    query = parse(q)
    assert (to_fts5(query), to_websearch(query)) == (fts5, websearch)


@pytest.mark.parametrize("q", ["", "   ", '"', "the and of", "-coal", "coal or -oil", "or", "-"])
def test_query_without_a_word_to_find_is_refused(q: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(q)
    assert refused.value.field == "q"
