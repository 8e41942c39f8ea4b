"""Claims logged, corrected, retracted and cited, and what each sets off elsewhere: a new
claim is checked for conflicts, against data and for verification; a changed one leaves its
conflict flags and is checked anew; new citations re-verify it. Each writes the audit events of
all it did, in one insert, at its end."""

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.claims import edits, intake, listing, storage, view
from app.claims.edits import Edited
from app.claims.models import CitationIn, Claim, ClaimCreate, ClaimStatus, ClaimUpdate, StoredClaim
from app.core.sessions import lock_keys
from app.flows import notify, views
from app.indicators import datacheck
from app.review import claim_flags, conflicts, flags, verification
from app.review.models import ClaimPublic, FlagKind, FlagNote

# Claim pages: rank=best (Wikidata's best rank) reads the conflict flags the claims are in.
LISTING = listing.Listing({**listing.FILTERS, "best_rank": claim_flags.best_rank_condition()})


class Stored(NamedTuple):
    """A row's answer without the claim as shown: what the minimal bulk answer says of it."""

    claim: StoredClaim
    notices: list[str]
    flags: list[FlagNote]  # opened or joined (new), or open (stored before)
    stored: bool = True  # False: the same claim was stored before; its citations merged in


class Created(NamedTuple):
    claim: StoredClaim
    notices: list[str]
    flags: list[FlagNote]
    public: ClaimPublic  # as the response shows it, notices and flags included
    stored: bool = True  # False: the same claim was stored before; its citations merged in


def create_one(
    session: Session, data: ClaimCreate, *, actor_id: int | None, strict_names: bool = False
) -> Created:
    """Log one claim: stored, checked for conflicts, data and verification, audited.
    `strict_names`: a new entity or metric name close to a known one is refused."""
    names = intake.names_of(session, [data], strict=strict_names)
    read = [intake.read(session, data, names, actor_id)]
    (created,) = _shown(*_stored(session, read, actor_id, show=True))
    notify.write_pending(session)
    return created


def create_many(
    session: Session,
    rows: Sequence[ClaimCreate],
    *,
    actor_id: int | None,
    strict_names: bool = False,
) -> list[Created]:
    """Store a batch, all or nothing: the first bad row rejects it with its number.

    Set-based: every row is read first (each name and URL looked up once), then the claims,
    tags and citations are stored in one statement each, and the conflict and verification
    checks run once over the whole batch."""
    read = intake.read_all(session, rows, actor_id, strict=strict_names)
    created = _shown(*_stored(session, read, actor_id, show=True))
    notify.write_pending(session)
    return created


def create_many_minimal(
    session: Session,
    rows: Sequence[ClaimCreate],
    *,
    actor_id: int | None,
    strict_names: bool = False,
) -> list[Stored]:
    """`create_many`, answered without the claims as shown (the bulk import's
    `Prefer: return=minimal`): each row's claim, notices and flags. Nothing builds the public
    claims; the audit events keep the same snapshot of each new claim."""
    read = intake.read_all(session, rows, actor_id, strict=strict_names)
    stored, _ = _stored(session, read, actor_id, show=False)
    notify.write_pending(session)
    return stored


def _shown(rows: list[Stored], publics: dict[int, ClaimPublic]) -> list[Created]:
    """Each row with its claim as shown, that row's own notices on it (on a copy when another
    row shows the same claim with others)."""
    out = []
    for row in rows:
        public = publics[row.claim.id or 0]
        if public.notices != row.notices:
            public = public.model_copy(update={"notices": row.notices})
        out.append(Created(row.claim, row.notices, row.flags, public, row.stored))
    return out


def _stored(
    session: Session, read: Sequence[intake.Read], actor_id: int | None, *, show: bool
) -> tuple[list[Stored], dict[int, ClaimPublic]]:
    """Store the claims read but those stored before (`storage.IDENTITY`), check them and
    record them; a claim stored before, or earlier in the batch, gets the row's citations.
    One answer a row, in order; with `show`, the claims as shown too, by id."""
    identities = [storage.identity(r.columns) for r in read]
    # Two writers posting the same claim at once: the second waits, then finds the first's.
    lock_keys(session, [f"claim:{key}" for key in dict.fromkeys(identities)])
    stored_before = storage.find_identical(session, identities)
    fresh: dict[tuple[object, ...], intake.Read] = {}
    again: dict[int, list[tuple[int, str]]] = {}  # stored claim -> citations posted again
    for r, key in zip(read, identities, strict=True):
        if key in stored_before:
            again.setdefault(stored_before[key], []).extend(r.cited)
        elif key in fresh:
            earlier = fresh[key]
            earlier.cited.extend(c for c in r.cited if c not in earlier.cited)
        else:
            fresh[key] = intake.Read(r.columns, r.tags, list(r.cited), r.notices)
    publics: dict[int, ClaimPublic] = {}
    new = _store_new(session, list(fresh.values()), actor_id, publics if show else None)
    created = dict(zip(fresh, new, strict=True))
    merged = _merge_into_stored(session, again, actor_id, publics if show else None)
    out: list[Stored] = []
    answered: set[int] = set()
    for number, (r, key) in enumerate(zip(read, identities, strict=True), start=1):
        if key in stored_before:
            before = merged[stored_before[key]]
            out.append(before._replace(notices=[*r.notices, *before.notices]))
            continue
        first = created[key]
        claim_id = first.claim.id or 0
        if claim_id in answered:
            repeat = f"row {number} repeats an earlier row of this batch: claim {claim_id}"
            out.append(first._replace(stored=False, notices=[*r.notices, repeat]))
        else:
            answered.add(claim_id)
            out.append(first)
    return out, publics


