"""Claims stored: a batch in one statement a table, and read back by id."""

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import (
    Date,
    Executable,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    cast,
    column,
    func,
    text,
)
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.claims.errors import ClaimNotFound
from app.claims.intake import Read, citation_rows
from app.claims.models import Citation, Claim, ClaimStatus, ClaimTag, StoredClaim
from app.core.inlist import in_list, status_is
from app.core.statements import fetch
from app.core.writes import insert_ids, insert_returning, insert_rows

# Core tables: a batch is inserted without building an ORM object for each row.
CLAIMS: Table = Claim.__table__  # type: ignore[attr-defined]
CLAIM_TAGS: Table = ClaimTag.__table__  # type: ignore[attr-defined]
CITATIONS: Table = Citation.__table__  # type: ignore[attr-defined]


def store(session: Session, read: Sequence[Read], actor_id: int | None) -> list[StoredClaim]:
    """Claims, tags and citations in one statement each; the claims back, in order, as
    columns (their INSERT's RETURNING), not ORM objects: nothing edits them in this transaction
    but their verification (`verification.reconcile` writes a changed one with an UPDATE)."""
    stored = insert_returning(session, CLAIMS, [r.columns for r in read])
    ids: list[int] = [c.id for c in stored]
    tags = [{"claim_id": i, "tag": t} for i, r in zip(ids, read, strict=True) for t in r.tags]
    insert_rows(session, CLAIM_TAGS, tags)
    cites = [
        row for i, r in zip(ids, read, strict=True) for row in citation_rows(i, r.cited, actor_id)
    ]
    # With RETURNING: multi-row INSERTs on PostgreSQL too, where the driver's executemany runs
    # the INSERT once a row, and the search index's trigger a statement with it.
    insert_ids(session, CITATIONS, cites)
    return [*stored]


def record_created(
    session: Session,
    claims: Sequence[StoredClaim],
    snapshots: Sequence[dict[str, Any]],
    actor_id: int | None,
) -> None:
    """One event per new claim, with its snapshot (`view.SNAPSHOT_EXCLUDE`: its own fields)."""
    for claim, after in zip(claims, snapshots, strict=True):
        assert claim.id is not None
        audit.record(
            session,
            actor_id=actor_id,
            action="claim.created",
            record_type="claim",
            record_id=claim.id,
            version=claim.version,
            after=after,
        )


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


CLAIM_ROWS = sa_select(*CLAIMS.c).where(in_list(CLAIMS.c.id, "ids"))


def get_rows(session: Session, claim_ids: Sequence[int]) -> list[StoredClaim]:
    """Claims' columns, in one statement (those that exist, in no set order)."""
    return list(fetch(session, CLAIM_ROWS, {"ids": claim_ids})) if claim_ids else []


# What makes a posted claim the same as a stored one: who said which figure (as written) about
# what, for which period, on which day, and of what kind. Posted again, it is not stored twice.
IDENTITY = (
    "entity_id",
    "metric_id",
    "period_start",
    "period_end",
    "kind",
    "value_text",
    "stated_by",
    "asserted_on",
)


def identity(columns: Mapping[str, Any]) -> tuple[Hashable, ...]:
    """A claim's identity from its columns (`IDENTITY`), with its text as written but for
    spaces at its ends and runs of spaces."""
    return tuple(
        " ".join(v.split()) if isinstance(v, str) else v for v in (columns[c] for c in IDENTITY)
    )


# Built once: the claims said on these days about these entities and metrics, each
# (entity, metric, day) looked up as a key of its own in the comparison index (lists of
# entities, metrics and days apart matched every combination of them: all the claims said on
# a busy day); the rest of the identity is compared on the rows read. The keys are one JSON
# array, joined as a table on either database. Their status is read and compared there too
# (`in_list`'s rule: SQLite would search claims by status).
_COLUMNS = (CLAIMS.c.id, *(CLAIMS.c[c] for c in IDENTITY), CLAIMS.c.status)
IDENTICAL_SQLITE = (
    text(
        f"SELECT {', '.join(f'c.{c.key}' for c in _COLUMNS)} "  # noqa: S608 (no input)
        # Without statistics SQLite may pick the index of days instead, and walk a day's claims.
        "FROM json_each(:keys) AS k CROSS JOIN claims AS c INDEXED BY ix_claims_comparison "
        "ON c.entity_id = json_extract(k.value, '$.e') "
        "AND c.metric_id = json_extract(k.value, '$.m') "
        "AND c.asserted_on = json_extract(k.value, '$.d')"
    )
    .bindparams(bindparam("keys", type_=String))
    .columns(*_COLUMNS)
)
# One key (a single create) on PostgreSQL: bound as it is, looked up in the comparison index
# (PostgreSQL would rather scan a small table than join the keys' record set to it).
IDENTICAL_ONE = sa_select(*_COLUMNS).where(
    CLAIMS.c.entity_id == bindparam("e"),
    CLAIMS.c.metric_id == bindparam("m"),
    CLAIMS.c.asserted_on == bindparam("d"),
)
_PG_KEYS = (
    func.jsonb_to_recordset(cast(bindparam("keys", type_=String), JSONB))
    .table_valued(column("e", Integer), column("m", Integer), column("d", Date))
    .render_derived(name="k", with_types=True)
)
IDENTICAL_PG = (
    sa_select(*_COLUMNS)
    .select_from(_PG_KEYS)
    .join(
        CLAIMS,
        and_(
            CLAIMS.c.entity_id == _PG_KEYS.c.e,
            CLAIMS.c.metric_id == _PG_KEYS.c.m,
            CLAIMS.c.asserted_on == _PG_KEYS.c.d,
        ),
    )
)


def find_identical(
    session: Session, identities: Sequence[tuple[Hashable, ...]]
) -> dict[tuple[Hashable, ...], int]:
    """The active claims with these identities, by identity (the oldest, should two be)."""
    if not identities:
        return {}
    wanted = set(identities)
    keys = sorted({(i[0], i[1], i[7]) for i in wanted}, key=str)
    stmt: Executable
    postgres = session.get_bind().dialect.name == "postgresql"
    if len(keys) == 1 and postgres:
        (e, m, d), stmt = keys[0], IDENTICAL_ONE
        params: dict[str, Any] = {"e": e, "m": m, "d": d}
    else:
        # On SQLite one key too goes through the statement that names its index: bound as it
        # is, SQLite's planner (without statistics) sometimes took the index of days.
        stmt = IDENTICAL_PG if postgres else IDENTICAL_SQLITE
        params = {"keys": orjson.dumps([{"e": e, "m": m, "d": d} for e, m, d in keys]).decode()}
    found: dict[tuple[Hashable, ...], int] = {}
    rows = status_is(fetch(session, stmt, params), ClaimStatus.ACTIVE)
    for row in sorted(rows, key=lambda r: r.id):
        key = identity(row._asdict())
        if key in wanted:
            found.setdefault(key, row.id)
    return found
