"""Claims: read what the analyst wrote into numbers and dates, store it, version it, list it."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    Integer,
    Row,
    String,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    literal_column,
    null,
    or_,
    union_all,
)
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.claims.errors import ClaimNotFound, ClaimRetracted
from app.claims.models import (
    Citation,
    CitationCheckPublic,
    CitationIn,
    CitationPublic,
    Claim,
    ClaimCreate,
    ClaimFields,
    ClaimKind,
    ClaimPublic,
    ClaimStatus,
    ClaimTag,
    ClaimUpdate,
    ClaimVersion,
    DataCheckPublic,
    SourceBrief,
    StoredClaim,
    VerificationPublic,
)
from app.core.db import fetch, insert_returning, insert_rows
from app.core.errors import AppError, InvalidInput
from app.core.inlist import in_list
from app.core.models import as_utc, utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.rows import row_failed
from app.core.types import decimal_text
from app.core.versioning import bump_version, check_version
from app.entities import service as entities
from app.entities.models import Entity, Metric, Ref
from app.entities.service import MetricRow
from app.indicators import datacheck
from app.indicators.models import Indicator
from app.quantities import (
    Bound,
    Period,
    Quantity,
    QuantityError,
    parse_period,
    parse_quantity,
    parse_value,
)
from app.review import service as review
from app.review import verification
from app.review.models import Flag, FlagKind, FlagNote, Rank, Review
from app.review.rules import Verification
from app.sources import service as sources
from app.sources.models import Source

# --- reading values and periods ---------------------------------------------------------------


def read_value(fields: ClaimFields, *, default_unit: str | None, text: str | None) -> Quantity:
    """The quantity the claim states, from its text or from value + unit + bound."""
    try:
        if fields.value is not None and fields.unit is not None:
            return parse_value(
                fields.value, fields.unit, fields.bound or Bound.EXACT, high=fields.value_high
            )
        assert text is not None
        return parse_quantity(text, default_unit=default_unit, index=fields.value_is_index)
    except QuantityError as exc:
        field = "value_text" if fields.value is None else "value"
        raise InvalidInput(exc.message, field=field) from exc


def read_period(text: str | None, asserted_on: date) -> Period | None:
    try:
        return parse_period(text, reference=asserted_on)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="period") from exc


def _value_columns(quantity: Quantity) -> dict[str, Any]:
    return {
        "value": quantity.value,
        "unit": quantity.unit,
        "dimension": quantity.dimension,
        "bound": quantity.bound,
        "low": quantity.interval.low,
        "high": quantity.interval.high,
        "low_open": quantity.interval.low_open,
        "high_open": quantity.interval.high_open,
    }


def _period_columns(text: str | None, period: Period | None) -> dict[str, Any]:
    return {
        "period_text": text if period is not None else None,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
    }


# --- building a claim -------------------------------------------------------------------------


def _metric_for(
    session: Session,
    name: str,
    fields: ClaimFields,
    text: str | None,
    notices: list[str],
    known: dict[str, MetricRow] | None = None,
) -> tuple[MetricRow, Quantity]:
    """The metric a claim names (created from its unit when new), and its value read in it.

    `known` holds the metrics a batch has already looked up, by the name it gave."""
    metric = known.get(name) if known is not None else None
    if metric is None:
        metric = entities.find_metric(session, name)
    quantity = read_value(fields, default_unit=metric.unit if metric else None, text=text)
    if metric is None:
        metric, _ = entities.resolve_metric(session, name, unit=quantity.unit)
        notices.append(f"metric '{metric.slug}' was created, measured in {metric.unit}")
    elif quantity.dimension != metric.dimension:
        field = "value_text" if fields.value is None else "unit"
        raise InvalidInput(
            f"'{text or fields.unit}' is a {quantity.dimension}, but metric '{metric.slug}' "
            f"measures {metric.dimension} ({metric.unit})",
            field=field,
        )
    if known is not None:
        known[name] = metric
    return metric, quantity


def _entity_for(
    session: Session, name: str, notices: list[str], known: dict[str, Ref] | None = None
) -> Ref:
    if known is not None and name in known:
        return known[name]
    entity, created = entities.resolve_entity(session, name)
    if created:
        notices.append(f"entity '{entity.slug}' was created from '{name}'")
    if known is not None:
        known[name] = entity
    return entity


def _replace_tags(session: Session, claim_id: int, tags: list[str]) -> None:
    session.execute(delete(ClaimTag).where(col(ClaimTag.claim_id) == claim_id))
    unique = sorted(set(tags))
    if unique:
        session.execute(insert(ClaimTag), [{"claim_id": claim_id, "tag": t} for t in unique])


def _source_for(
    session: Session,
    citation: CitationIn,
    where: str,
    *,
    actor_id: int | None,
    notices: list[str],
    known: dict[str, Source],
) -> Source:
    """The cited source: by id, or found or created by URL (`known`: by URL, this batch's)."""
    if citation.source_id is not None:
        source = session.get(Source, citation.source_id)
        if source is None:
            raise InvalidInput(f"no source {citation.source_id}", field=f"{where}.source_id")
        return source
    assert citation.url is not None
    if citation.url in known:
        return known[citation.url]
    source, created = sources.find_or_create(
        session,
        url=citation.url,
        title=citation.title,
        publisher=citation.publisher,
        kind=citation.kind,
        published_on=citation.published_on,
        actor_id=actor_id,
        field=where,
    )
    if created:
        notices.append(f"source {source.id} was created for {source.url}")
    known[citation.url] = source
    return source


def _cited(
    session: Session,
    citations: Sequence[CitationIn],
    seen: set[tuple[int, str]],
    *,
    actor_id: int | None,
    notices: list[str],
    field: str,
    known: dict[str, Source],
) -> list[tuple[int, str]]:
    """(source id, quote) of each citation not already among `seen` (which it extends)."""
    out: list[tuple[int, str]] = []
    for i, citation in enumerate(citations):
        where = f"{field}[{i}]"
        source = _source_for(
            session, citation, where, actor_id=actor_id, notices=notices, known=known
        )
        assert source.id is not None
        if (source.id, citation.quote) in seen:
            notices.append(f"{where} repeats a citation of source {source.id} with the same quote")
            continue
        seen.add((source.id, citation.quote))
        out.append((source.id, citation.quote))
    return out


def _citation_rows(
    claim_id: int, cited: Sequence[tuple[int, str]], actor_id: int | None
) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "claim_id": claim_id,
            "source_id": source_id,
            "quote": quote,
            "created_by_id": actor_id,
            "created_at": now,
        }
        for source_id, quote in cited
    ]


