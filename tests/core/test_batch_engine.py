"""The command line's long jobs run without the request deadlines."""

from sqlalchemy import Engine, text

from app.core.config import get_settings
from app.core.db import get_batch_engine


def _server_timeouts(engine: Engine) -> tuple[str, str]:
    with engine.connect() as conn:
        return (
            conn.execute(text("SHOW statement_timeout")).scalar_one(),
            conn.execute(text("SHOW lock_timeout")).scalar_one(),
        )


def test_batch_engine_lifts_the_request_deadlines(engine: Engine) -> None:
    settings = get_settings()
    batch = get_batch_engine()
    assert batch.url == engine.url
    if engine.dialect.name == "postgresql":
        assert _server_timeouts(engine) == (
            f"{settings.db_statement_timeout_ms}ms",
            f"{settings.db_lock_timeout_ms}ms",
        )
        assert _server_timeouts(batch) == ("0", "0")
    else:
        # SQLite has no server: a restore only waits for the write lock, as requests do.
        with batch.connect() as conn:
            busy = conn.execute(text("PRAGMA busy_timeout")).scalar_one()
        assert busy == settings.sqlite_busy_timeout_ms
