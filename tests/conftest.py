"""Test database built by Alembic once per run; each test runs in a transaction rolled back after.

`TEST_DATABASE_URL` selects PostgreSQL; without it the suite runs on a SQLite file. When the URL
is set and the database cannot be reached, the run fails: it never skips silently.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, nullcontext
from pathlib import Path
from typing import Any

_tmp = Path(tempfile.mkdtemp(prefix="claimtrack-test-"))
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmp / 'test.db'}"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["CLAIMTRACK_ENVIRONMENT"] = "test"
os.environ.pop("CLAIMTRACK_BOOTSTRAP_ADMIN_KEY", None)
# A fixed key for the webhook secrets (nothing written under var/), and no delivery worker in
# the apps the tests build: the webhook tests run theirs.
os.environ["CLAIMTRACK_WEBHOOK_SECRET_KEY"] = "PeL0FL3yLMPq_iWGkSklETtx0hSd4hxiR5_084NHJvQ="
os.environ["CLAIMTRACK_WEBHOOK_WORKER"] = "false"
# Nor a timer reading the subscriptions on a connection of its own: it would not see those a
# test made in its own (rolled-back) transaction, and drop them from the list.
os.environ["CLAIMTRACK_WEBHOOK_REFRESH_S"] = "0"

import pytest  # noqa: E402
from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Connection, Engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.api.series import series_cache  # noqa: E402
from app.auth.models import ApiKeyCreate, Role  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.core.db import get_engine  # noqa: E402
from app.core.sessions import check_written, get_session, get_stream_session  # noqa: E402
from app.flows import keys  # noqa: E402
from app.main import create_app  # noqa: E402
from app.webhooks import outbox  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection: Connection) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["connection"] = connection
    return cfg


def _reset(engine: Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        command.upgrade(alembic_config(conn), "head")


@pytest.fixture(scope="session")
def engine() -> Engine:
    engine = get_engine()
    try:
        _reset(engine)
    except Exception as exc:
        pytest.exit(f"the test database {engine.url!r} is not usable: {exc}", returncode=3)
    return engine


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as s:
        yield s
    outbox.forget()  # the subscriptions this process read were rolled back with the test


def _on_test_session(app: FastAPI, session: Session) -> FastAPI:
    series_cache().clear()  # ids are reused after each test's rollback

    def _session(request: Request) -> Iterator[Session]:
        try:
            yield session
            check_written(session)  # as `core.sessions.commit` does: no change without its events
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def _stream_session() -> Iterator[Session]:
        yield session

    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[get_stream_session] = _stream_session
    app.state.key_sessions = lambda: nullcontext(session)  # the key gate's (app/auth/gate.py)
    return app


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    with TestClient(_on_test_session(create_app(), session), raise_server_exceptions=False) as c:
        yield c


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(session: Session) -> Iterator[ClientFactory]:
    """A client of an app built with these settings changed: `make_client(cors_origins=[...])`."""
    with ExitStack() as stack:

        def make(**settings: Any) -> TestClient:
            app = create_app(get_settings().model_copy(update=settings))
            client = TestClient(_on_test_session(app, session), raise_server_exceptions=False)
            return stack.enter_context(client)

        yield make


KeyFactory = Callable[[Role], dict[str, str]]


@pytest.fixture
def auth(session: Session) -> KeyFactory:
    """Authorization headers for a fresh key of the given role."""

    def make(role: Role) -> dict[str, str]:
        _, secret = keys.create(
            session, ApiKeyCreate(name=f"test {role}", role=role), created_by_id=None
        )
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def analyst(auth: KeyFactory) -> dict[str, str]:
    return auth(Role.ANALYST)


@pytest.fixture
def reader(auth: KeyFactory) -> dict[str, str]:
    return auth(Role.READER)


@pytest.fixture
def admin(auth: KeyFactory) -> dict[str, str]:
    return auth(Role.ADMIN)