def add_citations(
    session: Session,
    claim_id: int,
    citations: Sequence[CitationIn],
    *,
    actor_id: int | None,
    notices: list[str],
    field: str = "citations",
) -> None:
    """Attach citations to a stored claim, finding or creating each source by its URL."""
    seen: set[tuple[int, str]] = {
        (source_id, quote)
        for source_id, quote in session.execute(
            select(Citation.source_id, Citation.quote).where(col(Citation.claim_id) == claim_id)
        )
    }
    cited = _cited(
        session, citations, seen, actor_id=actor_id, notices=notices, field=field, known={}
    )
    if cited:
        session.execute(insert(Citation), _citation_rows(claim_id, cited, actor_id))


@dataclass
class _Names:
    """What a batch has looked up, by the name or URL it gave: each is looked up once."""

    entities: dict[str, Ref] = field(default_factory=dict)
    metrics: dict[str, MetricRow] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


class _Read(NamedTuple):
    """One claim as read, ready to store: its columns, tags, citations and notices."""

    columns: dict[str, Any]
    tags: list[str]
    cited: list[tuple[int, str]]
    notices: list[str]


def _read(session: Session, data: ClaimCreate, names: _Names, actor_id: int | None) -> _Read:
    """Read a claim as written: its value, period, entity, metric and sources."""
    notices: list[str] = []
    metric, quantity = _metric_for(
        session, data.metric, data, data.value_text, notices, names.metrics
    )
    entity = _entity_for(session, data.entity, notices, names.entities)
    period = read_period(data.period, data.asserted_on)
    now = utcnow()
    columns = {
        "entity_id": entity.id,
        "metric_id": metric.id,
        "value_text": data.value_text or quantity.text,
        "value_is_index": data.value_is_index,
        "kind": data.kind,
        "basis": data.basis,
        "stated_by": data.stated_by,
        "asserted_on": data.asserted_on,
        "statement": data.statement,
        "status": ClaimStatus.ACTIVE,
        "rank": Rank.NORMAL,
        # What the verification check will most often find (it writes any other state):
        "verification": "unverified" if data.citations else "unsourced",
        "version": 1,
        "created_at": now,
        "updated_at": now,
        "created_by_id": actor_id,
        **_value_columns(quantity),
        **_period_columns(data.period, period),
    }
    cited = _cited(
        session,
        data.citations,
        set(),
        actor_id=actor_id,
        notices=notices,
        field="citations",
        known=names.sources,
    )
    return _Read(columns, sorted(set(data.tags or [])), cited, notices)


