"""Engine and sessions: one engine per process, SQLite tuned for several writers.

How long a request may wait for PostgreSQL is bounded on the client's side, for a server that
stops answering (stopped with SIGSTOP, swapped out, a network that drops packets) leaves the
connections open: the kernel still accepts and acknowledges, so the server's own
statement_timeout and TCP's own timeouts never fire, and a request would wait for the whole
outage. Three bounds, each a setting:

- a new connection: `db_connect_timeout_s` (`_connect_within`);
- a free pooled connection: `db_pool_timeout_s` (SQLAlchemy's pool);
- every answer on an open connection (a statement, a fetch, a commit, a rollback):
  `db_query_timeout_s` (`AnswerWithin`). When it passes, the connection is closed and the
  request gets its 503; SQLAlchemy takes the error for a disconnect and empties the pool, so
  the next requests connect anew (and meet the connect bound) instead of each waiting on a
  pooled connection to the same dead server. Closing the socket, not a cancel request: a
  cancel goes through the server too, which is the thing that does not answer.

The server's statement_timeout and lock_timeout sit below `db_query_timeout_s` (the settings
refuse otherwise), so that a server that does answer ends a slow statement itself and keeps the
connection; the client's bound only ever ends a server that does not. libpq's TCP keepalives and
tcp_user_timeout end a connection to a host or network that is gone (not a stopped server,
whose kernel still answers for it), so that idle pooled connections are found dead on checkout.
"""

import asyncio
import hashlib
import json
import math
import select
import time
from collections import namedtuple
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import asynccontextmanager, contextmanager, nullcontext
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

import orjson
import psycopg
from anyio import CancelScope
from fastapi import Depends, Request
from sqlalchemy import (
    Connection,
    Engine,
    Executable,
    Integer,
    Table,
    bindparam,
    column,
    create_engine,
    event,
    make_url,
    text,
)
from sqlalchemy import (
    select as sa_select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from starlette.concurrency import run_in_threadpool

from app.core.config import Settings, get_settings
from app.core.errors import DatabaseUnavailable
from app.core.inlist import in_list
from app.core.loops import PerLoop
from app.core.models import metadata

__all__ = ["metadata"]

WRITE_OPTION = "claimtrack_write"
# SQLite: how long (ms) this BEGIN waits for the lock, instead of the connection's busy timeout.
BUSY_OPTION = "claimtrack_busy_ms"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite opens transactions lazily and not for SELECT; taking over BEGIN gives real
    # transactions and SAVEPOINTs (which the per-test rollback relies on).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        # SQLite's lower() folds ASCII only; text search must fold "Казахстан" too.
        dbapi_conn.create_function("lower", 1, _fold, deterministic=True)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock at BEGIN: a transaction that read first and then tried
        # to write would be refused at once ("database is locked"), whatever the busy timeout.
        # (Request writers of one process queue before this, on the event loop: `_writing`.)
        options = conn.get_execution_options()
        begin = "BEGIN IMMEDIATE" if options.get(WRITE_OPTION, False) else "BEGIN"
        busy_ms = options.get(BUSY_OPTION)
        if busy_ms is None:
            conn.exec_driver_sql(begin)
            return
        raw = conn.connection.driver_connection
        raw.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        try:
            conn.exec_driver_sql(begin)
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")


def _fold(text: str | None) -> str | None:
    return None if text is None else text.lower()


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value, default=_json_default).decode()
    except TypeError:  # an integer beyond 64 bits: orjson refuses it, the standard library not
        return json.dumps(value, default=_json_default)


# JSON columns (the audit log's before and after, an indicator's tags) in and out with orjson,
# not the standard library's encoder: a bulk import writes five such values a claim.
JSON_CODEC: dict[str, Any] = {"json_serializer": _json_text, "json_deserializer": orjson.loads}


