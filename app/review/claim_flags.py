"""What claims show of their flags: the open flags each claim is in, with the other claims of
each conflict, and Wikidata's best rank. Read by `app/flows/views.py` and `app/flows/claims.py`."""

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.claims.models import Claim, ClaimStatus
from app.core.inlist import status_is
from app.review.models import Flag, FlagClaim, FlagKind, FlagNote, FlagStatus, Rank

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
