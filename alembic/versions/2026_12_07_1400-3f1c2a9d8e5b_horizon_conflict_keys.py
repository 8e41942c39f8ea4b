"""horizon conflict keys: a period that starts on the day it was said has no start in its key

The period reader now says when a period's start is the day the claim was made, a deadline's
("to 2030", "by the end of next year"): `claims.period_from_said`, which the conflict key reads
(`app.review.conflict_key.key_start`), so that the same horizon said on two days is one period.
Here the column is added and filled for the claims there are: a period written as a deadline
(its text opens with to, through, until, till, by, up to, no later than or before, after the
words the reader drops: in, for, over...) whose start is the claim's date. The conflict flags
opened before keep their group key with that day in it: each flag whose claims all have such a
period gets the key the code now makes (its third part "-"); one whose new key an open flag of
its kind holds already keeps its old key (the partial unique index allows one open flag a key):
a reviewer resolves it as it is.

After the search index's revision: a column added to claims (a plain ADD COLUMN) and rows
updated; the downgrade drops the column with SQLite's own DROP COLUMN, which rebuilds nothing
(the search triggers stay).

Revision ID: 3f1c2a9d8e5b
Revises: 8a4dbd7a53bb
Create Date: 2026-12-07 14:00:00.000000
"""

import re
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "3f1c2a9d8e5b"
down_revision: str | None = "8a4dbd7a53bb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEADLINE = re.compile(
    r"^(?:(?:in|during|for|over|within|the period|a period)\s+)*"
    r"(?:to|through|thru|until|till|til|by|up to|no later than|before)\s",
    re.IGNORECASE,
)
HORIZONS = sa.text(
    "SELECT id, period_text, period_start, period_end, asserted_on FROM claims "
    "WHERE period_start IS NOT NULL AND period_end IS NOT NULL AND period_start = asserted_on"
)
MEMBERS = sa.text(
    "SELECT f.id, f.status, f.group_key, c.period_start, c.period_from_said "
    "FROM flags f JOIN flag_claims fc ON fc.flag_id = f.id JOIN claims c ON c.id = fc.claim_id "
    "WHERE f.kind = 'conflict' ORDER BY f.id, c.id"
)
SET_KEY = sa.text("UPDATE flags SET group_key = :key WHERE id = :id")


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite returns text


def _with_start(key: str, old: str, new: str) -> str | None:
    parts = key.split(":", 3)
    if len(parts) != 4 or parts[2] != old:
        return None
    return ":".join([*parts[:2], new, parts[3]])


def _flags(bind: sa.Connection) -> dict[int, tuple[str, str, bool, date | None]]:
    """Each conflict flag: (status, key, whether all its claims are horizons, a member's start)."""
    flags: dict[int, tuple[str, str, bool, date | None]] = {}
    for flag_id, status, key, start, from_said in bind.execute(MEMBERS):
        all_said = flags[flag_id][2] if flag_id in flags else True
        first = flags[flag_id][3] if flag_id in flags else _day(start)
        flags[flag_id] = (status, key, all_said and bool(from_said), first)
    return flags


def _rekey(bind: sa.Connection, changes: dict[int, tuple[str, str, str]]) -> None:
    """Set the new keys (flag id -> status, old, new), but where an open flag of its kind
    holds the new key already."""
    open_keys = {key for status, key, _, _ in _flags(bind).values() if status == "open"}
    for flag_id, (status, old, new) in changes.items():
        if status == "open":
            if new in open_keys:
                continue
            open_keys.discard(old)
            open_keys.add(new)
        bind.execute(SET_KEY, {"key": new, "id": flag_id})


def upgrade() -> None:
    op.add_column(
        "claims",
        sa.Column("period_from_said", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    bind = op.get_bind()
    said = [
        row.id
        for row in bind.execute(HORIZONS)
        if _day(row.period_end) > _day(row.period_start)  # type: ignore[operator]
        and DEADLINE.match(" ".join((row.period_text or "").split()))
    ]
    for claim_id in said:
        bind.execute(
            sa.text("UPDATE claims SET period_from_said = :yes WHERE id = :id"),
            {"yes": True, "id": claim_id},
        )
    changes = {}
    for flag_id, (status, key, all_said, start) in _flags(bind).items():
        new = _with_start(key, start.isoformat(), "-") if all_said and start else None
        if new is not None:
            changes[flag_id] = (status, key, new)
    _rekey(bind, changes)


def downgrade() -> None:
    # The old keys named the day each horizon was said: a member's own start again.
    bind = op.get_bind()
    changes = {}
    for flag_id, (status, key, all_said, start) in _flags(bind).items():
        new = _with_start(key, "-", start.isoformat()) if all_said and start else None
        if new is not None:
            changes[flag_id] = (status, key, new)
    _rekey(bind, changes)
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE claims DROP COLUMN period_from_said")
    else:
        op.drop_column("claims", "period_from_said")
