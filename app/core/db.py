"""Engine and sessions: one engine per process, SQLite tuned for several writers."""

from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.core.models import metadata

__all__ = ["metadata"]


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # pysqlite opens transactions lazily and not for SELECT; taking over BEGIN gives real
    # transactions and SAVEPOINTs (which the per-test rollback relies on).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database."""
    url = settings.database_url
    if settings.is_sqlite:
        path = settings.sqlite_path()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size
    )


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings())


def get_session() -> Iterator[Session]:
    """One session and one transaction per request, committed before the response leaves."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_stream_session() -> Iterator[Session]:
    """A read-only session that lives until a streamed response has been sent."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


StreamSessionDep = Annotated[Session, Depends(get_stream_session, scope="request")]
