"""Entities and metrics merged (a reviewer's or an admin's call): what pointed at the merged
record moves to the survivor, claims, indicators and flags, and the moved claims are checked
anew on their keys: against the claims they now share a key with, and against the data of the
indicators they now meet (and the survivor's claims against the data of the indicators that
moved)."""

from typing import Any, Literal, cast

from sqlalchemy.orm import Session

from app.claims import edits
from app.claims.models import Claim, ClaimStatus
from app.core.versioning import check_version
from app.entities import merge as merging
from app.entities.aliases import ENTITY, METRIC, Kind
from app.entities.models import Entity, Metric
from app.flows import notify
from app.indicators import datacheck
from app.indicators import service as indicators
from app.review import conflicts, rekey


def merge_entity(
    session: Session,
    gone_id: int,
    into_id: int,
    *,
    actor_id: int | None,
    expected_version: int | None = None,
) -> Entity:
    """Fold an entity into another (at the version the person read, when given)."""
    entity: Entity = _merge(
        session, ENTITY, gone_id, into_id, actor_id=actor_id, expected_version=expected_version
    )
    return entity


def merge_metric(
    session: Session,
    gone_id: int,
    into_id: int,
    *,
    actor_id: int | None,
    expected_version: int | None = None,
) -> Metric:
    """Fold a metric into another of the same dimension (at the version read, when given)."""
    metric: Metric = _merge(
        session, METRIC, gone_id, into_id, actor_id=actor_id, expected_version=expected_version
    )
    return metric


def _merge(
    session: Session,
    kind: Kind,
    gone_id: int,
    into_id: int,
    *,
    actor_id: int | None,
    expected_version: int | None,
) -> Any:
    gone, into = merging.merging(session, kind, gone_id, into_id)
    # The web form carries the version its page showed: a record changed since (its aliases
    # edited) is not merged on a stale read (412), as an If-Match edit is not.
    check_version(gone.version, expected_version, kind.name, gone_id)
    column = cast(Literal["entity_id", "metric_id"], kind.owner)
    moved = edits.rekey(session, column, gone_id, into_id, actor_id=actor_id)
    indicator_ids = indicators.rekey(session, column, gone_id, into_id, actor_id=actor_id)
    flag_ids = rekey.rekey_flags(session, column, gone_id, into_id, actor_id=actor_id)
    survivor = merging.fold(
        session,
        kind,
        gone,
        into,
        actor_id=actor_id,
        claims=[c.id for c in moved],
        indicators=indicator_ids,
        flags=flag_ids,
    )
    live = [c for c in moved if c.status == ClaimStatus.ACTIVE]
    conflicts.check(session, live, actor_id=actor_id, merged=frozenset(c.id for c in live if c.id))
    meeting: dict[int, Claim] = {c.id: c for c in live if c.id is not None}
    for indicator_id in indicator_ids:
        meeting.update((c.id, c) for c in datacheck.claims_meeting(session, indicator_id) if c.id)
    datacheck.reconcile(session, list(meeting.values()), actor_id=actor_id)
    notify.write_pending(session)
    return survivor
