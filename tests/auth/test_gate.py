"""The key gate answers a request without a valid key before the request takes an in-flight
slot and before its body is read; a request with one goes on, its key looked up once."""

import asyncio
from contextlib import nullcontext
from dataclasses import replace
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.types import Message

from app.auth import gate, service
from app.auth.gate import keyed_paths
from app.core.config import get_settings
from app.core.ratelimit import in_process
from app.main import ROUTERS, create_app


async def _stalled_post(app: Any, authorization: bytes | None) -> tuple[int, str, int]:
    """POST /api/v1/claims from a client that sends its headers and then nothing: the status,
    the problem's code, and how often the app asked for the body."""
    sent: list[Message] = []
    asked = 0

    async def receive() -> Message:
        nonlocal asked
        asked += 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"content-type", b"application/json"), (b"content-length", b"100")]
    if authorization is not None:
        headers.append((b"authorization", authorization))
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "path": "/api/v1/claims",
        "raw_path": b"/api/v1/claims",
        "root_path": "",
        "scheme": "http",
        "headers": headers,
        "query_string": b"",
        "client": ("10.0.0.1", 5000),
        "server": ("claimtrack", 80),
    }
    await asyncio.wait_for(app(scope, receive, send), 5)
    code = orjson.loads(b"".join(m.get("body", b"") for m in sent[1:]))["code"]
    return sent[0]["status"], code, asked


@pytest.mark.parametrize(
    "authorization", [None, b"Basic dXNlcjpwYXNz", b"Bearer ct_nothere_" + b"x" * 20]
)
def test_without_a_valid_key_the_answer_is_401_before_a_slot_or_the_body(
    engine: Engine, authorization: bytes | None
) -> None:
    # One slot, which no one may wait for: a request that took it would get 503. (Each
    # look-up in a read session of its own, as when served: no key is committed.)
    settings = get_settings().model_copy(update={"max_in_flight": 1, "max_in_flight_wait_ms": 0})
    app = create_app(settings)

    async def run() -> list[tuple[int, str, int]]:
        return list(await asyncio.gather(*(_stalled_post(app, authorization) for _ in range(3))))

    assert asyncio.run(run()) == [(401, "unauthenticated", 0)] * 3


def test_a_valid_key_goes_on_to_the_slot_and_the_body(
    session: Session, analyst: dict[str, str]
) -> None:
    settings = get_settings().model_copy(update={"body_timeout_s": 0.1})
    app = create_app(settings)
    app.state.key_sessions = lambda: nullcontext(session)
    authorization = analyst["Authorization"].encode()
    assert asyncio.run(_stalled_post(app, authorization)) == (408, "request_timeout", 1)


def test_the_gate_knows_the_keyed_routes_and_only_those() -> None:
    keyed = keyed_paths(route for router in ROUTERS for route in router.routes)
    assert sorted(keyed) == ["DELETE", "GET", "PATCH", "POST"]
    assert keyed["GET"].match("/api/v1/claims/12/history") is not None
    assert keyed["POST"].match("/api/v1/claims:bulk") is not None
    assert keyed["GET"].match("/healthz") is None
    assert keyed["GET"].match("/api/v1/nothing") is None  # 404 without a key, as before
    assert keyed["PATCH"].match("/api/v1/claims") is None  # 405 without a key, as before


def _gate_hops(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> list[int]:
    """The key gate's calls to the thread pool for each of two reads with the same key, the
    first of which is due to record the key's use."""
    monkeypatch.setattr(service, "_uses_tried", {})  # no use recorded yet in this process
    hops = 0
    real = getattr(gate, "run_in_threadpool")  # noqa: B009 (imported there, not exported)

    async def counted(func: Any, *args: Any) -> Any:
        nonlocal hops
        hops += 1
        return await real(func, *args)

    monkeypatch.setattr(gate, "run_in_threadpool", counted)
    out = []
    for _ in range(2):
        before = hops
        assert client.get("/api/v1/claims?limit=1", headers=headers).status_code == 200
        out.append(hops - before)
    return out


def test_on_sqlite_the_key_is_found_without_a_hop_but_to_record_its_use(
    client: TestClient, engine: Engine, analyst: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite, limits counted in the process: the lookup on the event loop; the first request
    # records the key's use, a write, in the pool. PostgreSQL: every lookup in the pool.
    expected = [1, 0] if engine.dialect.name == "sqlite" else [1, 1]
    assert _gate_hops(client, analyst, monkeypatch) == expected


def test_with_limits_counted_elsewhere_the_key_is_found_in_the_thread_pool(
    client: TestClient, analyst: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app: Any = client.app
    app.state.rate_limits = replace(app.state.rate_limits, fallback=in_process())  # as Redis's
    assert _gate_hops(client, analyst, monkeypatch) == [1, 1]
