"""API keys: random, prefixed, shown once, stored as a keyed hash."""

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel
from pydantic import Field as PydField
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.core.models import key_ref, text_enum, timestamp
from app.core.params import IsoDateTime
from app.core.schemas import InputModel


class Role(StrEnum):
    READER = "reader"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(200))
    role: Role = text_enum()
    prefix: str = Field(sa_type=String(32), unique=True)
    key_hash: str = Field(sa_type=String(64), unique=True, index=True)
    created_at: datetime = timestamp()
    expires_at: datetime | None = timestamp(nullable=True)
    revoked_at: datetime | None = timestamp(nullable=True)
    last_used_at: datetime | None = timestamp(nullable=True)
    created_by_id: int | None = key_ref()


class Caller(NamedTuple):
    """The key a request authenticates with: the columns of its row that the check and the
    routes use (`auth.service.KEY_BY_PREFIX` reads these), read on every request (an ApiKey
    object cost more to build than the query that reads it)."""

    id: int
    name: str
    role: Role
    prefix: str
    key_hash: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreate(InputModel):
    """A new key: its name, role and optional expiry."""

    name: str = PydField(min_length=1, max_length=200)
    role: Role
    expires_at: IsoDateTime | None = None


class ApiKeyPublic(BaseModel):
    """A key as listed: never its secret."""

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """A key just made: the only response that ever carries the secret."""

    key: str


class WebSession(SQLModel, table=True):
    """A browser's session in the web app (`auth/web_sessions.py`): the hash of a random id the
    browser holds in a cookie, and the key it signed in with. In the database, so that every
    worker on every host knows it, and a revoked key ends it on the next request."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_type=String(64), unique=True, index=True)
    key_id: int = Field(foreign_key="api_keys.id", ondelete="CASCADE", index=True)
    created_at: datetime = timestamp()
    last_seen_at: datetime = timestamp()
    expires_at: datetime = timestamp(index=True)
