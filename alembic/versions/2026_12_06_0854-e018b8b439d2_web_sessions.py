"""web sessions

The web app's server-side sessions: the SHA-256 of the random id a browser holds in its cookie,
the key that signed in (a deleted key takes its sessions with it), when it began, was last seen
and ends. A new table: the downgrade drops it (everyone signed in signs in again).

Revision ID: e018b8b439d2
Revises: 6d3e9b1f4a27
Create Date: 2026-12-06 08:54:00.528909
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e018b8b439d2'
down_revision: str | None = '6d3e9b1f4a27'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['api_keys.id'], name=op.f('fk_web_sessions_key_id_api_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_sessions_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_sessions_token_hash'), ['token_hash'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_token_hash'))
        batch_op.drop_index(batch_op.f('ix_web_sessions_key_id'))
        batch_op.drop_index(batch_op.f('ix_web_sessions_expires_at'))

    op.drop_table('web_sessions')
