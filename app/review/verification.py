"""Whether each claim stands on enough, and the unsourced/unverified flags that follow from it."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Citation, Claim, ClaimStatus, StoredClaim
from app.claims.states import VerificationState
from app.core.inlist import in_list, status_is
from app.core.statements import fetch
from app.review import flags
from app.review.models import (
    Flag,
    FlagKind,
    FlagNote,
    FlagStatus,
    Review,
)
from app.review.rules import Cited, Verification, verify
from app.sources import service as sources
from app.sources.models import Source

WANTED_FLAG = {
    VerificationState.UNSOURCED: FlagKind.UNSOURCED,
    VerificationState.UNVERIFIED: FlagKind.UNVERIFIED,
}
CLAIM_FLAG_KINDS = (FlagKind.UNSOURCED, FlagKind.UNVERIFIED)


CITED = (
    sa_select(
        col(Citation.claim_id),
        col(Citation.id),
        col(Source.id),
        col(Source.publisher),
        col(Source.kind),
    )
    .join(Source, col(Source.id) == col(Citation.source_id))
    .where(in_list(col(Citation.claim_id), "ids"))
    .order_by(col(Citation.id))
)
VERDICTS = (
    sa_select(col(Review.claim_id), col(Review.verdict))
    .where(in_list(col(Review.claim_id), "ids"))
    .order_by(col(Review.id))
)


def verifications(
    session: Session,
    claim_ids: Iterable[int],
    cited_rows: Iterable[tuple[int, int, int, str | None, str]] | None = None,
    verdict_rows: Iterable[tuple[int, str]] | None = None,
    *,
    fresh: bool = False,
) -> dict[int, Verification]:
    """The verification of each claim, in four queries for any number of claims, fewer when
    the caller has read the claims' citations or reviews already (`cited_rows`, `verdict_rows`:
    shaped as CITED's and VERDICTS' rows) or the claims are `fresh`, stored by this
    transaction, which nobody can have reviewed."""
    ids = sorted(set(claim_ids))
    if not ids:
        return {}
    cited: dict[int, list[tuple[int, int, str | None, str]]] = {i: [] for i in ids}
    rows = fetch(session, CITED, {"ids": ids}) if cited_rows is None else cited_rows
    for claim_id, citation_id, source_id, publisher, kind in rows:
        cited[claim_id].append((citation_id or 0, source_id or 0, publisher, str(kind)))
    ancestry = sources.ancestors_of(session, {s for rows in cited.values() for _, s, _, _ in rows})
    verdicts: dict[int, list[str]] = {i: [] for i in ids}
    if verdict_rows is None:
        verdict_rows = [] if fresh else fetch(session, VERDICTS, {"ids": ids})
    for claim_id, verdict in verdict_rows:
        verdicts[claim_id].append(str(verdict))
    return {
        i: verify(
            [Cited(c, s, p, k, ancestry.get(s, frozenset())) for c, s, p, k in cited[i]],
            verdicts[i],
        )
        for i in ids
    }


# By group alone; the dismissed ones are kept with `status_is` (why: app/core/inlist.py).
FLAGS_OF_GROUPS = sa_select(col(Flag.kind), col(Flag.group_key), col(Flag.status)).where(
    in_list(col(Flag.group_key), "keys", "text")
)


def _open_claim_flags(session: Session, claim_ids: Sequence[int]) -> dict[int, list[Flag]]:
    out: dict[int, list[Flag]] = {i: [] for i in claim_ids}
    links = flags.links_of(session, claim_ids)
    if not links:
        return out
    stmt = select(Flag).where(
        col(Flag.id).in_(list(links)),
        col(Flag.kind).in_(CLAIM_FLAG_KINDS),
        col(Flag.status) == FlagStatus.OPEN,
    )
    for flag in session.execute(stmt).scalars():
        for claim_id in links[flag.id or 0]:
            out[claim_id].append(flag)
    return out


def reconcile(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    actor_id: int | None,
    fresh: bool = False,
    states: dict[int, Verification] | None = None,
    shared: flags.Opening | None = None,
) -> dict[int, list[FlagNote]]:
    """Set each claim's verification state; open and close its unsourced/unverified flags.

    `fresh`: the claims were stored by this transaction, so no flag, review or dismissal can
    name them yet, and those are not looked up. `states`: their verifications, when the
    caller has worked them out (`verifications`) already."""
    ids = [c.id for c in claims if c.id is not None]
    if states is None:
        states = verifications(session, ids, fresh=fresh)
    current: dict[int, list[Flag]] = (
        {i: [] for i in ids} if fresh else _open_claim_flags(session, ids)
    )
    # A flag a reviewer dismissed stays dismissed: the same state does not raise it again.
    dismissed = (
        set()
        if fresh
        else {
            (r.kind, int(r.group_key.removeprefix("claim:")))
            for r in status_is(
                fetch(session, FLAGS_OF_GROUPS, {"keys": [f"claim:{i}" for i in ids]}),
                FlagStatus.DISMISSED,
            )
        }
    )
    notes: dict[int, list[FlagNote]] = {i: [] for i in ids}
    to_open: list[flags.NewFlag] = []
    restated: list[dict[str, Any]] = []
    for claim in claims:
        assert claim.id is not None
        result = states[claim.id]
        if claim.verification == result.state:
            pass  # an unchanged one costs nothing
        elif isinstance(claim, Claim):
            claim.verification = result.state  # the flush writes it
        else:  # a claim read as columns (one this transaction stored)
            restated.append({"claim_id": claim.id, "state": result.state})
        wanted = WANTED_FLAG.get(result.state) if claim.status == ClaimStatus.ACTIVE else None
        for flag in current[claim.id]:
            if flag.kind == wanted:
                assert flag.id is not None
                notes[claim.id].append(FlagNote(id=flag.id, kind=flag.kind, status=flag.status))
                continue
            why = (
                "claim retracted"
                if claim.status != ClaimStatus.ACTIVE
                else "; ".join(result.reasons)
            )
            flags.clear(session, flag, why, actor_id)
        if (
            wanted is not None
            and all(f.kind != wanted for f in current[claim.id])
            and (wanted, claim.id) not in dismissed
        ):
            to_open.append(
                flags.NewFlag(
                    kind=wanted,
                    group_key=f"claim:{claim.id}",
                    entity_id=claim.entity_id,
                    metric_id=claim.metric_id,
                    summary=f"claim {claim.id}: {'; '.join(result.reasons)}",
                    claim_ids=[claim.id],
                )
            )
    if restated:
        session.execute(RESTATE, restated)
    flags.open_each(session, to_open, notes, actor_id=actor_id, shared=shared)
    session.flush()
    return notes


CLAIMS: Any = Claim.__table__  # type: ignore[attr-defined]
RESTATE = (
    update(CLAIMS)
    .where(CLAIMS.c.id == bindparam("claim_id"))
    .values(verification=bindparam("state"))
)


def claims_citing(session: Session, source_ids: set[int]) -> list[Claim]:
    stmt = (
        select(Claim)
        .where(
            col(Claim.id).in_(
                select(Citation.claim_id).where(col(Citation.source_id).in_(source_ids))
            )
        )
        .order_by(col(Claim.id))
    )
    return list(session.execute(stmt).scalars())
