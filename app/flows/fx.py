"""A rate stored: the conflicts it can decide are checked again."""

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim, ClaimStatus
from app.flows import notify
from app.fx import service as fx
from app.fx.models import FxRate, FxRateCreate
from app.review import conflicts


def store_rate(session: Session, data: FxRateCreate, *, actor_id: int | None) -> FxRate:
    """Store a rate (1 base = rate quote on as_of), then re-check the claims it compares;
    audited."""
    rate = fx.create(session, data, actor_id=actor_id)
    recheck_pair(session, data.base, data.quote, actor_id=actor_id)
    notify.write_pending(session)
    return rate


def recheck_pair(session: Session, base: str, quote: str, *, actor_id: int | None) -> None:
    """A new rate can decide claims that had no verdict: check the groups that mix the pair."""
    groups = (
        sa_select(col(Claim.entity_id), col(Claim.metric_id))
        .where(col(Claim.unit).in_([base, quote]), col(Claim.status) == ClaimStatus.ACTIVE)
        .group_by(col(Claim.entity_id), col(Claim.metric_id))
        .having(func.count(func.distinct(col(Claim.unit))) == 2)
        .subquery()
    )
    on = and_(
        col(Claim.entity_id) == groups.c.entity_id, col(Claim.metric_id) == groups.c.metric_id
    )
    mixed = (
        session.execute(
            select(Claim)
            .join(groups, on)
            .where(col(Claim.unit).in_([base, quote]), col(Claim.status) == ClaimStatus.ACTIVE)
            .order_by(col(Claim.id))
        )
        .scalars()
        .all()
    )
    if mixed:
        conflicts.check(session, mixed, actor_id=actor_id)
