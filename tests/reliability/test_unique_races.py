"""Two requests creating the same named record at the same moment: one 201, one refusal.

The refusal is the one a second, later request gets (409 with the record's own code, or 422 for
an indicator slug), never a 500 from the unique constraint: each create checks under a lock on
the name (an advisory lock on PostgreSQL, the write lock on SQLite).
"""

import threading
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.core.sessions import get_session
from app.main import create_app
from tests.reliability.harness import ScratchDb, Server, running

TRIALS = 10
Body = Callable[[int], dict[str, Any]]

CREATES: list[tuple[str, Body, int, str]] = [
    ("/api/v1/entities", lambda i: {"name": f"Race Entity {i}"}, 409, "name_taken"),
    ("/api/v1/metrics", lambda i: {"name": f"race metric {i}", "unit": "USD"}, 409, "name_taken"),
    (
        "/api/v1/sources",
        lambda i: {"url": f"https://example.org/race/{i}", "title": "t"},
        409,
        "source_exists",
    ),
    (
        "/api/v1/indicators",
        lambda i: {"name": f"Race {i}", "entity": "KTZ", "metric": "cargo", "unit": "t"},
        422,
        "invalid_input",
    ),
    (
        "/api/v1/fx-rates",
        lambda i: {"base": "EUR", "quote": "USD", "rate": "1.08", "as_of": f"2025-01-{i + 1:02d}"},
        409,
        "fx_rate_exists",
    ),
]


def _pairs(server: Server, headers: dict[str, str], url: str, body: Body) -> list[Any]:
    """Trial i posts body(i) twice at once; the two answers of each trial, as (status, code)."""
    go = threading.Barrier(2, timeout=60)
    out: list[list[tuple[int, str | None]]] = [[], []]

    def racer(who: int) -> None:
        with server.client() as client:
            for i in range(TRIALS):
                go.wait()
                response = client.post(url, json=body(i), headers=headers)
                code = response.json().get("code") if response.status_code >= 400 else None
                out[who].append((response.status_code, code))

    threads = [threading.Thread(target=racer, args=(who,)) for who in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [tuple(sorted(pair, key=lambda a: a[0])) for pair in zip(*out, strict=True)]


@pytest.mark.slow
def test_racing_creates_of_one_name_make_it_once(scratch: ScratchDb) -> None:
    headers = scratch.key(Role.ADMIN)
    with running(scratch.url) as server:
        for url, body, status, code in CREATES:
            pairs = _pairs(server, headers, url, body)
            assert Counter(pairs) == {((201, None), (status, code)): TRIALS}, url


@pytest.mark.parametrize(
    ("sqlstate", "sqlite_errorname", "status"),
    [
        ("23505", None, 409),  # unique_violation
        ("23503", None, 409),  # foreign_key_violation
        (None, "SQLITE_CONSTRAINT_UNIQUE", 409),
        (None, "SQLITE_CONSTRAINT_FOREIGNKEY", 409),
        ("23502", None, 500),  # not_null_violation: a bug, not a race
        (None, "SQLITE_CONSTRAINT_NOTNULL", 500),
    ],
)
def test_a_constraint_a_race_can_break_is_409_any_other_is_500(
    session: Session,
    analyst: dict[str, str],
    sqlstate: str | None,
    sqlite_errorname: str | None,
    status: int,
) -> None:
    class Orig(Exception):
        pass

    orig = Orig("constraint failed")
    orig.sqlstate = sqlstate  # type: ignore[attr-defined]
    orig.sqlite_errorname = sqlite_errorname  # type: ignore[attr-defined]
    app = create_app()

    def broken() -> Any:
        raise IntegrityError("INSERT ...", {}, orig)
        yield  # pragma: no cover

    app.dependency_overrides[get_session] = broken
    app.state.key_sessions = lambda: nullcontext(session)  # the key gate finds the key
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/entities", json={"name": "x"}, headers=analyst)
    assert response.status_code == status
    expected = "concurrent_change" if status == 409 else "internal_error"
    assert response.json()["code"] == expected
