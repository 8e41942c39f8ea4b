"""Claims edited: a partial update, a retraction, citations added; each a new version with
its event. What other domains make of the change is the caller's (`app/flows/claims.py`)."""

from collections.abc import Callable, Mapping, Sequence
from typing import Literal, NamedTuple

from sqlalchemy import insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.claims.errors import ClaimRetracted
from app.claims.intake import (
    add_citations,
    citation_rows,
    entity_for,
    metric_for,
    new_metric,
    period_columns,
    read_period,
    replace_tags,
    value_columns,
)
from app.claims.models import (
    Citation,
    CitationIn,
    Claim,
    ClaimStatus,
    ClaimUpdate,
    StoredClaim,
)
from app.claims.storage import get, get_rows
from app.claims.view import SNAPSHOT_EXCLUDE, records, snapshot
from app.core.errors import InvalidInput
from app.core.inlist import in_list
from app.core.models import utcnow
from app.core.statements import fetch
from app.core.versioning import bump_version, check_version
from app.entities import service as entities
from app.quantities import in_metric_unit, type_for_metric

REQUIRED_ON_EDIT = ("entity", "metric", "kind", "stated_by", "asserted_on", "statement")
VALUE_FIELDS = {
    "value_text",
    "value",
    "value_high",
    "unit",
    "bound",
    "figure_type",
    "value_is_index",
}
COMPARED = (
    "entity",
    "metric",
    "period_start",
    "period_end",
    "kind",
    "basis",
    "unit",
    "figure_type",
    "low",
    "high",
    "low_open",
    "high_open",
)


class Edited(NamedTuple):
    claim: Claim
    notices: list[str]
    reread: bool  # what the conflict rule reads changed: the claim goes through it again
    changed: bool = True  # False: an empty edit, nothing to check again


def _bump(session: Session, claim: Claim, expected_version: int | None) -> None:
    """Take the next version if nobody else took it first (atomic, so one of two racers wins)."""
    assert claim.id is not None
    check_version(claim.version, expected_version, "claim", claim.id)
    if claim.status == ClaimStatus.RETRACTED:
        raise ClaimRetracted(f"claim {claim.id} was retracted")
    bump_version(session, Claim, claim.id, expected_version, "claim")
    session.refresh(claim)


def _apply_value_edit(
    session: Session, claim: Claim, data: ClaimUpdate, notices: list[str], actor_id: int | None
) -> None:
    """A new value is read afresh; a new metric alone keeps the value and must fit it."""
    sent = data.model_fields_set
    if not sent & VALUE_FIELDS:
        if data.metric is not None:
            metric = entities.find_metric(session, data.metric) or new_metric(
                session, data.metric, claim.unit, notices, actor_id=actor_id
            )
            if in_metric_unit(claim.figure_type, claim.dimension) and (
                metric.dimension != claim.dimension
            ):
                raise InvalidInput(
                    f"metric '{metric.slug}' measures {metric.dimension}, "
                    f"but the claim's value is a {claim.dimension}",
                    field="metric",
                )
            assert metric.id is not None
            claim.metric_id = metric.id
            claim.figure_type = type_for_metric(claim.figure_type, metric.dimension)
        return
    index = data.value_is_index if "value_is_index" in sent else claim.value_is_index
    fields = data.model_copy(update={"value_is_index": index})
    # value_is_index alone re-reads the text already stored.
    text = None if data.value is not None else (data.value_text or claim.value_text)
    metric_name = data.metric or entities.get_metric(session, claim.metric_id).slug
    metric, quantity = metric_for(session, metric_name, fields, text, notices, actor_id=actor_id)
    assert metric.id is not None
    claim.metric_id = metric.id
    claim.value_text = text or quantity.text
    claim.value_is_index = index
    for name, value in value_columns(quantity).items():
        setattr(claim, name, value)


def update_one(
    session: Session,
    claim_id: int,
    data: ClaimUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Edited:
    """Apply a partial edit at the version the client read; every edit is a new version."""
    claim = get(session, claim_id)
    sent = data.model_fields_set
    for name in REQUIRED_ON_EDIT:
        if name in sent and getattr(data, name) is None:
            raise InvalidInput(f"{name} cannot be null", field=name)
    if not sent:
        return Edited(claim, [], reread=False, changed=False)
    before = snapshot(session, claim)
    _bump(session, claim, expected_version)
    notices: list[str] = []
    _apply_value_edit(session, claim, data, notices, actor_id)
    if data.entity is not None:
        entity = entity_for(session, data.entity, notices, actor_id=actor_id)
        assert entity.id is not None
        claim.entity_id = entity.id
    for name in ("kind", "basis", "stated_by", "asserted_on", "statement"):
        if name in sent:
            setattr(claim, name, getattr(data, name))
    if "period" in sent or "asserted_on" in sent:
        text = data.period if "period" in sent else claim.period_text
        for name, value in period_columns(text, read_period(text, claim.asserted_on)).items():
            setattr(claim, name, value)
    if data.tags is not None:
        replace_tags(session, claim_id, data.tags)
    session.flush()
    after = snapshot(session, claim)
    audit.record(
        session,
        actor_id=actor_id,
        action="claim.updated",
        record_type="claim",
        record_id=claim_id,
        version=claim.version,
        before=before,
        after=after,
    )
    # Only a change to what the conflict rule reads puts the claim through it again.
    return Edited(claim, notices, reread=any(before[name] != after[name] for name in COMPARED))


def retract(
    session: Session, claim_id: int, *, expected_version: int | None, actor_id: int | None
) -> Claim:
    """Soft delete: the claim stays, marked retracted, with its history."""
    claim = get(session, claim_id)
    before = snapshot(session, claim)
    _bump(session, claim, expected_version)
    claim.status = ClaimStatus.RETRACTED
    claim.retracted_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="claim.retracted",
        record_type="claim",
        record_id=claim_id,
        version=claim.version,
        before=before,
        after=snapshot(session, claim),
    )
    return claim


