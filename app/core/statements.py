"""The fast path for hot reads: statements compiled once, run on the driver's cursor.

`fetch` runs a statement built once (at import, or cached) and returns its rows as named
tuples whose fields are the statement's column names. Only reads use it; writes go through
SQLAlchemy's own execution (`app.core.writes`, the sessions).

Why: on the pages that the benchmark floors measure (claim by id, lists, series), SQLAlchemy's
execution of a compiled statement (its execution context, events and result object) costs more
than the query and the driver together, and reading an attribute of a SQLAlchemy Row costs far
more than one of a named tuple (bench/RESULTS.md). What is kept: the statement's own bind and
result processors, the connection's cursor events, and SQLAlchemy's handling of driver errors
(a lost connection is invalidated, and the request gets its 503).

It reaches into SQLAlchemy internals (`Connection._handle_dbapi_exception`, `_has_events`,
`dispatch`, the compiled statement's `positiontup` and `binds`), which is why pyproject pins
SQLAlchemy's minor version: nothing else in the app does, and nothing else should.
"""

from collections import namedtuple
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Executable,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


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
    return _on_cursor(conn, compiled, compiled.parameters(params or {}))


def _on_cursor(conn: Connection, compiled: "_Compiled", values: Any) -> list[Any]:
    """Run a compiled statement on the driver's cursor, with the connection's cursor events
    and SQLAlchemy's error handling; its rows as named tuples."""
    cursor = conn.connection.cursor()
    events = conn._has_events or conn.engine._has_events
    try:
        if events:
            conn.dispatch.before_cursor_execute(conn, cursor, compiled.sql, values, None, False)
        try:
            cursor.execute(compiled.sql, values)
            rows = cursor.fetchall() if compiled.selects else []
        except conn.dialect.loaded_dbapi.Error as exc:
            # SQLAlchemy's own handling: the error wrapped as its DBAPIError, a connection
            # that is gone invalidated (the pool's ping and the 503 rely on both).
            conn._handle_dbapi_exception(exc, compiled.sql, values, cursor, None)
            raise  # not reached: the call above raises
        if events:
            conn.dispatch.after_cursor_execute(conn, cursor, compiled.sql, values, None, False)
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
