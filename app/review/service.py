"""The review queue: flags and their resolution, reviews and ClaimReview. What a claim's
creation or edit sets off here is called from `app/flows/claims.py`."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, exists, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from app.audit import service as audit
from app.auth.models import ApiKey, Caller
from app.auth.policy import Permission, allows
from app.claims.errors import ClaimRetracted
from app.claims.models import Citation, Claim, ClaimStatus
from app.core.errors import InvalidInput
from app.core.inlist import status_is
from app.core.models import as_utc, utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.types import decimal_text
from app.core.versioning import bump_version, check_version, next_version
from app.entities import service as entities
from app.review import conflict_queries, conflicts, verification
from app.review.errors import FlagClosed, FlagNotFound, NoReview
from app.review.models import (
    BulkResolveIn,
    Flag,
    FlagClaim,
    FlagClaimView,
    FlagDetail,
    FlagKind,
    FlagNote,
    FlagPublic,
    FlagStatus,
    Rank,
    Resolution,
    ResolveDifferent,
    ResolveDismissed,
    ResolveRanked,
    Review,
    ReviewIn,
    Verdict,
)
from app.sources.models import Source

# --- what claims show of their flags ----------------------------------------------------------


# The flags of some claims, with the other claims of each open conflict flag: `flag_links`
# joins a select on LINK (a claim's link to a flag) to the flag and, for an open conflict, to
# its other members (MEMBER). `flows.views.COMPANIONS` reads them so, beside the rest of
# what a claim shows. The flags are read by id alone; the open ones are kept with `status_is`
# (why: app/core/inlist.py).
LINK = aliased(FlagClaim, name="link")
MEMBER = aliased(FlagClaim, name="member")


def flag_links(stmt: Any) -> Any:
    return (
        stmt.select_from(LINK)
        .join(Flag, col(Flag.id) == col(LINK.flag_id))
        .outerjoin(
            MEMBER,
            and_(
                col(MEMBER.flag_id) == col(Flag.id),
                col(Flag.kind) == FlagKind.CONFLICT,
                col(Flag.status) == FlagStatus.OPEN,
            ),
        )
    )


class FlagRow(NamedTuple):
    claim_id: int
    flag_id: int
    kind: str
    status: str
    member: int | None


def open_flags(claim_ids: Sequence[int], rows: Iterable[FlagRow]) -> dict[int, list[FlagNote]]:
    """The open flags each claim is in, with the other claims of each group, from the rows
    `flag_links` reads for them."""
    found: dict[int, dict[int, FlagNote]] = {i: {} for i in claim_ids}
    for claim_id, flag_id, kind, status, member in status_is(rows, FlagStatus.OPEN):
        note = found[claim_id].get(flag_id)
        if note is None:
            note = found[claim_id][flag_id] = FlagNote(id=flag_id, kind=kind, status=status)
        if member is not None and member != claim_id:
            note.with_.append(member)
    out: dict[int, list[FlagNote]] = {}
    for claim_id, notes in found.items():
        out[claim_id] = [notes[i] for i in sorted(notes)]
        for note in out[claim_id]:
            note.with_.sort()
    return out


def best_rank_condition() -> ColumnElement[bool]:
    """Wikidata's "best rank": preferred claims, and normal ones no preferred claim outranks."""
    mine = aliased(FlagClaim)
    theirs = aliased(FlagClaim)
    rival = aliased(Claim)
    outranked = exists().where(
        col(mine.claim_id) == col(Claim.id),
        col(theirs.flag_id) == col(mine.flag_id),
        col(rival.id) == col(theirs.claim_id),
        col(rival.rank) == Rank.PREFERRED,
        col(rival.status) == ClaimStatus.ACTIVE,
    )
    return or_(
        col(Claim.rank) == Rank.PREFERRED,
        and_(col(Claim.rank) == Rank.NORMAL, ~outranked),
    )


# --- flags ------------------------------------------------------------------------------------


def get(session: Session, flag_id: int) -> Flag:
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise FlagNotFound(f"no flag {flag_id}")
    return flag


def open_counts(session: Session) -> dict[FlagKind, int]:
    """How many flags of each kind are open (every kind, zeros too), in one GROUP BY."""
    rows = session.execute(
        sa_select(col(Flag.kind), func.count())
        .where(col(Flag.status) == FlagStatus.OPEN)
        .group_by(Flag.kind)
    ).all()
    counts = dict.fromkeys(FlagKind, 0)
    counts.update({FlagKind(kind): n for kind, n in rows})
    return counts


def _member_ids(session: Session, flag_ids: Sequence[int]) -> dict[int, list[int]]:
    return {k: sorted(v) for k, v in conflict_queries.members(session, flag_ids).items()}


