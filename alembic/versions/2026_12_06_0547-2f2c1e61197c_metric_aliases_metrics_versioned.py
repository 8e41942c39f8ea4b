"""metric aliases, metrics versioned

Metrics are known by aliases, as entities are (PATCH /api/v1/metrics/{id}, with If-Match, and a
merged metric's names): a metric_aliases table, and metrics get a version and an updated_at.
Each existing metric goes by its name and its slug (in the normalised form lookups use; a form
two metrics would share stays the older metric's) and starts at version 1, updated when it was
created.

Revision ID: 2f2c1e61197c
Revises: 1baf50a7a1ed
Create Date: 2026-12-06 05:47:12.759960
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '2f2c1e61197c'
down_revision: str | None = '1baf50a7a1ed'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METRICS = sa.table(
    'metrics',
    sa.column('id', sa.Integer()),
    sa.column('slug', sa.String()),
    sa.column('name', sa.String()),
    sa.column('version', sa.Integer()),
    sa.column('created_at'),
    sa.column('updated_at'),
)
ALIASES = sa.table(
    'metric_aliases',
    sa.column('metric_id', sa.Integer()),
    sa.column('alias', sa.String()),
    sa.column('normalized', sa.String()),
)


def normalize(name: str) -> str:
    """app.entities.names.normalize as of this revision (a migration keeps its own copy)."""
    text = unicodedata.normalize('NFKC', name).casefold()
    return ' '.join(re.sub(r'[^\w]+', ' ', text).split())


def upgrade() -> None:
    op.create_table('metric_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('normalized', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['metric_id'], ['metrics.id'], name=op.f('fk_metric_aliases_metric_id_metrics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metric_aliases')),
    sa.UniqueConstraint('normalized', name=op.f('uq_metric_aliases_normalized'))
    )
    with op.batch_alter_table('metric_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metric_aliases_metric_id'), ['metric_id'], unique=False)

    with op.batch_alter_table('metrics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    bind.execute(METRICS.update().values(version=1, updated_at=METRICS.c.created_at))
    with op.batch_alter_table('metrics', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )

    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    metrics = bind.execute(
        sa.select(METRICS.c.id, METRICS.c.name, METRICS.c.slug).order_by(METRICS.c.id)
    )
    for metric_id, name, slug in metrics:
        for alias in (name, slug):
            key = normalize(alias)[:200]
            if key and key not in seen:
                seen.add(key)
                rows.append({'metric_id': metric_id, 'alias': alias, 'normalized': key})
    if rows:
        bind.execute(ALIASES.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table('metrics', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('version')

    with op.batch_alter_table('metric_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metric_aliases_metric_id'))

    op.drop_table('metric_aliases')
