"""A claim as the API shows it: its own fields (`claims.view`) with what review and indicators
say of it (verification, open flags, data check), all read in one statement for any number of
claims: this module extends `claims.view.COMPANIONS` with branches of its own."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import union_all
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims import view
from app.claims.models import (
    CitationCheckPublic,
    DataCheckPublic,
    StoredClaim,
    VerificationPublic,
)
from app.core.inlist import in_list
from app.core.statements import fetch
from app.core.types import decimal_text
from app.indicators import datacheck
from app.indicators.models import Indicator
from app.review import claim_flags, verification
from app.review.models import ClaimPublic, Flag, FlagNote, Review
from app.review.rules import Verification

# Beside `claims.view.BRANCHES` (entity, metric, tag, citation); the slots as named there.
BRANCHES: dict[str, Any] = {
    **view.BRANCHES,
    # key: claim; n: the review (latest last); a: its verdict
    "verdict": view.companion(
        "verdict", col(Review.claim_id), n=col(Review.id), a=col(Review.verdict)
    ).where(in_list(col(Review.claim_id), "ids")),
    # key: the entity; n: the indicator; m: its metric; a: its unit; b, c: its frequency and
    # aggregation (for the data check)
    "indicator": view.companion(
        "indicator",
        col(Indicator.entity_id),
        n=col(Indicator.id),
        m=col(Indicator.metric_id),
        a=col(Indicator.unit),
        b=col(Indicator.frequency),
        c=col(Indicator.aggregation),
    ).where(in_list(col(Indicator.entity_id), "entity_ids")),
    # key: claim; n: a flag it is in; a, b: the flag's kind and status; m: another member
    "flag": claim_flags.flag_links(
        view.companion(
            "flag",
            col(claim_flags.LINK.claim_id),
            n=col(Flag.id),
            m=col(claim_flags.MEMBER.claim_id),
            a=col(Flag.kind),
            b=col(Flag.status),
        )
    ).where(in_list(col(claim_flags.LINK.claim_id), "ids")),
}
COMPANIONS: Any = union_all(*BRANCHES.values())
# Claims this transaction stored: no review or flag can name them yet (the caller has the flags
# it opened). Reading those anyway cost more than the rest: a plan PostgreSQL made while the
# flag tables were empty walked them whole for every row of one another as they grew.
FRESH_COMPANIONS: Any = union_all(
    *(b for name, b in BRANCHES.items() if name not in {"verdict", "flag"})
)


# The open flags of claims alone (the minimal bulk answer's claims stored before).
FLAGS: Any = BRANCHES["flag"]


@dataclass
class Shown:
    """What claims show beside their own columns, with the verification and data check
    worked out from it."""

    own: view.Shown
    checks: dict[int, Verification]
    data: dict[int, datacheck.DataCheck]
    open_flags: dict[int, list[FlagNote]]


def companions(session: Session, claims: Sequence[StoredClaim], *, fresh: bool = False) -> Shown:
    """The companions of claims with an id, in a fixed number of queries for any number.

    `fresh`: stored by this transaction, so no review or flag names them but the ones the
    caller has (which it puts in `flags` itself): those are not looked up. The create flow
    reads this once, for the checks (verification and data) and the response."""
    ids = [c.id for c in claims if c.id is not None]
    rows = fetch(session, FRESH_COMPANIONS if fresh else COMPANIONS, view.params(claims))
    own, rest = view.read_rows(ids, rows)
    verdicts: list[tuple[int, int, str]] = []
    indicators: list[datacheck.IndicatorRow] = []
    flag_rows: list[claim_flags.FlagRow] = []
    for row in rest:
        of, key, n, m, _, a, b, c = row[:8]
        if of == "verdict":
            verdicts.append((n, key, a))
        elif of == "indicator":
            indicators.append(datacheck.IndicatorRow(n, key, m, a, b, c))
        else:
            flag_rows.append(claim_flags.FlagRow(key, n, a, b, m))
    checks = verification.verifications(
        session,
        claims,
        [(r.key, r.n, r.m, r.d, str(r.e), r.p, r.b) for r in own.cited],
        [(claim_id, verdict) for _, claim_id, verdict in sorted(verdicts)],
    )
    return Shown(
        own=own,
        checks=checks,
        data=datacheck.checks_for(session, claims, indicators),
        open_flags={i: [] for i in ids} if fresh else claim_flags.open_flags(ids, flag_rows),
    )


def _verification(check: Verification) -> VerificationPublic:
    return VerificationPublic(
        state=check.state,
        verdict=check.verdict,
        reasons=check.reasons,
        citations=[
            CitationCheckPublic(
                citation_id=x.citation_id, source_id=x.source_id, counts=x.counts, why=x.why
            )
            for x in check.citations
        ],
    )


def _data_check(data: datacheck.DataCheck | None) -> DataCheckPublic | None:
    if data is None:
        return None
    return DataCheckPublic(
        indicator_id=data.indicator_id,
        observation_id=data.observation_ids[0] if len(data.observation_ids) == 1 else None,
        observation_ids=list(data.observation_ids),
        value=decimal_text(data.value) or "0",
        vintage=data.vintage,
        source_id=data.source_id,
        agrees=data.agrees,
        basis=data.basis,
    )


def to_public_many(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    fresh: bool = False,
    shown: Shown | None = None,
    flags: Mapping[int, list[FlagNote]] | None = None,
) -> list[ClaimPublic]:
    """Claims with their entity, metric, tags, citations, verification, flags and data check,
    in a fixed number of queries for any number of claims (none when given what they `shown`).

    `fresh`: see `companions`. `flags`: each claim's flags, when the caller has them (a create
    has just opened them), instead of its open flags and queue item."""
    if not claims:
        return []
    if shown is None:
        shown = companions(session, claims, fresh=fresh)
    return [
        ClaimPublic(
            **view.fields(c, shown.own),
            verification=_verification(shown.checks[c.id]),
            flags=flags[c.id] if flags is not None else shown.open_flags[c.id] + _queued(c),
            data_check=_data_check(shown.data.get(c.id)),
        )
        for c in claims
        if c.id is not None
    ]


def flags_many(session: Session, claims: Sequence[StoredClaim]) -> list[list[FlagNote]]:
    """Each claim's flags as `to_public_many` shows them (open flags, then its queue item),
    in one statement, without the rest of the claim."""
    ids = [c.id for c in claims if c.id is not None]
    rows = fetch(session, FLAGS, {"ids": ids})
    found = claim_flags.open_flags(
        ids, [claim_flags.FlagRow(r.key, r.n, r.a, r.b, r.m) for r in rows]
    )
    return [found[c.id] + _queued(c) for c in claims if c.id is not None]


def _queued(claim: StoredClaim) -> list[FlagNote]:
    note = verification.queue_note(claim)
    return [] if note is None else [note]


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
