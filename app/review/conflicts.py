"""Finding conflicts as claims arrive, change or leave, and keeping conflict flags in step.

Serialisation: every check first takes a lock per comparison key (a transaction-scoped advisory
lock on PostgreSQL; on SQLite every writing transaction already holds the one write lock, taken
at BEGIN IMMEDIATE). Two workers inserting conflicting claims for one key therefore run their
checks one after the other, and the second sees the first's claim. A partial unique index on
open flags per group backs this up in the schema.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    column,
    delete,
    func,
    insert,
    or_,
    text,
    values,
)
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim, ClaimStatus, StoredClaim
from app.core.db import fetch, insert_rows, lock_keys
from app.core.inlist import in_list
from app.core.models import utcnow
from app.core.versioning import next_version
from app.fx import service as fx
from app.quantities import Interval
from app.review import flags
from app.review.models import (
    ClaimSeparation,
    Flag,
    FlagClaim,
    FlagKind,
    FlagNote,
    FlagStatus,
    Rank,
    Resolution,
)
from app.review.rules import (
    KIND_CLASSES,
    KINDS_IN_CLASS,
    Apart,
    Figure,
    RateLookup,
    clashes,
    comparison_key,
    conflicted,
    conflicts,
    never_apart,
)

FIGURE_COLUMNS: tuple[Any, ...] = tuple(
    col(c)
    for c in (
        Claim.id,
        Claim.entity_id,
        Claim.metric_id,
        Claim.period_start,
        Claim.period_end,
        Claim.kind,
        Claim.basis,
        Claim.unit,
        Claim.dimension,
        Claim.low,
        Claim.high,
        Claim.low_open,
        Claim.high_open,
    )
)


def figure(row: Any) -> Figure:
    """A claim (ORM object or selected row) as the conflict rule sees it."""
    return Figure(
        claim_id=row.id,
        entity_id=row.entity_id,
        metric_id=row.metric_id,
        period_start=row.period_start,
        period_end=row.period_end,
        kind=str(row.kind),
        basis=row.basis,
        unit=row.unit,
        dimension=row.dimension,
        interval=Interval(row.low, row.high, row.low_open, row.high_open),
    )


# One comparison key, with bind parameters: built once (a VALUES list is compiled anew each time).
SAME_KEY = sa_select(*FIGURE_COLUMNS).where(
    col(Claim.entity_id) == bindparam("e"),
    col(Claim.metric_id) == bindparam("m"),
    col(Claim.period_start) == bindparam("s"),
    col(Claim.period_end) == bindparam("t"),
    col(Claim.status) == ClaimStatus.ACTIVE,
    in_list(col(Claim.kind), "kinds", "text"),
)


def _keyed(keys: Any, e: Any, m: Any, start: Any, end: Any) -> Any:
    """Every active claim of the kinds asked for on one of the keys of a JSON array."""
    on = and_(
        col(Claim.entity_id) == e,
        col(Claim.metric_id) == m,
        col(Claim.period_start) == start,
        col(Claim.period_end) == end,
    )
    return (
        sa_select(*FIGURE_COLUMNS)
        .select_from(keys)
        .join(Claim, on)
        .where(
            col(Claim.status) == ClaimStatus.ACTIVE,
            col(Claim.kind).in_(bindparam("kinds", expanding=True)),
        )
    )


# SQLite, without statistics, would walk claims by status and scan the keys for each; CROSS
# JOIN keeps the keys outside and looks each one up in the comparison index.
SAME_KEYS_SQLITE = (
    text(
        "SELECT c.id, c.entity_id, c.metric_id, c.period_start, c.period_end, c.kind, c.basis, "
        "c.unit, c.dimension, c.low, c.high, c.low_open, c.high_open "
        "FROM json_each(:keys) AS k CROSS JOIN claims AS c "
        "ON c.entity_id = json_extract(k.value, '$.e') "
        "AND c.metric_id = json_extract(k.value, '$.m') "
        "AND c.period_start = json_extract(k.value, '$.s') "
        "AND c.period_end = json_extract(k.value, '$.t') "
        "WHERE c.status = 'active' AND c.kind IN :kinds"
    )
    .bindparams(bindparam("kinds", expanding=True))
    .columns(*FIGURE_COLUMNS)
)
_PG_KEYS = (
    func.jsonb_to_recordset(cast(bindparam("keys", type_=String), JSONB))
    .table_valued(column("e", Integer), column("m", Integer), column("s", Date), column("t", Date))
    .render_derived(name="k", with_types=True)
)
SAME_KEYS_PG = _keyed(_PG_KEYS, _PG_KEYS.c.e, _PG_KEYS.c.m, _PG_KEYS.c.s, _PG_KEYS.c.t)


def _same_key_rows(session: Session, figures: Sequence[Figure]) -> list[Figure]:
    """Every active claim sharing a comparison key with one of these.

    The keys are joined as a table (a JSON array of dated keys, a VALUES list of undated
    ones), so that both databases look each one up in the comparison index (a row-value IN
    list makes SQLite scan the table).
    """
    kinds = sorted({k for f in figures for k in KINDS_IN_CLASS[KIND_CLASSES[f.kind]]})
    dated = sorted(
        {
            (f.entity_id, f.metric_id, f.period_start, f.period_end)
            for f in figures
            if f.period_start is not None and f.period_end is not None
        }
    )
    undated = sorted(
        {
            (f.entity_id, f.metric_id)
            for f in figures
            if f.period_start is None and f.period_end is None
        }
    )
    half = {
        (f.entity_id, f.metric_id, f.period_start, f.period_end)
        for f in figures
        if (f.period_start is None) != (f.period_end is None)
    }
    if len(dated) == 1 and not undated and not half:  # one new claim: the common case
        e, m, first, last = dated[0]
        params = {"e": e, "m": m, "s": first, "t": last, "kinds": kinds}
        return [figure(row) for row in fetch(session, SAME_KEY, params)]
    rows: list[Any] = []
    if dated:
        # Many keys: one statement built once, the keys passed as one JSON array (a VALUES
        # list would be compiled anew, at a cost that grows with the batch).
        dialect = session.get_bind().dialect.name
        keys = orjson.dumps([{"e": e, "m": m, "s": s, "t": t} for e, m, s, t in dated]).decode()
        stmt = SAME_KEYS_PG if dialect == "postgresql" else SAME_KEYS_SQLITE
        rows += fetch(session, stmt, {"keys": keys, "kinds": kinds})
    # The rare keys below make statements built for this call: SQLAlchemy's own execution
    # (`fetch` keeps what it compiles for statements built once, and would only pile these up).
    dynamic: list[Any] = []
    live = and_(col(Claim.status) == ClaimStatus.ACTIVE, col(Claim.kind).in_(kinds))
    if undated:
        u = values(column("e", Integer), column("m", Integer), name="u").data(undated).cte("u")
        on = and_(col(Claim.entity_id) == u.c.e, col(Claim.metric_id) == u.c.m)
        dynamic.append(
            sa_select(*FIGURE_COLUMNS)
            .select_from(u)
            .join(Claim, on)
            .where(live, col(Claim.period_start).is_(None), col(Claim.period_end).is_(None))
        )
    for entity_id, metric_id, start, end in sorted(half, key=str):
        dynamic.append(
            sa_select(*FIGURE_COLUMNS).where(
                live,
                col(Claim.entity_id) == entity_id,
                col(Claim.metric_id) == metric_id,
                col(Claim.period_start).is_(None)
                if start is None
                else col(Claim.period_start) == start,
                col(Claim.period_end).is_(None) if end is None else col(Claim.period_end) == end,
            )
        )
    for stmt in dynamic:
        rows += session.execute(stmt).all()
    return [figure(row) for row in rows]


SEPARATIONS = sa_select(
    col(ClaimSeparation.low_claim_id), col(ClaimSeparation.high_claim_id)
).where(
    or_(
        in_list(col(ClaimSeparation.low_claim_id), "ids"),
        in_list(col(ClaimSeparation.high_claim_id), "ids"),
    )
)


def _separations(session: Session, claim_ids: set[int]) -> set[tuple[int, int]]:
    if not claim_ids:
        return set()
    return {(a, b) for a, b in fetch(session, SEPARATIONS, {"ids": sorted(claim_ids)})}


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _twin_key(f: Figure) -> tuple[object, ...]:
    """Equal for twins: the same figure said again, as a re-import of a claim that a reviewer
    has already settled."""
    return (f.unit, f.interval, (f.basis or "").casefold())


MEMBERS = sa_select(col(FlagClaim.flag_id), col(FlagClaim.claim_id)).where(
    in_list(col(FlagClaim.flag_id), "ids")
)


def _members(session: Session, flag_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = list(flag_ids)
    out: dict[int, set[int]] = {i: set() for i in ids}
    if ids:
        for flag_id, claim_id in fetch(session, MEMBERS, {"ids": ids}):
            out[flag_id].add(claim_id)
    return out


FLAGS_BY_ID = select(Flag).where(in_list(col(Flag.id), "ids"))


def _loader(session: Session, flag_ids: Iterable[int]) -> Callable[[int], Flag]:
    """The flags to change, by id: all of them loaded in one statement when the first is
    wanted (none when no flag changes), whatever the batch."""
    ids = sorted(set(flag_ids))
    loaded: dict[int, Flag] = {}

    def flag(flag_id: int) -> Flag:
        if not loaded:
            loaded.update(
                (f.id or 0, f) for f in session.execute(FLAGS_BY_ID, {"ids": ids}).scalars()
            )
        return loaded[flag_id]

    return flag


def _add_members(
    flag: Flag, claim_ids: Iterable[int], have: set[int], joins: list[dict[str, Any]]
) -> list[int]:
    """The claims that join an existing flag, queued in `joins` (inserted together at the end
    of `check`); its claim count follows at the next flush, one batched UPDATE for all flags."""
    assert flag.id is not None
    new = sorted(set(claim_ids) - have)
    if new:
        now = utcnow()
        joins.extend({"flag_id": flag.id, "claim_id": c, "added_at": now} for c in new)
        have |= set(new)
        flag.claim_count = len(have)
        flag.updated_at = now
    return new


def _rate_on(session: Session, f: Figure) -> RateLookup:
    """Rates as published by the end of the claim's period (today, for claims with none).

    Claims are compared only within one key, so every pair in a group uses the same date.
    """
    return fx.lookup(session, f.period_end or date.today())


def _rates(session: Session) -> Callable[[Figure], RateLookup]:
    """`_rate_on` for a batch: one lookup (and its cache of rates) per date, not per claim, so
    that a batch of claims on one period asks for each currency pair once."""
    by_day: dict[date | None, RateLookup] = {}

    def rate_on(f: Figure) -> RateLookup:
        if f.period_end not in by_day:
            by_day[f.period_end] = _rate_on(session, f)
        return by_day[f.period_end]

    return rate_on


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


# The conflict flags of some keys, as columns: most checks find none, or none to change, and
# an ORM select cost more than the rest of the check. A flag to change is loaded by its id.
CONFLICT_FLAGS = (
    sa_select(col(Flag.id), col(Flag.group_key), col(Flag.status), col(Flag.resolution))
    .where(
        col(Flag.kind) == FlagKind.CONFLICT,
        in_list(col(Flag.group_key), "keys", "text"),
    )
    .order_by(col(Flag.id))
)


def check(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    actor_id: int | None,
    shared: flags.Opening | None = None,
) -> dict[int, list[FlagNote]]:
    """Compare new or changed claims with every comparable one; open, join or reopen flags.

    The whole batch costs a fixed number of queries, whatever its size. `shared`: the new
    flags join it, for the caller to open with others (their notes hold stand-in ids until).
    """
    news = [figure(c) for c in claims if c.status == ClaimStatus.ACTIVE]
    notes: dict[int, list[FlagNote]] = {c.id: [] for c in claims if c.id is not None}
    if not news:
        return notes
    keys = {comparison_key(f) for f in news}
    lock_keys(session, keys)
    new_ids = {f.claim_id for f in news}
    by_key: dict[str, list[Figure]] = {}
    for f in _same_key_rows(session, news):
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
    members = _members(session, [f.id for f in flag_rows])
    _flag = _loader(session, [*open_flag.values(), *ranked.values()])
    known_ids = {f.claim_id for group in by_key.values() for f in group}
    separated = _separations(session, known_ids)
    ranked_members = {c for flag_id in ranked.values() for c in members[flag_id]}
    preferred_ids = ranked_members and set(
        session.execute(
            select(Claim.id).where(
                col(Claim.id).in_(ranked_members),
                col(Claim.rank) == Rank.PREFERRED,
                col(Claim.status) == ClaimStatus.ACTIVE,
            )
        ).scalars()
    )
    opening: dict[str, _Opening] = {}
    joins: list[dict[str, Any]] = []
    rate_on = _rates(session)
    for new in news:
        key = comparison_key(new)
        group = by_key.setdefault(key, [])
        rate = rate_on(new)
        clash = clashes(new, group, rate, _apart(separated, [*group, new]))
        group.append(new)
        if not clash:
            continue
        with_ids = [x.claim_id for x in clash]
        flag: Flag | None = None
        if key in open_flag:
            flag = _flag(open_flag[key])
            assert flag.id is not None
            added = _add_members(flag, [new.claim_id, *with_ids], members[flag.id], joins)
            flags.record(session, flag, "joined", actor_id, claims=added)
        elif key in ranked and (settled := _flag(ranked[key])).id is not None:
            preferred = [x for x in group if x.claim_id in preferred_ids]
            # With no live preferred claim left, a new contradiction needs a reviewer again.
            if not preferred or any(conflicts(new, p, rate) for p in preferred):
                _reopen(session, settled)
                open_flag[key] = settled.id
                _add_members(settled, [new.claim_id, *with_ids], members[settled.id], joins)
                flags.record(
                    session,
                    settled,
                    "reopened",
                    actor_id,
                    claim=new.claim_id,
                    because="contradicts the preferred value"
                    if preferred
                    else "no live preferred claim is left",
                )
            else:
                _add_members(settled, [new.claim_id], members[settled.id], joins)
                flags.record(session, settled, "joined", actor_id, claims=[new.claim_id])
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
    _open(session, opening, notes, actor_id, shared)
    session.flush()
    return notes


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
    members = _members(session, [f.id for f in joined if f.id is not None])
    for flag in joined:
        assert flag.id is not None
        session.execute(
            delete(FlagClaim).where(
                col(FlagClaim.flag_id) == flag.id, col(FlagClaim.claim_id) == claim.id
            )
        )
        rest = members[flag.id] - {claim.id}
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
    rows = [
        figure(r)
        for r in session.execute(
            sa_select(*FIGURE_COLUMNS).where(
                col(Claim.id).in_(claim_ids), col(Claim.status) == ClaimStatus.ACTIVE
            )
        )
    ]
    if len(rows) < 2:
        return False
    separated = _separations(session, claim_ids)
    return bool(conflicted(rows, _rate_on(session, rows[0]), _apart(separated, rows)))


def separate(session: Session, flag: Flag, claim_ids: Iterable[int]) -> None:
    """Record that these claims are different quantities: every pair is kept apart."""
    assert flag.id is not None
    ids = sorted(set(claim_ids))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    existing = _separations(session, set(ids))
    rows = [
        {"low_claim_id": a, "high_claim_id": b, "flag_id": flag.id}
        for a, b in pairs
        if (a, b) not in existing
    ]
    if rows:
        session.execute(insert(ClaimSeparation), rows)
