"""Whether each claim stands on enough, or what a reviewer decided of it: its verification
state and latest verdict, stored on the claim, which is also its item in the fact-checker's
queue while unsourced or unverified (`queue_claims.py`)."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.claims.models import Citation, Claim, ClaimStatus, StoredClaim
from app.claims.states import VerificationState
from app.core.inlist import in_list
from app.core.statements import fetch
from app.review.models import FlagKind, FlagNote, FlagStatus, Review, Verdict
from app.review.rules import QUEUED as QUEUED
from app.review.rules import Cited, Verification, verify
from app.sources import service as sources
from app.sources.models import Source
from app.sources.urls import site_of

CITED = (
    sa_select(
        col(Citation.claim_id),
        col(Citation.id),
        col(Source.id),
        col(Source.publisher),
        col(Source.kind),
        col(Source.publisher_id),
        col(Source.url),
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
    claims: Sequence[StoredClaim],
    cited_rows: Iterable[tuple[int, int, int, str | None, str, int | None, str]] | None = None,
    verdict_rows: Iterable[tuple[int, str]] | None = None,
    *,
    fresh: bool = False,
) -> dict[int, Verification]:
    """The verification of each claim, in four queries for any number of claims, fewer when
    the caller has read the claims' citations or reviews already (`cited_rows`, `verdict_rows`:
    shaped as CITED's and VERDICTS' rows) or the claims are `fresh`, stored by this
    transaction, which nobody can have reviewed. A claim's rank is read from the claim."""
    ranks = {c.id: str(c.rank) for c in claims if c.id is not None}
    ids = sorted(ranks)
    if not ids:
        return {}
    cited: dict[int, list[tuple[int, int, str | None, str, int | None, str]]] = {i: [] for i in ids}
    rows = fetch(session, CITED, {"ids": ids}) if cited_rows is None else cited_rows
    for claim_id, citation_id, source_id, publisher, kind, publisher_id, url in rows:
        cited[claim_id].append(
            (citation_id or 0, source_id or 0, publisher, str(kind), publisher_id, site_of(url))
        )
    ancestry = sources.ancestors_of(session, {c[1] for rows in cited.values() for c in rows})
    verdicts: dict[int, list[str]] = {i: [] for i in ids}
    if verdict_rows is None:
        verdict_rows = [] if fresh else fetch(session, VERDICTS, {"ids": ids})
    for claim_id, verdict in verdict_rows:
        verdicts[claim_id].append(str(verdict))
    return {
        i: verify(
            [
                Cited(c, s, p, k, ancestry.get(s, frozenset()), publisher_id, site)
                for c, s, p, k, publisher_id, site in cited[i]
            ],
            verdicts[i],
            ranks[i],
        )
        for i in ids
    }


def queue_note(claim: StoredClaim) -> FlagNote | None:
    """The claim's own item in the fact-checker's queue, when it has one open: active,
    unsourced or unverified, and not dismissed."""
    if (
        claim.status != ClaimStatus.ACTIVE
        or claim.verification not in QUEUED
        or getattr(claim, "verification_dismissed_at", None) is not None
    ):
        return None
    assert claim.id is not None
    return FlagNote(id=-claim.id, kind=FlagKind(claim.verification), status=FlagStatus.OPEN)


def reconcile(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    actor_id: int | None,
    fresh: bool = False,
    states: dict[int, Verification] | None = None,
) -> dict[int, list[FlagNote]]:
    """Set each claim's verification state and verdict, a `claim.verification_changed` event
    when either changes; the notes of the claims' open queue items.

    `fresh`: the claims were stored by this transaction, so no review can name them yet (it is
    not looked up), and their state is their first, not a change. `states`: their
    verifications, when the caller has worked them out (`verifications`) already."""
    ids = [c.id for c in claims if c.id is not None]
    if states is None:
        states = verifications(session, claims, fresh=fresh)
    notes: dict[int, list[FlagNote]] = {i: [] for i in ids}
    restated: list[dict[str, Any]] = []
    for claim in claims:
        assert claim.id is not None
        result = states[claim.id]
        was = (claim.verification, claim.verdict)
        if was != (result.state, result.verdict):
            if isinstance(claim, Claim):  # the flush writes them
                claim.verification = result.state
                claim.verdict = Verdict(result.verdict) if result.verdict else None
            else:  # a claim read as columns (one this transaction stored)
                restated.append(
                    {"claim_id": claim.id, "state": result.state, "verdict": result.verdict}
                )
            if not fresh:
                audit.record(
                    session,
                    actor_id=actor_id,
                    action="claim.verification_changed",
                    record_type="claim",
                    record_id=claim.id,
                    version=claim.version,
                    before=_state(*was),
                    after={**_state(result.state, result.verdict), "reasons": result.reasons},
                )
        if isinstance(claim, Claim):
            note = queue_note(claim)
        elif claim.status == ClaimStatus.ACTIVE and result.state in QUEUED:  # none dismissed
            note = FlagNote(id=-claim.id, kind=FlagKind(result.state), status=FlagStatus.OPEN)
        else:
            note = None
        if note is not None:
            notes[claim.id].append(note)
    if restated:
        session.execute(RESTATE, restated)
    session.flush()
    return notes


CLAIMS: Any = Claim.__table__  # type: ignore[attr-defined]
RESTATE = (
    update(CLAIMS)
    .where(CLAIMS.c.id == bindparam("claim_id"))
    .values(verification=bindparam("state"), verdict=bindparam("verdict"))
)


def _state(state: str, verdict: str | None) -> dict[str, Any]:
    """A state as its event shows it: a reviewed one with its verdict (null: a rank only)."""
    if state == VerificationState.REVIEWED:
        return {"verification": state, "verdict": verdict}
    return {"verification": state}


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
