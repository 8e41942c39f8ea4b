"""Engine and sessions: one engine per process, SQLite tuned for several writers."""

import asyncio
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from functools import lru_cache
from typing import Annotated, Any
from weakref import WeakKeyDictionary

from anyio import CancelScope
from fastapi import Depends, Request
from sqlalchemy import Engine, Executable, create_engine, event
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.config import Settings, get_settings
from app.core.models import metadata

__all__ = ["metadata"]

WRITE_OPTION = "claimtrack_write"
_HOLDS = "claimtrack_holds_write_lock"
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

    # Writers of this process queue on a lock of its own before SQLite's: a waiter wakes as soon
    # as the lock is free, where SQLite's busy handler sleeps and polls (p99 in seconds under
    # eight writers). Other processes still meet at SQLite's lock and its busy timeout.
    writers = threading.Lock()
    wait_s = busy_timeout_ms / 1000

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock at BEGIN: a transaction that read first and then tried
        # to write would be refused at once ("database is locked"), whatever the busy timeout.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        if immediate and not conn.info.get(_HOLDS) and writers.acquire(timeout=wait_s):
            conn.info[_HOLDS] = True
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    def _release(info: dict[str, Any]) -> None:
        if info.pop(_HOLDS, False):
            writers.release()

    event.listen(engine, "commit", lambda conn: _release(conn.info))
    event.listen(engine, "rollback", lambda conn: _release(conn.info))
    event.listen(engine.pool, "checkin", lambda _dbapi, record: _release(record.info))


def _fold(text: str | None) -> str | None:
    return None if text is None else text.lower()


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database."""
    url = settings.database_url
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size
    )


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings())


def begin_write(session: Session) -> Session:
    """Start the session's transaction as a writer (BEGIN IMMEDIATE on SQLite)."""
    session.connection(execution_options={WRITE_OPTION: True})
    return session


def fetch(
    session: Session, stmt: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[Any]:
    """Rows of a statement built once at import (with bind parameters) on the session's
    connection. Hot read paths use it: building a statement per call and the ORM's execute
    cost five times the query itself. Pending ORM changes are flushed first."""
    session.flush()
    return session.connection().execute(stmt, params or {}).all()


# The request's sessions are opened and closed on the event loop (an async dependency costs no
# hop to the thread pool); only the calls that talk to the database run in the pool.


async def _close(session: Session) -> None:
    """Return the connection: SQLite's ROLLBACK of a reader is a local call of microseconds and
    is done here; PostgreSQL's is a round trip and goes to the thread pool."""
    if session.in_transaction() and session.get_bind().dialect.name != "sqlite":
        await run_in_threadpool(session.close)
    else:
        session.close()


def _commit(session: Session) -> None:
    try:
        session.commit()
    finally:
        session.close()


def _rollback(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


def _writers(request: Request) -> AbstractAsyncContextManager[Any]:
    """SQLite takes one writer at a time: the others of this process wait here, as coroutines.
    Waiting in the thread pool instead (on SQLite's lock) could take every thread, leaving none
    for the writer that holds the lock: no request would move until the busy timeout."""
    if get_engine().dialect.name != "sqlite":
        return nullcontext()
    # One lock per event loop (a server has one; a test client may run several).
    locks: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] | None = getattr(
        request.app.state, "sqlite_writers", None
    )
    if locks is None:
        locks = request.app.state.sqlite_writers = WeakKeyDictionary()
    loop = asyncio.get_running_loop()
    lock = locks.get(loop)
    if lock is None:
        lock = locks[loop] = asyncio.Lock()
    return lock


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session and one transaction per request, committed before the response leaves."""
    session = Session(get_engine(), expire_on_commit=False)
    write = request.method not in SAFE_METHODS
    async with _writers(request) if write else nullcontext():
        try:
            if write:
                await run_in_threadpool(begin_write, session)
            yield session
        except BaseException:
            with CancelScope(shield=True):  # a client that left must not leak the connection
                await run_in_threadpool(_rollback, session)
            raise
        if write:
            await run_in_threadpool(_commit, session)
        else:
            await _close(session)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_stream_session() -> AsyncIterator[Session]:
    """A read-only session that lives until a streamed response has been sent (unused by
    the JSON answers of the same routes, which then cost nothing)."""
    session = Session(get_engine(), expire_on_commit=False)
    try:
        yield session
    finally:
        with CancelScope(shield=True):
            await _close(session)


StreamSessionDep = Annotated[Session, Depends(get_stream_session, scope="request")]
