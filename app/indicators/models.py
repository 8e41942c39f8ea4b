"""Indicators, their targets and their observations (every vintage kept)."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from pydantic import Field as PydField
from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import key_ref, text_enum, timestamp
from app.core.params import DecimalString, DecimalText, IsoDate, RecordId
from app.core.schemas import InputModel
from app.core.types import ExactDecimal
from app.entities.models import SLUG_PATTERN, Ref
from app.indicators.frequency import Frequency
from app.quantities import Bound


class Direction(StrEnum):
    UP_IS_GOOD = "up_is_good"
    DOWN_IS_GOOD = "down_is_good"
    NEUTRAL = "neutral"


class Indicator(SQLModel, table=True):
    __tablename__ = "indicators"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_type=String(100), unique=True)
    name: str = Field(sa_type=String(200))
    question: str = Field(default="", sa_type=Text)
    entity_id: int = Field(foreign_key="entities.id", index=True)
    metric_id: int = Field(foreign_key="metrics.id", index=True)
    unit: str = Field(sa_type=String(16))
    dimension: str = Field(sa_type=String(16))
    frequency: Frequency = text_enum()
    direction: Direction = text_enum()
    description: str = Field(default="", sa_type=Text)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    created_by_id: int | None = key_ref()


class Target(SQLModel, table=True):
    """A value an indicator should reach by a date, usually set by a claim."""

    __tablename__ = "indicator_targets"

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicators.id", index=True, ondelete="CASCADE")
    value_text: str = Field(sa_type=String(200))
    value: Decimal = Field(sa_type=ExactDecimal)
    bound: Bound = text_enum()
    low: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    high: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    low_open: bool = False
    high_open: bool = False
    due_on: date
    claim_id: int | None = Field(default=None, foreign_key="claims.id", ondelete="SET NULL")
    created_at: datetime = timestamp()


class Observation(SQLModel, table=True):
    """One value for one period as published on one date (its vintage)."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start", "period_end", "vintage"),
        Index("ix_observations_series", "indicator_id", "period_end", "vintage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicators.id", ondelete="CASCADE")
    period_text: str = Field(sa_type=String(100))
    period_start: date
    period_end: date
    value: Decimal = Field(sa_type=ExactDecimal)
    vintage: date
    source_id: int | None = Field(default=None, foreign_key="sources.id", ondelete="SET NULL")
    quote: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = timestamp()
    created_by_id: int | None = key_ref()


Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class IndicatorFields(InputModel):
    name: str | None = PydField(default=None, min_length=1, max_length=200)
    question: str | None = PydField(default=None, max_length=5000)
    frequency: Frequency | None = None
    direction: Direction | None = None
    description: str | None = PydField(default=None, max_length=5000)
    tags: list[Tag] | None = PydField(default=None, max_length=20)


class IndicatorCreate(IndicatorFields):
    """A What-to-Watch question made measurable."""

    name: str = PydField(min_length=1, max_length=200)
    slug: str | None = PydField(default=None, max_length=100, pattern=SLUG_PATTERN)
    entity: str = PydField(min_length=1, max_length=200, description="slug, name or alias")
    metric: str = PydField(min_length=1, max_length=200)
    unit: str = PydField(min_length=1, max_length=32, description="e.g. USD, km, %, count")
    frequency: Frequency = Frequency.IRREGULAR
    direction: Direction = Direction.NEUTRAL


class IndicatorUpdate(IndicatorFields):
    """A partial edit of an indicator's description (its entity, metric and unit are fixed)."""


class TargetCreate(InputModel):
    value_text: str = PydField(min_length=1, max_length=200, examples=["more than $100 billion"])
    due_on: IsoDate
    claim_id: RecordId | None = None


class TargetPublic(BaseModel):
    id: int
    value_text: str
    value: DecimalString
    bound: Bound
    low: DecimalString | None
    high: DecimalString | None
    due_on: date
    claim_id: int | None


class IndicatorPublic(BaseModel):
    id: int
    slug: str
    name: str
    question: str
    entity: Ref
    metric: Ref
    unit: str
    frequency: Frequency
    direction: Direction
    description: str
    tags: list[str]
    targets: list[TargetPublic]
    version: int
    created_at: datetime
    updated_at: datetime


class IndicatorPage(BaseModel):
    items: list[IndicatorPublic]
    next: str | None


class CitationRef(InputModel):
    source_id: RecordId | None = None
    url: str | None = PydField(default=None, min_length=1, max_length=2048)
    title: str | None = PydField(default=None, min_length=1, max_length=500)
    quote: str | None = PydField(default=None, max_length=5000)


class ObservationIn(InputModel):
    """One observation: period, value (text, or number + unit), citation, vintage."""

    period: str = PydField(min_length=1, max_length=100, examples=["2026-05", "2026-Q2"])
    value_text: str | None = PydField(default=None, min_length=1, max_length=200)
    value: DecimalText | None = None
    unit: str | None = PydField(default=None, min_length=1, max_length=32)
    vintage: IsoDate | None = PydField(
        default=None, description="when this value was published; default: source date, else today"
    )
    citation: CitationRef | None = None


class ObservationPublic(BaseModel):
    id: int
    period: str
    period_start: date
    period_end: date
    value: DecimalString
    vintage: date
    source_id: int | None
    quote: str | None


class ObservationsCreated(BaseModel):
    created: int
    items: list[ObservationPublic]


class TargetProgress(BaseModel):
    """A target against the series: status, latest value, % of target, pace and projection."""

    target_id: int
    value_text: str
    due_on: date
    status: str = PydField(
        description="not_started, on_track, at_risk, met or missed"
    )  # TargetStatus
    goal: DecimalString
    latest: DecimalString | None
    latest_on: date | None
    percent_of_target: DecimalString | None
    required_per_day: DecimalString | None = PydField(description="change per day still needed")
    projected: DecimalString | None = PydField(description="linear trend's value on the due date")


class WatchItem(BaseModel):
    id: int
    slug: str
    name: str
    question: str
    unit: str
    last_value: DecimalString | None
    last_on: date | None
    change: DecimalString | None = PydField(description="since the previous observation")
    status: str
    targets: list[TargetProgress]
