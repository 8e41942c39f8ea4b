"""Idempotency records: the first response to a keyed POST, kept to answer its retries."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import timestamp


class IdempotencyRecord(SQLModel, table=True):
    """One `Idempotency-Key` of one API key, written in the same transaction as the change.

    `status_code` is NULL only inside the transaction that claimed the key: the row is filled
    with the response (or deleted) before that transaction commits.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_keys.id", ondelete="CASCADE")
    key: str = Field(sa_type=String(255))
    fingerprint: str = Field(sa_type=String(64))
    status_code: int | None = None
    headers: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    body: bytes | None = Field(default=None, sa_type=LargeBinary)
    created_at: datetime = timestamp(index=True)
