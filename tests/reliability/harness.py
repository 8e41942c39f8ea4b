"""Real servers on real databases with committed data, for the reliability tests.

`scratch_database` makes an empty database beside the test one (a file on SQLite, a temporary
database on PostgreSQL) at the newest revision. `Servers` runs the app under uvicorn in child
processes: each one is forked from a server process that imported the app once (a
multiprocessing forkserver), so that starting one takes a fraction of a second and killing it
(SIGKILL) kills a real server process in the middle of whatever it was doing.
"""

import multiprocessing
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

import httpx2 as httpx
from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKeyCreate, Role
from app.core.config import Settings
from app.core.db import make_engine
from tests.conftest import alembic_config

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["app.main", "uvicorn"])


@dataclass
class ScratchDb:
    """A database of its own, migrated to head; `url` is what a server is given."""

    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def key(self, role: Role = Role.ADMIN) -> dict[str, str]:
        """Authorization headers for a new key, committed so that any process sees it."""
        with Session(self.engine) as session, session.begin():
            _, secret = keys.create(
                session, ApiKeyCreate(name=f"reliability {role}", role=role), created_by_id=None
            )
        return {"Authorization": f"Bearer {secret}"}

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()


def _admin_engine(test_engine: Engine) -> Engine:
    return create_engine(test_engine.url, isolation_level="AUTOCOMMIT")


@contextmanager
def scratch_database(test_engine: Engine, tmp_path: Path, name: str) -> Iterator[ScratchDb]:
    """An empty database at head: `tmp_path/name.db`, or a temporary PostgreSQL database."""
    if test_engine.dialect.name == "postgresql":
        dbname = f"ct_rel_{name}_{uuid.uuid4().hex[:8]}"
        admin = _admin_engine(test_engine)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{dbname}"'))
        url = test_engine.url.set(database=dbname).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
    # A patient lock wait: the tests' own reads and writes queue behind the servers'.
    engine = make_engine(Settings(database_url=url, sqlite_busy_timeout_ms=60_000))
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        yield ScratchDb(url=url, engine=engine)
    finally:
        engine.dispose()
        if test_engine.dialect.name == "postgresql":
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
            admin.dispose()


def _serve(url: str, env: dict[str, str], pipe: Pipe) -> None:
    """A server child: the app on `url`, uvicorn on a port it picks and reports back."""
    os.environ.update(env)
    os.environ["DATABASE_URL"] = url
    os.environ["CLAIMTRACK_ENVIRONMENT"] = "test"
    import uvicorn

    from app.core.config import get_settings
    from app.core.db import get_engine, get_side_engine
    from app.main import create_app

    # The forkserver imported the app with the test database's settings; this child has its own.
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_side_engine.cache_clear()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    pipe.send(sock.getsockname()[1])
    pipe.close()
    config = uvicorn.Config(
        create_app(), log_level="warning", access_log=False, timeout_graceful_shutdown=1
    )
    uvicorn.Server(config).run(sockets=[sock])


@dataclass
class Server:
    process: Any
    base_url: str

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback, no flush; whatever was in flight stops."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        self.kill()


def start_server(url: str, **env: str) -> Server:
    """A uvicorn server process on `url`, answering /healthz."""
    parent, child = _context.Pipe(duplex=False)
    process = _context.Process(target=_serve, args=(url, env, child), daemon=True)
    process.start()
    child.close()
    if not parent.poll(30):
        process.kill()
        raise RuntimeError("the server did not report its port")
    port = parent.recv()
    server = Server(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    with httpx.Client(base_url=server.base_url, timeout=1) as client:
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or not process.is_alive():
                server.kill()
                raise RuntimeError("the server did not start")
            time.sleep(0.02)


@contextmanager
def running(url: str, **env: str) -> Iterator[Server]:
    server = start_server(url, **env)
    try:
        yield server
    finally:
        server.stop()


def database_name(url: str) -> str | None:
    return make_url(url).database
