"""Past the in-flight limit a request waits a little for a slot, then gets 503 + Retry-After."""

import asyncio
import os

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import Settings
from app.core.limits import InFlightLimit


def _scope(path: str) -> Scope:
    return {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}


async def _call(app: InFlightLimit, path: str) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(_scope(path), receive, send)
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def _answers_once(release: asyncio.Event, *, only: str = "", status: int = 200) -> ASGIApp:
    """An app that answers once `release` is set (only paths ending in `only` wait)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].endswith(only):
            await release.wait()
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def test_request_past_the_limit_gets_503_and_the_rest_are_served() -> None:
    release = asyncio.Event()

    slow = _answers_once(release)

    async def run() -> None:
        app = InFlightLimit(slow, limit=2, wait_s=0.05)
        held = [asyncio.create_task(_call(app, "/api/v1/claims")) for _ in range(2)]
        await asyncio.sleep(0)
        status, headers, body = await _call(app, "/api/v1/claims")
        assert (status, headers[b"retry-after"]) == (503, b"1")
        assert headers[b"content-type"] == b"application/problem+json"
        assert orjson.loads(body)["code"] == "overloaded"
        health = asyncio.create_task(_call(app, "/healthz"))  # never turned away
        await asyncio.sleep(0)
        release.set()
        assert [(await t)[0] for t in held] == [200, 200]
        assert (await health)[0] == 200
        assert app.busy == 0
        assert (await _call(app, "/api/v1/claims"))[0] == 200

    asyncio.run(run())


def test_request_that_finds_a_slot_within_the_wait_is_served() -> None:
    release = asyncio.Event()

    slow = _answers_once(release)

    async def run() -> None:
        app = InFlightLimit(slow, limit=1, wait_s=5)
        first = asyncio.create_task(_call(app, "/api/v1/claims"))
        await asyncio.sleep(0)
        waiting = asyncio.create_task(_call(app, "/api/v1/claims"))
        await asyncio.sleep(0.05)
        assert (waiting.done(), app.busy) == (False, 1)
        release.set()
        assert [(await first)[0], (await waiting)[0]] == [200, 200]
        assert app.busy == 0

    asyncio.run(run())


def test_a_stream_gives_its_slot_back_once_it_starts() -> None:
    finish = asyncio.Event()

    async def stream(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a,b\n", "more_body": True})
        await finish.wait()  # a client reading a long export slowly
        await send({"type": "http.response.body", "body": b"1,2\n"})

    async def run() -> None:
        app = InFlightLimit(stream, limit=1, wait_s=0.05)
        export = asyncio.create_task(_call(app, "/api/v1/claims"))
        await asyncio.sleep(0.01)
        assert (export.done(), app.busy) == (False, 0)
        other = asyncio.create_task(_call(app, "/api/v1/claims"))
        await asyncio.sleep(0.01)
        assert (other.done(), app.busy) == (False, 0)  # the second one streams too
        finish.set()
        assert [(await export)[2], (await other)[2]] == [b"a,b\n1,2\n", b"a,b\n1,2\n"]
        assert app.busy == 0

    asyncio.run(run())


def test_the_default_limit_is_twice_the_cores_the_process_may_run_on() -> None:
    assert Settings().in_flight_limit == 2 * len(os.sched_getaffinity(0))
    assert Settings(max_in_flight=0).in_flight_limit == 0
    assert Settings(max_in_flight=7).in_flight_limit == 7


def test_bulk_imports_queue_in_their_own_lane() -> None:
    release = asyncio.Event()

    slow = _answers_once(release, only=":bulk", status=201)

    async def run() -> None:
        app = InFlightLimit(slow, limit=2, wait_s=0.5)
        first = asyncio.create_task(_call(app, "/api/v1/claims:bulk"))
        second = asyncio.create_task(_call(app, "/api/v1/claims:bulk"))
        await asyncio.sleep(0.05)
        # The second import waits for the first, not in the last slot: a quick request has it.
        assert (app.busy, first.done(), second.done()) == (1, False, False)
        assert (await _call(app, "/api/v1/claims"))[0] == 201
        release.set()
        assert [(await first)[0], (await second)[0]] == [201, 201]
        assert app.busy == 0

    asyncio.run(run())
