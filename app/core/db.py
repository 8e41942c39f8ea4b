"""Engines: one per process, SQLite tuned for several writers, PostgreSQL's waits bounded.

The request's sessions are in `app.core.sessions`; the compiled-statement fast path in
`app.core.statements`.

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

import json
import math
import select
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson
import psycopg
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.core.config import Settings, get_settings
from app.core.models import metadata

__all__ = ["metadata"]


WRITE_OPTION = "claimtrack_write"
# SQLite: how long (ms) this BEGIN waits for the lock, instead of the connection's busy timeout.
BUSY_OPTION = "claimtrack_busy_ms"


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
        # (Request writers of one process queue before this, on the event loop:
        # `sessions._writing`.)
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


def json_text(value: Any) -> str:
    try:
        return orjson.dumps(value, default=_json_default).decode()
    except TypeError:  # an integer beyond 64 bits: orjson refuses it, the standard library not
        return json.dumps(value, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")  # exact digits, as a string the numeric column reads
    if isinstance(value, date):  # (the standard library's fallback: orjson writes these itself)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot go into JSON")


# JSON columns (the audit log's before and after, an indicator's tags) in and out with orjson,
# not the standard library's encoder: a bulk import writes five such values a claim.
JSON_CODEC: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}


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
            # request holds, while that one waits for a thread, would stall both). One kept for
            # each worker thread: a connection opened beyond the pool's size is closed when it
            # is returned, and the next one opened anew reads the whole schema again (the key
            # gate's lookups, outside the in-flight limit, opened and closed one a request).
            size = max(settings.db_pool_size, settings.worker_threads)
            pool = {"pool_size": size, "max_overflow": -1}
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
