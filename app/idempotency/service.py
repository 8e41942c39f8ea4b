"""Idempotency-Key: claim the key in the request's transaction, keep the response, replay it.

The record is written in the same transaction as the change it guards: both commit or neither
does. A retry after a lost response therefore finds the record and replays it; a retry after a
failed request finds nothing and runs again. Two requests with one key never both run: on SQLite
every writer holds the write lock from BEGIN IMMEDIATE, and on PostgreSQL the second one's insert
waits on the unique index until the first commits (then it replays) or rolls back (then it runs).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col, select
from starlette.responses import Response

from app.core.models import as_utc, utcnow
from app.idempotency.errors import IdempotencyKeyInFlight, IdempotencyKeyReused
from app.idempotency.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotency-Replayed"
# What a replay needs besides status and body; Content-Length is computed again.
KEPT_HEADERS = ("content-type", "location", "etag", "preference-applied", "vary")
# Expired records deleted at most per keyed request: the purge never grows a request's cost.
PURGE_BATCH = 100


@dataclass(frozen=True)
class Claimed:
    """A key this request holds until its transaction ends."""

    session: Session
    record_id: int


def fingerprint(method: str, path: str, query: bytes, content_type: str, body: bytes) -> str:
    """The request a key was first used for: sha256 of method, path, query, content type, body."""
    digest = hashlib.sha256()
    parts: Iterable[bytes] = (
        method.encode(),
        path.encode(),
        query,
        content_type.encode("latin-1"),
        body,
    )
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _find(session: Session, api_key_id: int, key: str) -> IdempotencyRecord | None:
    return session.execute(
        select(IdempotencyRecord)
        .where(col(IdempotencyRecord.api_key_id) == api_key_id, col(IdempotencyRecord.key) == key)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def purge(session: Session, before: datetime) -> int:
    """Delete up to PURGE_BATCH records made before `before`; rows others hold are skipped."""
    stale = (
        select(col(IdempotencyRecord.id))
        .where(col(IdempotencyRecord.created_at) < before)
        .order_by(col(IdempotencyRecord.created_at), col(IdempotencyRecord.id))
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.id).in_(stale)),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    """The stored response, if the record was made for this very request."""
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "this key was first sent with another method, path or body; use a new key",
            field=HEADER,
        )
    if record.status_code is None:
        raise IdempotencyKeyInFlight("retry when the first request has finished", field=HEADER)
    headers = {**(record.headers or {}), REPLAYED_HEADER: "true"}
    return Response(content=record.body or b"", status_code=record.status_code, headers=headers)


def claim(
    session: Session,
    *,
    api_key_id: int,
    key: str,
    fingerprint: str,
    ttl: timedelta,
) -> Claimed | Response:
    """Hold `key` for this request, or return the response a finished request with it gave."""
    now = utcnow()
    cutoff = now - ttl
    found = _find(session, api_key_id, key)
    if found is not None:
        created = as_utc(found.created_at)
        assert created is not None
        if created >= cutoff:
            return replay(found, fingerprint)
        session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == found.id))
    purge(session, cutoff)
    try:
        with session.begin_nested():
            record_id = session.execute(
                insert(IdempotencyRecord)
                .values(api_key_id=api_key_id, key=key, fingerprint=fingerprint, created_at=now)
                .returning(col(IdempotencyRecord.id))
            ).scalar_one()
    except IntegrityError:
        # A request with the same key committed while this one waited on the unique index.
        found = _find(session, api_key_id, key)
        if found is None:
            raise
        return replay(found, fingerprint)
    assert record_id is not None
    return Claimed(session=session, record_id=record_id)


def remember(claimed: Claimed, response: Response) -> None:
    """Keep the response for retries, in the request's transaction (before it commits)."""
    where = col(IdempotencyRecord.id) == claimed.record_id
    body = getattr(response, "body", None)
    if not isinstance(body, bytes | memoryview):
        # A streamed response cannot be kept: release the key rather than keep half an answer.
        claimed.session.execute(delete(IdempotencyRecord).where(where))
        return
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    claimed.session.execute(
        update(IdempotencyRecord)
        .where(where)
        .values(status_code=response.status_code, headers=headers, body=bytes(body))
    )
