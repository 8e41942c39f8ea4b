"""Alembic owns the schema: no drift from the models, and every revision goes down and up."""

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from app.tables import metadata
from tests.conftest import _tmp, alembic_config


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []


@pytest.fixture
def scratch(engine: Engine) -> Iterator[Connection]:
    """An empty database beside the test one: a file on SQLite, a schema on PostgreSQL."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_check"))
            conn.execute(text("SET search_path TO migration_check"))
            conn.commit()
            yield conn
            conn.rollback()
            conn.execute(text("SET search_path TO public"))
            conn.execute(text("DROP SCHEMA migration_check CASCADE"))
            conn.commit()
    else:
        scratch_engine = create_engine(f"sqlite:///{_tmp / 'migrations.db'}")
        with scratch_engine.connect() as conn:
            yield conn
        scratch_engine.dispose()


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(scratch: Connection) -> None:
    cfg = alembic_config(scratch)
    command.upgrade(cfg, "head")
    scratch.commit()
    assert _tables(scratch) == set(metadata.tables)
    command.downgrade(cfg, "base")
    scratch.commit()
    assert _tables(scratch) == set()
    command.upgrade(cfg, "head")
    scratch.commit()
    assert _tables(scratch) == set(metadata.tables)
