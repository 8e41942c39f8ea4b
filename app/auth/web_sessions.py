"""The web app's sessions: a random id in the browser's cookie, its hash in `web_sessions`
with the key that signed in. Kept in the database, so that any worker on any host finds it;
found with its key on every request, so that a revoked or expired key ends it at once.

The browser's id is 256 random bits: a plain SHA-256 of it is as good as a keyed hash (no one
can guess their way to a preimage), and the table never holds an id a browser could send.
A form's CSRF token is derived from the session's id with the secret key (`csrf_token`), so it
is the session's own without being stored: a page of another site knows neither."""

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, delete, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import ApiKey, Caller, WebSession
from app.auth.service import LAST_USED_WAIT_MS, lock_not_had
from app.core.config import get_settings
from app.core.db import brief_write, get_side_engine
from app.core.models import as_utc, utcnow

# A session's last_seen_at is coarse: a page view writes it at most this often.
SEEN_RESOLUTION = timedelta(minutes=1)
log = logging.getLogger("claimtrack")


class SignedIn(NamedTuple):
    """A live session and the key behind it."""

    session_id: int
    key: Caller


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(purpose: str, value: str) -> str:
    """An HMAC of `value` for one purpose, with the deployment's secret key."""
    secret = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def csrf_token(token: str) -> str:
    """The CSRF token of the session whose browser id is `token`."""
    return keyed_digest("csrf", token)


def _idle() -> timedelta:
    return timedelta(hours=get_settings().session_idle_hours)


def start(session: Session, key_id: int) -> str:
    """A new session for this key: the id for the browser's cookie (stored only as a hash).
    Sessions past their time are deleted on the way, so the table holds live ones only."""
    now = utcnow()
    session.execute(
        delete(WebSession).where(
            or_(
                col(WebSession.expires_at) <= now,
                col(WebSession.last_seen_at) <= now - _idle(),
            )
        )
    )
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=hash_token(token),
            key_id=key_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(days=get_settings().session_max_days),
        )
    )
    session.flush()
    return token


KEY_COLUMNS = tuple(ApiKey.__table__.c[name] for name in Caller._fields)  # type: ignore[attr-defined]
SESSION_BY_HASH = (
    sa_select(
        col(WebSession.id), col(WebSession.last_seen_at), col(WebSession.expires_at), *KEY_COLUMNS
    )
    .join(ApiKey, col(ApiKey.id) == col(WebSession.key_id))
    .where(col(WebSession.token_hash) == bindparam("token_hash"))
)


def find(session: Session, token: str) -> SignedIn | None:
    """The live session behind a browser's id, with its key; None when there is none, it has
    expired (idle or absolute), or its key is revoked or expired."""
    if not 0 < len(token) <= 128:
        return None
    row = session.execute(SESSION_BY_HASH, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    session_id, last_seen, expires, *columns = row
    key = Caller(*columns)
    now = utcnow()
    last_seen = as_utc(last_seen)
    key_expires = as_utc(key.expires_at)
    if (
        as_utc(expires) <= now  # type: ignore[operator]
        or last_seen <= now - _idle()  # type: ignore[operator]
        or key.revoked_at is not None
        or (key_expires is not None and key_expires <= now)
    ):
        return None
    if now - last_seen > SEEN_RESOLUTION:  # type: ignore[operator]
        seen(session_id, now)
    return SignedIn(session_id, key)


def seen(session_id: int, now: datetime) -> bool:
    """Move the session's idle clock on, in a short transaction of its own: a page that only
    reads must not turn its request into a writer (see `auth.service.record_use`). Skipped,
    False, when the write lock is not had at once."""
    try:
        with brief_write(get_side_engine(), LAST_USED_WAIT_MS) as conn:
            conn.execute(
                update(WebSession)
                .where(col(WebSession.id) == session_id, col(WebSession.last_seen_at) < now)
                .values(last_seen_at=now)
            )
    except DBAPIError as exc:
        if not lock_not_had(exc):
            raise
        log.info("web session %s: last use not recorded (%s)", session_id, exc.orig)
        return False
    return True


def end(session: Session, token: str) -> None:
    """Sign out: the session's row is deleted (nothing happens when there is none)."""
    session.execute(delete(WebSession).where(col(WebSession.token_hash) == hash_token(token)))
