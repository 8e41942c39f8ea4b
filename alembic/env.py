"""Alembic environment: the app's metadata, the app's database URL (or a given connection).

SQLite alters a table by rebuilding it (copy, DROP, rename). With foreign keys on, that DROP
deletes the referencing rows (ON DELETE CASCADE: every citation and tag of every claim) or
fails; so migrations run with foreign keys off, and check them all before they commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection, Engine

from app.core.config import get_settings
from app.core.db import make_engine
from app.tables import include_name, metadata

config = context.config


def run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=sqlite,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration leaves broken references: {broken[:5]}")


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite: foreign keys off for the migration (a pragma that only works between
    transactions, so it is sent before the migration's BEGIN), on again after."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def run_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        run(given)
        return
    engine: Engine | None = config.attributes.get("engine")
    # A migration may rewrite a large table: no statement timeout for it (nor the client's).
    own = engine is None
    if engine is None:
        unbounded = {"db_statement_timeout_ms": 0, "db_query_timeout_s": 0}
        engine = make_engine(get_settings().model_copy(update=unbounded))
    with engine.connect() as connection, foreign_keys_off(connection):
        run(connection)
    if own:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_online()