def make_engine(settings: Settings, *, pooled: bool = True) -> Engine:
    """An engine for the configured database (`pooled=False`: a new connection each time)."""
    url = settings.database_url
    pool: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        if pooled and path is not None:
            # A SQLite connection is a file handle: one for every request in flight, never a
            # wait for one (a request waiting in a worker thread for a connection that another
            # request holds, while that one waits for a thread, would stall both).
            pool = {"pool_size": settings.db_pool_size, "max_overflow": -1}
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool, **JSON_CODEC)
        _tune_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    if pooled:
        pool = {
            "pool_size": settings.db_pool_size,
            "max_overflow": settings.db_pool_size,
            "pool_timeout": settings.db_pool_timeout_s,
        }
    engine = create_engine(
        url, connect_args=_postgres_connect_args(url, settings), **pool, **JSON_CODEC
    )
    _connect_within(engine, settings.db_connect_timeout_s, settings.db_query_timeout_s)
    if pooled:
        _ping_when_spoken_to(engine)
    return engine


def _ping_when_spoken_to(engine: Engine) -> None:
    """A pooled connection is pinged on checkout only when its socket has something to read.

    An idle connection hears nothing from the server unless it ended: a restart, a crash, a
    terminated backend or a cut link leave an error or end-of-file on the socket. A socket with
    nothing to read is taken as alive, without the round trip that SQLAlchemy's pre-ping
    (SELECT 1) costs every request; one that spoke is pinged, and dropped if that fails (the
    pool then connects anew, and a database that is down gives its 503)."""

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if dbapi_conn.closed or select.select([dbapi_conn.fileno()], [], [], 0)[0]:
            try:
                engine.dialect.do_ping(dbapi_conn)
            except dbapi_conn.Error as gone:
                raise DisconnectionError(f"a pooled connection was lost: {gone}") from gone


# Connection attempts run here, so that the request can give up on one that takes too long
# (libpq's own connect_timeout cannot be under 2 s); an abandoned attempt ends by itself.
_CONNECTING = ThreadPoolExecutor(max_workers=8, thread_name_prefix="claimtrack-connect")


def _connect_within(engine: Engine, seconds: float, answer_within: float) -> None:
    """New connections that take longer than `seconds` fail (a host that accepts and never
    answers), so the request gets its 503 within that time, not libpq's least of 2 s. The
    connections wait at most `answer_within` seconds for each answer (0: no bound)."""

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        attempt = _CONNECTING.submit(AnswerWithin.connect, *cargs, **cparams)
        try:
            conn = attempt.result(timeout=seconds)
        except FutureTimeout:
            attempt.add_done_callback(_close_late)
            raise dialect.loaded_dbapi.OperationalError(
                f"the database did not answer within {seconds} s"
            ) from None
        conn.answer_within = answer_within or None
        return conn


class AnswerWithin(psycopg.Connection[Any]):
    """A psycopg connection that waits at most `answer_within` seconds for any answer.

    Every wait of a psycopg connection for the server (a statement, a fetch, a commit, a
    rollback, a server-side cursor's next rows) goes through `wait`; psycopg bounds it when
    given a timeout. When the bound passes, the connection is in an unknown state (halfway
    through a statement): it is closed, and the error is an OperationalError on a closed
    connection, which SQLAlchemy takes for a disconnect (the connection is invalidated and the
    pool emptied) and the app answers with 503."""

    answer_within: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        if timeout is not None or self.answer_within is None:  # the caller's own bound
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.answer_within)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {self.answer_within} s: connection closed"
            ) from None


def _close_late(attempt: Future[Any]) -> None:
    """An abandoned attempt that connected after all: nobody wants the connection."""
    if not attempt.cancelled() and attempt.exception() is None:
        attempt.result().close()


def _postgres_connect_args(url: str, settings: Settings) -> dict[str, Any]:
    """Bounded waits: a database that is down answers 503 at once (refused) or within the connect
    timeout (silent: see `_connect_within`), and no statement or lock wait holds a request for
    ever."""
    options = [
        make_url(url).query.get("options"),
        f"-c statement_timeout={settings.db_statement_timeout_ms}",
        f"-c lock_timeout={settings.db_lock_timeout_ms}",
        # Timestamps come back in UTC, as stored: in a server zone east of UTC, 9999-12-31
        # 23:59:59Z would come back as a time in year 10000 that the driver cannot read.
        "-c TimeZone=UTC",
    ]
    args: dict[str, Any] = {
        # libpq's bound (its least is 2 s) ends an attempt the app has stopped waiting for.
        "connect_timeout": max(2, math.ceil(settings.db_connect_timeout_s)),
        "options": " ".join(str(o) for o in options if o),
        # An idle connection to a host that is gone is found dead within 5 + 3 * 2 s.
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
    }
    if settings.db_query_timeout_s:
        # Data sent and not acknowledged for that long: the host or the network is gone.
        args["tcp_user_timeout"] = math.ceil(settings.db_query_timeout_s * 1000)
    return args


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings())


