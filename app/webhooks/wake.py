"""Waking the delivery workers when events are queued, so that a delivery does not wait for the
next poll.

In this process: the transaction that queued rows wakes every worker running here once it
commits (a listener on that session only; none for a rolled-back one). On PostgreSQL the same
transaction also sends NOTIFY on `CHANNEL`, which the server delivers at commit and never for a
rolled-back transaction, and every worker LISTENs on it (`listen`), on this host or another. A lost
wake loses no event: a worker still looks every CLAIMTRACK_WEBHOOK_POLL_INTERVAL_S.
"""

import asyncio
import logging
import threading
from collections.abc import Callable
from contextlib import suppress

import psycopg
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

log = logging.getLogger("claimtrack.webhooks")

CHANNEL = "claimtrack_webhooks"
NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', '')")

_lock = threading.Lock()
_waiting: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}


def register(wake: asyncio.Event) -> Callable[[], None]:
    """Set `wake` (from any thread) whenever this process commits queued events; the function
    that stops it."""
    loop = asyncio.get_running_loop()
    with _lock:
        _waiting[id(wake)] = (loop, wake)

    def unregister() -> None:
        with _lock:
            _waiting.pop(id(wake), None)

    return unregister


def wake_all() -> None:
    """Wake every worker of this process."""
    with _lock:
        waiting = list(_waiting.values())
    for loop, wake in waiting:
        with suppress(RuntimeError):  # its loop has closed
            loop.call_soon_threadsafe(wake.set)


def _committed(session: Session) -> None:
    wake_all()


def on_commit(session: Session) -> None:
    """Wake the workers when this session's transaction commits: this process's, and on
    PostgreSQL every worker listening."""
    event.listen(session, "after_commit", _committed, once=True)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(NOTIFY)


async def listen(engine: Engine, wake: asyncio.Event, retry_s: float = 5.0) -> None:
    """Set `wake` at each NOTIFY on `CHANNEL` until cancelled (PostgreSQL); a lost connection
    is logged and opened again after `retry_s`, the worker polling meanwhile."""
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                async for _ in conn.notifies():
                    wake.set()
        except psycopg.Error as exc:
            log.warning("webhook worker: not listening for new events: %s", exc.__class__.__name__)
        await asyncio.sleep(retry_s)