# Core tables: a batch is inserted without building an ORM object for each row.
CLAIMS: Table = Claim.__table__  # type: ignore[attr-defined]
CLAIM_TAGS: Table = ClaimTag.__table__  # type: ignore[attr-defined]
CITATIONS: Table = Citation.__table__  # type: ignore[attr-defined]


def _store(session: Session, read: Sequence[_Read], actor_id: int | None) -> list[StoredClaim]:
    """Claims, tags and citations in one statement each; the claims back, in order, as
    columns (their INSERT's RETURNING), not ORM objects: nothing edits them in this transaction
    but their verification (`verification.reconcile` writes a changed one with an UPDATE)."""
    stored = insert_returning(session, CLAIMS, [r.columns for r in read])
    ids = [c.id for c in stored]
    tags = [{"claim_id": i, "tag": t} for i, r in zip(ids, read, strict=True) for t in r.tags]
    insert_rows(session, CLAIM_TAGS, tags)
    cites = [
        row for i, r in zip(ids, read, strict=True) for row in _citation_rows(i, r.cited, actor_id)
    ]
    insert_rows(session, CITATIONS, cites)
    return stored


@dataclass
class Shown:
    """What claims show beside their own columns, read in one statement (`companions`), with
    the verification and data check worked out from it."""

    refs: dict[tuple[str, int], Ref]
    tags: dict[int, list[str]]
    citations: dict[int, list[CitationPublic]]
    checks: dict[int, Verification]
    data: dict[int, datacheck.DataCheck]
    open_flags: dict[int, list[FlagNote]]


class Created(NamedTuple):
    claim: StoredClaim
    notices: list[str]
    flags: list[FlagNote]
    public: ClaimPublic  # as the response shows it, notices and flags included


def _record_created(
    session: Session, claims: Sequence[StoredClaim], actor_id: int | None, shown: Shown
) -> list[ClaimPublic]:
    """One event per new claim; the claims as read back (for the events and the response)."""
    publics = to_public_many(session, claims, fresh=True, shown=shown)
    for claim, public in zip(claims, publics, strict=True):
        assert claim.id is not None
        audit.record(
            session,
            actor_id=actor_id,
            action="claim.created",
            record_type="claim",
            record_id=claim.id,
            version=claim.version,
            after=public.model_dump(mode="json", exclude=SNAPSHOT_EXCLUDE),
        )
    return publics


def _created(
    claim: StoredClaim, notices: list[str], flags: list[FlagNote], public: ClaimPublic
) -> Created:
    notices = notices + [_describe(f) for f in flags]
    public.notices, public.flags = notices, flags
    return Created(claim, notices, flags, public)


def create_one(session: Session, data: ClaimCreate, *, actor_id: int | None) -> Created:
    """Log one claim: stored, checked for conflicts and verification, audited."""
    (created,) = _stored(
        session, [_read(session, data, _names(session, [data]), actor_id)], actor_id
    )
    return created


def _describe(note: FlagNote) -> str:
    if note.kind == FlagKind.CONFLICT:
        return f"conflicts with claim {', '.join(map(str, note.with_))} (flag {note.id})"
    return f"{note.kind}: see flag {note.id}"


@dataclass(frozen=True)
class RowError(Exception):
    """A bad row of a bulk import: which row, which field, what is wrong."""

    row: int
    field: str | None
    problem: str


def create_many(
    session: Session, rows: Sequence[ClaimCreate], *, actor_id: int | None
) -> list[Created]:
    """Store a batch, all or nothing: the first bad row rejects it with its number.

    Set-based: every row is read first (each name and URL looked up once), then the claims,
    tags and citations are stored in one statement each, and the conflict and verification
    checks run once over the whole batch."""
    names = _names(session, rows)
    read: list[_Read] = []
    for i, data in enumerate(rows, start=1):
        try:
            read.append(_read(session, data, names, actor_id))
        except AppError as exc:
            raise row_failed(i, exc) from exc
    return _stored(session, read, actor_id)