def to_public_many(session: Session, flags: Sequence[Flag]) -> list[FlagPublic]:
    members = _member_ids(session, [f.id for f in flags if f.id is not None])
    return [
        FlagPublic(
            id=f.id,
            kind=f.kind,
            status=f.status,
            severity=f.severity,
            summary=f.summary,
            entity_id=f.entity_id,
            metric_id=f.metric_id,
            claim_ids=members[f.id],
            claim_count=f.claim_count,
            opened_at=as_utc(f.opened_at) or f.opened_at,
            updated_at=as_utc(f.updated_at) or f.updated_at,
            resolved_at=as_utc(f.resolved_at),
            resolved_by_id=f.resolved_by_id,
            resolution=f.resolution,
            reason=f.reason,
            assignee_id=f.assignee_id,
            version=f.version,
        )
        for f in flags
        if f.id is not None
    ]


def detail(session: Session, flag: Flag) -> FlagDetail:
    """The flag with its claims side by side: as written, as read, and what backs each."""
    public = to_public_many(session, [flag])[0]
    claims = (
        session.execute(
            select(Claim).where(col(Claim.id).in_(public.claim_ids)).order_by(col(Claim.id))
        )
        .scalars()
        .all()
    )
    cites: dict[int, list[dict[str, Any]]] = {c.id: [] for c in claims if c.id is not None}
    stmt = (
        sa_select(
            col(Citation.claim_id),
            col(Citation.quote),
            col(Source.id),
            col(Source.url),
            col(Source.title),
            col(Source.publisher),
            col(Source.kind),
        )
        .join(Source, col(Source.id) == col(Citation.source_id))
        .where(col(Citation.claim_id).in_(public.claim_ids))
        .order_by(col(Citation.id))
    )
    for claim_id, quote, source_id, url, title, publisher, kind in session.execute(stmt):
        cites[claim_id].append(
            {
                "quote": quote,
                "source_id": source_id,
                "url": url,
                "title": title,
                "publisher": publisher,
                "kind": str(kind),
            }
        )
    views = [
        FlagClaimView(
            id=c.id,
            value_text=c.value_text,
            value=decimal_text(c.value) or "0",
            unit=c.unit,
            bound=str(c.bound),
            low=decimal_text(c.low),
            high=decimal_text(c.high),
            low_open=c.low_open,
            high_open=c.high_open,
            period=c.period_text,
            period_start=c.period_start,
            period_end=c.period_end,
            kind=str(c.kind),
            basis=c.basis,
            stated_by=c.stated_by,
            asserted_on=c.asserted_on,
            status=str(c.status),
            rank=c.rank,
            rank_reason=c.rank_reason,
            citations=cites[c.id],
        )
        for c in claims
        if c.id is not None
    ]
    return FlagDetail(**public.model_dump(), claims=views)


@dataclass(frozen=True)
class FlagFilters:
    kind: FlagKind | None = None
    status: FlagStatus | None = FlagStatus.OPEN
    entity: str | None = None
    metric: str | None = None
    assignee_id: int | None = None
    since: datetime | None = None


FLAG_SORTS: dict[str, tuple[Any, bool]] = {
    "oldest": (Flag.opened_at, False),
    "newest": (Flag.opened_at, True),
    "most_claims": (Flag.claim_count, True),
    "severity": (Flag.severity, True),
}


def get_all(
    session: Session, filters: FlagFilters, *, sort: str, limit: int, cursor: str | None
) -> tuple[list[Flag], str | None]:
    """A page of the review queue by keyset, and the cursor of the next page."""
    conds: list[ColumnElement[bool]] = []
    if filters.kind is not None:
        conds.append(col(Flag.kind) == filters.kind)
    if filters.status is not None:
        conds.append(col(Flag.status) == filters.status)
    if filters.entity is not None:
        entity = entities.find_entity(session, filters.entity)
        if entity is None:
            return [], None
        conds.append(col(Flag.entity_id) == entity.id)
    if filters.metric is not None:
        metric = entities.find_metric(session, filters.metric)
        if metric is None:
            return [], None
        conds.append(col(Flag.metric_id) == metric.id)
    if filters.assignee_id is not None:
        conds.append(col(Flag.assignee_id) == filters.assignee_id)
    if filters.since is not None:
        conds.append(col(Flag.opened_at) >= filters.since)
    column, descending = FLAG_SORTS[sort]
    if cursor is not None:
        kinds = (datetime if column is Flag.opened_at else int, int)
        value, last_id = decode_cursor(cursor, kinds)
        if descending:
            conds.append(or_(column < value, and_(column == value, col(Flag.id) > last_id)))
        else:
            conds.append(or_(column > value, and_(column == value, col(Flag.id) > last_id)))
    order = [column.desc() if descending else column, col(Flag.id)]
    rows = list(
        session.execute(select(Flag).where(*conds).order_by(*order).limit(limit + 1)).scalars()
    )
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        value = getattr(last, column.key)
        nxt = encode_cursor([value.isoformat() if isinstance(value, datetime) else value, last.id])
    return rows[:limit], nxt


