"""Claims as shown: their own fields with entity, metric, tags and citations, read in one
statement for any number of claims; the history kept of each version.

What other domains say of a claim (verification, flags, data check) is added above, in
`app/flows/views.py`, which extends this statement with branches of its own."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Date, Integer, String, cast, literal_column, null, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.claims.models import (
    Citation,
    CitationPublic,
    Claim,
    ClaimRecord,
    ClaimTag,
    ClaimVersion,
    SourceBrief,
    StoredClaim,
    VerificationPublic,
)
from app.claims.storage import get
from app.core.inlist import in_list
from app.core.models import as_utc
from app.core.statements import fetch
from app.core.types import decimal_text
from app.entities.models import Entity, Metric, Ref
from app.sources.models import Source

# What a page of claims shows beside their own columns, in one statement: `of` says what a
# row is, `key` whose it is, and each kind fills the slots it needs (the others are null).
# Each kind is looked up by its index (`tests/core/test_inlist.py`); one statement instead of
# one a kind spares a round trip each, the largest cost of a claim read on PostgreSQL.
_SLOTS: dict[str, Any] = {
    "n": Integer,
    "m": Integer,
    "p": Integer,
    "a": String,
    "b": String,
    "c": String,
    "d": String,
    "e": String,
    "day": Date,
}


def companion(of: str, key: Any, **slots: Any) -> Any:
    """A COMPANIONS select: `of`, `key`, then every slot, null where `slots` names none."""
    return sa_select(
        literal_column(f"'{of}'").label("of"),
        key.label("key"),
        *(slots.get(name, cast(null(), kind)).label(name) for name, kind in _SLOTS.items()),
    )


BRANCHES: dict[str, Any] = {
    # key: entity or metric id; a: slug; b: name
    "entity": companion("entity", col(Entity.id), a=col(Entity.slug), b=col(Entity.name)).where(
        in_list(col(Entity.id), "entity_ids")
    ),
    "metric": companion("metric", col(Metric.id), a=col(Metric.slug), b=col(Metric.name)).where(
        in_list(col(Metric.id), "metric_ids")
    ),
    # key: claim; a: the tag
    "tag": companion("tag", col(ClaimTag.claim_id), a=col(ClaimTag.tag)).where(
        in_list(col(ClaimTag.claim_id), "ids")
    ),
    # key: claim; n: the citation; m: its source; a: the quote; b-e, day, p: the source
    "citation": companion(
        "citation",
        col(Citation.claim_id),
        n=col(Citation.id),
        m=col(Source.id),
        p=col(Source.publisher_id),
        a=col(Citation.quote),
        b=col(Source.url),
        c=col(Source.title),
        d=col(Source.publisher),
        e=col(Source.kind),
        day=col(Source.published_on),
    )
    .join(Source, col(Source.id) == col(Citation.source_id))
    .where(in_list(col(Citation.claim_id), "ids")),
}
COMPANIONS: Any = union_all(*BRANCHES.values())


@dataclass
class Shown:
    """What claims show beside their own columns: their names, tags and citations (`cited`:
    the citation rows as read, for the verification check)."""

    refs: dict[tuple[str, int], Ref]
    tags: dict[int, list[str]]
    citations: dict[int, list[CitationPublic]]
    cited: list[Any]


def params(claims: Sequence[StoredClaim]) -> dict[str, Any]:
    """The bind parameters of COMPANIONS (and of any statement that extends it)."""
    return {
        "entity_ids": list({c.entity_id for c in claims}),
        "metric_ids": list({c.metric_id for c in claims}),
        "ids": [c.id for c in claims if c.id is not None],
    }


def read_rows(ids: Sequence[int], rows: Sequence[Any]) -> tuple[Shown, list[Any]]:
    """The rows of this module's branches read into `Shown`; the rows of any other branch
    (an extension's) are handed back, in order."""
    refs: dict[tuple[str, int], Ref] = {}
    tags: dict[int, list[str]] = {i: [] for i in ids}
    cited: list[Any] = []
    rest: list[Any] = []
    for row in rows:
        of, key, _, _, _, a, b = row[:7]
        if of == "tag":
            tags[key].append(a)
        elif of == "citation":
            cited.append(row)
        elif of in ("entity", "metric"):
            refs[of, key] = Ref(id=key, slug=a, name=b)
        else:
            rest.append(row)
    for claim_tags in tags.values():
        claim_tags.sort()
    cited.sort(key=lambda r: r.n)
    citations: dict[int, list[CitationPublic]] = {i: [] for i in ids}
    for r in cited:
        citations[r.key].append(
            CitationPublic(
                id=r.n,
                quote=r.a,
                source=SourceBrief(
                    id=r.m, url=r.b, title=r.c, publisher=r.d, published_on=r.day, kind=r.e
                ),
            )
        )
    return Shown(refs=refs, tags=tags, citations=citations, cited=cited), rest


def companions(session: Session, claims: Sequence[StoredClaim]) -> Shown:
    ids = [c.id for c in claims if c.id is not None]
    shown, _ = read_rows(ids, fetch(session, COMPANIONS, params(claims)))
    return shown


def fields(c: StoredClaim, shown: Shown) -> dict[str, Any]:
    """A claim's own fields as the API shows them (all of `ClaimRecord` but verification,
    data check, flags and notices)."""
    assert c.id is not None
    return {
        "id": c.id,
        "entity": shown.refs["entity", c.entity_id],
        "metric": shown.refs["metric", c.metric_id],
        "value_text": c.value_text,
        "value_is_index": c.value_is_index,
        "value": decimal_text(c.value) or "0",
        "unit": c.unit,
        "dimension": c.dimension,
        "bound": c.bound,
        "figure_type": c.figure_type,
        "low": decimal_text(c.low),
        "high": decimal_text(c.high),
        "low_open": c.low_open,
        "high_open": c.high_open,
        "period": c.period_text,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "kind": c.kind,
        "basis": c.basis,
        "stated_by": c.stated_by,
        "asserted_on": c.asserted_on,
        "statement": c.statement,
        "tags": shown.tags[c.id],
        "citations": shown.citations[c.id],
        "status": c.status,
        "rank": c.rank,
        "rank_reason": c.rank_reason,
        "version": c.version,
        "created_at": as_utc(c.created_at) or c.created_at,
        "updated_at": as_utc(c.updated_at) or c.updated_at,
        "retracted_at": as_utc(c.retracted_at),
    }


def records(session: Session, claims: Sequence[StoredClaim]) -> list[ClaimRecord]:
    """Claims with their own fields; the verification is the stored state alone (no reasons)."""
    if not claims:
        return []
    shown = companions(session, claims)
    return [
        ClaimRecord(
            **fields(c, shown),
            verification=VerificationPublic(
                state=c.verification, verdict=c.verdict, reasons=[], citations=[]
            ),
        )
        for c in claims
        if c.id is not None
    ]


# What other domains say of a claim is not part of its version.
SNAPSHOT_EXCLUDE = {"notices", "flags", "verification", "data_check"}


def snapshots(claims: Sequence[StoredClaim], shown: Shown) -> list[dict[str, Any]]:
    """New claims as the history keeps them, from their own fields as read (no model built:
    the minimal bulk answer's import). The same as a `ClaimRecord` dumped with
    SNAPSHOT_EXCLUDE, since `fields` holds each value as the record's type has it
    (tests/flows/test_claims_bulk.py holds the two equal)."""
    return [to_jsonable_python(fields(c, shown)) for c in claims]


def snapshot(session: Session, claim: Claim) -> dict[str, Any]:
    """The claim as the history keeps it."""
    return records(session, [claim])[0].model_dump(mode="json", exclude=SNAPSHOT_EXCLUDE)


def history(session: Session, claim_id: int) -> list[ClaimVersion]:
    get(session, claim_id)
    return [
        ClaimVersion(
            version=e.version,
            action=e.action,
            occurred_at=as_utc(e.occurred_at) or e.occurred_at,
            actor_id=e.actor_id,
            claim=e.after,
        )
        for e in audit.get_all(session, record_type="claim", record_id=claim_id)
    ]
