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
from app.indicators.aggregation import Aggregation
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
    aggregation: Aggregation = text_enum(default=Aggregation.STOCK)
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
    # The first day of the period a flow's target sums over (to `due_on`); None: not named.
    period_start: date | None = None
    due_on: date
    claim_id: int | None = Field(default=None, foreign_key="claims.id", ondelete="SET NULL")
    created_at: datetime = timestamp()
    # The status webhook subscribers were last told of (`target.status_changed`), kept only
    # while a subscription wants that event; None: never told (app/flows/notify.py).
    notified_status: str | None = Field(default=None, sa_type=String(20))


class ObservationStatus(StrEnum):
    LIVE = "live"
    WITHDRAWN = "withdrawn"  # kept, with its history, but out of every series


class Observation(SQLModel, table=True):
    """One value for one period as published on one date (its vintage). A correction edits it
    in place (a new version, the old value in its event); a withdrawal keeps it out of series."""

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
    status: ObservationStatus = text_enum(default=ObservationStatus.LIVE)
    withdrawn_reason: str | None = Field(default=None, sa_type=Text)
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    created_by_id: int | None = key_ref()


Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


SLUG_TEXT = "lowercase letters, digits and hyphens, not digits alone (a number is an id)"


class IndicatorFields(InputModel):
    name: str | None = PydField(default=None, min_length=1, max_length=200)
    slug: str | None = PydField(
        default=None, max_length=100, pattern=SLUG_PATTERN, description=SLUG_TEXT
    )
    question: str | None = PydField(default=None, max_length=5000)
    frequency: Frequency | None = None
    aggregation: Aggregation | None = PydField(
        default=None,
        description="how values add up over time: stock (a level: a period's value is its end's), "
        "flow (an amount: a period's value is the sum of its parts) or rate (their average)",
    )
    direction: Direction | None = None
    description: str | None = PydField(default=None, max_length=5000)
    tags: list[Tag] | None = PydField(default=None, max_length=20)


class IndicatorCreate(IndicatorFields):
    """A What-to-Watch question made measurable."""

    name: str = PydField(min_length=1, max_length=200)
    entity: str = PydField(min_length=1, max_length=200, description="slug, name or alias")
    metric: str = PydField(min_length=1, max_length=200)
    unit: str = PydField(
        min_length=1,
        max_length=32,
        description="e.g. USD, km, %, count; or a unit of no dimension: index, "
        '"index 2015=100", ratio, points, 1 (a plain number)',
    )
    frequency: Frequency = Frequency.IRREGULAR
    aggregation: Aggregation | None = PydField(
        default=None,
        description="how values add up over time: stock (a level: a period's value is its end's), "
        "flow (an amount: a period's value is the sum of its parts) or rate (their average)"
        "; default: rate for a percent or a per-year unit, else stock",
    )
    direction: Direction = Direction.NEUTRAL


class IndicatorUpdate(IndicatorFields):
    """A partial edit of an indicator's description and slug (its entity, metric and unit are
    fixed); a new slug leaves the old one free."""


class TargetCreate(InputModel):
    value_text: str = PydField(min_length=1, max_length=200, examples=["more than $100 billion"])
    due_on: IsoDate
    period_start: IsoDate | None = PydField(
        default=None,
        description="the first day of the period the target is about (a flow's target sums "
        "its values from here to due_on); default: the start of the period of the claim that "
        "set it. A flow's target needs one.",
    )
    claim_id: RecordId | None = None


class TargetUpdate(InputModel):
    """A target changed: the fields sent replace its own (period_start null: none named); its
    claim stays."""

    value_text: str | None = PydField(
        default=None, min_length=1, max_length=200, examples=["more than $100 billion"]
    )
    due_on: IsoDate | None = None
    period_start: IsoDate | None = None


class TargetPublic(BaseModel):
    id: int
    value_text: str
    value: DecimalString
    bound: Bound
    low: DecimalString | None
    high: DecimalString | None
    period_start: date | None
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
    aggregation: Aggregation
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


class ObservationUpdate(InputModel):
    """A correction of a recorded observation; fields left out keep their value. A new value
    published later is not a correction: add it as a new vintage."""

    period: str | None = PydField(default=None, min_length=1, max_length=100)
    value_text: str | None = PydField(default=None, min_length=1, max_length=200)
    value: DecimalText | None = None
    unit: str | None = PydField(default=None, min_length=1, max_length=32)
    vintage: IsoDate | None = None
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
    status: ObservationStatus = ObservationStatus.LIVE
    withdrawn_reason: str | None = None
    version: int = 1


class ObservationsCreated(BaseModel):
    created: int
    items: list[ObservationPublic]


class TargetProgress(BaseModel):
    """A target against the series: status, latest value, % of target, pace and projection."""

    target_id: int
    value_text: str
    period_start: date | None
    due_on: date
    status: str = PydField(
        description="not_started, on_track, at_risk, met or missed"
    )  # TargetStatus
    goal: DecimalString = PydField(
        description='the target\'s figure as written (900 for "900 km"; the end that counts '
        "of a range); met is judged on the interval it stands for"
    )
    basis: str = PydField(
        description="what `latest` is: the latest value, or a flow's sum over the target's period"
    )
    latest: DecimalString | None
    latest_on: date | None
    percent_of_target: DecimalString | None
    required_per_day: DecimalString | None = PydField(description="change per day still needed")
    projected: DecimalString | None = PydField(description="linear trend's value on the due date")


class FlagRef(BaseModel):
    id: int
    kind: str = PydField(description="stale, target_missed or contradicted_by_data")


class OpenFlagCounts(BaseModel):
    """How many flags of each kind about an indicator are open."""

    stale: int
    target_missed: int
    contradicted_by_data: int


class RecentPoint(BaseModel):
    on: date = PydField(description="the end of the period")
    value: str


class WatchItem(BaseModel):
    id: int
    slug: str
    name: str
    question: str
    unit: str
    aggregation: Aggregation
    last_value: DecimalString | None
    last_on: date | None
    change: DecimalString | None = PydField(
        description="since the previous period (the series' chg): null when it has no value"
    )
    status: str
    goal: str | None = PydField(
        description="the target that sets the status, as written (the worst status, then the "
        "first due)"
    )
    goal_value: str | None = PydField(description="that target's goal in the indicator's unit")
    goal_due: date | None
    percent_complete: str | None = PydField(
        description="the latest value as a percent of that goal (its percent_of_target)"
    )
    open_flags: list[FlagRef] = PydField(
        description="open stale and target_missed flags of the indicator, and the open "
        "contradicted_by_data flags of claims its data contradict"
    )
    open_flag_counts: OpenFlagCounts
    recent: list[RecentPoint] = PydField(
        description="the newest points (up to 8, as known today), oldest first: a sparkline"
    )
    targets: list[TargetProgress]
