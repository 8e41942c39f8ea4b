"""The fast path for hot reads and writes: statements compiled once, run on the driver's cursor.

`fetch` runs a statement built once (at import, or cached) and returns its rows as named
tuples whose fields are the statement's column names; `insert_ids`, `insert_returning` and
`insert_rows` insert a batch of rows in one statement (a JSON recordset on PostgreSQL, the
driver's executemany on SQLite), `execute_many` runs one statement for many rows.

Why: on the pages and imports that the benchmark floors measure, SQLAlchemy's execution of a
compiled statement (its execution context, events and result object) and the ORM's unit of work
cost more than the query and the driver together; reading an attribute of a SQLAlchemy Row
costs far more than one of a named tuple. What is kept: the statement's own bind and result
processors, the connection's cursor events, and SQLAlchemy's handling of driver errors (a lost
connection is invalidated, and the request gets its 503).

It reaches into SQLAlchemy internals (`Connection._handle_dbapi_exception`, `_has_events`,
`dispatch`, the compiled statement's `positiontup` and `binds`): nothing else in the app does,
and nothing else should; use SQLAlchemy's own execution elsewhere.
"""

from collections import namedtuple
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Executable,
    Integer,
    Table,
    bindparam,
    column,
    text,
)
from sqlalchemy import (
    select as sa_select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from app.core.db import json_text
from app.core.inlist import in_list


def fetch(
    session: Session, stmt: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[Any]:
    """Rows of a statement built once at import (with bind parameters) on the session's
    connection, as named tuples. Hot read paths use it. Pending ORM changes are flushed first.

    The statement is compiled once per dialect (`_Compiled`) and run on the driver's cursor:
    SQLAlchemy's execution of a compiled statement (its context, events, result object) cost
    more than the query itself and the driver together on a claim page. The statement's own
    bind and result processors still apply, and the connection's cursor events still fire.
    What it compiles is kept by statement: pass statements built once (at import, or cached
    like `claims.listing.Listing`), never one built for the call.
    Rows are named tuples: a claim page reads thousands of columns as attributes, and a named
    tuple's are far cheaper than SQLAlchemy's Row's (bench/RESULTS.md)."""
    session.flush()
    conn = session.connection()
    compiled = _compiled(stmt, conn.dialect)
    if not compiled.plain:  # an expanding IN, rendered per call: SQLAlchemy's own execution
        result = conn.execute(stmt, params or {})
        make = _record(tuple(result.keys()))._make
        return [make(row) for row in result]
    return _on_cursor(conn, compiled, compiled.parameters(params or {}), many=False)


def _on_cursor(conn: Connection, compiled: "_Compiled", values: Any, *, many: bool) -> list[Any]:
    """Run a compiled statement on the driver's cursor (`executemany` when `many`), with the
    connection's cursor events and SQLAlchemy's error handling; its rows as named tuples."""
    cursor = conn.connection.cursor()
    events = conn._has_events or conn.engine._has_events
    try:
        if events:
            conn.dispatch.before_cursor_execute(conn, cursor, compiled.sql, values, None, many)
        try:
            if many:
                cursor.executemany(compiled.sql, values)
            else:
                cursor.execute(compiled.sql, values)
            rows = cursor.fetchall() if compiled.selects and not many else []
        except conn.dialect.loaded_dbapi.Error as exc:
            # SQLAlchemy's own handling: the error wrapped as its DBAPIError, a connection
            # that is gone invalidated (the pool's ping and the 503 rely on both).
            conn._handle_dbapi_exception(exc, compiled.sql, values, cursor, None)
            raise  # not reached: the call above raises
        if events:
            conn.dispatch.after_cursor_execute(conn, cursor, compiled.sql, values, None, many)
        return compiled.records(cursor, rows)
    finally:
        cursor.close()


class _Compiled:
    """A statement compiled for one dialect: its SQL, how its parameters are bound, and how
    its rows are read (the result processors, known once the driver has described the rows
    the first time)."""

    def __init__(self, stmt: Any, dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql = compiled.string
        self.plain = not (compiled.post_compile_params or compiled.literal_execute_params)
        self._compiled = compiled
        self._positions = compiled.positiontup if dialect.positional else None
        self._binds = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        # An INSERT without RETURNING selects nothing: no rows are read (psycopg raises when
        # asked for the rows of a statement that has none).
        self._types = [c.type for c in getattr(stmt, "selected_columns", ())]
        self.selects = bool(self._types)
        self._dialect = dialect
        self._read: tuple[Any, Any] | None = None  # (record type, processors)

    def parameters(self, params: Mapping[str, Any]) -> Any:
        values = self._compiled.construct_params(params)
        for name, processor in self._binds.items():
            if name in values:
                values[name] = processor(values[name])
        if self._positions is not None:
            return [values[name] for name in self._positions]
        return values

    def many(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """`parameters` of many rows. When the statement is positional and binds only keys of
        the rows (an INSERT of the columns given), each row's values are read straight off it:
        SQLAlchemy's `construct_params` cost a bulk import about a tenth of its time."""
        if self._positions is None or not rows or not set(self._positions) <= rows[0].keys():
            return [self.parameters(row) for row in rows]
        binds = [(name, self._binds.get(name)) for name in self._positions]
        return [
            [row[name] if bind is None else bind(row[name]) for name, bind in binds] for row in rows
        ]

    def records(self, cursor: Any, rows: Sequence[Any]) -> list[Any]:
        if not self.selects:
            return []
        if self._read is None:  # (psycopg builds the description anew each time it is read)
            description = cursor.description
            found = [
                t.dialect_impl(self._dialect).result_processor(self._dialect, d[1])
                for t, d in zip(self._types, description, strict=True)
            ]
            record = _record(tuple(d[0] for d in description))
            self._read = (record, found if any(found) else None)
        record, processors = self._read
        make = record._make
        if processors is None:
            return [make(row) for row in rows]
        return [
            make(
                [
                    v if p is None or v is None else p(v)
                    for p, v in zip(processors, row, strict=True)
                ]
            )
            for row in rows
        ]


@lru_cache(maxsize=512)
def _compiled(stmt: Executable, dialect: Dialect) -> _Compiled:
    return _Compiled(stmt, dialect)


@lru_cache(maxsize=512)
def _record(fields: tuple[str, ...]) -> Any:
    return namedtuple("Record", fields, rename=True)


Returning = Literal["id", "*"] | None


def _inserted(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], returning: Returning
) -> list[Any] | None:
    """Insert rows (all with the same keys, at least one) in one statement: what their
    RETURNING gives, in their order (nothing when `returning` is None). None for a batch on
    SQLite, which is the driver's executemany (`execute_many`) and returns nothing.

    PostgreSQL: see `_recordset_insert`; one row on SQLite: `_row_insert`. All of them run on
    the driver's cursor (`fetch`)."""
    dialect = session.get_bind().dialect
    names = tuple(rows[0])
    if dialect.name != "sqlite":
        stmt = _recordset_insert(dialect, table, names, returning=returning)
        found = fetch(session, stmt, {"rows": _json_rows(rows)})
        return sorted(found, key=lambda r: r.id) if returning else []
    if len(rows) == 1:
        return list(fetch(session, _row_insert(dialect, table, names, returning), rows[0]))
    execute_many(session, _row_insert(dialect, table, names, None), rows)
    return None


def insert_ids(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows (all with the same keys) in one statement; their new ids, in their order.

    A batch on SQLite ends at the last new id: a transaction that has written holds the
    database's one write lock until it ends, and each new row gets the largest rowid so far
    plus one, so a batch's ids are consecutive, in the order of its rows."""
    if not rows:
        return []
    found = _inserted(session, table, rows, "id")
    return [r.id for r in found] if found is not None else _last_ids(session, len(rows))


def _last_ids(session: Session, count: int) -> list[int]:
    (last,) = fetch(session, LAST_ROWID)[0]
    return list(range(last - count + 1, last + 1))


def insert_returning(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]]
) -> list[Any]:
    """Insert rows (all with the same keys); the rows as stored (every column, as `fetch`
    reads them), in their order. One statement on PostgreSQL and for one row on SQLite (its
    RETURNING), where reading them back cost a statement more; a batch on SQLite is read back
    by its ids (`_last_ids`)."""
    if not rows:
        return []
    found = _inserted(session, table, rows, "*")
    if found is not None:
        return found
    ids = _last_ids(session, len(rows))
    by_id = {r.id: r for r in fetch(session, _rows_by_id(table), {"ids": ids})}
    return [by_id[i] for i in ids]


@lru_cache(maxsize=16)
def _rows_by_id(table: Table) -> Any:
    return sa_select(*table.c).where(in_list(table.c.id, "ids"))


def _returning(sql: str, table: Table, dialect: Dialect, returning: Returning) -> Any:
    """The statement's text with its RETURNING clause (the new id, or every column), typed."""
    if returning is None:
        return text(sql)
    if returning == "id":
        return text(f"{sql} RETURNING id").columns(table.c.id)
    quote = dialect.identifier_preparer.quote
    every = ", ".join(quote(c.name) for c in table.c)
    return text(f"{sql} RETURNING {every}").columns(*table.c)


LAST_ROWID = text("SELECT last_insert_rowid()").columns(column("id", Integer))


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows (all with the same keys) in one statement, in their order."""
    if rows:
        _inserted(session, table, rows, None)


def execute_many(session: Session, stmt: Executable, rows: Sequence[Mapping[str, Any]]) -> None:
    """SQLite: a statement built once, run for each row by the driver's executemany (one
    prepared statement), on the session's connection as `fetch` runs one; SQLAlchemy's own
    executemany processes each row's parameters through its execution context."""
    session.flush()
    conn = session.connection()
    compiled = _compiled(stmt, conn.dialect)
    _on_cursor(conn, compiled, compiled.many(rows), many=True)


@lru_cache(maxsize=64)
def _row_insert(
    dialect: Dialect, table: Table, names: tuple[str, ...], returning: Returning
) -> Any:
    """SQLite: one row's INSERT of these columns, for `fetch`. Text with typed parameters:
    SQLAlchemy's `insert(table)` compiles every column default of the table into the statement
    (the callers give every column), and its execution cost more than the insert itself."""
    values = ", ".join(f":{n}" for n in names)
    sql = f"{_insert_into(dialect, table, names)} VALUES ({values})"
    stmt = _returning(sql, table, dialect, returning)
    return stmt.bindparams(*(bindparam(n, type_=table.c[n].type) for n in names))


def _insert_into(dialect: Dialect, table: Table, names: tuple[str, ...]) -> str:
    """`INSERT INTO table (columns)`. Only names from the table's own metadata, quoted, go
    into the text; the values are bound."""
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    return f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({columns})"


def _json_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    return json_text(list(rows))


@lru_cache(maxsize=64)
def _recordset_insert(
    dialect: Dialect, table: Table, names: tuple[str, ...], *, returning: Returning
) -> Any:
    """PostgreSQL: a batch of rows as one JSON parameter, inserted in its order.

    One short statement for any number of rows, prepared once: SQLAlchemy's batched VALUES
    list grows with the batch, and psycopg parses a statement longer than 4 kB anew on every
    call (a third of a 50-claim import's time); an executemany sends a statement per row.
    `INSERT … SELECT … ORDER BY` draws the ids from the sequence in that order (what
    SQLAlchemy's own ordered batches rely on): sorted, they are the rows' order."""
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    typed = ", ".join(f"{quote(n)} {table.c[n].type.compile(dialect=dialect)}" for n in names)
    sql = (
        f"{_insert_into(dialect, table, names)} "  # noqa: S608 - metadata names, quoted
        f"SELECT {columns} FROM ROWS FROM (json_to_recordset(CAST(:rows AS JSON)) AS ({typed})) "
        f"WITH ORDINALITY AS r({columns}, n) ORDER BY r.n"
    )
    return _returning(sql, table, dialect, returning)