def iter_csv(session: Session, filters: FlagFilters, *, sort: str) -> Iterator[list[str]]:
    """Every matching flag as a CSV row; the filters are checked before streaming starts."""
    first, cursor = get_all(session, filters, sort=sort, limit=500, cursor=None)
    return _csv_rows(session, filters, sort, first, cursor)


def _csv_rows(
    session: Session, filters: FlagFilters, sort: str, rows: list[Flag], cursor: str | None
) -> Iterator[list[str]]:
    while True:
        for f in to_public_many(session, rows):
            yield [
                str(f.id),
                f.kind,
                f.status,
                str(f.severity),
                str(f.claim_count),
                ";".join(map(str, f.claim_ids)),
                f.opened_at.isoformat(),
                str(f.assignee_id or ""),
                str(f.resolution or ""),
                f.summary,
            ]
        if cursor is None:
            return
        rows, cursor = get_all(session, filters, sort=sort, limit=500, cursor=cursor)


FLAG_CSV_COLUMNS = (
    "id",
    "kind",
    "status",
    "severity",
    "claim_count",
    "claim_ids",
    "opened_at",
    "assignee_id",
    "resolution",
    "summary",
)


def _bump(session: Session, flag: Flag, expected_version: int | None) -> dict[str, Any]:
    assert flag.id is not None
    before = to_public_many(session, [flag])[0].model_dump(mode="json")
    check_version(flag.version, expected_version, "flag", flag.id)
    bump_version(session, Flag, flag.id, expected_version, "flag")
    session.refresh(flag)
    return before


def _record(
    session: Session, flag: Flag, action: str, actor_id: int | None, before: dict[str, Any]
) -> None:
    assert flag.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"flag.{action}",
        record_type="flag",
        record_id=flag.id,
        version=flag.version,
        before=before,
        after=to_public_many(session, [flag])[0].model_dump(mode="json"),
    )


