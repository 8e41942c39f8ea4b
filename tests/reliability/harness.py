"""Real servers on real databases with committed data, for the reliability tests.

`scratch_database` makes an empty database beside the test one (a file on SQLite, a temporary
database on PostgreSQL) at the newest revision. `start_server`/`running` run the app under
uvicorn in a process of its own, forked from a zygote that imported the app once
(`serve.py`), so that starting one takes milliseconds and killing one (SIGKILL) kills a real
server process in the middle of whatever it was doing. The servers' logs go to SERVER_LOG.
"""

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.core.config import Settings
from app.core.db import make_engine
from app.flows import keys
from tests.conftest import ROOT, alembic_config


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
        return self.new_key(role)[1]

    def new_key(self, role: Role = Role.ADMIN) -> tuple[int, dict[str, str]]:
        """A new key's id and its Authorization headers."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            row, secret = keys.create(
                session, ApiKeyCreate(name=f"reliability {role}", role=role), created_by_id=None
            )
        assert row.id is not None
        return row.id, {"Authorization": f"Bearer {secret}"}

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()


@contextmanager
def scratch_database(
    test_engine: Engine, tmp_path: Path, name: str, *, own_database: bool = False
) -> Iterator[ScratchDb]:
    """An empty database at head: `tmp_path/name.db` on SQLite; on PostgreSQL a schema of the
    test database (`own_database`: a temporary database, which costs a checkpoint to drop)."""
    postgres = test_engine.dialect.name == "postgresql"
    label = f"ct_rel_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(test_engine.url, isolation_level="AUTOCOMMIT")
    if not postgres:
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
    elif own_database:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{label}"'))
        url = test_engine.url.set(database=label).render_as_string(hide_password=False)
    else:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{label}"'))
        url = test_engine.url.update_query_dict(
            {"options": f"-csearch_path={label}"}
        ).render_as_string(hide_password=False)
    # A patient lock wait: the tests' own reads and writes queue behind the servers'.
    engine = make_engine(Settings(database_url=url, sqlite_busy_timeout_ms=60_000))
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        yield ScratchDb(url=url, engine=engine)
    finally:
        engine.dispose()
        if postgres:
            with admin.connect() as conn:
                if own_database:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{label}" WITH (FORCE)'))
                else:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{label}" CASCADE'))
        admin.dispose()


# What the servers write (warnings, tracebacks): one file for the whole run.
SERVER_LOG = Path(tempfile.mkdtemp(prefix="claimtrack-servers-")) / "servers.log"


class _Zygote:
    """The process servers are forked from (tests/reliability/serve.py), started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None

    @staticmethod
    def _start(log: Any) -> "subprocess.Popen[str]":
        return subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.serve"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,  # the child holds its own copy of the descriptor
            text=True,
        )

    @staticmethod
    def _stop(process: "subprocess.Popen[str]") -> None:
        """Closing its stdin ends the zygote; its servers die with it."""
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()

    def spawn(self, url: str, env: dict[str, str]) -> tuple[int, int]:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                with SERVER_LOG.open("a") as log:
                    self._process = self._start(log)
                atexit.register(self._stop, self._process)
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.write(json.dumps({"url": url, "env": env}) + "\n")
            self._process.stdin.flush()
            answer = json.loads(self._process.stdout.readline())
        return answer["pid"], answer["port"]


_zygote = _Zygote()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Server:
    pid: int
    base_url: str

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=timeout)

    def alive(self) -> bool:
        return _alive(self.pid)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback, no flush; whatever was in flight stops."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, wait=5)
        self.kill()

    def _signal(self, signum: int, wait: float = 10) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.005)


def start_server(url: str, **env: str) -> Server:
    """A uvicorn server process on `url`, answering /healthz."""
    pid, port = _zygote.spawn(url, env)
    server = Server(pid, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    with httpx.Client(base_url=server.base_url, timeout=1) as client:
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or not server.alive():
                server.kill()
                raise RuntimeError("the server did not start")
            time.sleep(0.01)


@contextmanager
def running(url: str, **env: str) -> Iterator[Server]:
    server = start_server(url, **env)
    try:
        yield server
    finally:
        server.stop()