def _names(session: Session, rows: Sequence[ClaimCreate]) -> _Names:
    """The entities and metrics the rows name that exist, in one query for the lot."""
    found, metrics = entities.find_names(
        session, {r.entity for r in rows}, {r.metric for r in rows}
    )
    return _Names(entities=found, metrics=metrics)


def _stored(session: Session, read: Sequence[_Read], actor_id: int | None) -> list[Created]:
    """Store claims read, check them for conflicts and verification, and record them."""
    claims = _store(session, read, actor_id)
    shown = companions(session, claims, fresh=True)
    flags = review.on_claims_added(
        session, claims, actor_id=actor_id, checks=shown.checks, data=shown.data
    )
    publics = _record_created(session, claims, actor_id, shown)
    return [
        _created(claim, r.notices, flags[claim.id or 0], public)
        for claim, r, public in zip(claims, read, publics, strict=True)
    ]


# --- reading claims ---------------------------------------------------------------------------


def get(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise ClaimNotFound(f"no claim {claim_id}")
    return claim


CLAIM_ROW = sa_select(*CLAIMS.c).where(col(Claim.id) == bindparam("id"))


def get_row(session: Session, claim_id: int) -> StoredClaim:
    """A claim's columns, to show it (no ORM object: `get` is for the edits)."""
    found = fetch(session, CLAIM_ROW, {"id": claim_id})
    if not found:
        raise ClaimNotFound(f"no claim {claim_id}")
    row: StoredClaim = found[0]
    return row


# What a page of claims shows beside their own columns, in one statement: `of` says what a
# row is, `key` whose it is, and each kind fills the slots it needs (the others are null).
# Each kind is looked up by its index (`tests/core/test_inlist.py`); one statement instead of
# one a kind spares a round trip each, the largest cost of a claim read on PostgreSQL.
_SLOTS: dict[str, Any] = {
    "n": Integer,
    "m": Integer,
    "a": String,
    "b": String,
    "c": String,
    "d": String,
    "e": String,
    "day": Date,
}


def _companion(of: str, key: Any, **slots: Any) -> Any:
    """A COMPANIONS select: `of`, `key`, then every slot, null where `slots` names none."""
    return sa_select(
        literal_column(f"'{of}'").label("of"),
        key.label("key"),
        *(slots.get(name, cast(null(), kind)).label(name) for name, kind in _SLOTS.items()),
    )


_BRANCHES: dict[str, Any] = {
    # key: entity or metric id; a: slug; b: name
    "entity": _companion("entity", col(Entity.id), a=col(Entity.slug), b=col(Entity.name)).where(
        in_list(col(Entity.id), "entity_ids")
    ),
    "metric": _companion("metric", col(Metric.id), a=col(Metric.slug), b=col(Metric.name)).where(
        in_list(col(Metric.id), "metric_ids")
    ),
    # key: claim; a: the tag
    "tag": _companion("tag", col(ClaimTag.claim_id), a=col(ClaimTag.tag)).where(
        in_list(col(ClaimTag.claim_id), "ids")
    ),
    # key: claim; n: the review (latest last); a: its verdict
    "verdict": _companion(
        "verdict", col(Review.claim_id), n=col(Review.id), a=col(Review.verdict)
    ).where(in_list(col(Review.claim_id), "ids")),
    # key: claim; n: the citation; m: its source; a: the quote; b-e, day: the source
    "citation": _companion(
        "citation",
        col(Citation.claim_id),
        n=col(Citation.id),
        m=col(Source.id),
        a=col(Citation.quote),
        b=col(Source.url),
        c=col(Source.title),
        d=col(Source.publisher),
        e=col(Source.kind),
        day=col(Source.published_on),
    )
    .join(Source, col(Source.id) == col(Citation.source_id))
    .where(in_list(col(Citation.claim_id), "ids")),
    # key: the entity; n: the indicator; m: its metric; a: its unit (for the data check)
    "indicator": _companion(
        "indicator",
        col(Indicator.entity_id),
        n=col(Indicator.id),
        m=col(Indicator.metric_id),
        a=col(Indicator.unit),
    ).where(in_list(col(Indicator.entity_id), "entity_ids")),
    # key: claim; n: a flag it is in; a, b: the flag's kind and status; m: another member
    "flag": review.flag_links(
        _companion(
            "flag",
            col(review.LINK.claim_id),
            n=col(Flag.id),
            m=col(review.MEMBER.claim_id),
            a=col(Flag.kind),
            b=col(Flag.status),
        )
    ).where(in_list(col(review.LINK.claim_id), "ids")),
}
COMPANIONS: Any = union_all(*_BRANCHES.values())
# Claims this transaction stored: no review or flag can name them yet (the caller has the flags
# it opened). Reading those anyway cost more than the rest: a plan PostgreSQL made while the
# flag tables were empty walked them whole for every row of one another as they grew.
FRESH_COMPANIONS: Any = union_all(
    *(b for name, b in _BRANCHES.items() if name not in {"verdict", "flag"})
)


def companions(session: Session, claims: Sequence[StoredClaim], *, fresh: bool = False) -> Shown:
    """The companions of claims with an id, in a fixed number of queries for any number.

    `fresh`: stored by this transaction, so no review or flag names them but the ones the
    caller has (which it puts in `flags` itself): those are not looked up. The create path
    reads this once, for the review hooks (verification and data check) and the response."""
    ids = [c.id for c in claims if c.id is not None]
    refs: dict[tuple[str, int], Ref] = {}
    tags: dict[int, list[str]] = {i: [] for i in ids}
    verdicts: list[tuple[int, int, str]] = []
    cited: list[Any] = []
    indicators: list[datacheck.IndicatorRow] = []
    flag_rows: list[review.FlagRow] = []
    for row in fetch(
        session,
        FRESH_COMPANIONS if fresh else COMPANIONS,
        {
            "entity_ids": list({c.entity_id for c in claims}),
            "metric_ids": list({c.metric_id for c in claims}),
            "ids": ids,
        },
    ):
        of, key, n, m, a, b = row[:6]
        if of == "tag":
            tags[key].append(a)
        elif of == "verdict":
            verdicts.append((n, key, a))
        elif of == "citation":
            cited.append(row)
        elif of == "indicator":
            indicators.append(datacheck.IndicatorRow(n, key, m, a))
        elif of == "flag":
            flag_rows.append(review.FlagRow(key, n, a, b, m))
        else:
            refs[of, key] = Ref(id=key, slug=a, name=b)
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
    checks = verification.verifications(
        session,
        ids,
        [(r.key, r.n, r.m, r.d, str(r.e)) for r in cited],
        [(claim_id, verdict) for _, claim_id, verdict in sorted(verdicts)],
    )
    return Shown(
        refs=refs,
        tags=tags,
        citations=citations,
        checks=checks,
        data=datacheck.checks_for(session, claims, indicators),
        open_flags={i: [] for i in ids} if fresh else review.open_flags(ids, flag_rows),
    )


def to_public_many(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    fresh: bool = False,
    shown: Shown | None = None,
) -> list[ClaimPublic]:
    """Claims with their entity, metric, tags, citations, verification, flags and data check,
    in a fixed number of queries for any number of claims (none when given what they `shown`).

    `fresh`: see `companions`."""
    if not claims:
        return []
    if shown is None:
        shown = companions(session, claims, fresh=fresh)
    refs, tags, citations = shown.refs, shown.tags, shown.citations
    checks, data, open_flags = shown.checks, shown.data, shown.open_flags
    return [
        ClaimPublic(
            id=c.id,
            entity=refs["entity", c.entity_id],
            metric=refs["metric", c.metric_id],
            value_text=c.value_text,
            value_is_index=c.value_is_index,
            value=decimal_text(c.value) or "0",
            unit=c.unit,
            dimension=c.dimension,
            bound=c.bound,
            low=decimal_text(c.low),
            high=decimal_text(c.high),
            low_open=c.low_open,
            high_open=c.high_open,
            period=c.period_text,
            period_start=c.period_start,
            period_end=c.period_end,
            kind=c.kind,
            basis=c.basis,
            stated_by=c.stated_by,
            asserted_on=c.asserted_on,
            statement=c.statement,
            tags=tags[c.id],
            citations=citations[c.id],
            status=c.status,
            rank=c.rank,
            rank_reason=c.rank_reason,
            verification=VerificationPublic(
                state=checks[c.id].state,
                reasons=checks[c.id].reasons,
                citations=[
                    CitationCheckPublic(
                        citation_id=x.citation_id, source_id=x.source_id, counts=x.counts, why=x.why
                    )
                    for x in checks[c.id].citations
                ],
            ),
            flags=open_flags[c.id],
            data_check=DataCheckPublic(
                indicator_id=data[c.id].indicator_id,
                observation_id=data[c.id].observation_id,
                value=decimal_text(data[c.id].value) or "0",
                vintage=data[c.id].vintage,
                source_id=data[c.id].source_id,
                agrees=data[c.id].agrees,
            )
            if c.id in data
            else None,
            version=c.version,
            created_at=as_utc(c.created_at) or c.created_at,
            updated_at=as_utc(c.updated_at) or c.updated_at,
            retracted_at=as_utc(c.retracted_at),
        )
        for c in claims
        if c.id is not None
    ]


def to_public(
    session: Session,
    claim: StoredClaim,
    notices: list[str] | None = None,
    flags: list[FlagNote] | None = None,
) -> ClaimPublic:
    public = to_public_many(session, [claim])[0]
    public.notices = notices or []
    if flags is not None:
        public.flags = flags
    return public


SNAPSHOT_EXCLUDE = {"notices", "flags", "verification", "data_check"}


def snapshot(session: Session, claim: Claim) -> dict[str, Any]:
    """The claim as the history keeps it."""
    return to_public(session, claim).model_dump(mode="json", exclude=SNAPSHOT_EXCLUDE)


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


# --- editing and retracting -------------------------------------------------------------------


REQUIRED_ON_EDIT = ("entity", "metric", "kind", "stated_by", "asserted_on", "statement")
VALUE_FIELDS = {"value_text", "value", "value_high", "unit", "bound", "value_is_index"}
COMPARED = (
    "entity",
    "metric",
    "period_start",
    "period_end",
    "kind",
    "basis",
    "unit",
    "low",
    "high",
    "low_open",
    "high_open",
)


def _bump(session: Session, claim: Claim, expected_version: int | None) -> None:
    """Take the next version if nobody else took it first (atomic, so one of two racers wins)."""
    assert claim.id is not None
    check_version(claim.version, expected_version, "claim", claim.id)
    if claim.status == ClaimStatus.RETRACTED:
        raise ClaimRetracted(f"claim {claim.id} was retracted")
    bump_version(session, Claim, claim.id, expected_version, "claim")
    session.refresh(claim)


def _apply_value_edit(
    session: Session, claim: Claim, data: ClaimUpdate, notices: list[str]
) -> None:
    """A new value is read afresh; a new metric alone keeps the value and must fit it."""
    sent = data.model_fields_set
    if not sent & VALUE_FIELDS:
        if data.metric is not None:
            metric, created = entities.resolve_metric(session, data.metric, unit=claim.unit)
            if created:
                notices.append(f"metric '{metric.slug}' was created, measured in {metric.unit}")
            elif metric.dimension != claim.dimension:
                raise InvalidInput(
                    f"metric '{metric.slug}' measures {metric.dimension}, "
                    f"but the claim's value is a {claim.dimension}",
                    field="metric",
                )
            assert metric.id is not None
            claim.metric_id = metric.id
        return
    index = data.value_is_index if "value_is_index" in sent else claim.value_is_index
    fields = data.model_copy(update={"value_is_index": index})
    # value_is_index alone re-reads the text already stored.
    text = None if data.value is not None else (data.value_text or claim.value_text)
    metric_name = data.metric or entities.get_metric(session, claim.metric_id).slug
    metric, quantity = _metric_for(session, metric_name, fields, text, notices)
    assert metric.id is not None
    claim.metric_id = metric.id
    claim.value_text = text or quantity.text
    claim.value_is_index = index
    for name, value in _value_columns(quantity).items():
        setattr(claim, name, value)


def update_one(
    session: Session,
    claim_id: int,
    data: ClaimUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> tuple[Claim, list[str]]:
    """Apply a partial edit at the version the client read; every edit is a new version."""
    claim = get(session, claim_id)
    sent = data.model_fields_set
    for name in REQUIRED_ON_EDIT:
        if name in sent and getattr(data, name) is None:
            raise InvalidInput(f"{name} cannot be null", field=name)
    if not sent:
        return claim, []
    before = snapshot(session, claim)
    _bump(session, claim, expected_version)
    notices: list[str] = []
    _apply_value_edit(session, claim, data, notices)
    if data.entity is not None:
        entity = _entity_for(session, data.entity, notices)
        assert entity.id is not None
        claim.entity_id = entity.id
    for name in ("kind", "basis", "stated_by", "asserted_on", "statement"):
        if name in sent:
            setattr(claim, name, getattr(data, name))
    if "period" in sent or "asserted_on" in sent:
        text = data.period if "period" in sent else claim.period_text
        for name, value in _period_columns(text, read_period(text, claim.asserted_on)).items():
            setattr(claim, name, value)
    if data.tags is not None:
        _replace_tags(session, claim_id, data.tags)
    session.flush()
    after = snapshot(session, claim)
    # Only a change to what the conflict rule reads puts the claim through it again.
    reread = any(before[name] != after[name] for name in COMPARED)
    review.on_claim_changed(
        session, claim, actor_id=actor_id, reread=reread, why=f"claim {claim_id} corrected"
    )
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
    return claim, notices


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
    review.on_claim_changed(
        session, claim, actor_id=actor_id, reread=False, why=f"claim {claim_id} retracted"
    )
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


# --- listing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilters:
    entity: str | None = None
    metric: str | None = None
    kind: ClaimKind | None = None
    tag: str | None = None
    source: int | None = None
    period_from: date | None = None
    period_to: date | None = None
    status: ClaimStatus | None = ClaimStatus.ACTIVE
    q: str | None = None
    rank: str | None = None
    verification: str | None = None


SORTS: dict[str, tuple[Any, bool]] = {
    "id": (Claim.id, False),
    "-id": (Claim.id, True),
    "asserted_on": (Claim.asserted_on, False),
    "-asserted_on": (Claim.asserted_on, True),
}


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filter_values(session: Session, filters: ClaimFilters) -> dict[str, Any] | None:
    """The bound value of each filter that is set, by the name of its condition in `_FILTERS`;
    None when a named entity or metric does not exist."""
    values: dict[str, Any] = {}
    if filters.entity is not None:
        entity = entities.find_entity(session, filters.entity)
        if entity is None:
            return None
        values["entity_id"] = entity.id
    if filters.metric is not None:
        metric = entities.find_metric(session, filters.metric)
        if metric is None:
            return None
        values["metric_id"] = metric.id
    if filters.period_from and filters.period_to and filters.period_from > filters.period_to:
        raise InvalidInput("`from` is after `to`", field="from")
    set_ = {
        "kind": filters.kind,
        "status": filters.status,
        "tag": filters.tag.lower() if filters.tag is not None else None,
        "source": filters.source,
        "period_to": filters.period_to,
        "period_from": filters.period_from,
        "rank": filters.rank if filters.rank != "best" else None,
        "best_rank": True if filters.rank == "best" else None,
        "verification": filters.verification,
        "q": _like(filters.q) if filters.q else None,
    }
    values.update((name, value) for name, value in set_.items() if value is not None)
    return values


# Each filter's condition, with its value as a bind parameter of the same name.
_FILTERS: dict[str, Any] = {
    "entity_id": col(Claim.entity_id) == bindparam("entity_id"),
    "metric_id": col(Claim.metric_id) == bindparam("metric_id"),
    "kind": col(Claim.kind) == bindparam("kind"),
    "status": col(Claim.status) == bindparam("status"),
    "tag": exists().where(
        col(ClaimTag.claim_id) == col(Claim.id), col(ClaimTag.tag) == bindparam("tag")
    ),
    "source": exists().where(
        col(Citation.claim_id) == col(Claim.id), col(Citation.source_id) == bindparam("source")
    ),
    "period_to": and_(
        col(Claim.period_end).is_not(None),
        or_(col(Claim.period_start).is_(None), col(Claim.period_start) <= bindparam("period_to")),
    ),
    "period_from": col(Claim.period_end) >= bindparam("period_from"),
    "rank": col(Claim.rank) == bindparam("rank"),
    "best_rank": review.best_rank_condition(),
    "verification": col(Claim.verification) == bindparam("verification"),
    "q": or_(
        func.lower(col(Claim.statement)).like(bindparam("q"), escape="\\"),
        exists().where(
            col(Citation.claim_id) == col(Claim.id),
            func.lower(col(Citation.quote)).like(bindparam("q"), escape="\\"),
        ),
    ),
}


@lru_cache(maxsize=256)
def _page(shape: frozenset[str], sort: str, after: bool) -> Any:
    """The statement of a claim page with these filters set, built once per shape: the values,
    the cursor and the limit are bind parameters."""
    column, descending = SORTS[sort]
    order = [column.desc(), col(Claim.id).desc()] if descending else [column, col(Claim.id)]
    conds = [_FILTERS[name] for name in sorted(shape)]
    if after:
        value = bindparam("after_value", type_=column.type)
        last: Any = bindparam("after_id", type_=Integer)
        if column is Claim.id:
            conds.append(col(Claim.id) < last if descending else col(Claim.id) > last)
        elif descending:
            conds.append(or_(column < value, and_(column == value, col(Claim.id) < last)))
        else:
            conds.append(or_(column > value, and_(column == value, col(Claim.id) > last)))
    return sa_select(*CLAIMS.c).where(*conds).order_by(*order).limit(bindparam("limit"))


def get_all(
    session: Session, filters: ClaimFilters, *, sort: str, limit: int, cursor: str | None
) -> tuple[list[Row[Any]], str | None]:
    """A page of claims by keyset, and the cursor of the next page."""
    values = _filter_values(session, filters)
    if values is None:
        return [], None
    params = {**values, "limit": limit + 1}
    if cursor is not None:
        column, _ = SORTS[sort]
        after, last_id = decode_cursor(cursor, (date if column is Claim.asserted_on else int, int))
        params.update(after_value=after, after_id=last_id)
    stmt = _page(frozenset(values), sort, cursor is not None)
    rows = list(fetch(session, stmt, params))
    nxt = encode_cursor(_cursor_values(rows[limit - 1], sort)) if len(rows) > limit else None
    return rows[:limit], nxt


def _cursor_values(claim: StoredClaim, sort: str) -> list[Any]:
    column, _ = SORTS[sort]
    value = getattr(claim, column.key)
    return [value.isoformat() if isinstance(value, date) else value, claim.id]


CSV_COLUMNS = (
    "id",
    "entity",
    "metric",
    "value_text",
    "value",
    "unit",
    "bound",
    "low",
    "high",
    "period",
    "period_start",
    "period_end",
    "kind",
    "basis",
    "stated_by",
    "asserted_on",
    "statement",
    "tags",
    "sources",
    "status",
    "version",
)


def iter_csv_rows(
    session: Session, filters: ClaimFilters, *, sort: str, batch: int = 500
) -> Iterator[list[str]]:
    """Every matching claim as a CSV row, fetched a keyset page at a time.

    The filters are checked now, before the first byte is sent: a stream cannot turn into a 422.
    """
    _filter_values(session, filters)
    return _csv_rows(session, filters, sort=sort, batch=batch)


def _csv_rows(
    session: Session, filters: ClaimFilters, *, sort: str, batch: int
) -> Iterator[list[str]]:
    cursor: str | None = None
    while True:
        rows, cursor = get_all(session, filters, sort=sort, limit=batch, cursor=cursor)
        for c in to_public_many(session, rows):
            yield [
                str(c.id),
                c.entity.slug,
                c.metric.slug,
                c.value_text,
                c.value,
                c.unit,
                c.bound,
                c.low or "",
                c.high or "",
                c.period or "",
                c.period_start.isoformat() if c.period_start else "",
                c.period_end.isoformat() if c.period_end else "",
                c.kind,
                c.basis or "",
                c.stated_by,
                c.asserted_on.isoformat(),
                c.statement,
                ";".join(c.tags),
                ";".join(str(x.source.id) for x in c.citations),
                c.status,
                str(c.version),
            ]
        session.expunge_all()
        if cursor is None:
            return


def cite(
    session: Session, claim_id: int, citations: Sequence[CitationIn], *, actor_id: int | None
) -> tuple[Claim, list[str]]:
    """Add citations to a claim: a new version, since what backs the claim changed."""
    claim = get(session, claim_id)
    before = snapshot(session, claim)
    _bump(session, claim, None)
    notices: list[str] = []
    add_citations(session, claim_id, citations, actor_id=actor_id, notices=notices, field="body")
    review.on_citations_added(session, claim, actor_id=actor_id)
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
    return claim, notices
