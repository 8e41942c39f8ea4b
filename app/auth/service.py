"""Issuing, checking and revoking API keys."""

import hashlib
import hmac
import logging
import secrets
import sqlite3
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, Table, bindparam, func, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.auth.errors import ApiKeyNotFound, LastAdminKey
from app.auth.models import ApiKey, ApiKeyCreate, Caller, Role
from app.core.config import get_settings
from app.core.db import brief_write, get_side_engine
from app.core.errors import InvalidInput
from app.core.models import as_utc, utcnow
from app.core.sessions import lock_keys
from app.core.statements import fetch

# The keys as the audit log names its actors (`audit.get_page`).
ACTORS: Table = ApiKey.__table__  # type: ignore[attr-defined]

KEY_PREFIX = "ct_"
# The public prefix of a key chosen by a deployer (`CLAIMTRACK_BOOTSTRAP_ADMIN_KEY`): random, as
# an issued key's, since such a key's text carries none. It is shown by GET /keys and logged
# with every request, so it must tell nothing about the secret (it was once 64 bits of its HMAC).
CHOSEN_PREFIX = "cb_"
# A key's last_used_at is coarse: each process writes it at most this often per key.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# How long recording a use may wait for the write lock before it is skipped.
LAST_USED_WAIT_MS = 50
log = logging.getLogger("claimtrack")


def hash_key(key: str) -> str:
    secret = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


MIN_KEY_LENGTH = 16
MAX_KEY_LENGTH = 512


def _can_be_key(key: str) -> bool:
    return MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH


def _written_prefix(key: str) -> str | None:
    """The public prefix an issued key carries in its text (`ct_1a2b3c4d_...`), else None.

    Such a key is looked up by that prefix. A bootstrap key chosen by a deployer may be any text
    of 16+ characters: it is stored under a random prefix (`CHOSEN_PREFIX`) and looked up by its
    keyed hash.
    """
    head, sep, secret = key.removeprefix(KEY_PREFIX).partition("_")
    if key.startswith(KEY_PREFIX) and sep and len(head) == 8 and len(secret) >= MIN_KEY_LENGTH:
        return KEY_PREFIX + head
    return None


def new_key_text() -> str:
    return f"{KEY_PREFIX}{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"


