"""Entities and metrics alike: a record by id (or the one it was merged into), the names it
goes by, and those names replaced (PATCH, with If-Match)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.core.errors import NotFound
from app.core.sessions import lock_keys
from app.core.versioning import bump_version, check_version
from app.entities.errors import EntityNotFound, MetricNotFound, NameTaken
from app.entities.models import Entity, EntityAlias, Metric, MetricAlias
from app.entities.names import alias_forms


@dataclass(frozen=True)
class Kind:
    """Entities or metrics: the record, its aliases' table and the column naming the record."""

    name: str  # "entity" or "metric": in events, ETags, lock keys and messages
    record: Any  # Entity or Metric
    alias: Any  # EntityAlias or MetricAlias
    owner: str  # the aliases' column naming the record
    not_found: type[NotFound]
    lock: str  # the prefix of the lock key of an alias (`lock_keys`)
    path: str  # where the API keeps them

    @property
    def owner_column(self) -> Any:
        return col(getattr(self.alias, self.owner))


ENTITY = Kind("entity", Entity, EntityAlias, "entity_id", EntityNotFound, "alias", "entities")
METRIC = Kind("metric", Metric, MetricAlias, "metric_id", MetricNotFound, "metric-alias", "metrics")

# How many merges a gone record's 404 follows to name the record that has its claims now.
MERGE_HOPS = 20


def merged_into(session: Session, kind: Kind, record_id: int) -> int | None:
    """The live record a gone one was merged into (through later merges), from its events."""
    found = None
    for _ in range(MERGE_HOPS):
        merges = [
            e.after["into"]
            for e in audit.get_all(session, record_type=kind.name, record_id=record_id)
            if e.action == f"{kind.name}.merged" and e.after and "into" in e.after
        ]
        if not merges:
            return found
        found = record_id = int(merges[-1])
        if session.get(kind.record, record_id) is not None:
            return found
    return found


def get(session: Session, kind: Kind, record_id: int) -> Any:
    """The record, or 404; a record merged into another says which (its claims are there)."""
    record = session.get(kind.record, record_id)
    if record is None:
        into = merged_into(session, kind, record_id)
        if into is not None:
            raise kind.not_found(
                f"{kind.name} {record_id} was merged into {kind.name} {into}: "
                f"GET /api/v1/{kind.path}/{into}"
            )
        raise kind.not_found(f"no {kind.name} {record_id}")
    return record


def aliases_of(session: Session, kind: Kind, record_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each record's aliases, in the order they were given."""
    out: dict[int, list[str]] = {i: [] for i in record_ids}
    stmt = (
        select(kind.owner_column, col(kind.alias.alias))
        .where(kind.owner_column.in_(list(record_ids)))
        .order_by(col(kind.alias.id))
    )
    for record_id, alias in session.execute(stmt):
        out[record_id].append(alias)
    return out


def taken(
    session: Session, kind: Kind, keys: Iterable[str], *, other_than: int | None = None
) -> str | None:
    """An alias, of these normalised forms, that a record (other than `other_than`) goes by."""
    stmt = select(col(kind.alias.alias)).where(col(kind.alias.normalized).in_(list(keys)))
    if other_than is not None:
        stmt = stmt.where(kind.owner_column != other_than)
    return session.execute(stmt.limit(1)).scalars().first()


def add_aliases(session: Session, kind: Kind, record_id: int, normalized: dict[str, str]) -> None:
    session.add_all(
        kind.alias(**{kind.owner: record_id}, alias=alias, normalized=key)
        for key, alias in normalized.items()
    )
    session.flush()


def change_aliases(
    session: Session,
    kind: Kind,
    record_id: int,
    aliases: Sequence[str],
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Any:
    """Replace a record's aliases, at the version the client read (None: any). Its name and
    slug stay among them whatever is sent; an alias another record goes by is refused. A new
    version and a `<kind>.aliases_changed` event (before and after), unless nothing changed."""
    record = get(session, kind, record_id)
    before = aliases_of(session, kind, [record_id])[record_id]
    normalized = alias_forms([record.name, record.slug, *aliases])
    after = list(normalized.values())
    if after == before:
        check_version(record.version, expected_version, kind.name, record_id)
        return record
    bump_version(session, kind.record, record_id, expected_version, kind.name)
    lock_keys(session, [f"{kind.lock}:{key}" for key in normalized])
    name = taken(session, kind, normalized, other_than=record_id)
    if name is not None:
        raise NameTaken(f"'{name}' already names another {kind.name}", field="aliases")
    session.execute(delete(kind.alias).where(kind.owner_column == record_id))
    add_aliases(session, kind, record_id, normalized)
    session.refresh(record)
    audit.record(
        session,
        actor_id=actor_id,
        action=f"{kind.name}.aliases_changed",
        record_type=kind.name,
        record_id=record_id,
        version=record.version,
        before={"aliases": before},
        after={"aliases": after},
    )
    return record