def get_batch_engine() -> Engine:
    """The engine of the command line's long jobs (export, import, seed, check): no answer
    deadline and no server timeouts. A restore is one transaction that may take minutes, and
    no request waits on it; the request bounds would cut it off. (SQLite has no server: its
    jobs only wait for the write lock, as requests do, on the same engine.)"""
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        return engine
    return _unbounded(engine.url.render_as_string(hide_password=False))


@lru_cache(maxsize=4)
def _unbounded(url: str) -> Engine:
    lifted = {
        "database_url": url,
        "db_query_timeout_s": 0,
        "db_statement_timeout_ms": 0,
        "db_lock_timeout_ms": 0,
    }
    return make_engine(get_settings().model_copy(update=lifted), pooled=False)


def get_read_engine() -> Engine:
    """The engine of read-only requests. On PostgreSQL its connections (the same pool's) run
    in autocommit: no BEGIN and no ROLLBACK round trip around a read, and nothing is lost, for
    at READ COMMITTED every statement takes a snapshot of its own anyway."""
    return _reader_of(get_engine())


@lru_cache(maxsize=4)
def _reader_of(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def get_write_engine() -> Engine:
    """The engine of writing requests: the same pool, its transactions begun as a writer's
    (BEGIN IMMEDIATE on SQLite) when the request's first statement runs, in the thread-pool
    call that runs it. Beginning in a call of its own cost a hop to the thread pool."""
    return _writer_of(get_engine())


@lru_cache(maxsize=4)
def _writer_of(engine: Engine) -> Engine:
    return engine.execution_options(**{WRITE_OPTION: True})


@lru_cache
def get_side_engine() -> Engine:
    """Connections apart from the request's own, for bookkeeping writes a read may make.

    Unpooled, so that such a write never waits for a connection that the requests themselves
    hold (a pool full of requests each wanting a second connection would deadlock).
    """
    return make_engine(get_settings(), pooled=False)


@contextmanager
def brief_write(engine: Engine, wait_ms: int) -> Iterator[Connection]:
    """A short write transaction of its own that waits at most `wait_ms` for the write lock.

    SQLite: BEGIN IMMEDIATE with that busy timeout; PostgreSQL: that lock_timeout. When the lock
    is not had in time the database's error (an OperationalError) is raised: callers that can do
    without the write catch it and skip it.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")
                yield conn
            return
        # The busy timeout belongs to the connection: set it outside any transaction, and put
        # the connection's own back before it returns to a pool.
        raw = conn.connection.driver_connection
        assert raw is not None
        (patient,) = raw.execute("PRAGMA busy_timeout").fetchone()
        raw.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            with conn.execution_options(**{WRITE_OPTION: True}).begin():
                yield conn
        finally:
            raw.execute(f"PRAGMA busy_timeout={int(patient)}")


def begin_write(session: Session) -> Session:
    """Start the session's transaction as a writer (BEGIN IMMEDIATE on SQLite)."""
    session.connection(execution_options={WRITE_OPTION: True})
    return session


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
    like `claims.service._page`), never one built for the call.
    Named tuples: reading a column as an attribute of SQLAlchemy's Row costs about 0.9 µs,
    of a named tuple 40 ns, and a claim page reads some 2,000 of them."""
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


# The request's sessions are opened and closed on the event loop (an async dependency costs no
# hop to the thread pool); only the calls that talk to the database run in the pool.


async def _close(session: Session) -> None:
    """Return a reader's connection. On the event loop when that costs no round trip (SQLite's
    ROLLBACK is a local call of microseconds; a PostgreSQL reader in autocommit has no
    transaction to end); in the thread pool when it does (a stream's PostgreSQL transaction)."""
    bind = session.get_bind()
    autocommit = bind.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    if session.in_transaction() and bind.dialect.name != "sqlite" and not autocommit:
        await run_in_threadpool(session.close)
    else:
        session.close()


def commit(session: Session) -> None:
    """Commit the session's transaction, and close it: the request's session dependency then
    finds nothing left to commit (see `idempotency.deps.commit_unless_kept`)."""
    try:
        session.commit()
    finally:
        session.close()


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


# A writer that waited in its process's queue (`_writing`) longer than this waits for SQLite's
# lock only for what is left of the busy timeout; a shorter wait is not worth a new engine.
QUEUE_SLACK_S = 0.01


@asynccontextmanager
async def _writing(request: Request) -> AsyncIterator[Engine]:
    """The write engine, once this request may write.

    SQLite takes one writer at a time: the others of this process wait here, as coroutines.
    Waiting in the thread pool instead (on SQLite's lock) could take every thread, leaving none
    for the writer that holds the lock: no request would move until the busy timeout. The wait
    here and the wait for SQLite's lock together last at most the busy timeout: a writer that
    waited here gets an engine whose BEGIN waits only for the rest (`BUSY_OPTION`), and one
    that waited all of it gets 503. (Each waiting a busy timeout of its own, the writers queued
    behind a database locked by another process got their 503 one busy timeout apart.)"""
    engine = get_write_engine()
    if engine.dialect.name != "sqlite":
        yield engine
        return
    locks: PerLoop[asyncio.Lock] | None = getattr(request.app.state, "sqlite_writers", None)
    if locks is None:
        locks = request.app.state.sqlite_writers = PerLoop(asyncio.Lock)
    lock = locks.get()
    budget = get_settings().sqlite_busy_timeout_ms / 1000
    started = time.monotonic()
    try:
        async with asyncio.timeout(budget):
            await lock.acquire()
    except TimeoutError:
        raise DatabaseUnavailable from None
    try:
        waited = time.monotonic() - started
        if waited > QUEUE_SLACK_S:
            left_ms = max(1, math.floor((budget - waited) * 1000))
            engine = engine.execution_options(**{BUSY_OPTION: left_ms})
        yield engine
    finally:
        lock.release()


def lock_keys(session: Session, keys: Iterable[str]) -> None:
    """Serialise work on these keys across transactions until this one ends.

    PostgreSQL: a transaction-scoped advisory lock per key, all in one statement (a batch of 50
    claims took 50 round trips), taken in the order of their numbers so that no two
    transactions wait for each other in a circle. SQLite: nothing to do, a writing transaction
    already holds the one write lock (BEGIN IMMEDIATE). A check-then-insert under the lock is
    race-free: a second writer waits, then its check sees the first writer's row.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    numbers = sorted(
        {int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True) for k in keys}
    )
    if numbers:
        session.execute(LOCK_KEYS, {"numbers": numbers})


# unnest yields an array's elements in their order (WITH ORDINALITY numbers them so): the locks
# are taken in the sorted order of the array.
LOCK_KEYS = text(
    "SELECT count(pg_advisory_xact_lock(u.n)) "
    "FROM unnest(CAST(:numbers AS BIGINT[])) WITH ORDINALITY AS u(n, i)"
)


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
    prepared statement), on the session's connection as `fetch` runs one. SQLAlchemy's own
    executemany processed each row's parameters through its execution context, at some 20 µs
    a row."""
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
    return _json_text(list(rows))


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # exact digits, as a string the numeric column reads
    if isinstance(value, date):  # (the standard library's fallback: orjson writes these itself)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into JSON")


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


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session and one transaction per request, committed before the response leaves."""
    write = request.method not in SAFE_METHODS
    async with _writing(request) if write else nullcontext(get_read_engine()) as bind:
        session = Session(bind, expire_on_commit=False)
        try:
            yield session
        except BaseException:
            with CancelScope(shield=True):  # a client that left must not leak the connection
                await run_in_threadpool(_rollback, session)
            raise
        if write and session.in_transaction():
            await run_in_threadpool(commit, session)
        else:
            await _close(session)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_stream_session() -> AsyncIterator[Session]:
    """A read-only session that lives until a streamed response has been sent (unused by
    the JSON answers of the same routes, which then cost nothing)."""
    # In a transaction, not in autocommit: a stream reads through a server-side cursor
    # (`yield_per`), which PostgreSQL keeps only within a transaction.
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
    finally:
        with CancelScope(shield=True):
            await _close(session)


StreamSessionDep = Annotated[Session, Depends(get_stream_session, scope="request")]
