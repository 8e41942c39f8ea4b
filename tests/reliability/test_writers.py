"""Several server processes writing to one database at once: every write succeeds.

Every writer writes the same sequence of claims, so new entities, metrics and sources are met
by several writers at the same moment, and each must be created exactly once.

On SQLite this is four processes queueing for the one write lock: each writer takes it at BEGIN
(BEGIN IMMEDIATE) and waits for it up to the busy timeout, so none is ever refused with
"database is locked". On PostgreSQL the same load must bring no deadlock or serialization error.
"""

import threading
from collections import Counter
from typing import Any

import pytest

from app.auth.models import Role
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running

PROCESSES = 4
WRITES = 200  # per process
THREADS = 2  # concurrent clients per process


def _body(i: int) -> dict[str, Any]:
    """Write i of every writer names the same new entity, metric and source: they race to
    create them (on PostgreSQL; on SQLite the writers queue)."""
    return claim_body(
        entity=f"entity {i}",
        metric=f"metric {i % 25}",
        value_text=f"${i + 1} million",
        citations=[
            {
                "url": f"https://example.org/shared/{i}",
                "title": f"shared {i}",
                "kind": "news",
                "quote": "a quote",
            }
        ],
    )


def _write(server: Server, headers: dict[str, str], n: int, out: list[int]) -> None:
    with server.client() as client:
        for i in range(n):
            out.append(client.post("/api/v1/claims", json=_body(i), headers=headers).status_code)


@pytest.mark.slow
def test_four_server_processes_writing_at_once_are_never_refused(scratch: ScratchDb) -> None:
    headers = scratch.key(Role.ANALYST)
    statuses: list[int] = []
    with (
        running(scratch.url) as a,
        running(scratch.url) as b,
        running(scratch.url) as c,
        running(scratch.url) as d,
    ):
        threads = [
            threading.Thread(
                target=_write,
                args=(server, headers, WRITES // THREADS, statuses),
            )
            for server in (a, b, c, d)
            for t in range(THREADS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    # Every writer posts the same claims: each is stored once (201), and found again by the
    # others however they raced (200).
    distinct = WRITES // THREADS
    assert Counter(statuses) == {201: distinct, 200: PROCESSES * WRITES - distinct}
    assert scratch.scalar("SELECT count(*) FROM claims") == distinct
    assert scratch.scalar("SELECT count(*) FROM events WHERE action = 'claim.created'") == (
        distinct
    )
    # Each name was created once, however many writers met it new at the same moment.
    assert scratch.scalar("SELECT count(*) FROM entities") == WRITES // THREADS
    assert scratch.scalar("SELECT count(*) FROM metrics") == 25
    assert scratch.scalar("SELECT count(*) FROM sources") == WRITES // THREADS