def _merge_into_stored(
    session: Session,
    again: dict[int, list[tuple[int, str]]],
    actor_id: int | None,
    publics: dict[int, ClaimPublic] | None,
) -> dict[int, Stored]:
    """Claims posted again: their new citations added, verified anew; as each row answers
    (into `publics`, when given, as shown)."""
    if not again:
        return {}
    claims, added = edits.merge_citations(session, again, actor_id=actor_id)
    # Only a claim with new citations can have changed its verification.
    verification.reconcile(
        session, [c for c, n in zip(claims, added, strict=True) if n], actor_id=actor_id
    )
    if publics is None:
        flags = views.flags_many(session, claims)
    else:
        shown = views.to_public_many(session, claims)
        publics.update((claim.id or 0, public) for claim, public in zip(claims, shown, strict=True))
        flags = [public.flags for public in shown]
    out = {}
    for claim, count, its_flags in zip(claims, added, flags, strict=True):
        notice = (
            f"the same claim is stored as claim {claim.id} (same entity, metric, period, kind, "
            f"value as written, stated by and date): not stored again; "
            f"{count} new citation{'s' if count != 1 else ''} merged into it"
        )
        if publics is not None:
            publics[claim.id or 0].notices = [notice]
        out[claim.id or 0] = Stored(claim, [notice], its_flags, stored=False)
    return out


def _store_new(
    session: Session,
    read: Sequence[intake.Read],
    actor_id: int | None,
    publics: dict[int, ClaimPublic] | None,
) -> list[Stored]:
    """Store claims read, check them, and record them (into `publics`, when given, as shown;
    else the audit's snapshots are made from their own fields alone)."""
    if not read:
        return []
    claims = storage.store(session, read, actor_id)
    shown = views.companions(session, claims, fresh=True)
    opened = check_new(session, claims, actor_id=actor_id, shown=shown)
    out = []
    for claim, r in zip(claims, read, strict=True):
        notes = opened[claim.id or 0]
        out.append(Stored(claim, r.notices + [_describe(f) for f in notes], notes))
    if publics is None:
        snapshots = view.snapshots(claims, shown.own)
    else:
        shown_as = views.to_public_many(session, claims, shown=shown, flags=opened)
        for row, public in zip(out, shown_as, strict=True):
            public.notices = row.notices
            publics[row.claim.id or 0] = public
        snapshots = [p.model_dump(mode="json", exclude=view.SNAPSHOT_EXCLUDE) for p in shown_as]
    storage.record_created(session, claims, snapshots, actor_id)
    return out


def _describe(note: FlagNote) -> str:
    if note.kind == FlagKind.CONFLICT:
        return f"conflicts with claim {', '.join(map(str, note.with_))} (flag {note.id})"
    return f"{note.kind}: see flag {note.id}"


def _merge(a: dict[int, list[FlagNote]], b: dict[int, list[FlagNote]]) -> dict[int, list[FlagNote]]:
    return {k: a.get(k, []) + b.get(k, []) for k in a.keys() | b.keys()}


def check_new(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    actor_id: int | None,
    shown: views.Shown | None = None,
) -> dict[int, list[FlagNote]]:
    """New claims: check the batch for conflicts and data (their flags), and set its
    verification state (from the checks `shown` has worked out already, when given)."""
    shared = flags.Opening()  # the flags of both open together
    found = conflicts.check(session, claims, actor_id=actor_id, shared=shared)
    data = shown.data if shown is not None else None
    checks = shown.checks if shown is not None else None
    found = _merge(
        found,
        datacheck.reconcile(
            session, claims, actor_id=actor_id, fresh=True, checks=data, shared=shared
        ),
    )
    shared.open(session, found, actor_id=actor_id)
    return _merge(
        found,
        verification.reconcile(session, claims, actor_id=actor_id, fresh=True, states=checks),
    )


def recheck(
    session: Session, claim: Claim, *, actor_id: int | None, reread: bool, why: str
) -> dict[int, list[FlagNote]]:
    """A corrected or retracted claim leaves its conflict flags and, if live, is checked anew."""
    notes: dict[int, list[FlagNote]] = {}
    if reread or claim.status != ClaimStatus.ACTIVE:
        conflicts.withdraw(session, claim, actor_id=actor_id, why=why)
        if claim.status == ClaimStatus.ACTIVE:
            notes = conflicts.check(session, [claim], actor_id=actor_id)
    notes = _merge(notes, datacheck.reconcile(session, [claim], actor_id=actor_id))
    return _merge(notes, verification.reconcile(session, [claim], actor_id=actor_id))


def update(
    session: Session,
    claim_id: int,
    data: ClaimUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Edited:
    """Correct a claim at the version the client read, and check it again."""
    edited = edits.update_one(
        session, claim_id, data, expected_version=expected_version, actor_id=actor_id
    )
    if edited.changed:
        recheck(
            session,
            edited.claim,
            actor_id=actor_id,
            reread=edited.reread,
            why=f"claim {claim_id} corrected",
        )
    notify.write_pending(session)
    return edited


def retract(
    session: Session, claim_id: int, *, expected_version: int | None, actor_id: int | None
) -> Claim:
    """Retract a claim: it leaves its conflict flags."""
    claim = edits.retract(session, claim_id, expected_version=expected_version, actor_id=actor_id)
    recheck(session, claim, actor_id=actor_id, reread=False, why=f"claim {claim_id} retracted")
    notify.write_pending(session)
    return claim


def cite(
    session: Session, claim_id: int, citations: Sequence[CitationIn], *, actor_id: int | None
) -> Edited:
    """Add citations to a claim, and verify it anew."""
    edited = edits.cite(session, claim_id, citations, actor_id=actor_id)
    verification.reconcile(session, [edited.claim], actor_id=actor_id)
    notify.write_pending(session)
    return edited