def create(
    session: Session, data: ApiKeyCreate, *, created_by_id: int | None, key: str | None = None
) -> tuple[ApiKey, str]:
    """A new key; the clear text is returned once and never stored."""
    if data.expires_at is not None and as_utc(data.expires_at) <= utcnow():  # type: ignore[operator]
        raise InvalidInput("expires_at must be in the future", field="expires_at")
    text = key or new_key_text()
    if not _can_be_key(text):
        raise ValueError(f"an API key must have {MIN_KEY_LENGTH} to {MAX_KEY_LENGTH} characters")
    prefix = _written_prefix(text) or CHOSEN_PREFIX + secrets.token_hex(4)
    row = ApiKey(
        name=data.name,
        role=data.role,
        prefix=prefix,
        key_hash=hash_key(text),
        expires_at=data.expires_at,
        created_by_id=created_by_id,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.record(
        session,
        actor_id=created_by_id,
        action="key.created",
        record_type="key",
        record_id=row.id,
        after={"name": row.name, "role": row.role, "prefix": row.prefix},
    )
    return row, text


# Columns, not the ORM entity: the key is checked on every request (loading an entity costs
# more than the query). The columns are the `Caller`'s, in its order.
KEY_BY_PREFIX = sa_select(
    *(ApiKey.__table__.c[name] for name in Caller._fields)  # type: ignore[attr-defined]
).where(col(ApiKey.prefix) == bindparam("prefix"))
KEY_BY_HASH = sa_select(
    *(ApiKey.__table__.c[name] for name in Caller._fields)  # type: ignore[attr-defined]
).where(col(ApiKey.key_hash) == bindparam("key_hash"))


def authenticate(session: Session, key: str) -> Caller | None:
    """The live key behind this text, or None; compared in constant time. Its use is recorded
    when due (`use_due`), in a short write of its own."""
    row = find_live(session, key)
    if row is not None:
        note_use(row)
    return row


def note_use(row: Caller) -> None:
    """Record the key's use, when due (`use_due`), in a short write of its own."""
    if (now := use_due(row)) is not None:
        record_use(get_side_engine(), row.id or 0, now)


def find_live(session: Session, key: str) -> Caller | None:
    """`authenticate` without recording the use: one read, nothing written."""
    if not _can_be_key(key):
        return None
    prefix = _written_prefix(key)
    if prefix is not None:
        found = fetch(session, KEY_BY_PREFIX, {"prefix": prefix})
    else:
        # A chosen key: found by its keyed hash (unique, indexed), which no one can work out
        # without the secret key, so the lookup's timing tells nothing about the text.
        found = fetch(session, KEY_BY_HASH, {"key_hash": hash_key(key)})
    if not found or not hmac.compare_digest(found[0].key_hash, hash_key(key)):
        return None
    row = Caller(*found[0])
    now = utcnow()
    expires_at = as_utc(row.expires_at)
    if row.revoked_at is not None or (expires_at is not None and expires_at <= now):
        return None
    return row


def use_due(row: Caller) -> datetime | None:
    """The time to record as the key's last use, when that is due now (else None)."""
    assert row.id is not None
    now = utcnow()
    return now if _use_is_due(row.id, as_utc(row.last_used_at), now) else None


# When this process last tried to record each key's use (whether or not the write went through).
_uses_tried: dict[int, datetime] = {}
_uses_lock = threading.Lock()


def _use_is_due(key_id: int, stored: datetime | None, now: datetime) -> bool:
    """Whether to record this use: not within the resolution of the stored one, nor of the last
    attempt this process made (so that a busy database sees one attempt per key and window)."""
    if stored is not None and now - stored <= LAST_USED_RESOLUTION:
        return False
    with _uses_lock:
        tried = _uses_tried.get(key_id)
        if tried is not None and now - tried <= LAST_USED_RESOLUTION:
            return False
        _uses_tried[key_id] = now
    return True


def record_use(engine: Engine, key_id: int, now: datetime) -> bool:
    """Write last_used_at in a short transaction of its own, never in the request's.

    A request that only reads must not become a writer: on SQLite a read transaction that
    tries to write while another writer committed fails at once with "database is locked".
    The write is best effort: when the lock is not had within LAST_USED_WAIT_MS it is skipped,
    and False is returned; any other database error (the database is away) is raised.
    """
    try:
        with brief_write(engine, LAST_USED_WAIT_MS) as conn:
            conn.execute(
                update(ApiKey)
                .where(
                    col(ApiKey.id) == key_id,
                    or_(
                        col(ApiKey.last_used_at).is_(None),
                        col(ApiKey.last_used_at) < now - LAST_USED_RESOLUTION,
                    ),
                )
                .values(last_used_at=now)
            )
    except DBAPIError as exc:
        if not lock_not_had(exc):
            # The database is away: the request gets its 503 now, not after a second wait on
            # its own connection (every request's wait has one bound: README, Configuration).
            raise
        log.info("key %s: last use not recorded (%s)", key_id, exc.orig)
        return False
    return True


def lock_not_had(exc: DBAPIError) -> bool:
    """The write lock was not had in time: PostgreSQL's lock_not_available, SQLite's busy."""
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return getattr(exc.orig, "sqlstate", None) == "55P03" or (
        code is not None and code & 0xFF == sqlite3.SQLITE_BUSY
    )


def get_all(session: Session) -> Sequence[ApiKey]:
    return session.execute(select(ApiKey).order_by(col(ApiKey.id))).scalars().all()


def revoke(session: Session, key_id: int, *, actor_id: int | None) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise ApiKeyNotFound(f"no API key {key_id}")
    if row.revoked_at is None:
        if row.role == Role.ADMIN:
            # Two admins revoking each other at once: one waits for the other, then counts.
            lock_keys(session, ["keys:admins"])
            if _live_admins(session, excluding=key_id) == 0:
                raise LastAdminKey(
                    f"key {key_id} is the last live admin key: issue another admin key first, "
                    "or no one could manage keys any more"
                )
        row.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            action="key.revoked",
            record_type="key",
            record_id=key_id,
            after={"name": row.name, "role": row.role, "prefix": row.prefix},
        )
    return row


def _live_admins(session: Session, *, excluding: int) -> int:
    """Admin keys other than `excluding` that still work (not revoked, not expired)."""
    now = utcnow()
    stmt = select(func.count()).where(
        col(ApiKey.role) == Role.ADMIN,
        col(ApiKey.id) != excluding,
        col(ApiKey.revoked_at).is_(None),
        or_(col(ApiKey.expires_at).is_(None), col(ApiKey.expires_at) > now),
    )
    return int(session.execute(stmt).scalar_one())


def count(session: Session) -> int:
    return len(session.execute(select(ApiKey.id).limit(1)).all())


def ensure_admin(session: Session, *, key: str | None) -> str | None:
    """On first start, an admin key (the bootstrap one if given); its text, or None."""
    if count(session) > 0:
        return None
    _, text = create(
        session,
        ApiKeyCreate(name="bootstrap admin", role=Role.ADMIN),
        created_by_id=None,
        key=key,
    )
    return text


def expires_in(days: int) -> datetime:
    return utcnow() + timedelta(days=days)
