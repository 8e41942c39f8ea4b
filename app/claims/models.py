"""Claims, their citations and tags, and the shapes the API takes and gives."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, StringConstraints, model_validator
from pydantic import Field as PydField
from sqlalchemy import Index, Row, String, Text
from sqlmodel import Field, SQLModel

from app.claims.states import Verdict, VerificationState
from app.core.models import key_ref, text_enum, timestamp
from app.core.params import DecimalString, DecimalText, IsoDate, RecordId
from app.core.schemas import InputModel
from app.core.types import ExactDecimal
from app.entities.models import Ref
from app.quantities import Bound, FigureType
from app.sources.models import SourceKind


class ClaimKind(StrEnum):
    ACTUAL = "actual"
    ESTIMATE = "estimate"
    PROJECTION = "projection"
    TARGET = "target"
    COMMITMENT = "commitment"


class ClaimStatus(StrEnum):
    ACTIVE = "active"
    RETRACTED = "retracted"


# A claim's rank among rivals (Wikidata's): a reviewer sets it when resolving a conflict.
class Rank(StrEnum):
    PREFERRED = "preferred"
    NORMAL = "normal"
    DEPRECATED = "deprecated"


class Claim(SQLModel, table=True):
    __tablename__ = "claims"
    # The comparison key of the conflict rule: claims are compared only within it.
    __table_args__ = (
        Index(
            "ix_claims_comparison",
            "entity_id",
            "metric_id",
            "period_start",
            "period_end",
            "figure_type",
        ),
        Index("ix_claims_metric_id", "metric_id"),
        Index("ix_claims_period", "period_start", "period_end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entity_id: int = Field(foreign_key="entities.id", ondelete="RESTRICT")
    metric_id: int = Field(foreign_key="metrics.id", ondelete="RESTRICT")
    value_text: str = Field(sa_type=String(200))
    value_is_index: bool = False
    value: Decimal = Field(sa_type=ExactDecimal)
    unit: str = Field(sa_type=String(16))
    dimension: str = Field(sa_type=String(16))
    bound: Bound = text_enum()
    # A level, or a change, multiple or share of the thing measured (quantities.FigureType).
    figure_type: FigureType = text_enum(default=FigureType.LEVEL)
    low: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    high: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    low_open: bool = False
    high_open: bool = False
    period_text: str | None = Field(default=None, sa_type=String(100))
    period_start: date | None = None
    period_end: date | None = None
    # The period starts on the day the claim was made ("to 2030"): `Period.from_said`.
    period_from_said: bool = False
    kind: ClaimKind = text_enum(index=True)
    basis: str | None = Field(default=None, sa_type=String(200))
    stated_by: str = Field(sa_type=String(300))
    asserted_on: date = Field(index=True)
    statement: str = Field(sa_type=Text)
    status: ClaimStatus = text_enum(index=True, default=ClaimStatus.ACTIVE)
    rank: Rank = Field(default=Rank.NORMAL, sa_type=String(16))
    rank_reason: str | None = Field(default=None, sa_type=Text)
    verification: VerificationState = Field(
        default=VerificationState.UNSOURCED, sa_type=String(16), index=True
    )
    # The latest verdict on the claim (`reviews`), stored beside its state: part of it.
    verdict: Verdict | None = Field(default=None, sa_type=String(24), index=True)
    # The fact-checker's queue item of an unsourced or unverified claim (its id: minus the
    # claim's id): who has it, and its dismissal, which holds while the claim stays unsettled.
    verification_assignee_id: int | None = key_ref()
    verification_dismissed_at: datetime | None = timestamp(nullable=True)
    verification_dismissed_by_id: int | None = key_ref()
    verification_dismissed_reason: str | None = Field(default=None, sa_type=Text)
    version: int = 1
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp()
    retracted_at: datetime | None = timestamp(nullable=True)
    created_by_id: int | None = key_ref()


# A stored claim as read: the ORM object, or a row selected from the claims table (lists read
# rows: building an ORM object per row and reading its instrumented attributes costs more than
# the query).
StoredClaim = Claim | Row[Any]


class ClaimTag(SQLModel, table=True):
    __tablename__ = "claim_tags"

    claim_id: int = Field(foreign_key="claims.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(sa_type=String(50), primary_key=True, index=True)


class Citation(SQLModel, table=True):
    """A claim backed by a source, with the verbatim quote."""

    __tablename__ = "citations"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claims.id", index=True, ondelete="CASCADE")
    source_id: int = Field(foreign_key="sources.id", index=True, ondelete="RESTRICT")
    quote: str = Field(sa_type=Text)
    created_at: datetime = timestamp()
    created_by_id: int | None = key_ref()


Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=50)
]
Finite = DecimalText


class CitationIn(InputModel):
    """A citation: an existing source by id, or a source by URL (found or created), + quote."""

    source_id: RecordId | None = None
    url: str | None = PydField(default=None, min_length=1, max_length=2048)
    title: str | None = PydField(default=None, min_length=1, max_length=500)
    publisher: str | None = PydField(default=None, max_length=200)
    published_on: IsoDate | None = None
    kind: SourceKind | None = None
    quote: str = PydField(min_length=1, max_length=5000)

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.source_id is None) == (self.url is None):
            raise ValueError("give either source_id or url")
        return self


class ClaimFields(InputModel):
    """What an analyst may set on a claim (create and update alike)."""

    entity: str | None = PydField(default=None, min_length=1, max_length=200)
    metric: str | None = PydField(default=None, min_length=1, max_length=200)
    value_text: str | None = PydField(
        default=None, min_length=1, max_length=200, examples=["$16.5 billion"]
    )
    value: Finite | None = None
    value_high: Finite | None = None
    unit: str | None = PydField(default=None, min_length=1, max_length=32)
    bound: Bound | None = None
    figure_type: FigureType | None = PydField(
        default=None,
        description=(
            "level, change, multiple or share: read from value_text (a different one is "
            "refused); with value + unit, what the value is when the unit allows more than one"
        ),
    )
    value_is_index: bool = PydField(
        default=False, description="the value is a growth index (105.3% = +5.3%)"
    )
    period: str | None = PydField(default=None, max_length=100, examples=["2024", "to 2030"])
    kind: ClaimKind | None = None
    basis: str | None = PydField(default=None, max_length=200)
    stated_by: str | None = PydField(default=None, min_length=1, max_length=300)
    asserted_on: IsoDate | None = None
    statement: str | None = PydField(default=None, min_length=1, max_length=5000)
    tags: list[Tag] | None = PydField(default=None, max_length=20)

    @model_validator(mode="after")
    def _value_one_way(self) -> Self:
        if self.value_text is not None and (
            self.value is not None or self.unit is not None or self.bound is not None
        ):
            raise ValueError("give value_text, or value + unit (+ bound), not both")
        if self.value is None and (
            self.unit is not None or self.value_high is not None or self.bound is not None
        ):
            raise ValueError("unit, bound and value_high go with value (value + unit + bound)")
        if self.value is not None and self.unit is None:
            raise ValueError("value needs unit")
        return self


class ClaimCreate(ClaimFields):
    """A claim as an analyst logs it."""

    entity: str = PydField(min_length=1, max_length=200, examples=["KTZ"])
    metric: str = PydField(min_length=1, max_length=200, examples=["investment"])
    kind: ClaimKind = ClaimKind.ACTUAL
    stated_by: str = PydField(min_length=1, max_length=300)
    asserted_on: IsoDate
    statement: str = PydField(min_length=1, max_length=5000)
    citations: list[CitationIn] = PydField(default_factory=list, max_length=50)
    tags: list[Tag] | None = PydField(default=None, max_length=20)

    @model_validator(mode="after")
    def _has_value(self) -> Self:
        if self.value_text is None and self.value is None:
            raise ValueError("give value_text or value + unit")
        return self


class ClaimUpdate(ClaimFields):
    """A partial edit; fields left out keep their value."""


class SourceBrief(BaseModel):
    id: int
    url: str
    title: str
    publisher: str | None
    published_on: date | None
    kind: SourceKind


class CitationPublic(BaseModel):
    id: int
    source: SourceBrief
    quote: str


class CitationCheckPublic(BaseModel):
    citation_id: int
    source_id: int
    counts: bool
    why: str


class DataCheckPublic(BaseModel):
    indicator_id: int
    observation_id: int | None = PydField(
        description="the observation compared with; null when several were combined"
    )
    observation_ids: list[int] = PydField(description="every observation the value comes from")
    value: DecimalString = PydField(description="the value the claim is compared with")
    vintage: date = PydField(description="the newest vintage among the observations used")
    source_id: int | None = PydField(description="their source, when they share one")
    agrees: bool
    basis: str = PydField(
        description="how the value was read: the observation of the claim's period, or for a "
        "longer period of a finer series the sum of its observations (a flow), their average "
        "(a rate) or the value at its end (a stock), e.g. 'sum of 12 monthly observations'"
    )


class VerificationPublic(BaseModel):
    """Whether the claim stands on enough, and why."""

    state: VerificationState = PydField(
        description="unsourced or unverified (an item of the review queue until a decision), "
        "verified (by its sources), or reviewed (a reviewer decided: a verdict, or a rank given "
        "when resolving a conflict)"
    )
    verdict: Verdict | None = PydField(
        default=None, description="the latest reviewer's verdict on the claim; null: none"
    )
    reasons: list[str]
    citations: list[CitationCheckPublic]


class ClaimRecord(BaseModel):
    """A claim's own fields as the API shows them; `review.models.ClaimPublic` adds the flags
    it is in (its history keeps these fields, without verification, data check and flags)."""

    id: int
    entity: Ref
    metric: Ref
    value_text: str
    value_is_index: bool
    value: DecimalString = PydField(description="the stated value in `unit`")
    unit: str = PydField(
        description="the canonical unit `value`, `low` and `high` are in: a currency's ISO "
        "code, or km, t, GWh, MW, km2, m3, day, TEU, tkm, pkm, t/ha, percent, count; a rate "
        "adds /yr (1 bpd is 58.070109472452 m3/yr: a year of 365.25 days); a price is a "
        "currency per barrel or tonne (USD/bbl, KZT/t)"
    )
    dimension: str = PydField(
        description="what `unit` measures: money, length, mass, energy, power, area, volume, "
        "duration, containers, freight_work, passenger_work, yield, percent or count; a rate "
        "adds /yr (volume/yr); a price per barrel is money/volume, per tonne money/mass"
    )
    bound: Bound
    figure_type: FigureType = PydField(
        description="level; or change (percent, pp or the unit), multiple (factor), share (percent)"
    )
    low: DecimalString | None = PydField(description="interval low end; null = unbounded")
    high: DecimalString | None = PydField(description="interval high end; null = unbounded")
    low_open: bool
    high_open: bool
    period: str | None
    period_start: date | None
    period_end: date | None
    kind: ClaimKind
    basis: str | None
    stated_by: str
    asserted_on: date
    statement: str
    tags: list[str]
    citations: list[CitationPublic]
    status: ClaimStatus
    rank: Rank
    rank_reason: str | None
    verification: VerificationPublic
    data_check: DataCheckPublic | None = PydField(
        default=None, description="the indicator observation known when the claim was made"
    )
    flags: list[Any] = PydField(
        default_factory=list, description="open flags on this claim (on create: opened or joined)"
    )
    version: int
    created_at: datetime
    updated_at: datetime
    retracted_at: datetime | None
    notices: list[str] = PydField(
        default_factory=list, description="what the service did on your behalf"
    )


class ClaimVersion(BaseModel):
    """One version of a claim in its history."""

    version: int | None
    action: str
    occurred_at: datetime
    actor_id: int | None
    claim: dict[str, Any] | None