def cite(
    session: Session, claim_id: int, citations: Sequence[CitationIn], *, actor_id: int | None
) -> Edited:
    """Add citations to a claim: a new version, since what backs the claim changed."""
    notices: list[str] = []

    def add(claim: Claim) -> None:
        add_citations(
            session, claim_id, citations, actor_id=actor_id, notices=notices, field="body"
        )

    return Edited(_cited(session, claim_id, add, actor_id), notices, reread=False)


def _cited(
    session: Session, claim_id: int, add: Callable[[Claim], None], actor_id: int | None
) -> Claim:
    """Citations added to a claim by `add`: a new version and its `claim.cited` event."""
    claim = get(session, claim_id)
    before = snapshot(session, claim)
    _bump(session, claim, None)
    add(claim)
    audit.record(
        session,
        actor_id=actor_id,
        action="claim.cited",
        record_type="claim",
        record_id=claim_id,
        version=claim.version,
        before=before,
        after=snapshot(session, claim),
    )
    return claim


def merge_citations(
    session: Session, cited: Mapping[int, Sequence[tuple[int, str]]], *, actor_id: int | None
) -> tuple[list[StoredClaim], list[int]]:
    """The citations (source id, quote) of claims posted again, added to the stored ones but
    for those they have: a new version for a claim when any is new. The claims, in the order
    of `cited`, and how many citations each got. The citations the claims have are read in
    one statement; a claim that gets none is read with the others as columns, unchanged."""
    have: dict[int, set[tuple[int, str]]] = {claim_id: set() for claim_id in cited}
    for claim_id, source_id, quote in fetch(session, CITATIONS_OF, {"ids": list(cited)}):
        have[claim_id].add((source_id, quote))
    new = {
        claim_id: [c for c in dict.fromkeys(posted) if c not in have[claim_id]]
        for claim_id, posted in cited.items()
    }
    unchanged = {row.id: row for row in get_rows(session, [i for i, n in new.items() if not n])}
    out: list[StoredClaim] = []
    for claim_id, rows in new.items():
        if not rows:
            out.append(unchanged[claim_id])
            continue

        def add(_: Claim, claim_id: int = claim_id, rows: list[tuple[int, str]] = rows) -> None:
            session.execute(insert(Citation), citation_rows(claim_id, rows, actor_id))

        out.append(_cited(session, claim_id, add, actor_id))
    return out, [len(new[claim_id]) for claim_id in cited]


CITATIONS_OF = sa_select(
    col(Citation.claim_id), col(Citation.source_id), col(Citation.quote)
).where(in_list(col(Citation.claim_id), "ids"))


def rekey(
    session: Session,
    column: Literal["entity_id", "metric_id"],
    gone_id: int,
    into_id: int,
    *,
    actor_id: int | None,
) -> list[Claim]:
    """The claims of an entity or metric merged into another (`column` names which) moved to
    it, retracted ones too: a new version each, with a `claim.rekeyed` event (before and
    after). The moved claims, in id order."""
    on_gone = col(getattr(Claim, column)) == gone_id
    moving = list(session.execute(select(Claim).where(on_gone).order_by(col(Claim.id))).scalars())
    if not moving:
        return []
    before = records(session, moving)
    session.execute(
        update(Claim)
        .where(on_gone)
        .values({column: into_id, "version": col(Claim.version) + 1, "updated_at": utcnow()})
        .execution_options(synchronize_session=False)
    )
    ids = [c.id for c in moving]
    moved = list(
        session.execute(
            select(Claim)
            .where(col(Claim.id).in_(ids))
            .order_by(col(Claim.id))
            .execution_options(populate_existing=True)
        ).scalars()
    )
    after = records(session, moved)
    for claim, old, new in zip(moved, before, after, strict=True):
        assert claim.id is not None
        audit.record(
            session,
            actor_id=actor_id,
            action="claim.rekeyed",
            record_type="claim",
            record_id=claim.id,
            version=claim.version,
            before=old.model_dump(mode="json", exclude=SNAPSHOT_EXCLUDE),
            after=new.model_dump(mode="json", exclude=SNAPSHOT_EXCLUDE),
        )
    return moved
