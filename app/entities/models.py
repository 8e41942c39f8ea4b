"""Entities with aliases, and metrics with their dimension."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from pydantic import Field as PydField
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.core.models import timestamp
from app.core.params import RecordId
from app.core.schemas import InputModel

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Entity(SQLModel, table=True):
    __tablename__ = "entities"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=String(100), unique=True)
    name: str = Field(sa_type=String(200))
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class EntityAlias(SQLModel, table=True):
    """Every name an entity goes by, its slug and name included, in normalised form."""

    __tablename__ = "entity_aliases"

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entities.id", index=True, ondelete="CASCADE")
    alias: str = Field(sa_type=String(200))
    normalized: str = Field(sa_type=String(200), unique=True)


class Metric(SQLModel, table=True):
    __tablename__ = "metrics"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=String(100), unique=True)
    name: str = Field(sa_type=String(200))
    dimension: str = Field(sa_type=String(16))
    unit: str = Field(sa_type=String(16))
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class MetricAlias(SQLModel, table=True):
    """Every name a metric goes by, its slug and name included, in normalised form."""

    __tablename__ = "metric_aliases"

    id: int | None = Field(default=None, primary_key=True)
    metric_id: int = Field(foreign_key="metrics.id", index=True, ondelete="CASCADE")
    alias: str = Field(sa_type=String(200))
    normalized: str = Field(sa_type=String(200), unique=True)


Alias = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class EntityCreate(InputModel):
    """An entity: slug (derived from the name when omitted), name and aliases."""

    name: str = PydField(min_length=1, max_length=200)
    slug: str | None = PydField(default=None, max_length=100, pattern=SLUG_PATTERN)
    aliases: list[Alias] = PydField(default_factory=list, max_length=50)


class EntityAliasesUpdate(InputModel):
    """An entity's aliases, all of them: the list replaces the ones it has."""

    aliases: list[Alias] = PydField(
        max_length=50,
        description="Every name the entity goes by; its name and slug stay among them whether "
        "listed or not. An alias another entity goes by is refused (409).",
    )


class MetricAliasesUpdate(InputModel):
    """A metric's aliases, all of them: the list replaces the ones it has."""

    aliases: list[Alias] = PydField(
        max_length=50,
        description="Every name the metric goes by; its name and slug stay among them whether "
        "listed or not. An alias another metric goes by is refused (409).",
    )


class Merge(InputModel):
    """The record this one is folded into."""

    into: RecordId = PydField(description="the id of the record that stays")


class EntityPublic(BaseModel):
    id: int
    slug: str
    name: str
    aliases: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


class MetricCreate(InputModel):
    """A metric: name, slug, aliases, and the unit its values are kept in (which fixes the
    dimension)."""

    name: str = PydField(min_length=1, max_length=200)
    slug: str | None = PydField(default=None, max_length=100, pattern=SLUG_PATTERN)
    unit: str = PydField(min_length=1, max_length=32, description="e.g. USD, km, t, %, count")
    aliases: list[Alias] = PydField(default_factory=list, max_length=50)


class MetricPublic(BaseModel):
    id: int
    slug: str
    name: str
    aliases: list[str]
    dimension: str
    unit: str
    version: int
    created_at: datetime
    updated_at: datetime


class Ref(BaseModel):
    """A short reference to an entity or metric inside a claim."""

    id: int
    slug: str
    name: str
