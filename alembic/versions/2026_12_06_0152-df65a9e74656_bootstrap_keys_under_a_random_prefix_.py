"""bootstrap keys under a random prefix, found by their keyed hash

A key chosen by a deployer (CLAIMTRACK_BOOTSTRAP_ADMIN_KEY) was stored under the prefix
"h_" + the first 16 hex digits of its HMAC, which GET /keys listed and every access log line
carried. It now gets a random public prefix ("cb_" + 8 hex digits) and is found by its keyed hash
(unique, indexed). The upgrade gives such keys a random prefix, in their key.created events too;
the downgrade puts the old prefix back (it is the start of the stored key_hash).

Revision ID: df65a9e74656
Revises: 602e357a437f
Create Date: 2026-12-06 01:52:34.747360
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'df65a9e74656'
down_revision: str | None = '602e357a437f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = sa.table('api_keys', sa.column('id', sa.Integer), sa.column('prefix', sa.String))
EVENTS = sa.table(
    'events',
    sa.column('id', sa.Integer),
    sa.column('record_type', sa.String),
    sa.column('record_id', sa.Integer),
    sa.column('after', sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_key_hash'), ['key_hash'], unique=True)

    conn = op.get_bind()
    hashed = conn.execute(
        sa.select(KEYS.c.id, KEYS.c.prefix).where(KEYS.c.prefix.like('h\\_%', escape='\\'))
    ).all()
    for key_id, old in hashed:
        new = 'cb_' + secrets.token_hex(4)
        conn.execute(sa.update(KEYS).where(KEYS.c.id == key_id).values(prefix=new))
        events = conn.execute(
            sa.select(EVENTS.c.id, EVENTS.c.after).where(
                EVENTS.c.record_type == 'key', EVENTS.c.record_id == key_id
            )
        ).all()
        for event_id, after in events:
            if isinstance(after, dict) and after.get('prefix') == old:
                conn.execute(
                    sa.update(EVENTS)
                    .where(EVENTS.c.id == event_id)
                    .values(after={**after, 'prefix': new})
                )


def downgrade() -> None:
    op.execute(
        "UPDATE api_keys SET prefix = 'h_' || substr(key_hash, 1, 16)"
        " WHERE prefix LIKE 'cb\\_%' ESCAPE '\\'"
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_key_hash'))
