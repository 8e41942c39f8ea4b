"""Batch inserts through SQLAlchemy Core: one `INSERT` for a batch of rows, the table's column
defaults (the models' defaults: `version`, `status`, timestamps) filled in by SQLAlchemy for the
columns a row leaves out. Rows of one batch give the same keys.

A batch goes through SQLAlchemy's "insertmanyvalues": one multi-row `INSERT … RETURNING` per
page of rows. The rows come back in the order of the batch: on PostgreSQL SQLAlchemy sorts them
(`sort_by_parameter_order`); on SQLite, where SQLAlchemy would then send a statement a row, they
are sorted by id, as SQLite gives a new row the largest rowid so far plus one, row after row of
the statement, under the one write lock the transaction holds.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows in one statement (an executemany of the driver where it batches them)."""
    if rows:
        session.execute(insert(table), list(rows))


def insert_ids(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows; their new ids, in the order of the rows."""
    if not rows:
        return []
    return [r.id for r in _returning(session, table, rows, table.c.id)]


def insert_returning(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[Row[Any]]:
    """Insert rows; the rows as stored (every column, defaults included), in their order."""
    if not rows:
        return []
    return _returning(session, table, rows, *table.c)


def _returning(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], *columns: Any
) -> list[Row[Any]]:
    if session.get_bind().dialect.name == "sqlite":
        stmt = insert(table).returning(*columns)  # (`columns` hold the id)
        return sorted(session.execute(stmt, list(rows)).all(), key=lambda r: r.id)
    stmt = insert(table).returning(*columns, sort_by_parameter_order=True)
    return list(session.execute(stmt, list(rows)).all())
