"""The database goes away: every request that needs it gets a quick 503, and none after it returns.

On PostgreSQL the server reaches the database through a TCP proxy the test controls, so no real
cluster is stopped. How fast a 503 comes depends on how the database is gone:

- refused or cut connections (a stopped, crashed or restarting server): at once, well within 1 s;
- a host that accepts and never answers: after `CLAIMTRACK_DB_CONNECT_TIMEOUT_S` (default
  0.75 s; the app stops waiting for the attempt, since libpq's own timeout cannot be under 2 s);
- a connection that goes silent in the middle of a statement is not bounded by the app (the
  statement timeout is the server's, and the kernel still acknowledges); in a real network
  partition the operating system's TCP timeouts end it.

On SQLite the equivalent is a database file that cannot be opened.
"""

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.auth.models import Role
from app.core.db import get_session
from app.main import create_app
from tests.factories import claim_body
from tests.reliability.harness import Server, running, scratch_database
from tests.reliability.proxy import TcpProxy

QUICK = 1.0
# Any text shaped like an issued key: it has to be looked up, so the lookup meets the outage.
SOME_KEY = {"Authorization": "Bearer ct_0123abcd_" + "x" * 43}


def _routes() -> list[tuple[str, str]]:
    """Every operation of the API but /healthz (the one that does not touch the database)."""
    spec = create_app().openapi()
    return sorted(
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if path != "/healthz"
    )


ROUTES = _routes()


def _call(client: httpx.Client, method: str, path: str) -> tuple[httpx.Response, float]:
    url = path
    for name in ("claim_id", "source_id", "entity_id", "metric_id", "flag_id", "key_id"):
        url = url.replace(f"{{{name}}}", "1")
    url = url.replace("{indicator_id}", "1")
    body: Any = [] if path.endswith((":bulk", "/observations", "/citations")) else {}
    headers = {**SOME_KEY, "If-Match": '"x-1-v1"'}
    started = time.monotonic()
    if method in ("GET", "DELETE"):
        response = client.request(method, url, headers=headers)
    else:
        response = client.request(method, url, headers=headers, json=body)
    return response, time.monotonic() - started


def _assert_unavailable(response: httpx.Response, elapsed: float, limit: float, what: str) -> None:
    assert response.status_code == 503, (what, response.status_code, response.text)
    assert response.headers["content-type"] == "application/problem+json", what
    assert response.headers["retry-after"] == "1", what
    assert response.json()["code"] == "database_unavailable", what
    assert elapsed < limit, (what, elapsed)


def _every_route_is_503(server: Server) -> None:
    with server.client(timeout=10) as client:
        for method, path in ROUTES:
            response, elapsed = _call(client, method, path)
            _assert_unavailable(response, elapsed, QUICK, f"{method} {path}")


def _works(server: Server, writer: dict[str, str], n: int) -> None:
    """The first requests after the database is back succeed: a read, a write, readiness."""
    with server.client() as client:
        assert client.get("/api/v1/claims", headers=writer).status_code == 200
        body = claim_body(entity=f"back-{n}", citations=[])
        assert client.post("/api/v1/claims", json=body, headers=writer).status_code == 201
        assert client.get("/readyz").json() == {"status": "ready"}


