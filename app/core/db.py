"""Engine and sessions: one engine per process, SQLite tuned for several writers."""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.core.config import Settings, get_settings
from app.core.models import metadata

__all__ = ["metadata"]

WRITE_OPTION = "claimtrack_write"
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
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _fold(text: str | None) -> str | None:
    return None if text is None else text.lower()


def make_engine(settings: Settings, *, pooled: bool = True) -> Engine:
    """An engine for the configured database (`pooled=False`: a new connection each time)."""
    url = settings.database_url
    pool: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        _tune_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    if pooled:
        pool = {
            "pool_pre_ping": True,
            "pool_size": settings.db_pool_size,
            "max_overflow": settings.db_pool_size,
            "pool_timeout": settings.db_pool_timeout_s,
        }
    return create_engine(url, connect_args=_postgres_connect_args(url, settings), **pool)


def _postgres_connect_args(url: str, settings: Settings) -> dict[str, Any]:
    """Bounded waits: a database that is down answers 503 at once (refused) or within the connect
    timeout (silent), and no statement or lock wait holds a request for ever."""
    options = [
        make_url(url).query.get("options"),
        f"-c statement_timeout={settings.db_statement_timeout_ms}",
        f"-c lock_timeout={settings.db_lock_timeout_ms}",
    ]
    return {
        "connect_timeout": settings.db_connect_timeout_s,
        "options": " ".join(str(o) for o in options if o),
    }


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings())


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


def lock_keys(session: Session, keys: Iterable[str]) -> None:
    """Serialise work on these keys across transactions until this one ends.

    PostgreSQL: a transaction-scoped advisory lock per key, taken in sorted order so that no two
    transactions wait for each other in a circle. SQLite: nothing to do, a writing transaction
    already holds the one write lock (BEGIN IMMEDIATE). A check-then-insert under the lock is
    race-free: a second writer waits, then its check sees the first writer's row.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": number})


def get_session(request: Request) -> Iterator[Session]:
    """One session and one transaction per request, committed before the response leaves."""
    with Session(get_engine(), expire_on_commit=False) as session:
        if request.method not in SAFE_METHODS:
            begin_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_stream_session() -> Iterator[Session]:
    """A read-only session that lives until a streamed response has been sent."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


StreamSessionDep = Annotated[Session, Depends(get_stream_session, scope="request")]
