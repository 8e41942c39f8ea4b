"""/api/v1/fx-rates: exchange rates analysts store to let money in two currencies be compared."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.deps import AUTH_ERRORS, Reader, Writer
from app.core.errors import responses
from app.core.models import as_utc
from app.core.sessions import SessionDep
from app.core.types import decimal_text
from app.flows import fx
from app.fx import service
from app.fx.models import FxRate, FxRateCreate, FxRatePublic
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS

router = APIRouter(prefix="/api/v1/fx-rates", tags=["fx-rates"], route_class=IdempotentRoute)
CurrencyQuery = Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")]


def public(row: FxRate) -> FxRatePublic:
    assert row.id is not None
    return FxRatePublic(
        id=row.id,
        base=row.base,
        quote=row.quote,
        rate=decimal_text(row.rate) or "0",
        as_of=row.as_of,
        source_id=row.source_id,
        source_note=row.source_note,
        created_at=as_utc(row.created_at) or row.created_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="fx_rates_create",
    responses=responses(*AUTH_ERRORS, service.FxRateExists, *IDEMPOTENCY_ERRORS),
    dependencies=[IDEMPOTENT],
)
def create_rate(data: FxRateCreate, session: SessionDep, key: Writer) -> FxRatePublic:
    """Store an exchange rate (1 base = rate quote on as_of) with its source."""
    rate = fx.store_rate(session, data, actor_id=key.id)
    return public(rate)


@router.get("", operation_id="fx_rates_list", responses=responses(*AUTH_ERRORS))
def list_rates(
    session: SessionDep, _: Reader, base: CurrencyQuery = None, quote: CurrencyQuery = None
) -> list[FxRatePublic]:
    """List stored rates by pair and date."""
    return [public(r) for r in service.get_all(session, base=base, quote=quote)]
