"""How a subscription is doing, as its page shows it: the events still queued for it (how many,
since when) and its latest delivery attempt, for many subscriptions in two statements."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session

from app.core.inlist import in_list
from app.core.models import as_utc
from app.webhooks.models import OutboxState, WebhookDelivery, WebhookOutbox

OUTBOX: Table = WebhookOutbox.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Health:
    """A subscription's queue and last attempt (its status and failing mark are on the row)."""

    pending: int = 0  # events queued and not yet delivered nor given up on
    dead: int = 0  # events that ran out of attempts (redeliver puts one back)
    oldest_pending_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    last_attempted_at: datetime | None = None

    @property
    def last_ok(self) -> bool | None:
        """Whether the latest attempt got a 2xx; None before the first."""
        if self.last_attempted_at is None:
            return None
        return self.last_status_code is not None and 200 <= self.last_status_code < 300


QUEUED = (
    sa_select(
        OUTBOX.c.subscription_id,
        OUTBOX.c.state,
        func.count().label("n"),
        func.min(OUTBOX.c.created_at).label("oldest"),
    )
    .where(
        in_list(OUTBOX.c.subscription_id, "ids"),
        OUTBOX.c.state.in_([OutboxState.PENDING, OutboxState.DEAD]),
    )
    .group_by(OUTBOX.c.subscription_id, OUTBOX.c.state)
)

_latest = (
    sa_select(func.max(DELIVERIES.c.id))
    .where(in_list(DELIVERIES.c.subscription_id, "ids"))
    .group_by(DELIVERIES.c.subscription_id)
)
LAST_ATTEMPT = sa_select(
    DELIVERIES.c.subscription_id,
    DELIVERIES.c.status_code,
    DELIVERIES.c.error,
    DELIVERIES.c.attempted_at,
).where(DELIVERIES.c.id.in_(_latest.scalar_subquery()))


def of(session: Session, ids: Sequence[int]) -> dict[int, Health]:
    """Each subscription's health, by id (every id given has one)."""
    if not ids:
        return {}
    params = {"ids": list(ids)}
    queued: dict[int, dict[str, object]] = {i: {} for i in ids}
    for row in session.execute(QUEUED, params):
        found = queued[row.subscription_id]
        if row.state == OutboxState.PENDING:
            found["pending"] = row.n
            found["oldest_pending_at"] = as_utc(row.oldest)
        else:
            found["dead"] = row.n
    for row in session.execute(LAST_ATTEMPT, params):
        queued[row.subscription_id].update(
            last_status_code=row.status_code,
            last_error=row.error,
            last_attempted_at=as_utc(row.attempted_at),
        )
    return {i: Health(**fields) for i, fields in queued.items()}  # type: ignore[arg-type]
