"""Column helpers every table uses: timestamps that keep their time zone."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, String
from sqlmodel import Field, SQLModel

# Constraint names that Alembic can find again on both databases; set before any table exists.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; every stored one is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def timestamp(*, nullable: bool = False, index: bool = False) -> Any:
    kwargs: dict[str, Any] = {"sa_type": DateTime(timezone=True), "nullable": nullable}
    if index:
        kwargs["index"] = True
    if not nullable:
        kwargs["default_factory"] = utcnow
    return Field(**kwargs)


def text_enum(length: int = 16, *, index: bool = False, default: Any = None) -> Any:
    """Enums are stored as plain strings so that adding a value needs no type migration.
    `default`: the value a new row takes when it gives none."""
    if default is None:
        return Field(sa_type=String(length), index=index)
    return Field(default=default, sa_type=String(length), index=index)


def key_ref(*, nullable: bool = True) -> Any:
    """Who did it: the API key behind the request."""
    return Field(default=None, foreign_key="api_keys.id", ondelete="SET NULL", nullable=nullable)
