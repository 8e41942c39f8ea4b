"""A SQLite file's pool keeps a connection for every worker thread: one opened beyond the
pool's size would be closed when returned, and the next one would read the schema anew."""

from pathlib import Path

from sqlalchemy import event, text

from app.core.config import Settings
from app.core.db import make_engine


def test_connections_held_at_once_are_all_kept(tmp_path: Path) -> None:
    settings = Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'pool.sqlite'}", db_pool_size=5)
    engine = make_engine(settings)
    opened: list[object] = []
    event.listen(engine, "connect", lambda conn, _record: opened.append(conn))
    held = 16  # the key gate's lookups of 16 clients at once, say: more than db_pool_size
    try:
        for _ in range(2):
            connections = [engine.connect() for _ in range(held)]
            for conn in connections:
                assert conn.execute(text("SELECT 1")).scalar_one() == 1
            for conn in connections:
                conn.close()
        assert len(opened) == held  # the second round opened none
        assert engine.pool.checkedin() == held  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_the_pool_is_as_large_as_the_thread_pool(tmp_path: Path) -> None:
    settings = Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'pool.sqlite'}", max_in_flight=60)
    engine = make_engine(settings)
    try:
        assert settings.worker_threads == 80
        assert engine.pool.size() == 80  # type: ignore[attr-defined]
    finally:
        engine.dispose()
