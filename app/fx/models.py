"""Stored exchange rates."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from pydantic import Field as PydField
from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import key_ref, timestamp
from app.core.params import DecimalString, IsoDate, RecordId
from app.core.schemas import InputModel
from app.core.types import ExactDecimal

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class FxRate(SQLModel, table=True):
    """1 `base` = `rate` `quote`, as published on `as_of`."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("base", "quote", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    base: str = Field(sa_type=String(3))
    quote: str = Field(sa_type=String(3))
    rate: Decimal = Field(sa_type=ExactDecimal)
    as_of: date
    source_id: int | None = Field(default=None, foreign_key="sources.id", ondelete="SET NULL")
    source_note: str | None = Field(default=None, sa_type=String(300))
    created_at: datetime = timestamp()
    created_by_id: int | None = key_ref()


class FxRateCreate(InputModel):
    """A rate: 1 base = rate quote on as_of, with where it was published."""

    base: Currency
    quote: Currency
    rate: Annotated[Decimal, PydField(gt=0, allow_inf_nan=False, max_digits=30)]
    as_of: IsoDate
    source_id: RecordId | None = None
    source_note: str | None = PydField(default=None, max_length=300)


class FxRatePublic(BaseModel):
    id: int
    base: str
    quote: str
    rate: DecimalString
    as_of: date
    source_id: int | None
    source_note: str | None
    created_at: datetime
