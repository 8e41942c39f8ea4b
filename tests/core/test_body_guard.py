"""The request guard around a body: 413 past the size limit however the body is sent, and 408
when it does not arrive in time, with the in-flight slot freed."""

import asyncio
from collections.abc import Iterator

import orjson
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.types import Message

from app.core.errors import install_error_handlers
from app.core.limits import InFlightLimit, RequestGuardMiddleware
from tests.conftest import ClientFactory


def test_a_chunked_body_over_the_limit_is_413(
    make_client: ClientFactory, analyst: dict[str, str]
) -> None:
    client = make_client(max_body_bytes=10)

    def chunks() -> Iterator[bytes]:  # no Content-Length: Transfer-Encoding: chunked
        yield b'{"name": '
        yield b'"a longer name than ten bytes"}'

    response = client.post("/api/v1/entities", content=chunks(), headers=analyst)
    assert "content-length" not in response.request.headers
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")
    assert response.headers["content-type"] == "application/problem+json"


class Thing(BaseModel):
    name: str


def _app(body_timeout_s: float) -> tuple[RequestGuardMiddleware, InFlightLimit]:
    """A JSON route behind the guard and a limit of one slot (as `create_app` orders them)."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    limit = InFlightLimit(app, limit=1, wait_s=10)
    return RequestGuardMiddleware(limit, max_bytes=1000, body_timeout_s=body_timeout_s), limit


async def _post(
    app: RequestGuardMiddleware, body: bytes | None
) -> tuple[int, dict[bytes, bytes], str]:
    """POST /things; with `body` None, the client sends the headers and then nothing."""
    sent: list[Message] = []
    parts = [] if body is None else [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> Message:
        if parts:
            return parts.pop()
        await asyncio.Event().wait()  # a client that never sends (nor leaves)
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/things",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"14")],
        "query_string": b"",
    }
    await app(scope, receive, send)
    answer = orjson.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    return sent[0]["status"], dict(sent[0]["headers"]), answer.get("code", "")


def test_a_body_that_does_not_arrive_in_time_is_408_and_its_slot_is_freed() -> None:
    async def run() -> None:
        app, limit = _app(body_timeout_s=0.2)
        stalled = asyncio.create_task(_post(app, None))
        await asyncio.sleep(0.05)
        waiting = asyncio.create_task(_post(app, b'{"name": "a"}'))
        await asyncio.sleep(0.05)
        assert (limit.busy, waiting.done()) == (1, False)  # the stalled request has the slot
        status, headers, code = await asyncio.wait_for(stalled, 5)
        assert (status, code, headers[b"connection"]) == (408, "request_timeout", b"close")
        assert headers[b"content-type"] == b"application/problem+json"
        assert (await asyncio.wait_for(waiting, 5))[0] == 200
        assert limit.busy == 0

    asyncio.run(run())
