"""Flags (what a fact-checker must look at), their claims, separations, and reviews."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Tag
from pydantic import Field as PydField
from sqlalchemy import Index, String, Text, text
from sqlmodel import Field, SQLModel

from app.claims.models import ClaimRecord
from app.claims.models import Rank as Rank  # a claim's column; resolving a conflict sets it
from app.claims.states import Verdict as Verdict  # a review's; the latest is also the claim's
from app.core.models import key_ref, text_enum, timestamp
from app.core.params import MAX_ID, DecimalString, RecordId
from app.core.schemas import InputModel


class FlagKind(StrEnum):
    UNSOURCED = "unsourced"
    UNVERIFIED = "unverified"
    CONFLICT = "conflict"
    CONTRADICTED_BY_DATA = "contradicted_by_data"
    TARGET_MISSED = "target_missed"
    STALE = "stale"


SEVERITY: dict[FlagKind, int] = {
    FlagKind.CONFLICT: 3,
    FlagKind.CONTRADICTED_BY_DATA: 3,
    FlagKind.UNSOURCED: 2,
    FlagKind.TARGET_MISSED: 2,
    FlagKind.UNVERIFIED: 1,
    FlagKind.STALE: 1,
}


class FlagStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Resolution(StrEnum):
    RANKED = "ranked"
    DIFFERENT_QUANTITIES = "different_quantities"
    DISMISSED = "dismissed"
    CLEARED = "cleared"  # closed by the service itself: the cause went away


OPEN = text("status = 'open'")


class Flag(SQLModel, table=True):
    __tablename__ = "flags"
    __table_args__ = (
        # At most one open flag per conflict group and per (kind, claim): the database says so
        # even if two workers race past the service's own check.
        Index(
            "uq_flags_open_group",
            "kind",
            "group_key",
            unique=True,
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        ),
        Index("ix_flags_status_kind", "status", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: FlagKind = text_enum(24)
    status: FlagStatus = text_enum(16, default=FlagStatus.OPEN)
    group_key: str = Field(sa_type=String(120), index=True)
    entity_id: int | None = Field(default=None, foreign_key="entities.id", index=True)
    metric_id: int | None = Field(default=None, foreign_key="metrics.id", index=True)
    severity: int
    claim_count: int = 0
    summary: str = Field(default="", sa_type=Text)
    opened_at: datetime = timestamp(index=True)
    updated_at: datetime = timestamp()
    resolved_at: datetime | None = timestamp(nullable=True)
    resolved_by_id: int | None = key_ref()
    resolution: Resolution | None = Field(default=None, sa_type=String(24))
    reason: str | None = Field(default=None, sa_type=Text)
    assignee_id: int | None = Field(
        default=None, foreign_key="api_keys.id", ondelete="SET NULL", index=True
    )
    version: int = 1


class FlagClaim(SQLModel, table=True):
    """A claim in a flag's group."""

    __tablename__ = "flag_claims"

    flag_id: int = Field(foreign_key="flags.id", primary_key=True, ondelete="CASCADE")
    claim_id: int = Field(foreign_key="claims.id", primary_key=True, index=True)
    added_at: datetime = timestamp()


class ClaimSeparation(SQLModel, table=True):
    """Two claims a fact-checker judged to be different quantities: never compared again."""

    __tablename__ = "claim_separations"

    low_claim_id: int = Field(foreign_key="claims.id", primary_key=True)
    high_claim_id: int = Field(foreign_key="claims.id", primary_key=True, index=True)
    flag_id: int = Field(foreign_key="flags.id", ondelete="CASCADE")


class Review(SQLModel, table=True):
    __tablename__ = "reviews"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claims.id", index=True)
    verdict: Verdict = text_enum(24)
    note: str = Field(default="", sa_type=Text)
    reviewer: str = Field(sa_type=String(200))
    reviewer_key_id: int | None = key_ref()
    created_at: datetime = timestamp()


# --- API shapes -------------------------------------------------------------------------------


class FlagNote(BaseModel):
    """A flag a claim opened or joined, as the claim's response reports it."""

    id: int
    kind: FlagKind
    status: FlagStatus
    with_: list[int] = PydField(default_factory=list, alias="with", serialization_alias="with")

    model_config = {"populate_by_name": True}


class ClaimPublic(ClaimRecord):
    """A claim as the API shows it: every input, and what it was read as."""

    flags: list[FlagNote] = PydField(
        default_factory=list, description="open flags on this claim (on create: opened or joined)"
    )


class ClaimPage(BaseModel):
    items: list[ClaimPublic]
    next: str | None


