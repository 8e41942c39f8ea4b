"""Two records of one thing made one: the merged record's name, slug and aliases become the
survivor's aliases, and it is gone (its id answers 404 naming the survivor). What points at it
is moved first, by the use case (`app/flows/merges.py`)."""

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.sessions import lock_keys
from app.core.versioning import bump_version
from app.entities import aliases
from app.entities.aliases import METRIC, Kind
from app.entities.names import alias_forms


def merging(session: Session, kind: Kind, gone_id: int, into_id: int) -> tuple[Any, Any]:
    """The record to merge and the one it goes into, once no other merge holds either: 404 for
    the first, and `into` refused (422) when it is the same, missing, or (metrics) measures
    another dimension. Metrics of one dimension merge whatever their units: a claim keeps the
    unit its value is stored in (one canonical unit a dimension, money in its own currency,
    compared through stored rates as within one metric)."""
    lock_keys(session, sorted({f"{kind.name}-merge:{gone_id}", f"{kind.name}-merge:{into_id}"}))
    gone = aliases.get(session, kind, gone_id)
    if gone_id == into_id:
        raise InvalidInput(f"{kind.name} {gone_id} cannot be merged into itself", field="into")
    into = session.get(kind.record, into_id)
    if into is None:
        merged = aliases.merged_into(session, kind, into_id)
        where = f" (it was merged into {kind.name} {merged})" if merged is not None else ""
        raise InvalidInput(f"no {kind.name} {into_id}{where}", field="into")
    if kind is METRIC and gone.dimension != into.dimension:
        raise InvalidInput(
            f"metric {gone_id} measures {gone.dimension} ({gone.unit}) and metric {into_id} "
            f"{into.dimension} ({into.unit}): no value of one can be read in the other",
            field="into",
        )
    return gone, into


def fold(
    session: Session, kind: Kind, gone: Any, into: Any, *, actor_id: int | None, **moved: Any
) -> Any:
    """`gone`'s names (its name, slug and aliases) made `into`'s aliases, after its own, and
    `gone` deleted: a `<kind>.merged` event on each (`moved`: what the use case moved, on the
    gone one's), and a new version of the survivor."""
    before = aliases.aliases_of(session, kind, [gone.id, into.id])
    names = alias_forms(before[gone.id])
    session.execute(delete(kind.alias).where(kind.owner_column == gone.id))
    session.flush()
    aliases.add_aliases(session, kind, into.id, names)
    bump_version(session, kind.record, into.id, None, kind.name)
    gone_id, version = gone.id, gone.version
    shown = {"slug": gone.slug, "name": gone.name, "aliases": before[gone.id]}
    session.delete(gone)
    session.flush()
    session.refresh(into)
    audit.record(
        session,
        actor_id=actor_id,
        action=f"{kind.name}.merged",
        record_type=kind.name,
        record_id=gone_id,
        version=version,
        before=shown,
        after={"into": into.id, **moved},
    )
    audit.record(
        session,
        actor_id=actor_id,
        action=f"{kind.name}.merged",
        record_type=kind.name,
        record_id=into.id,
        version=into.version,
        before={"aliases": before[into.id]},
        after={"from": gone_id, "aliases": [*before[into.id], *names.values()]},
    )
    return into
