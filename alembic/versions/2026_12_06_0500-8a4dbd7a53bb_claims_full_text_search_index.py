"""claims full-text search index

A claim's searchable text, one row a claim in `claim_search_documents` (its statement; its
entity's name and aliases and its metric's name; its citations' quotes; its sources' titles and
publishers), kept in step by triggers on the tables it is read from, and filled here for the
claims there are. The full-text index over it: on PostgreSQL a stored generated `tsvector`
(English stems, weighted A statement, B names, C quotes, D sources) with a GIN index; on SQLite
an external-content FTS5 table (porter stems over unicode61 without diacritics) kept in step by
the documents table's own triggers, FTS5's documented pattern. None of it is in the models'
metadata (`app.claims.search.is_index_table`): it is derived, so exports leave it out and an
import fills it again through the same triggers.

Triggers rather than code in the services: every way a row changes (a route, the bulk import's
one statement a table, a merge, a direct UPDATE) keeps the index in step, in the same
transaction, with no Python per row. On PostgreSQL the inserts and deletes that come in batches
(claims, citations, aliases) fire once a statement with their transition table; the rarer
updates fire per row, only when a column the text is read from is set.

On SQLite a later migration that rebuilds claims, citations, sources, entities,
entity_aliases or metrics (`batch_alter_table` recreating it: a new foreign key or check) fails
when it renames the copy back while these triggers name the table, and the table's own
triggers go with the old copy: such a migration drops the `claim_search_*` triggers first and
creates them again after (`SQLITE_TRIGGERS` here). `tests/claims/test_search_index.py` checks
they are all there at head.

Revision ID: 8a4dbd7a53bb
Revises: b7c2d9e4f1a3
Create Date: 2026-12-06 05:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '8a4dbd7a53bb'
down_revision: str | None = 'b7c2d9e4f1a3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = ('statement', 'names', 'quotes', 'sources')


def _documents(where: str, *, sqlite: bool) -> str:
    """The searchable text of the claims `where` picks (alias c), upserted into the documents
    table; a row whose text is unchanged is not written again."""
    if sqlite:
        aliases = "(SELECT group_concat(a.alias, ' ') FROM entity_aliases a"
        aliases += ' WHERE a.entity_id = c.entity_id AND a.alias <> e.name)'
        quotes = "(SELECT group_concat(t.quote, ' ') FROM citations t WHERE t.claim_id = c.id)"
        sources = "(SELECT group_concat(s.title || coalesce(' ' || s.publisher, ''), ' ')"
    else:
        aliases = "(SELECT string_agg(a.alias, ' ' ORDER BY a.id) FROM entity_aliases a"
        aliases += ' WHERE a.entity_id = c.entity_id AND a.alias <> e.name)'
        quotes = "(SELECT string_agg(t.quote, ' ' ORDER BY t.id) FROM citations t"
        quotes += ' WHERE t.claim_id = c.id)'
        sources = "(SELECT string_agg(s.title || coalesce(' ' || s.publisher, ''), ' '"
        sources += ' ORDER BY s.id)'
    sources += ' FROM sources s WHERE s.id IN'
    sources += ' (SELECT t.source_id FROM citations t WHERE t.claim_id = c.id))'
    columns = ', '.join(TEXT_COLUMNS)
    changed = ' OR '.join(f'claim_search_documents.{n} <> excluded.{n}' for n in TEXT_COLUMNS)
    return (
        f'INSERT INTO claim_search_documents (claim_id, {columns})'
        f" SELECT c.id, c.statement, e.name || coalesce(' ' || {aliases}, '') || ' ' || m.name,"
        f" coalesce({quotes}, ''), coalesce({sources}, '')"
        ' FROM claims c JOIN entities e ON e.id = c.entity_id JOIN metrics m ON m.id = c.metric_id'
        f' WHERE {where}'
        ' ON CONFLICT (claim_id) DO UPDATE SET '
        + ', '.join(f'{n} = excluded.{n}' for n in TEXT_COLUMNS)
        + f' WHERE {changed}'
    )


def _documents_table(extra: str = '') -> str:
    return (
        'CREATE TABLE claim_search_documents ('
        ' claim_id INTEGER NOT NULL,'
        + ''.join(f' {name} TEXT NOT NULL,' for name in TEXT_COLUMNS)
        + extra
        + ' CONSTRAINT pk_claim_search_documents PRIMARY KEY (claim_id),'
        ' CONSTRAINT fk_claim_search_documents_claim_id_claims FOREIGN KEY (claim_id)'
        ' REFERENCES claims (id) ON DELETE CASCADE)'
    )


# --- SQLite -----------------------------------------------------------------------------------

# Trigger (named claim_search_<key>) -> its event, and which claims' text it writes again.
SQLITE_TRIGGERS = {
    'claims_insert': ('AFTER INSERT ON claims', 'c.id = NEW.id'),
    'claims_update': ('AFTER UPDATE OF statement, entity_id, metric_id ON claims', 'c.id = NEW.id'),
    'citations_insert': ('AFTER INSERT ON citations', 'c.id = NEW.claim_id'),
    'citations_update': (
        'AFTER UPDATE OF claim_id, source_id, quote ON citations',
        'c.id IN (OLD.claim_id, NEW.claim_id)',
    ),
    'citations_delete': ('AFTER DELETE ON citations', 'c.id = OLD.claim_id'),
    'sources_update': (
        'AFTER UPDATE OF title, publisher ON sources',
        'c.id IN (SELECT claim_id FROM citations WHERE source_id = NEW.id)',
    ),
    'entities_update': ('AFTER UPDATE OF name ON entities', 'c.entity_id = NEW.id'),
    'entity_aliases_insert': ('AFTER INSERT ON entity_aliases', 'c.entity_id = NEW.entity_id'),
    'entity_aliases_update': (
        'AFTER UPDATE ON entity_aliases',
        'c.entity_id IN (OLD.entity_id, NEW.entity_id)',
    ),
    'entity_aliases_delete': ('AFTER DELETE ON entity_aliases', 'c.entity_id = OLD.entity_id'),
    'metrics_update': ('AFTER UPDATE OF name ON metrics', 'c.metric_id = NEW.id'),
}
_NEW = ', '.join(f'NEW.{n}' for n in TEXT_COLUMNS)
_OLD = ', '.join(f'OLD.{n}' for n in TEXT_COLUMNS)
_FTS_COLUMNS = ', '.join(TEXT_COLUMNS)
_FTS_INSERT = f'INSERT INTO claim_search (rowid, {_FTS_COLUMNS}) VALUES (NEW.claim_id, {_NEW});'
_FTS_DELETE = (
    f'INSERT INTO claim_search (claim_search, rowid, {_FTS_COLUMNS})'
    f" VALUES ('delete', OLD.claim_id, {_OLD});"
)
# The FTS5 table follows its content table: FTS5's external-content triggers.
SQLITE_DOCUMENT_TRIGGERS = {
    'documents_insert': ('AFTER INSERT ON claim_search_documents', _FTS_INSERT),
    'documents_update': ('AFTER UPDATE ON claim_search_documents', _FTS_DELETE + _FTS_INSERT),
    'documents_delete': ('AFTER DELETE ON claim_search_documents', _FTS_DELETE),
}


def _sqlite_upgrade() -> None:
    op.execute(_documents_table())
    op.execute(_documents('true', sqlite=True))
    op.execute(
        f'CREATE VIRTUAL TABLE claim_search USING fts5({_FTS_COLUMNS},'
        " content='claim_search_documents', content_rowid='claim_id',"
        " tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO claim_search (claim_search) VALUES ('rebuild')")
    for name, (event, body) in SQLITE_DOCUMENT_TRIGGERS.items():
        op.execute(f'CREATE TRIGGER claim_search_{name} {event} BEGIN {body} END')
    for name, (event, where) in SQLITE_TRIGGERS.items():
        body = _documents(where, sqlite=True)
        op.execute(f'CREATE TRIGGER claim_search_{name} {event} BEGIN {body}; END')


def _sqlite_downgrade() -> None:
    for name in SQLITE_TRIGGERS:
        op.execute(f'DROP TRIGGER claim_search_{name}')
    op.execute('DROP TABLE claim_search')
    op.execute('DROP TABLE claim_search_documents')  # its own triggers go with it


# --- PostgreSQL -------------------------------------------------------------------------------

# Trigger (named claim_search_<key>, with a function of the same name) -> its event, and the
# ids of the claims whose text it writes again (`changed`: the statement's transition table).
PG_TRIGGERS = {
    'claims_insert': (
        'AFTER INSERT ON claims REFERENCING NEW TABLE AS changed FOR EACH STATEMENT',
        'SELECT id FROM changed',
    ),
    'claims_update': (
        'AFTER UPDATE OF statement, entity_id, metric_id ON claims FOR EACH ROW',
        'SELECT NEW.id',
    ),
    'citations_insert': (
        'AFTER INSERT ON citations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT',
        'SELECT DISTINCT claim_id FROM changed',
    ),
    'citations_update': (
        'AFTER UPDATE OF claim_id, source_id, quote ON citations FOR EACH ROW',
        'SELECT unnest(ARRAY[OLD.claim_id, NEW.claim_id])',
    ),
    'citations_delete': (
        'AFTER DELETE ON citations REFERENCING OLD TABLE AS changed FOR EACH STATEMENT',
        'SELECT DISTINCT claim_id FROM changed',
    ),
    'sources_update': (
        'AFTER UPDATE OF title, publisher ON sources FOR EACH ROW',
        'SELECT claim_id FROM citations WHERE source_id = NEW.id',
    ),
    'entities_update': (
        'AFTER UPDATE OF name ON entities FOR EACH ROW',
        'SELECT id FROM claims WHERE entity_id = NEW.id',
    ),
    'entity_aliases_insert': (
        'AFTER INSERT ON entity_aliases REFERENCING NEW TABLE AS changed FOR EACH STATEMENT',
        'SELECT id FROM claims WHERE entity_id IN (SELECT entity_id FROM changed)',
    ),
    'entity_aliases_update': (
        'AFTER UPDATE ON entity_aliases FOR EACH ROW',
        'SELECT id FROM claims WHERE entity_id IN (OLD.entity_id, NEW.entity_id)',
    ),
    'entity_aliases_delete': (
        'AFTER DELETE ON entity_aliases REFERENCING OLD TABLE AS changed FOR EACH STATEMENT',
        'SELECT id FROM claims WHERE entity_id IN (SELECT entity_id FROM changed)',
    ),
    'metrics_update': (
        'AFTER UPDATE OF name ON metrics FOR EACH ROW',
        'SELECT id FROM claims WHERE metric_id = NEW.id',
    ),
}
# Weighted so that ts_rank's default weights (A 1, B 0.4, C 0.2, D 0.1) rank a word in the
# statement above one in a name, a quote, then a source (bm25's column weights on SQLite).
_VECTOR = ' || '.join(
    f"setweight(to_tsvector('english'::regconfig, {name}), '{weight}')"
    for name, weight in zip(TEXT_COLUMNS, 'ABCD', strict=True)
)


def _pg_upgrade() -> None:
    op.execute(_documents_table(f' document tsvector GENERATED ALWAYS AS ({_VECTOR}) STORED,'))
    op.execute(
        'CREATE INDEX ix_claim_search_documents_document ON claim_search_documents'
        ' USING gin (document)'
    )
    op.execute(_documents('true', sqlite=False))
    # search_path fixed at creation: the functions find their tables whoever fires them.
    # PL/pgSQL, not SQL: it keeps its statement's plan from one call to the next (a batch of
    # citations inserted row by row by the driver fires the trigger once a row).
    op.execute(
        'CREATE FUNCTION claim_search_refresh(ids integer[]) RETURNS void LANGUAGE plpgsql'
        ' SET search_path FROM CURRENT AS $$ BEGIN'
        f' {_documents("c.id = ANY(ids)", sqlite=False)}; END $$'
    )
    for name, (event, ids) in PG_TRIGGERS.items():
        op.execute(
            f'CREATE FUNCTION claim_search_{name}() RETURNS trigger LANGUAGE plpgsql'
            ' SET search_path FROM CURRENT AS $$ BEGIN'
            f' PERFORM claim_search_refresh(ARRAY({ids})); RETURN NULL; END $$'
        )
        op.execute(
            f'CREATE TRIGGER claim_search_{name} {event} EXECUTE FUNCTION claim_search_{name}()'
        )


def _pg_downgrade() -> None:
    for name, (event, _) in PG_TRIGGERS.items():
        table = event.split(' ON ')[1].split()[0]
        op.execute(f'DROP TRIGGER claim_search_{name} ON {table}')
        op.execute(f'DROP FUNCTION claim_search_{name}()')
    op.execute('DROP FUNCTION claim_search_refresh(integer[])')
    op.execute('DROP TABLE claim_search_documents')


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_upgrade()
    else:
        _pg_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_downgrade()
    else:
        _pg_downgrade()
