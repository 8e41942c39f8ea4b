"""The claims' search index is the migrations' alone (none of it in the models): its revision
fills it, its triggers keep it in step, and an import fills it again through them."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from app.backup import export_file, import_file
from app.claims.listing import ClaimFilters
from app.claims.search import is_index_table
from app.demo.load import load
from app.flows.claims import LISTING
from tests.conftest import ROOT
from tests.reliability.harness import scratch_database

BEFORE_THE_INDEX = "fe26b8382a68"

# A claim's text is read from these tables; a trigger (claim_search_<table>_<event>) writes it
# again when they change.
UPKEEP = {
    "claims": ("insert", "update"),
    "citations": ("insert", "update", "delete"),
    "sources": ("update",),
    "entities": ("update",),
    "entity_aliases": ("insert", "update", "delete"),
    "metrics": ("update",),
}
TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
    " WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace",
}
DOCUMENTS = (
    "SELECT claim_id, statement, names, quotes, sources FROM claim_search_documents"
    " ORDER BY claim_id"
)


def test_search_index_triggers_are_all_there_at_head(engine: Engine) -> None:
    """Every trigger is there: on SQLite a later migration that rebuilds one of these tables
    (`batch_alter_table`) has to drop the triggers that name it, and create them again."""
    with engine.connect() as conn:
        found = {name for (name,) in conn.execute(text(TRIGGERS[engine.dialect.name]))}
    upkeep = {f"claim_search_{table}_{e}" for table, events in UPKEEP.items() for e in events}
    if engine.dialect.name == "sqlite":  # the FTS5 table follows the documents table
        upkeep |= {f"claim_search_documents_{e}" for e in ("insert", "update", "delete")}
    assert {name for name in found if name.startswith("claim_search_")} == upkeep


@pytest.fixture
def demo(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """A database of its own at head, with the demo written (its search text by the triggers)."""
    with scratch_database(engine, tmp_path, "search") as db:
        with Session(db.engine) as session, session.begin():
            assert load(session) > 0
        yield db.engine


def state(engine: Engine) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Every claim's search text, and the claims a search finds, in order."""
    with engine.connect() as conn:
        documents = [tuple(d) for d in conn.execute(text(DOCUMENTS))]
    with Session(engine) as session:
        filters = ClaimFilters(q="China trade")
        rows, _ = LISTING.get_all(session, filters, sort=None, limit=50, cursor=None)
    return documents, [r.id for r in rows]


def _migrate(engine: Engine, to: str, *, down: bool) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["engine"] = engine
    (command.downgrade if down else command.upgrade)(cfg, to)


def test_search_index_is_filled_by_its_upgrade_as_its_triggers_fill_it(demo: Engine) -> None:
    documents, found = state(demo)
    with demo.connect() as conn:
        claims = conn.execute(text("SELECT id FROM claims ORDER BY id")).scalars().all()
    assert [d[0] for d in documents] == claims
    assert found != []
    _migrate(demo, BEFORE_THE_INDEX, down=True)
    with demo.connect() as conn:
        assert [name for name in inspect(conn).get_table_names() if is_index_table(name)] == []
    _migrate(demo, "head", down=False)
    assert state(demo) == (documents, found)


def test_search_index_is_filled_again_on_import(
    demo: Engine, engine: Engine, tmp_path: Path
) -> None:
    """The export leaves the index out; the import's rows fire the triggers that write it."""
    path = tmp_path / "backup.jsonl"
    export_file(demo, path)
    documents, found = state(demo)
    assert found != []
    with scratch_database(engine, tmp_path, "restored") as restored:
        import_file(restored.engine, path)
        assert state(restored.engine) == (documents, found)
