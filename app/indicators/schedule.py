"""The daily flag check, run by the server itself: target_missed and stale open on time.

Every `CLAIMTRACK_CHECK_INTERVAL_MINUTES` (0 turns it off) each server process runs the same
check as `claimtrack check`. On PostgreSQL an advisory lock lets one process of many run it at
a time; the check is idempotent, so a run that overlaps another opens nothing twice.
"""

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.audit import service as audit
from app.core.db import begin_write, get_engine
from app.core.models import utcnow
from app.core.sessions import commit
from app.indicators import checks

log = logging.getLogger("claimtrack.schedule")
LOCK = 0x636C61696D  # "claim": one number for the check, across processes


def _write_audit(session: Session, _today: date) -> None:
    audit.write_pending(session)


WriteEvents = Callable[[Session, date], None]


def run_check(write_events: WriteEvents = _write_audit) -> int | None:
    """One check of every indicator as of today, audited (`write_events`: the server passes
    the flows' writer, which queues webhooks of the flags it opens and of the targets whose
    status time moved, in this transaction); None when another process holds the lock."""
    with Session(get_engine(), expire_on_commit=False) as session:
        begin_write(session)
        if session.get_bind().dialect.name == "postgresql":
            got = session.execute(text("SELECT pg_try_advisory_xact_lock(:n)"), {"n": LOCK})
            if not got.scalar_one():
                session.rollback()
                return None
        today = utcnow().date()
        count = checks.check_all(session, today, actor_id=None)
        write_events(session, today)
        commit(session)
        return count


async def scheduled_check(write_events: WriteEvents = _write_audit) -> None:
    """The check of the server's timer: a failure waits for the next turn."""
    try:
        count = await run_in_threadpool(run_check, write_events)
    except (DBAPIError, IntegrityError) as exc:  # database away or a racing run: next time
        log.warning("scheduled indicator check failed: %s", exc.__class__.__name__)
    else:
        if count is not None:
            log.info("scheduled indicator check: %d indicators", count)