class BulkResult(BaseModel):
    """One item a row, in order. A row that is a claim stored before (or an earlier row of the
    batch) answers with that claim, its citations merged in, and a notice saying so."""

    created: int
    existing: int = PydField(0, description="Rows that were claims stored before.")
    items: list[ClaimPublic]


class BulkRowMinimal(BaseModel):
    """A row of the minimal answer (`Prefer: return=minimal`): its claim's id and version,
    whether this request stored it, the flags it is in and the row's notices."""

    id: int = PydField(description="the row's claim (a claim stored before, when not stored)")
    stored: bool = PydField(
        description="true: stored by this request; false: the same claim was stored before, "
        "or by an earlier row of the batch (the row's new citations merged into it)"
    )
    version: int = PydField(description="the claim's version (its ETag's), after this request")
    flags: list[FlagNote] = PydField(
        description="stored now: the flags it opened or joined; stored before: its open flags"
    )
    notices: list[str]


class BulkResultMinimal(BaseModel):
    """The answer to `Prefer: return=minimal`: one item a row, in order, without the claims
    (GET /claims/{id} shows one)."""

    created: int
    existing: int = PydField(description="Rows that were claims stored before.")
    items: list[BulkRowMinimal]


class FlagClaimView(BaseModel):
    """A claim inside a flag, side by side with the others."""

    id: int
    value_text: str
    value: DecimalString
    unit: str
    bound: str
    figure_type: str
    low: DecimalString | None
    high: DecimalString | None
    low_open: bool
    high_open: bool
    period: str | None
    period_start: date | None
    period_end: date | None
    kind: str
    basis: str | None
    stated_by: str
    asserted_on: date
    status: str
    rank: Rank
    rank_reason: str | None
    citations: list[dict[str, Any]]


class FlagPublic(BaseModel):
    id: int
    kind: FlagKind
    status: FlagStatus
    severity: int
    summary: str
    entity_id: int | None
    metric_id: int | None
    claim_ids: list[int]
    claim_count: int
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    resolved_by_id: int | None
    resolution: Resolution | None
    reason: str | None
    assignee_id: int | None
    version: int


class FlagDetail(FlagPublic):
    claims: list[FlagClaimView]


class FlagPage(BaseModel):
    items: list[FlagPublic]
    next: str | None


class RankedClaim(InputModel):
    claim_id: RecordId
    reason: str = PydField(min_length=1, max_length=2000)


class ResolveRanked(InputModel):
    """Settle a conflict by ranking: preferred claims win, deprecated ones stay as history."""

    resolution: Literal["ranked"]
    preferred: list[RankedClaim] = PydField(min_length=1, max_length=100)
    deprecated: list[RankedClaim] = PydField(default_factory=list, max_length=100)


class ResolveDifferent(InputModel):
    """The claims measure different things; they are never compared with each other again."""

    resolution: Literal["different_quantities"]
    reason: str = PydField(min_length=1, max_length=2000)


class ResolveDismissed(InputModel):
    resolution: Literal["dismissed"]
    reason: str = PydField(min_length=1, max_length=2000)


def _resolution(value: Any) -> str | None:
    if isinstance(value, dict):
        found = value.get("resolution")
        return found if isinstance(found, str) else None
    return getattr(value, "resolution", None)


# A callable discriminator: InputModel's text check runs before validation on every field,
# which pydantic does not allow on a field discriminator.
ResolveIn = Annotated[
    Annotated[ResolveRanked, Tag("ranked")]
    | Annotated[ResolveDifferent, Tag("different_quantities")]
    | Annotated[ResolveDismissed, Tag("dismissed")],
    Discriminator(_resolution),
]


# A flag's id, or minus a claim's id: that claim's verification item (`queue_claims.py`).
FlagRef = Annotated[int, PydField(ge=-MAX_ID, le=MAX_ID)]


class BulkResolveIn(InputModel):
    """Resolve many flags the same way (different quantities or dismissed)."""

    flag_ids: list[FlagRef] = PydField(min_length=1, max_length=500)
    resolution: Literal["different_quantities", "dismissed"]
    reason: str = PydField(min_length=1, max_length=2000)


class AssignIn(InputModel):
    assignee_id: RecordId | None = PydField(description="a reviewer's or admin's key id; null")


class BulkAssignIn(AssignIn):
    flag_ids: list[FlagRef] = PydField(min_length=1, max_length=500)


class ReviewIn(InputModel):
    verdict: Verdict
    note: str = PydField(default="", max_length=10_000)
    reviewer: str | None = PydField(
        default=None, min_length=1, max_length=200, description="default: the key's name"
    )


class ReviewPublic(BaseModel):
    id: int
    claim_id: int
    verdict: Verdict
    note: str
    reviewer: str
    reviewer_key_id: int | None
    created_at: datetime
