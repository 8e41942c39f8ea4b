"""Full-text search of claims: `q` read once as web-search syntax, then matched against each
database's own index of the claims' text (the revision that made it says what it holds and how
it is kept in step).

The syntax is PostgreSQL's `websearch_to_tsquery`: words (all of them, in any order, any form
of a word: "trades" finds "trade"), `"a phrase"` (those words in that order), `-word` or
`-"a phrase"` (without it), and `or` between alternatives (binding looser than the words
beside it: `coal or oil exports` is coal, or else oil and exports). Anything else is part of a
word, and what has no letter or digit is left out: no input is syntax for the database, so
none can fail there. Common English words ("the", "and", "not": `stopwords.txt`) are not
searched, as PostgreSQL's `english` configuration does not index them. A `q` left without a
word to find is a 422 naming `q`; so is an alternative made only of `-word`s.

PostgreSQL gets the query back in that syntax, as read here; SQLite gets it as FTS5 strings
joined by AND, OR and NOT, each string tokenized by the index's own tokenizer.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from sqlalchemy import (
    Double,
    Integer,
    String,
    Subquery,
    bindparam,
    cast,
    column,
    func,
    literal_column,
)
from sqlalchemy import select as sa_select
from sqlalchemy import table as sa_table
from sqlalchemy.dialects.postgresql import TSVECTOR

from app.core.errors import InvalidInput

INDEX_TABLE = "claim_search"  # the FTS5 table on SQLite; its shadow tables and the documents
DOCUMENTS_TABLE = "claim_search_documents"  # share the prefix


def is_index_table(name: str) -> bool:
    """A table of the search index, kept by the migrations and not in the models' metadata:
    Alembic's comparison and the backup leave it out."""
    return name == INDEX_TABLE or name.startswith(INDEX_TABLE + "_")


@cache
def stop_words() -> frozenset[str]:
    text = files("app.claims").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_TOKEN = re.compile(r"[^\W_]+")  # letters and digits: what both tokenizers index
_WORD = re.compile(r'[^\s"]+')


@dataclass(frozen=True)
class Term:
    """A word or a phrase of `q`, as written, and the words it is searched by."""

    text: str
    phrase: bool
    excluded: bool
    words: tuple[str, ...]


# Alternatives (or), each a list of terms that must all be there (the excluded ones absent).
Query = tuple[tuple[Term, ...], ...]
_OR = None


def _items(q: str) -> list[tuple[str, bool, bool] | None]:
    """`q` cut into (text, is a phrase, is excluded) items and `or`s (None)."""
    items: list[tuple[str, bool, bool] | None] = []
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        excluded = q[i] == "-"
        while i < n and q[i] == "-":
            i += 1
        if i == n or q[i].isspace():  # a lone "-"
            continue
        if q[i] == '"':
            end = q.find('"', i + 1)
            end = n if end < 0 else end  # an unmatched quote runs to the end
            items.append((q[i + 1 : end], True, excluded))
            i = end + 1
            continue
        word = _WORD.match(q, i)
        assert word is not None  # q[i] is neither a space nor a quote
        i, text = word.end(), word.group()
        items.append(_OR if not excluded and text.casefold() == "or" else (text, False, excluded))
    return items


def _term(text: str, phrase: bool, excluded: bool) -> Term | None:
    """The term, or None when it has no word to search for (punctuation, common words)."""
    words = tuple(_TOKEN.findall(text))
    common = stop_words()
    if all(w.casefold() in common for w in words):
        return None
    if not phrase:  # a word's parts ("China's", "state-of-the-art"): each searched alone
        words = tuple(w for w in words if w.casefold() not in common)
    return Term(text, phrase, excluded, words)


def parse(q: str) -> Query:
    """`q` read as web-search syntax; a 422 naming `q` when it leaves nothing to find."""
    alternatives: list[list[Term]] = [[]]
    for item in _items(unicodedata.normalize("NFC", q)):
        if item is _OR:
            alternatives.append([])
        elif (term := _term(*item)) is not None:
            alternatives[-1].append(term)
    found = tuple(tuple(a) for a in alternatives if a)
    if not found:
        raise InvalidInput(
            "q has no word to search for (common words such as 'the' are not searched)",
            field="q",
        )
    if any(all(t.excluded for t in a) for a in found):
        raise InvalidInput(
            "q needs a word to find beside each -word it excludes (or in each alternative)",
            field="q",
        )
    return found


def _fts5_term(term: Term) -> str:
    # Only letters, digits and spaces inside the quotes: nothing there is FTS5 syntax.
    if term.phrase:
        return '"' + " ".join(term.words) + '"'
    strings = [f'"{w}"' for w in term.words]
    return strings[0] if len(strings) == 1 else "(" + " AND ".join(strings) + ")"


def to_fts5(query: Query) -> str:
    """The query as an FTS5 expression; the excluded terms under one NOT each alternative
    (FTS5 nests each NOT one level deeper, and bounds the depth)."""
    alternatives = []
    for terms in query:
        found = " AND ".join(_fts5_term(t) for t in terms if not t.excluded)
        excluded = " OR ".join(_fts5_term(t) for t in terms if t.excluded)
        alternatives.append(f"(({found}) NOT ({excluded}))" if excluded else f"({found})")
    return " OR ".join(alternatives)


def to_websearch(query: Query) -> str:
    """The query in `websearch_to_tsquery`'s syntax, as read here: a word has no space, no
    quote and no leading "-"; a phrase no quote."""

    def written(t: Term) -> str:
        return ("-" if t.excluded else "") + (f'"{t.text}"' if t.phrase else t.text)

    return " or ".join(" ".join(written(t) for t in terms) for terms in query)


def match_text(q: str, dialect: str) -> str:
    """`q` as the bound value of `hits`' `q` parameter on this database."""
    query = parse(q)
    return to_fts5(query) if dialect == "sqlite" else to_websearch(query)


# Relevance, lower first on both databases. SQLite: FTS5's bm25 (negative, more negative is
# better) with column weights 10, 4, 2, 1 for statement, names, quotes, sources; PostgreSQL:
# minus ts_rank, its weights for A-D (the same columns) in the same proportions.
BM25_WEIGHTS = ("10.0", "4.0", "2.0", "1.0")
TS_RANK_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'::real[]"  # D, C, B, A


@cache
def hits(dialect: str) -> Subquery:
    """The claims that match the bound `q` (`match_text`), with their `score`."""
    q = bindparam("q", type_=String)
    if dialect == "sqlite":
        fts = sa_table(INDEX_TABLE, column("rowid", Integer))
        index: Any = literal_column(INDEX_TABLE)
        weights: list[Any] = [literal_column(w) for w in BM25_WEIGHTS]
        score: Any = func.bm25(index, *weights, type_=Double)
        return (
            sa_select(fts.c.rowid.label("claim_id"), score.label("score"))
            .where(index.op("MATCH")(q))
            .subquery("hits")
        )
    docs = sa_table(DOCUMENTS_TABLE, column("claim_id", Integer), column("document", TSVECTOR))
    tsquery = func.websearch_to_tsquery(literal_column("'english'::regconfig"), q)
    rank = func.ts_rank(literal_column(TS_RANK_WEIGHTS), docs.c.document, tsquery)
    score = -cast(rank, Double)
    return (
        sa_select(docs.c.claim_id, score.label("score"))
        .where(docs.c.document.op("@@")(tsquery))
        .subquery("hits")
    )
