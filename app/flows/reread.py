"""Stored claims read again with the reading rules of today: `claimtrack reread`.

When the rules that read figures and periods change, a claim stored under the old rules may
read differently now. Each claim's value text is read again in its metric's unit, and its
period text against its date; a claim whose reading changed gets the new columns, a new
version and a `claim.reread` event naming each change (before and after), and leaves its
conflict flags to be checked anew. A claim the new rules refuse, or read in another dimension
than its metric's, is left as it is and reported: nothing changes silently."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.claims.intake import period_columns, value_columns
from app.claims.models import Claim
from app.claims.view import snapshot
from app.core.versioning import next_version
from app.entities.models import Metric
from app.flows import notify
from app.flows.claims import recheck
from app.quantities import QuantityError, parse_period, parse_quantity


@dataclass(frozen=True)
class Change:
    claim_id: int
    changes: dict[str, tuple[Any, Any]]  # column -> (before, after)


@dataclass(frozen=True)
class Refusal:
    claim_id: int
    field: str
    text: str
    why: str


@dataclass
class Report:
    read: int = 0
    changed: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b  # 1.0 and 1.00 are one number
    return bool(a == b)


def reading(claim: Claim, unit: str, dimension: str) -> tuple[dict[str, Any], Refusal | None]:
    """The columns the claim's texts read as today, or why they cannot be."""
    assert claim.id is not None
    try:
        quantity = parse_quantity(claim.value_text, default_unit=unit, index=claim.value_is_index)
    except QuantityError as exc:
        return {}, Refusal(claim.id, "value_text", claim.value_text, exc.message)
    if quantity.dimension != dimension:
        why = f"now reads as a {quantity.dimension}, but its metric measures {dimension}"
        return {}, Refusal(claim.id, "value_text", claim.value_text, why)
    columns = value_columns(quantity)
    if claim.period_text is not None:
        try:
            period = parse_period(claim.period_text, reference=claim.asserted_on)
        except QuantityError as exc:
            return {}, Refusal(claim.id, "period", claim.period_text, exc.message)
        columns |= period_columns(claim.period_text, period)
    return columns, None


def _claims(session: Session, batch: int) -> Iterator[tuple[Claim, str, str]]:
    stmt = (
        select(Claim, Metric.unit, Metric.dimension)
        .join(Metric, col(Metric.id) == col(Claim.metric_id))
        .order_by(col(Claim.id))
    )
    after = 0
    while True:
        rows = session.execute(stmt.where(col(Claim.id) > after).limit(batch)).all()
        if not rows:
            return
        yield from ((claim, unit, dimension) for claim, unit, dimension in rows)
        after = rows[-1][0].id or after


def reread(
    session: Session, *, actor_id: int | None, dry_run: bool = False, batch: int = 500
) -> Report:
    """Read every stored claim again; apply (unless `dry_run`) and report what changed."""
    report = Report()
    for claim, unit, dimension in _claims(session, batch):
        assert claim.id is not None
        report.read += 1
        columns, refusal = reading(claim, unit, dimension)
        if refusal is not None:
            report.refused.append(refusal)
            continue
        changes = {
            name: (getattr(claim, name), value)
            for name, value in columns.items()
            if not _same(getattr(claim, name), value)
        }
        if not changes:
            continue
        report.changed.append(Change(claim.id, changes))
        if dry_run:
            continue
        before = snapshot(session, claim)
        for name, (_, value) in changes.items():
            setattr(claim, name, value)
        next_version(session, claim)
        session.refresh(claim)
        audit.record(
            session,
            actor_id=actor_id,
            action="claim.reread",
            record_type="claim",
            record_id=claim.id,
            version=claim.version,
            before=before,
            after=snapshot(session, claim),
        )
        why = f"claim {claim.id} read again with today's rules"
        recheck(session, claim, actor_id=actor_id, reread=True, why=why)
    notify.write_pending(session)
    return report
