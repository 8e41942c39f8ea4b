"""What `POST /api/v1/drafts` reads and answers."""

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from app.core.params import IsoDate
from app.core.schemas import InputModel
from app.sources.models import SourceKind

MAX_TEXT = 200_000  # characters: a 5,000-word briefing is about 35,000


class DraftSource(InputModel):
    """The source the text comes from; with a URL, each draft's claim cites it."""

    url: str | None = Field(default=None, min_length=1, max_length=2048)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    publisher: str | None = Field(default=None, min_length=1, max_length=200)
    published_on: IsoDate | None = None
    kind: SourceKind | None = None


class DraftRequest(InputModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the paragraph or briefing")
    source: DraftSource | None = None
    asserted_on: IsoDate | None = Field(
        default=None,
        description="when the text was said: the default is the source's date, else today; a "
        "sentence opening with a date ('On May 28, 2026, ...') dates its paragraph",
    )


class Span(BaseModel):
    start: int = Field(description="offset of the first character in text")
    end: int = Field(description="offset after the last character")


class Alternative(BaseModel):
    name: str
    slug: str
    id: int | None
    confidence: float
    why: str | None = None


class Proposed(BaseModel):
    """The best match among the records known (`id`), or a name proposed new (`new`)."""

    name: str
    slug: str
    id: int | None
    confidence: float = Field(description="0 to 1, for sorting; 0 for a new name")
    alternatives: list[Alternative]
    new: bool


class Draft(BaseModel):
    span: Span
    value_text: str = Field(description="the figure as written: text[span.start:span.end]")
    value: Decimal
    unit: str
    dimension: str
    bound: str
    low: Decimal | None
    high: Decimal | None
    low_open: bool
    high_open: bool
    figure_type: str = Field(description="level, change, multiple or share")
    role: str | None = Field(description="before / after: the two levels of 'rose from X to Y'")
    period: str | None = Field(description="the period as written or implied")
    period_start: date | None
    period_end: date | None
    kind: str
    kind_cue: str | None = Field(description="the words that decided the kind")
    entity: Proposed | None
    metric: Proposed
    stated_by: str
    basis: str | None
    asserted_on: date
    quote: str = Field(description="the sentence that holds the figure")
    notices: list[str]
    claim: dict[str, Any] = Field(
        description="a ClaimCreate: POST /api/v1/claims:bulk takes a list of these unchanged"
    )


class Skipped(BaseModel):
    span: Span
    text: str
    why: str = Field(
        description="year, date, ordinal, period_number, name, phone, article_number, "
        "list_number, time, url, duration or unreadable"
    )


class DraftsAnswer(BaseModel):
    drafts: list[Draft]
    skipped: list[Skipped]