def assign(
    session: Session,
    flag_id: int,
    assignee_id: int | None,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Give a flag to a reviewer (or take it back with null)."""
    flag = get(session, flag_id)
    if assignee_id is not None:
        key = session.get(ApiKey, assignee_id)
        if key is None or key.revoked_at is not None or not allows(key.role, Permission.REVIEW):
            raise InvalidInput(
                f"key {assignee_id} is not a live reviewer or admin key", field="assignee_id"
            )
    before = _bump(session, flag, expected_version)
    flag.assignee_id = assignee_id
    session.flush()
    _record(session, flag, "assigned", actor_id, before)
    return flag


Resolve = ResolveRanked | ResolveDifferent | ResolveDismissed


def resolve(
    session: Session,
    flag_id: int,
    body: Resolve,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Settle a flag: rank the claims, keep them apart as different quantities, or dismiss it."""
    flag = get(session, flag_id)
    check_version(flag.version, expected_version, "flag", flag_id)
    if flag.status != FlagStatus.OPEN:
        raise FlagClosed(f"flag {flag_id} is {flag.status}")
    if isinstance(body, ResolveRanked | ResolveDifferent) and flag.kind != FlagKind.CONFLICT:
        raise InvalidInput(f"only conflict flags can be {body.resolution}", field="resolution")
    before = _bump(session, flag, expected_version)
    members = set(_member_ids(session, [flag_id])[flag_id])
    if isinstance(body, ResolveRanked):
        ranks = [(r, Rank.PREFERRED) for r in body.preferred] + [
            (r, Rank.DEPRECATED) for r in body.deprecated
        ]
        for i, (ranked, _) in enumerate(ranks):
            if ranked.claim_id not in members:
                raise InvalidInput(
                    f"claim {ranked.claim_id} is not in flag {flag_id}",
                    field=f"ranks[{i}].claim_id",
                )
        if len({r.claim_id for r, _ in ranks}) != len(ranks):
            raise InvalidInput("a claim may be ranked once", field="preferred")
        for ranked, rank in ranks:
            claim = session.get(Claim, ranked.claim_id)
            assert claim is not None and claim.id is not None
            before = {"rank": claim.rank, "rank_reason": claim.rank_reason}
            claim.rank, claim.rank_reason = rank, ranked.reason
            next_version(session, claim)
            audit.record(
                session,
                actor_id=actor_id,
                action="claim.ranked",
                record_type="claim",
                record_id=claim.id,
                version=claim.version,
                before=before,
                after={"rank": rank, "rank_reason": ranked.reason, "flag_id": flag_id},
            )
        flag.resolution = Resolution.RANKED
        flag.reason = "; ".join(f"{rank} {r.claim_id}: {r.reason}" for r, rank in ranks)
        flag.status = FlagStatus.RESOLVED
    elif isinstance(body, ResolveDifferent):
        conflicts.separate(session, flag, members)
        flag.resolution = Resolution.DIFFERENT_QUANTITIES
        flag.reason = body.reason
        flag.status = FlagStatus.RESOLVED
    else:
        if flag.kind == FlagKind.CONFLICT:
            # A dismissal sticks: these claims are not compared with each other again.
            conflicts.separate(session, flag, members)
        flag.resolution = Resolution.DISMISSED
        flag.reason = body.reason
        flag.status = FlagStatus.DISMISSED
    flag.resolved_at = utcnow()
    flag.resolved_by_id = actor_id
    session.flush()
    _record(session, flag, "resolved", actor_id, before)
    return flag


def bulk_resolve(session: Session, body: BulkResolveIn, *, actor_id: int | None) -> list[Flag]:
    """Resolve many flags alike, all or nothing."""
    one: Resolve = (
        ResolveDifferent(resolution="different_quantities", reason=body.reason)
        if body.resolution == "different_quantities"
        else ResolveDismissed(resolution="dismissed", reason=body.reason)
    )
    return [
        resolve(session, i, one, expected_version=None, actor_id=actor_id)
        for i in dict.fromkeys(body.flag_ids)
    ]


def bulk_assign(
    session: Session, flag_ids: Sequence[int], assignee_id: int | None, *, actor_id: int | None
) -> list[Flag]:
    return [
        assign(session, i, assignee_id, expected_version=None, actor_id=actor_id)
        for i in dict.fromkeys(flag_ids)
    ]


# --- reviews ----------------------------------------------------------------------------------


def add_review(session: Session, claim: Claim, data: ReviewIn, *, key: ApiKey | Caller) -> Review:
    """A reviewer's verdict; the latest one decides whether it verifies the claim."""
    assert claim.id is not None
    if claim.status != ClaimStatus.ACTIVE:
        raise ClaimRetracted(f"claim {claim.id} was retracted")
    review = Review(
        claim_id=claim.id,
        verdict=data.verdict,
        note=data.note,
        reviewer=data.reviewer or key.name,
        reviewer_key_id=key.id,
    )
    session.add(review)
    session.flush()
    assert review.id is not None
    audit.record(
        session,
        actor_id=key.id,
        action="review.created",
        record_type="review",
        record_id=review.id,
        after={"claim_id": claim.id, "verdict": data.verdict, "note": data.note},
    )
    verification.reconcile(session, [claim], actor_id=key.id)
    return review


def reviews_of(session: Session, claim_id: int) -> list[Review]:
    return list(
        session.execute(
            select(Review).where(col(Review.claim_id) == claim_id).order_by(col(Review.id))
        ).scalars()
    )


RATING: dict[Verdict, tuple[int, str]] = {
    Verdict.ACCURATE: (5, "Accurate"),
    Verdict.MOSTLY_ACCURATE: (4, "Mostly accurate"),
    # Unverifiable sits in the middle: it says neither true nor false.
    Verdict.UNVERIFIABLE: (3, "Unverifiable"),
    Verdict.MISLEADING: (2, "Misleading"),
    Verdict.INACCURATE: (1, "Inaccurate"),
}


def claim_review(session: Session, claim: Claim, *, base_url: str) -> dict[str, Any]:
    """The latest review as schema.org ClaimReview JSON-LD."""
    assert claim.id is not None
    reviews = reviews_of(session, claim.id)
    if not reviews:
        raise NoReview(f"claim {claim.id} has no review")
    review = reviews[-1]
    value, name = RATING[review.verdict]
    sources = session.execute(
        sa_select(
            col(Source.url), col(Source.title), col(Source.publisher), col(Source.published_on)
        )
        .join(Citation, col(Citation.source_id) == col(Source.id))
        .where(col(Citation.claim_id) == claim.id)
        .order_by(col(Citation.id))
    ).all()
    reviewed_at = as_utc(review.created_at) or review.created_at
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url.rstrip('/')}/api/v1/claims/{claim.id}/claimreview",
        "claimReviewed": claim.statement,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": claim.stated_by},
            "datePublished": claim.asserted_on.isoformat(),
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": s.url,
                    "headline": s.title,
                    **(
                        {"publisher": {"@type": "Organization", "name": s.publisher}}
                        if s.publisher
                        else {}
                    ),
                    **({"datePublished": s.published_on.isoformat()} if s.published_on else {}),
                }
                for s in sources
            ],
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "author": {"@type": "Person", "name": review.reviewer},
        "datePublished": reviewed_at.date().isoformat(),
        "reviewBody": review.note or None,
    }
