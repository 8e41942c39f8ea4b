"""Batch inserts through SQLAlchemy Core: one `INSERT` for a batch of rows, the table's column
defaults (the models' defaults: `version`, `status`, timestamps) filled in by SQLAlchemy for the
columns a row leaves out. Rows of one batch give the same keys.

A batch goes through SQLAlchemy's "insertmanyvalues": one multi-row `INSERT … RETURNING` per
page of rows. The rows come back in the order of the batch: on PostgreSQL SQLAlchemy sorts them
(`sort_by_parameter_order`); on SQLite, where SQLAlchemy would then send a statement a row, they
are sorted by id, as SQLite gives a new row the largest rowid so far plus one, row after row of
the statement, under the one write lock the transaction holds.

The statements run on the session's connection, in its transaction: they are Core statements on
tables, which the session would only hand on to that connection (no ORM object to flush, no
identity map to update) after bookkeeping that cost a single create about 5 % of its use case.
"""

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Insert, Row, Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows in one statement (an executemany of the driver where it batches them)."""
    if rows:
        session.connection().execute(_insert(table), list(rows))


def insert_ids(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows; their new ids, in the order of the rows."""
    if not rows:
        return []
    return [r.id for r in _returning(session, table, rows, ids=True)]


def insert_returning(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[Row[Any]]:
    """Insert rows; the rows as stored (every column, defaults included), in their order."""
    if not rows:
        return []
    return _returning(session, table, rows, ids=False)


def _returning(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], *, ids: bool
) -> list[Row[Any]]:
    if session.get_bind().dialect.name == "sqlite":
        stmt = _insert_returning(table, ids, sort=False)
        return sorted(session.connection().execute(stmt, list(rows)).all(), key=lambda r: r.id)
    stmt = _insert_returning(table, ids, sort=True)
    return list(session.connection().execute(stmt, list(rows)).all())


# Each statement built once a table (SQLAlchemy memoizes its cache key on the statement):
# building it anew for each batch was a tenth of the cost of a single create's INSERTs.
@cache
def _insert(table: Table) -> Insert:
    return insert(table)


@cache
def _insert_returning(table: Table, ids: bool, *, sort: bool) -> Insert:
    """`INSERT … RETURNING` the id (`ids`) or every column; `sort`: the rows back in the
    order of the parameters (PostgreSQL; see the module for SQLite)."""
    columns = (table.c.id,) if ids else tuple(table.c)
    return insert(table).returning(*columns, sort_by_parameter_order=sort)
