"""Events: one row per change, never updated or deleted."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import JSON, Index, String
from sqlmodel import Field, SQLModel

from app.core.models import key_ref, timestamp


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_record", "record_type", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = timestamp(index=True)
    actor_id: int | None = key_ref()
    action: str = Field(sa_type=String(40))
    record_type: str = Field(sa_type=String(32))
    record_id: int
    version: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class Actor(BaseModel):
    id: int
    name: str


class EventPublic(BaseModel):
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor: Actor | None
    action: str
    record_type: str
    record_id: int
    version: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
