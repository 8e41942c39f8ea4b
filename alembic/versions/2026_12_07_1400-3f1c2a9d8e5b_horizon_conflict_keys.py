"""horizon conflict keys: a period that starts on the day it was said has no start in its key

The conflict key reads a period that starts on the day the claim was made and runs on from it
("$10 billion to 2030") without its start (`app.review.conflict_key.key_start`), so that the
same horizon said on two days is one period. The conflict flags opened before keep their group
key with that day in it; here each flag whose claims all have such a period gets the key the
code now makes (its third part "-"). A flag whose new key an open flag of its kind holds
already keeps its old key (the partial unique index allows one open flag a key): a reviewer
resolves it as it is. Rows only: no table is rebuilt.

Revision ID: 3f1c2a9d8e5b
Revises: b7c2d9e4f1a3
Create Date: 2026-12-07 14:00:00.000000
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "3f1c2a9d8e5b"
down_revision: str | None = "b7c2d9e4f1a3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEMBERS = sa.text(
    "SELECT f.id, f.status, f.group_key, c.period_start, c.period_end, c.asserted_on "
    "FROM flags f JOIN flag_claims fc ON fc.flag_id = f.id JOIN claims c ON c.id = fc.claim_id "
    "WHERE f.kind = 'conflict' ORDER BY f.id"
)


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite returns text


def _horizon(start: object, end: object, said: object) -> bool:
    first, last, day = _day(start), _day(end), _day(said)
    return first is not None and last is not None and first == day and last > first


def _rekey(key: str, old: str, new: str) -> str:
    parts = key.split(":", 3)
    return ":".join([*parts[:2], new, parts[3]]) if len(parts) == 4 and parts[2] == old else key


def upgrade() -> None:
    bind = op.get_bind()
    flags: dict[int, tuple[str, str, bool, str | None]] = {}
    for flag_id, status, key, start, end, said in bind.execute(MEMBERS):
        _, _, horizon, first = flags.get(flag_id, (status, key, True, None))
        first = first or (_day(start).isoformat() if _day(start) else None)
        flags[flag_id] = (status, key, horizon and _horizon(start, end, said), first)
    open_keys = {key for status, key, _, _ in flags.values() if status == "open"}
    for flag_id, (status, key, horizon, first) in flags.items():
        if not horizon or first is None:
            continue
        new = _rekey(key, first, "-")
        if new == key or (status == "open" and new in open_keys):
            continue
        if status == "open":
            open_keys.discard(key)
            open_keys.add(new)
        bind.execute(
            sa.text("UPDATE flags SET group_key = :key WHERE id = :id"), {"key": new, "id": flag_id}
        )


def downgrade() -> None:
    # The old keys named the day each horizon was said: the members' own start again.
    bind = op.get_bind()
    rows = bind.execute(MEMBERS).all()
    starts = {flag_id: _day(start) for flag_id, _, _, start, _, _ in rows}
    for flag_id, _status, key, _start, _end, _said in rows:
        day = starts[flag_id]
        parts = key.split(":", 3)
        if day is not None and len(parts) == 4 and parts[2] == "-":
            bind.execute(
                sa.text("UPDATE flags SET group_key = :key WHERE id = :id"),
                {"key": ":".join([*parts[:2], day.isoformat(), parts[3]]), "id": flag_id},
            )