PROXY_POSTGRES = os.environ.get(
    "CLAIMTRACK_TEST_PROXY_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def proxied(engine: Engine, tmp_path: Path) -> Iterator[tuple[TcpProxy, Server, dict[str, str]]]:
    # The proxy stands between a server and PostgreSQL: on the SQLite leg of the suite, the
    # local PostgreSQL (which CI has) is used all the same. Unreachable, the test fails.
    postgres = engine if engine.dialect.name == "postgresql" else create_engine(PROXY_POSTGRES)
    try:
        yield from _proxied(postgres, tmp_path)
    finally:
        if postgres is not engine:
            postgres.dispose()


def _proxied(engine: Engine, tmp_path: Path) -> Iterator[tuple[TcpProxy, Server, dict[str, str]]]:
    with scratch_database(engine, tmp_path, "down") as db:
        url = make_url(db.url)
        writer = db.key(Role.ADMIN)
        with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
            through = url.set(host="127.0.0.1", port=proxy.port)
            with running(through.render_as_string(hide_password=False)) as server:
                _works(server, writer, 0)
                _fill_pool(server, writer)
                yield proxy, server, writer


def _fill_pool(server: Server, writer: dict[str, str]) -> None:
    """Several requests at once, so that the server holds several pooled connections."""

    def read() -> int:
        with server.client() as client:
            return client.get("/api/v1/claims", headers=writer).status_code

    threads = [threading.Thread(target=read) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.slow
def test_postgres_down_every_route_is_a_quick_503_and_the_first_request_back_works(
    proxied: tuple[TcpProxy, Server, dict[str, str]],
) -> None:
    proxy, server, writer = proxied
    proxy.down()
    _every_route_is_503(server)
    proxy.up()
    _works(server, writer, 1)


def test_postgres_restarted_between_requests_the_next_request_works(
    proxied: tuple[TcpProxy, Server, dict[str, str]],
) -> None:
    proxy, server, writer = proxied
    proxy.cut()  # every pooled connection is dead; checkout sees it and reconnects
    _works(server, writer, 1)


def test_postgres_gone_in_the_middle_of_a_request_is_a_503_not_a_hang(
    proxied: tuple[TcpProxy, Server, dict[str, str]],
) -> None:
    proxy, server, writer = proxied
    proxy.stall()
    outcome: dict[str, Any] = {}

    def request() -> None:
        with server.client(timeout=30) as client:
            outcome["response"] = client.get("/api/v1/claims", headers=writer)
            outcome["done"] = time.monotonic()

    thread = threading.Thread(target=request)
    thread.start()
    time.sleep(0.5)
    assert "response" not in outcome  # waiting on the stalled database
    cut_at = time.monotonic()
    proxy.down()
    thread.join(10)
    _assert_unavailable(outcome["response"], outcome["done"] - cut_at, QUICK, "stalled GET")
    proxy.up()
    _works(server, writer, 1)


@pytest.mark.slow
def test_postgres_silent_host_is_a_503_within_a_second(
    proxied: tuple[TcpProxy, Server, dict[str, str]],
) -> None:
    proxy, server, writer = proxied
    proxy.silent()
    with server.client(timeout=30) as client:
        for method, path in (
            ("GET", "/readyz"),
            ("GET", "/api/v1/claims"),
            ("POST", "/api/v1/claims"),
        ):
            response, elapsed = _call(client, method, path)
            # The connect timeout (0.75 s) ends the wait, not libpq's least of 2 s.
            _assert_unavailable(response, elapsed, QUICK, f"{method} {path}")
    proxy.up()
    _works(server, writer, 1)


def test_sqlite_file_that_cannot_be_opened_is_503_everywhere_until_it_can(tmp_path: Path) -> None:
    # SQLite's outage is a file that cannot be opened; it runs on both legs of the suite.
    sqlite = create_engine("sqlite://")
    path = tmp_path / "gone.db"
    path.mkdir()  # a directory where the database file should be: it cannot be opened
    with running(f"sqlite:///{path}") as server:
        _every_route_is_503(server)
        with server.client() as client:
            assert client.get("/readyz").status_code == 503
        path.rmdir()
        with scratch_database(sqlite, tmp_path, "gone") as db:
            _works(server, db.key(Role.ADMIN), 1)


@pytest.mark.parametrize(
    "error",
    [
        PoolTimeout("QueuePool limit of size 5 overflow 5 reached"),
        InterfaceError("SELECT 1", {}, Exception("the connection is closed")),
    ],
    ids=["pool-exhausted", "connection-closed"],
)
def test_database_errors_worth_retrying_are_503_not_500(error: Exception) -> None:
    app = create_app()

    def broken() -> Iterator[None]:
        raise error
        yield  # pragma: no cover

    app.dependency_overrides[get_session] = broken
    app.state.key_sessions = contextmanager(broken)  # the key gate's look-up comes first
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/claims", headers=SOME_KEY)
    _assert_unavailable(response, 0.0, QUICK, type(error).__name__)
