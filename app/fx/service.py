"""Storing rates and looking one up for a date."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, or_, select

from app.audit import service as audit
from app.core.errors import ConflictError, InvalidInput
from app.core.sessions import lock_keys
from app.fx.models import FxRate, FxRateCreate
from app.quantities.intervals import ARITHMETIC
from app.sources.models import Source


class FxRateExists(ConflictError):
    code = "fx_rate_exists"
    title = "A rate for this pair and date exists"


def create(session: Session, data: FxRateCreate, *, actor_id: int | None) -> FxRate:
    if data.base == data.quote:
        raise InvalidInput("base and quote must differ", field="quote")
    if data.source_id is not None and session.get(Source, data.source_id) is None:
        raise InvalidInput(f"no source {data.source_id}", field="source_id")
    lock_keys(session, [f"fx:{data.base}:{data.quote}:{data.as_of}"])
    exists = session.execute(
        select(FxRate.id).where(
            FxRate.base == data.base, FxRate.quote == data.quote, FxRate.as_of == data.as_of
        )
    ).first()
    if exists is not None:
        raise FxRateExists(f"{data.base}/{data.quote} on {data.as_of} is rate {exists[0]}")
    row = FxRate(**data.model_dump(), created_by_id=actor_id)
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action="fx_rate.created",
        record_type="fx_rate",
        record_id=row.id,
        after=data.model_dump(mode="json"),
    )
    return row


def get_all(session: Session, *, base: str | None, quote: str | None) -> Sequence[FxRate]:
    stmt = select(FxRate).order_by(col(FxRate.base), col(FxRate.quote), col(FxRate.as_of))
    if base:
        stmt = stmt.where(FxRate.base == base)
    if quote:
        stmt = stmt.where(FxRate.quote == quote)
    return session.execute(stmt.limit(1000)).scalars().all()


def lookup(session: Session, on: date) -> Callable[[str, str], Decimal | None]:
    """A rate finder for one date: the latest rate published on or before it, either way round."""
    cache: dict[tuple[str, str], Decimal | None] = {}

    def rate(from_currency: str, to_currency: str) -> Decimal | None:
        pair = (from_currency, to_currency)
        if pair not in cache:
            stmt = (
                sa_select(col(FxRate.base), col(FxRate.rate))
                .where(
                    or_(
                        (col(FxRate.base) == from_currency) & (col(FxRate.quote) == to_currency),
                        (col(FxRate.base) == to_currency) & (col(FxRate.quote) == from_currency),
                    ),
                    col(FxRate.as_of) <= on,
                )
                .order_by(col(FxRate.as_of).desc())
                .limit(1)
            )
            found = session.execute(stmt).first()
            if found is None:
                cache[pair] = None
            elif found.base == from_currency:
                cache[pair] = found.rate
            else:
                cache[pair] = ARITHMETIC.divide(Decimal(1), found.rate)
        return cache[pair]

    return rate
