"""sources: one per page, and publishers

A source's identity becomes its URL whatever the scheme, a `www.` (or `m.`, `amp.`) in front or
a slash at the end (`sources.url_key`, unique); sources that were the same page at two spellings
become one (the lowest id stays; citations and derivations of the others move to it, a citation
that would then repeat one of its claim's with the same quote is dropped). Publishers become
records (`publishers`, with the keys they are known by in `publisher_names`), one for each
publisher name of the sources up to case, punctuation and designators such as "News Agency"
(`app/sources/publishers.py`); each source points at its publisher. The downgrade drops the
publishers and the key; sources merged by the upgrade stay merged.

The two functions below are copies of `identity_key` (app/sources/urls.py) and `publisher_key`
(app/sources/publishers.py) as they were when this revision was written: a migration must keep
doing what it did when the app's code moves on.

Revision ID: 5a1e0c7b2d10
Revises: fe26b8382a68
Create Date: 2026-12-06 05:00:00
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision: str = '5a1e0c7b2d10'
down_revision: str | None = 'fe26b8382a68'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = sa.table(
    'sources', sa.column('id'), sa.column('url'), sa.column('url_key'), sa.column('publisher'),
    sa.column('publisher_id'),
)
CITATIONS = sa.table(
    'citations', sa.column('id'), sa.column('claim_id'), sa.column('source_id'), sa.column('quote')
)
DERIVATIONS = sa.table(
    'source_derivations', sa.column('source_id'), sa.column('derived_from_id')
)
PUBLISHERS = sa.table(
    'publishers', sa.column('id'), sa.column('name'), sa.column('version'),
    sa.column('created_at'), sa.column('updated_at'),
)
NAMES = sa.table('publisher_names', sa.column('key'), sa.column('publisher_id'), sa.column('alias'))

SITE_PREFIXES = ('www.', 'm.', 'amp.')
DESIGNATORS = (
    'international news agency', 'national news agency', 'information agency', 'news agency',
    'press agency', 'newswire', 'news service', 'news', 'agency', 'international', 'inc', 'ltd',
    'llc', 'jsc', 'plc', 'corp', 'com', 'kz', 'ru',
)


def identity_key(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc
    for prefix in SITE_PREFIXES:
        if host.startswith(prefix) and host.count('.') > 1:
            host = host.removeprefix(prefix)
            break
    query = f'?{parts.query}' if parts.query else ''
    return f"{host}{parts.path.rstrip('/')}{query}"


def publisher_key(name: str) -> str:
    folded = unicodedata.normalize('NFKC', name).casefold().replace('&', ' and ')
    words = [w for w in re.split(r'[^\w]+', folded) if w]
    if words[:1] == ['the'] and len(words) > 1:
        words = words[1:]
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for designator in DESIGNATORS:
            tail = designator.split()
            if len(words) > len(tail) and words[-len(tail):] == tail:
                words = words[: -len(tail)]
                stripped = True
                break
    return ''.join(words)


def upgrade() -> None:
    op.create_table(
        'publishers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_publishers')),
    )
    op.create_table(
        'publisher_names',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('publisher_id', sa.Integer(), nullable=False),
        sa.Column('alias', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ['publisher_id'], ['publishers.id'],
            name=op.f('fk_publisher_names_publisher_id_publishers'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_publisher_names')),
    )
    with op.batch_alter_table('publisher_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publisher_names_publisher_id'), ['publisher_id'], unique=False)
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('url_key', sa.String(length=2048), nullable=True))
        batch_op.add_column(sa.Column('publisher_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(SOURCES.c.id, SOURCES.c.url, SOURCES.c.publisher).order_by(SOURCES.c.id)
    ).all()
    kept: dict[str, int] = {}
    for source_id, url, _ in rows:
        key = identity_key(url)
        if key not in kept:
            kept[key] = source_id
            conn.execute(SOURCES.update().where(SOURCES.c.id == source_id).values(url_key=key))
            continue
        _fold(conn, source_id, kept[key])
    now = datetime.now(UTC)
    publisher_of: dict[str, int] = {}
    for source_id, _, name in rows:
        key = publisher_key(name) if name else ''
        if not key or source_id not in kept.values():
            continue
        if key not in publisher_of:
            publisher_id = conn.execute(
                PUBLISHERS.insert()
                .values(name=' '.join(name.split()), version=1, created_at=now, updated_at=now)
                .returning(PUBLISHERS.c.id)
            ).scalar_one()
            conn.execute(NAMES.insert().values(key=key, publisher_id=publisher_id, alias=None))
            publisher_of[key] = publisher_id
        conn.execute(
            SOURCES.update().where(SOURCES.c.id == source_id).values(publisher_id=publisher_of[key])
        )

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.alter_column('url_key', existing_type=sa.String(length=2048), nullable=False)
        batch_op.create_index(batch_op.f('ix_sources_publisher_id'), ['publisher_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_sources_url_key'), ['url_key'])
        batch_op.create_foreign_key(
            batch_op.f('fk_sources_publisher_id_publishers'), 'publishers', ['publisher_id'], ['id']
        )


def _fold(conn: sa.Connection, gone: int, into: int) -> None:
    """Source `gone` is the page `into` is: its citations and derivations move to `into`."""
    for citation_id, claim_id, quote in conn.execute(
        sa.select(CITATIONS.c.id, CITATIONS.c.claim_id, CITATIONS.c.quote).where(
            CITATIONS.c.source_id == gone
        )
    ).all():
        repeats = conn.execute(
            sa.select(CITATIONS.c.id).where(
                CITATIONS.c.claim_id == claim_id,
                CITATIONS.c.source_id == into,
                CITATIONS.c.quote == quote,
            )
        ).first()
        if repeats is None:
            conn.execute(CITATIONS.update().where(CITATIONS.c.id == citation_id).values(source_id=into))
        else:
            conn.execute(CITATIONS.delete().where(CITATIONS.c.id == citation_id))
    for column, other in (('source_id', 'derived_from_id'), ('derived_from_id', 'source_id')):
        for (peer,) in conn.execute(
            sa.select(DERIVATIONS.c[other]).where(DERIVATIONS.c[column] == gone)
        ).all():
            exists = conn.execute(
                sa.select(DERIVATIONS.c.source_id).where(
                    DERIVATIONS.c[column] == into, DERIVATIONS.c[other] == peer
                )
            ).first()
            if exists is None and peer != into:
                conn.execute(DERIVATIONS.insert().values(**{column: into, other: peer}))
        conn.execute(DERIVATIONS.delete().where(DERIVATIONS.c[column] == gone))
    conn.execute(SOURCES.delete().where(SOURCES.c.id == gone))


def downgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sources_publisher_id_publishers'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_sources_url_key'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_sources_publisher_id'))
        batch_op.drop_column('publisher_id')
        batch_op.drop_column('url_key')
    with op.batch_alter_table('publisher_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publisher_names_publisher_id'))
    op.drop_table('publisher_names')
    op.drop_table('publishers')
