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
    (created,) = _stored(session, [intake.read(session, data, names, actor_id)], actor_id)
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
    created = _stored(session, read, actor_id)
    notify.write_pending(session)
    return created


def _stored(session: Session, read: Sequence[intake.Read], actor_id: int | None) -> list[Created]:
    """Store the claims read but those stored before (`storage.IDENTITY`), check them and
    record them; a claim stored before, or earlier in the batch, gets the row's citations.
    One answer a row, in order."""
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
    new = _store_new(session, list(fresh.values()), actor_id)
    created = dict(zip(fresh, new, strict=True))
    merged = _merge_into_stored(session, again, actor_id)
    out: list[Created] = []
    answered: set[int] = set()
    for number, (r, key) in enumerate(zip(read, identities, strict=True), start=1):
        if key in stored_before:
            out.append(
                _noticed(
                    merged[stored_before[key]], [*r.notices, *merged[stored_before[key]].notices]
                )
            )
            continue
        first = created[key]
        claim_id = first.claim.id or 0
        if claim_id in answered:
            repeat = f"row {number} repeats an earlier row of this batch: claim {claim_id}"
            out.append(_noticed(first._replace(stored=False), [*r.notices, repeat]))
        else:
            answered.add(claim_id)
            out.append(first)
    return out


def _noticed(created: Created, notices: list[str]) -> Created:
    """A row's answer, with its own notices (on a copy of the claim shown)."""
    public = created.public.model_copy(update={"notices": notices})
    return created._replace(notices=notices, public=public)


def _merge_into_stored(
    session: Session, again: dict[int, list[tuple[int, str]]], actor_id: int | None
) -> dict[int, Created]:
    """Claims posted again: their new citations added, verified anew; as each row answers."""
    if not again:
        return {}
    claims: list[Claim] = []
    added: list[int] = []
    for claim_id, cited in again.items():
        claim, count = edits.merge_citations(session, claim_id, cited, actor_id=actor_id)
        claims.append(claim)
        added.append(count)
    verification.reconcile(session, claims, actor_id=actor_id)
    publics = views.to_public_many(session, claims)
    out = {}
    for claim, count, public in zip(claims, added, publics, strict=True):
        notice = (
            f"the same claim is stored as claim {claim.id} (same entity, metric, period, kind, "
            f"value as written, stated by and date): not stored again; "
            f"{count} new citation{'s' if count != 1 else ''} merged into it"
        )
        public.notices = [notice]
        out[claim.id or 0] = Created(claim, [notice], [], public, stored=False)
    return out


def _store_new(
    session: Session, read: Sequence[intake.Read], actor_id: int | None
) -> list[Created]:
    """Store claims read, check them, and record them."""
    if not read:
        return []
    claims = storage.store(session, read, actor_id)
    shown = views.companions(session, claims, fresh=True)
    opened = check_new(session, claims, actor_id=actor_id, shown=shown)
    publics = views.to_public_many(session, claims, shown=shown, flags=opened)
    storage.record_created(session, claims, publics, actor_id, view.SNAPSHOT_EXCLUDE)
    out = []
    for claim, r, public in zip(claims, read, publics, strict=True):
        notes = opened[claim.id or 0]
        public.notices = r.notices + [_describe(f) for f in notes]
        out.append(Created(claim, public.notices, notes, public))
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
