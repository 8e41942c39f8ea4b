"""A retry of a bulk import that is still running, with the same Idempotency-Key, waits for it
and gets its response again; the batch is stored once.

The first import is held in the database by a lock the test takes (SQLite's write lock; on
PostgreSQL a lock on the claims table that stops its inserts), so it is still running when the
retry arrives, for as long as the test likes. The retry goes to the same server process, where
imports queue in a lane of their own (a second import waits at most
`CLAIMTRACK_MAX_IN_FLIGHT_WAIT_MS`, then gets 503), or to a second process on the same database.
"""

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2 as httpx
import orjson
import pytest

from app.auth.models import Role
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running

ROWS = 5
BODY = orjson.dumps(
    [claim_body(entity=f"retry-{i}", value_text=f"${i + 1} million") for i in range(ROWS)]
)
# Short, so that a retry turned away by the import lane would be turned away long before the
# first import is let go.
LANE_WAIT_MS = "100"
# Time for a request sent to reach the lock the test holds (it waits there until let go).
SETTLE_S = 0.5


@contextmanager
def _imports_held(db: ScratchDb) -> Iterator[None]:
    """Imports wait in the database until the block ends."""
    if db.dialect == "sqlite":
        conn = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:
        with db.engine.connect() as pg:
            pg.exec_driver_sql("LOCK TABLE claims IN SHARE ROW EXCLUSIVE MODE")
            try:
                yield
            finally:
                pg.rollback()


def _post(server: Server, headers: dict[str, str], out: list[httpx.Response]) -> None:
    with server.client(timeout=60) as client:
        out.append(client.post("/api/v1/claims:bulk", content=BODY, headers=headers))


@pytest.mark.parametrize("second", ["same process", "another process"])
def test_retry_of_a_running_import_waits_and_replays_it(scratch: ScratchDb, second: str) -> None:
    headers = {
        **scratch.key(Role.ANALYST),
        "Content-Type": "application/json",
        "Idempotency-Key": "import-retry-1",
    }
    env = {"CLAIMTRACK_MAX_IN_FLIGHT_WAIT_MS": LANE_WAIT_MS}
    with running(scratch.url, **env) as a, running(scratch.url, **env) as b:
        first: list[httpx.Response] = []
        retry: list[httpx.Response] = []
        with _imports_held(scratch):
            sending = threading.Thread(target=_post, args=(a, headers, first))
            sending.start()
            time.sleep(SETTLE_S)
            retrying = threading.Thread(
                target=_post, args=(a if second == "same process" else b, headers, retry)
            )
            retrying.start()
            time.sleep(SETTLE_S)
        sending.join()
        retrying.join()

    responses = [*first, *retry]
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    # One of them ran the import (on SQLite, another process may get the write lock first).
    assert sorted(r.headers.get("Idempotency-Replayed", "ran") for r in responses) == [
        "ran",
        "true",
    ]
    assert first[0].content == retry[0].content
    assert first[0].json()["created"] == ROWS
    assert scratch.scalar("SELECT count(*) FROM claims") == ROWS
    assert scratch.scalar("SELECT count(*) FROM idempotency_keys") == 1
