"""SIGKILL of the server in the middle of a bulk import: the batch is all there or not at all.

Each trial starts a real server process on the same database, sends one `POST claims:bulk` and
kills the process (SIGKILL: no shutdown, no rollback) at a random moment within the time a whole
import takes. Afterwards the batch's claims, tags, citations, sources and events are either all
stored or none, the database passes its integrity checks, and the next server works on it.
"""

import random
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, text

from app.auth.models import Role
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running, scratch_database, start_server

TRIALS = 20
ROWS = 40
SEED = 20261123


def _batch(trial: int) -> list[dict[str, Any]]:
    tag = f"batch-{trial}"
    return [
        claim_body(
            entity=f"kill-{trial}-{i % 7}",
            value_text=f"${i + 1} million",
            tags=[tag],
            citations=[
                {
                    "url": f"https://example.org/kill/{trial}/{i}",
                    "title": f"row {i}",
                    "kind": "news",
                    "quote": f"row {i} of batch {trial}",
                }
            ],
        )
        for i in range(ROWS)
    ]


COUNTS = {
    "claims": "SELECT count(*) FROM claims WHERE id IN"
    " (SELECT claim_id FROM claim_tags WHERE tag = :tag)",
    "tags": "SELECT count(*) FROM claim_tags WHERE tag = :tag",
    "citations": "SELECT count(*) FROM citations WHERE claim_id IN"
    " (SELECT claim_id FROM claim_tags WHERE tag = :tag)",
    "sources": "SELECT count(*) FROM sources WHERE url LIKE :url",
    "events": "SELECT count(*) FROM events WHERE record_type = 'claim'"
    " AND action = 'claim.created' AND record_id IN"
    " (SELECT claim_id FROM claim_tags WHERE tag = :tag)",
}


def _stored(db: ScratchDb, trial: int) -> dict[str, int]:
    """How much of batch `trial` the database holds."""
    params = {"tag": f"batch-{trial}", "url": f"%/kill/{trial}/%"}
    with db.engine.connect() as conn:
        return {name: conn.execute(text(sql), params).scalar_one() for name, sql in COUNTS.items()}


ALL = dict.fromkeys(("claims", "tags", "citations", "sources", "events"), ROWS)
NONE = dict.fromkeys(ALL, 0)


def _intact(db: ScratchDb) -> None:
    if db.dialect == "sqlite":
        path = db.url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    else:
        # Every index usable, and no transaction of the dead server left holding locks.
        assert db.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0
        deadline = time.monotonic() + 5
        while db.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%'"
        ):
            assert time.monotonic() < deadline, "a dead server's transaction is still open"
            time.sleep(0.05)


def _import(server_url: str, headers: dict[str, str], rows: list[dict[str, Any]]) -> Any:
    with httpx.Client(base_url=server_url, timeout=60) as client:
        return client.post("/api/v1/claims:bulk", json=rows, headers=headers)


@pytest.fixture
def own_db(engine: Engine, tmp_path: Path) -> Any:
    with scratch_database(engine, tmp_path, "kill", own_database=True) as db:
        yield db


def _send(server: Server, headers: dict[str, str], trial: int, answer: dict[str, Any]) -> None:
    try:
        answer["response"] = _import(server.base_url, headers, _batch(trial))
    except httpx.TransportError as exc:
        answer["error"] = exc


def _warm(server: Server, headers: dict[str, str]) -> None:
    """A first request, so that the import's own time is what the kill lands in."""
    with server.client() as client:
        assert client.get("/api/v1/claims?limit=1", headers=headers).status_code == 200


@pytest.mark.slow
def test_sigkill_during_bulk_import_leaves_all_of_the_batch_or_none(own_db: ScratchDb) -> None:
    db = own_db
    rng = random.Random(SEED)
    headers = db.key(Role.ANALYST)
    # How long a whole import takes on a warm server.
    with running(db.url) as server:
        _warm(server, headers)
        started = time.monotonic()
        response = _import(server.base_url, headers, _batch(0))
        full = time.monotonic() - started
    assert response.status_code == 201, response.text
    assert _stored(db, 0) == ALL
    outcomes: list[str] = []
    for trial in range(1, TRIALS + 1):
        server = start_server(db.url)
        _warm(server, headers)
        answer: dict[str, Any] = {}
        thread = threading.Thread(target=_send, args=(server, headers, trial, answer))
        thread.start()
        time.sleep(rng.uniform(0, 1.2 * full))
        server.kill()
        thread.join(30)
        stored = _stored(db, trial)
        if "response" in answer:
            assert answer["response"].status_code == 201
            assert stored == ALL, trial
            outcomes.append("committed")
        else:
            assert stored in (ALL, NONE), (trial, stored)
            outcomes.append("killed with all" if stored == ALL else "killed with none")
        _intact(db)
    # The kills landed in the middle of imports, not only after them.
    assert outcomes.count("killed with none") >= TRIALS // 4, outcomes
    # A server on the database the kills left behind works, and every batch is whole.
    with running(db.url) as server:
        final = _import(server.base_url, headers, _batch(TRIALS + 1))
        assert final.status_code == 201
    whole = 1 + outcomes.count("committed") + outcomes.count("killed with all") + 1
    assert db.scalar("SELECT count(*) FROM claims") == whole * ROWS
    _intact(db)
