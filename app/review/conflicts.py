"""Keeping conflict flags in step as claims arrive, change or leave: opening, joining and
reopening flags, withdrawing a claim, and keeping apart claims ruled different quantities.
What the check reads is in `conflict_queries`; the rule it applies is in `rules`.

Serialisation: every check first takes a lock per comparison key (a transaction-scoped advisory
lock on PostgreSQL; on SQLite every writing transaction already holds the one write lock, taken
at BEGIN IMMEDIATE). Two workers inserting conflicting claims for one key therefore run their
checks one after the other, and the second sees the first's claim. A partial unique index on
open flags per group backs this up in the schema.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim, ClaimStatus, StoredClaim
from app.core.models import utcnow
from app.core.sessions import lock_keys
from app.core.statements import fetch
from app.core.versioning import next_version
from app.core.writes import insert_rows
from app.review import flags
from app.review.conflict_key import comparison_key
from app.review.conflict_queries import (
    CONFLICT_FLAGS,
    figure,
    live_figures,
    loader,
    members,
    preferred_among,
    rate_on,
    rates,
    same_key_rows,
    separations,
)
from app.review.models import (
    ClaimSeparation,
    Flag,
    FlagClaim,
    FlagKind,
    FlagNote,
    FlagStatus,
    Resolution,
)
from app.review.rules import (
    Apart,
    Figure,
    RateLookup,
    clashes,
    conflicted,
    conflicts,
    never_apart,
)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _twin_key(f: Figure) -> tuple[object, ...]:
    """Equal for twins: the same figure said again, as a re-import of a claim that a reviewer
    has already settled."""
    return (f.unit, f.interval, (f.basis or "").casefold())


def _join(
    flag_id: int, claim_ids: Iterable[int], have: set[int], joins: list[dict[str, Any]]
) -> list[int]:
    """The claims that join an existing flag, queued in `joins` (inserted together at the end
    of `check`); `have`, its members, grows by them."""
    new = sorted(set(claim_ids) - have)
    if new:
        now = utcnow()
        joins.extend({"flag_id": flag_id, "claim_id": c, "added_at": now} for c in new)
        have |= set(new)
    return new


def _add_members(
    flag: Flag, claim_ids: Iterable[int], have: set[int], joins: list[dict[str, Any]]
) -> list[int]:
    """`_join` for a flag loaded to change (a ranked one): its claim count follows at the next
    flush."""
    assert flag.id is not None
    new = _join(flag.id, claim_ids, have, joins)
    if new:
        flag.claim_count = len(have)
        flag.updated_at = utcnow()
    return new


# The claim counts of the open flags a batch joined, in one statement: no flag is loaded as an
# object for it (a batch of a thousand claims joined hundreds).
COUNT = (
    update(flags.FLAGS)
    .where(flags.FLAGS.c.id == bindparam("flag_id"))
    .values(claim_count=bindparam("claim_count"), updated_at=bindparam("now"))
)


def _apart(separated: set[tuple[int, int]], group: Sequence[Figure]) -> Apart:
    """Kept apart: the pair, or a re-posted twin of either, was ruled different quantities.

    The group's twins are sorted out once, so that asking about a pair costs the same however
    often its figures were re-posted (and nothing when no pair of the group was separated).
    """
    if not separated:
        return never_apart
    alike: dict[tuple[object, ...], set[int]] = {}
    for f in group:
        alike.setdefault(_twin_key(f), set()).add(f.claim_id)

    def twins(f: Figure) -> set[int]:
        return alike.get(_twin_key(f), set()) | {f.claim_id}

    def apart(a: Figure, b: Figure) -> bool:
        of_b = twins(b)
        return any(_pair(x, y) in separated for x in twins(a) for y in of_b if x != y)

    return apart


def _note(
    notes: dict[int, list[FlagNote]],
    claim_id: int,
    flag_id: int,
    status: FlagStatus,
    with_ids: Iterable[int],
) -> None:
    """One note per flag per claim, its `with` the union of every claim it clashed with."""
    if claim_id not in notes:
        return
    for note in notes[claim_id]:
        if note.id == flag_id:
            note.status = status
            note.with_ = sorted(set(note.with_) | set(with_ids))
            return
    notes[claim_id].append(
        FlagNote(id=flag_id, kind=FlagKind.CONFLICT, status=status, with_=sorted(with_ids))
    )


@dataclass
class _Opening:
    """A conflict flag this check opens: its members so far, and a stand-in id for the notes
    until the flags of the whole batch are opened together."""

    stand_in: int
    first: Figure
    members: set[int]


def check(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    actor_id: int | None,
    shared: flags.Opening | None = None,
    merged: frozenset[int] = frozenset(),
) -> dict[int, list[FlagNote]]:
    """Compare new or changed claims with every comparable one; open, join or reopen flags.

    The whole batch costs a fixed number of queries, whatever its size. `shared`: the new
    flags join it, for the caller to open with others (their notes hold stand-in ids until).
    `merged`: claims a merge moved onto their keys together, flags and ranks with them; they
    were compared with each other on their old key, and only meet the key's other claims anew.
    """
    news = [figure(c) for c in claims if c.status == ClaimStatus.ACTIVE]
    notes: dict[int, list[FlagNote]] = {c.id: [] for c in claims if c.id is not None}
    if not news:
        return notes
    keys = {comparison_key(f) for f in news}
    lock_keys(session, keys)
    new_ids = {f.claim_id for f in news}
    by_key: dict[str, list[Figure]] = {}
    for f in same_key_rows(session, news):
        if f.claim_id not in new_ids:
            by_key.setdefault(comparison_key(f), []).append(f)
    flag_rows = fetch(session, CONFLICT_FLAGS, {"keys": sorted(keys)})
    open_flag: dict[str, int] = {
        f.group_key: f.id for f in flag_rows if f.status == FlagStatus.OPEN
    }
    ranked: dict[str, int] = {
        f.group_key: f.id
        for f in flag_rows
        if f.status == FlagStatus.RESOLVED and f.resolution == Resolution.RANKED
    }
    members_of = members(session, [f.id for f in flag_rows])
    open_rows = {f.id: f for f in flag_rows if f.status == FlagStatus.OPEN}
    counts: dict[int, int] = {}  # open flag joined -> its claim count now
    _flag = loader(session, ranked.values())
    known_ids = {f.claim_id for group in by_key.values() for f in group}
    separated = separations(session, known_ids)
    preferred_ids = preferred_among(session, {c for i in ranked.values() for c in members_of[i]})
    opening: dict[str, _Opening] = {}
    joins: list[dict[str, Any]] = []
    rate_of = rates(session)
    moved = _moved(news, merged)
    for new in news:
        key = comparison_key(new)
        group = by_key.setdefault(key, [])
        rate = rate_of(new)
        clash = clashes(new, group, rate, _both(_apart(separated, [*group, new]), merged))
        group.append(new)
        if not clash:
            continue
        with_ids = [x.claim_id for x in clash]
        flag: Flag | None = None
        if key in open_flag and open_flag[key] in open_rows:
            row = open_rows[open_flag[key]]
            added = _join(row.id, [new.claim_id, *with_ids], members_of[row.id], joins)
            if added:
                counts[row.id] = len(members_of[row.id])
                flags.record(session, row, "joined", actor_id, claims=added)
            _note(notes, new.claim_id, row.id, FlagStatus.OPEN, with_ids)
            for x in clash:
                _note(notes, x.claim_id, row.id, FlagStatus.OPEN, [new.claim_id])
            continue
        if key in open_flag:  # reopened by this batch
            flag = _flag(open_flag[key])
            assert flag.id is not None
            added = _add_members(flag, [new.claim_id, *with_ids], members_of[flag.id], joins)
            if added:
                flags.record(session, flag, "joined", actor_id, claims=added)
        elif key in ranked and (settled := _flag(ranked[key])).id is not None:
            because = _why_reopen(new, group, moved.get(key, []), preferred_ids, merged, rate)
            if because is not None:
                _reopen(session, settled)
                open_flag[key] = settled.id
                _add_members(settled, [new.claim_id, *with_ids], members_of[settled.id], joins)
                flags.record(
                    session, settled, "reopened", actor_id, claim=new.claim_id, because=because
                )
            else:
                # A claim merged here brings the claims it clashes with into the ranked group.
                joining = [new.claim_id, *(with_ids if new.claim_id in merged else [])]
                added = _add_members(settled, joining, members_of[settled.id], joins)
                if added:
                    flags.record(session, settled, "joined", actor_id, claims=added)
            flag = settled
        else:
            # A flag opened by this batch: later claims of the batch join it before it opens.
            if key not in opening:
                opening[key] = _Opening(-(len(opening) + 1), new, set())
            opening[key].members |= {new.claim_id, *with_ids}
            _note(notes, new.claim_id, opening[key].stand_in, FlagStatus.OPEN, with_ids)
            for x in clash:
                _note(notes, x.claim_id, opening[key].stand_in, FlagStatus.OPEN, [new.claim_id])
            continue
        assert flag.id is not None
        _note(notes, new.claim_id, flag.id, flag.status, with_ids)
        for x in clash:
            _note(notes, x.claim_id, flag.id, flag.status, [new.claim_id])
    insert_rows(session, flags.FLAG_CLAIMS, joins)
    if counts:
        now = utcnow()
        rows = [{"flag_id": i, "claim_count": n, "now": now} for i, n in counts.items()]
        session.execute(COUNT, rows)
    _open(session, opening, notes, actor_id, shared)
    session.flush()
    return notes


def _both(apart: Apart, merged: frozenset[int]) -> Apart:
    """`apart`, and also two claims merged onto a key together (compared before)."""
    if not merged:
        return apart
    return lambda a, b: (a.claim_id in merged and b.claim_id in merged) or apart(a, b)


def _why_reopen(
    new: Figure,
    group: Sequence[Figure],
    moved_here: Sequence[Figure],
    preferred_ids: set[int],
    merged: frozenset[int],
    rate: RateLookup,
) -> str | None:
    """Why a conflict a reviewer ranked opens again for `new`, which clashes on its key (None:
    it joins the ranked group, settled). With no live preferred claim left, or against the
    preferred value, a new contradiction needs a reviewer again. A claim merged onto the key
    is held only to the claims it was not compared with before, and may be a preferred one."""
    seen = {x.claim_id for x in group}
    preferred = [x for x in group if x.claim_id in preferred_ids]
    preferred += [x for x in moved_here if x.claim_id in preferred_ids and x.claim_id not in seen]
    if new.claim_id in merged and new.claim_id in preferred_ids:
        return "contradicts the preferred value"  # what it clashes with was not merged with it
    if not preferred:
        return "no live preferred claim is left"
    compared = _both(never_apart, merged)
    if any(conflicts(new, p, rate) for p in preferred if not compared(new, p)):
        return "contradicts the preferred value"
    return None


def _moved(news: Sequence[Figure], merged: frozenset[int]) -> dict[str, list[Figure]]:
    """The merged claims among `news`, by key: ranked ones count before their turn comes."""
    out: dict[str, list[Figure]] = {}
    for f in news:
        if f.claim_id in merged:
            out.setdefault(comparison_key(f), []).append(f)
    return out


def _open(
    session: Session,
    opening: dict[str, _Opening],
    notes: dict[int, list[FlagNote]],
    actor_id: int | None,
    shared: flags.Opening | None,
) -> None:
    """Open the batch's new conflict flags together (or add them to `shared`), and give their
    notes the ids `flags.Opening` gives."""
    batch = shared or flags.Opening()
    new = [
        flags.NewFlag(
            kind=FlagKind.CONFLICT,
            group_key=key,
            entity_id=o.first.entity_id,
            metric_id=o.first.metric_id,
            summary=f"claims {', '.join(map(str, sorted(o.members)))} give figures that cannot "
            "all be true",
            claim_ids=sorted(o.members),
        )
        for key, o in opening.items()
    ]
    given = {o.stand_in: batch.add(f) for o, f in zip(opening.values(), new, strict=True)}
    for claim_notes in notes.values():
        for note in claim_notes:
            note.id = given.get(note.id, note.id)
    if shared is None:
        batch.open(session, notes, actor_id=actor_id)


def _reopen(session: Session, flag: Flag) -> None:
    flag.status = FlagStatus.OPEN
    flag.resolution = None
    flag.resolved_at = None
    flag.resolved_by_id = None
    flag.reason = None
    next_version(session, flag)


def withdraw(session: Session, claim: Claim, *, actor_id: int | None, why: str) -> None:
    """Take a claim out of its open conflict flags; close any flag left without a conflict."""
    assert claim.id is not None
    joined = (
        session.execute(
            select(Flag)
            .join(FlagClaim, col(FlagClaim.flag_id) == col(Flag.id))
            .where(
                col(FlagClaim.claim_id) == claim.id,
                col(Flag.kind) == FlagKind.CONFLICT,
                col(Flag.status) == FlagStatus.OPEN,
            )
        )
        .scalars()
        .all()
    )
    if not joined:
        return
    lock_keys(session, [f.group_key for f in joined])
    members_of = members(session, [f.id for f in joined if f.id is not None])
    for flag in joined:
        assert flag.id is not None
        session.execute(
            delete(FlagClaim).where(
                col(FlagClaim.flag_id) == flag.id, col(FlagClaim.claim_id) == claim.id
            )
        )
        rest = members_of[flag.id] - {claim.id}
        flag.claim_count = len(rest)
        flag.updated_at = utcnow()
        flags.record(session, flag, "left", actor_id, claim=claim.id, because=why)
        if not _still_conflicting(session, rest):
            flags.clear(session, flag, f"no two claims conflict any more ({why})", actor_id)
    session.flush()


def _still_conflicting(session: Session, claim_ids: set[int]) -> bool:
    """Whether any two of these live claims still contradict each other (same rule as check)."""
    if len(claim_ids) < 2:
        return False
    rows = live_figures(session, claim_ids)
    if len(rows) < 2:
        return False
    separated = separations(session, claim_ids)
    return bool(conflicted(rows, rate_on(session, rows[0]), _apart(separated, rows)))


def separate(session: Session, flag: Flag, claim_ids: Iterable[int]) -> None:
    """Record that these claims are different quantities: every pair is kept apart."""
    assert flag.id is not None
    ids = sorted(set(claim_ids))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    existing = separations(session, set(ids))
    rows = [
        {"low_claim_id": a, "high_claim_id": b, "flag_id": flag.id}
        for a, b in pairs
        if (a, b) not in existing
    ]
    if rows:
        session.execute(insert(ClaimSeparation), rows)
