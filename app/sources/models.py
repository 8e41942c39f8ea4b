"""Sources and what they derive from."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel
from pydantic import Field as PydField
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.core.models import key_ref, text_enum, timestamp
from app.core.params import IsoDate, RecordId
from app.core.schemas import InputModel


class SourceKind(StrEnum):
    OFFICIAL = "official"
    STATISTICS = "statistics"
    NEWS = "news"
    ANALYSIS = "analysis"
    BRIEFING = "briefing"
    OTHER = "other"


class Publisher(SQLModel, table=True):
    """A publication's publisher, one however citations write its name (`publishers.py`)."""

    __tablename__ = "publishers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(200))
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()


class PublisherName(SQLModel, table=True):
    """A key a publisher is known by: its name's, and one for each alias."""

    __tablename__ = "publisher_names"

    key: str = Field(sa_type=String(200), primary_key=True)
    publisher_id: int = Field(foreign_key="publishers.id", index=True, ondelete="CASCADE")
    alias: str | None = Field(default=None, sa_type=String(200))  # None: the name's own key


class Source(SQLModel, table=True):
    __tablename__ = "sources"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=String(2048), unique=True)
    # The source's identity: its URL whatever the scheme, `www.` or last slash (`urls.py`).
    url_key: str = Field(sa_type=String(2048), unique=True)
    title: str = Field(sa_type=String(500))
    publisher: str | None = Field(default=None, sa_type=String(200), index=True)
    publisher_id: int | None = Field(default=None, foreign_key="publishers.id", index=True)
    published_on: date | None = None
    kind: SourceKind = text_enum(index=True)
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    created_by_id: int | None = key_ref()


class SourceDerivation(SQLModel, table=True):
    """`source_id` repeats or builds on `derived_from_id` (a briefing on its news sources)."""

    __tablename__ = "source_derivations"

    source_id: int = Field(foreign_key="sources.id", primary_key=True, ondelete="CASCADE")
    derived_from_id: int = Field(
        foreign_key="sources.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class SourceFields(InputModel):
    title: str = PydField(min_length=1, max_length=500)
    publisher: str | None = PydField(default=None, max_length=200)
    published_on: IsoDate | None = None
    kind: SourceKind = SourceKind.OTHER


class SourceCreate(SourceFields):
    """A publication: its URL (canonicalised), title, publisher, date, kind, parents."""

    url: str = PydField(min_length=1, max_length=2048)
    derived_from: list[RecordId] = PydField(default_factory=list, max_length=100)


class SourceUpdate(InputModel):
    """Fields of a source that may change; the URL is its identity and may not."""

    title: str | None = PydField(default=None, min_length=1, max_length=500)
    publisher: str | None = PydField(default=None, max_length=200)
    published_on: IsoDate | None = None
    kind: SourceKind | None = None
    derived_from: list[RecordId] | None = PydField(default=None, max_length=100)


class SourcePublic(BaseModel):
    """A source as the API shows it."""

    id: int
    url: str
    title: str
    publisher: str | None
    publisher_id: int | None = PydField(
        description="The publisher this name is one of (GET /api/v1/publishers/{id}); sources "
        "of one publisher are not independent of each other."
    )
    published_on: date | None
    kind: SourceKind
    derived_from: list[int]
    version: int
    created_at: datetime
    updated_at: datetime


class PublisherPublic(BaseModel):
    id: int
    name: str
    aliases: list[str]
    sources: int
    version: int


class PublisherUpdate(InputModel):
    """A publisher's name and its aliases (the whole list, replacing the one before)."""

    name: str | None = PydField(default=None, min_length=1, max_length=200)
    aliases: list[str] | None = PydField(default=None, max_length=50)
