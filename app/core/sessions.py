"""The request's sessions: one session and one transaction per request, committed before the
response leaves; SQLite's writers queued on the event loop; advisory locks on keys.

Engines are looked up through the `db` module (`db.get_engine()`), so that a test that points
`app.core.db.get_engine` elsewhere points the sessions there too.
"""

import asyncio
import hashlib
import math
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager, nullcontext
from typing import Annotated, Any

from anyio import CancelScope
from fastapi import Depends, Request
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core import db
from app.core.config import get_settings
from app.core.db import BUSY_OPTION
from app.core.errors import DatabaseUnavailable
from app.core.loops import PerLoop

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


# Rows the work of a transaction recorded, for its use case to write before it commits: the
# audit's events (`audit.record` collects them, the use case writes them all in one insert with
# `audit.write_pending`). Kept with the transaction that recorded them: one that ends by a
# rollback takes its rows with it.
UNWRITTEN = "claimtrack.unwritten"


class UnwrittenRows(RuntimeError):
    """A commit found rows recorded in its transaction that no one wrote: a use case that
    forgot to write its audit events. The transaction is rolled back, never committed without
    them."""


def unwritten(session: Session, *, begin: bool = False) -> list[Any]:
    """The rows recorded in the session's transaction and not yet written (the list itself, to
    add to or empty). `begin` opens the transaction when none is open yet, so that rows recorded
    before the first statement belong to the transaction that follows."""
    transaction = session.get_transaction()
    if transaction is None:
        if not begin:
            return []
        transaction = session.begin()
    held: tuple[object, list[Any]] | None = session.info.get(UNWRITTEN)
    if held is None or held[0] is not transaction:
        held = session.info[UNWRITTEN] = (transaction, [])
    return held[1]


def check_written(session: Session) -> None:
    """Refuse to commit a transaction whose recorded rows were never written."""
    if rows := unwritten(session):
        raise UnwrittenRows(
            f"{len(rows)} audit events recorded in this transaction were never written: the use"
            " case must call audit.write_pending before the transaction commits"
        )


def commit(session: Session) -> None:
    """Commit the session's transaction, and close it: the request's session dependency then
    finds nothing left to commit (see `idempotency.deps.commit_unless_kept`). Refused, rolled
    back, when rows it recorded were not written (`check_written`)."""
    try:
        check_written(session)
        session.commit()
    finally:
        session.close()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction of its own (the CLI's, a timer's job): committed by `commit`
    when the block ends, rolled back when it raises."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        _rollback(session)
        raise
    commit(session)


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
    engine = db.get_write_engine()
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


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session and one transaction per request, committed before the response leaves."""
    write = request.method not in SAFE_METHODS
    async with _writing(request) if write else nullcontext(db.get_read_engine()) as bind:
        session = Session(bind, expire_on_commit=False)
        try:
            yield session
        except BaseException:
            if not session.in_transaction():
                # Refused before its first statement (a body that does not validate, a key
                # without the permission): no connection to give back, nothing to roll back,
                # no hop to the thread pool.
                session.close()
                raise
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
    session = Session(db.get_engine(), expire_on_commit=False)
    try:
        yield session
    finally:
        with CancelScope(shield=True):
            await _close(session)


StreamSessionDep = Annotated[Session, Depends(get_stream_session, scope="request")]
