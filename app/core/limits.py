"""Request guards: a `Host` not served gets 400; a body over the limit gets 413 before it is
read; a body that does not arrive in time, 408; a NUL in the query, 422; past the in-flight limit
and a short wait, 503 instead of a queue that grows without bound."""

import asyncio
from collections.abc import Callable, Sequence

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import (
    AppError,
    InvalidInput,
    Overloaded,
    PayloadTooLarge,
    RequestTimeout,
    UntrustedHost,
    problem_response,
)
from app.core.loops import PerLoop


async def _allowed(scope: Scope, receive: Receive, send: Send) -> None:
    scope["allowed"] = True


async def _discard(message: Message) -> None:
    pass


class TrustedHosts:
    """Starlette's TrustedHostMiddleware decides; a host it refuses gets our problem+json 400
    naming `Host` (instead of its plain-text one)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.check = TrustedHostMiddleware(
            _allowed, allowed_hosts=allowed_hosts, www_redirect=False
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            probe: Scope = {"type": "http", "headers": scope["headers"]}
            await self.check(probe, receive, _discard)
            if not probe.get("allowed"):
                error = UntrustedHost("this service does not answer for that host", field="Host")
                await problem_response(error.problem())(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RequestGuardMiddleware:
    """A body may be at most `max_bytes` long, else 413, and once the app asks for it, it
    must arrive within `body_timeout_s`, else 408: a request holds its in-flight slot for at
    most that long waiting for a client. When a chunked body outgrows the limit, or time is
    up, the app is told that the client left (it stops reading) and the guard answers itself:
    an error raised from `receive` would reach the app's body parser, which reports any error
    as a malformed body."""

    def __init__(self, app: ASGIApp, max_bytes: int, body_timeout_s: float = 5.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.body_timeout_s = body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"").lower():
            bad = InvalidInput("query parameters may not contain NUL (%00)", field="query")
            await problem_response(bad.problem())(scope, receive, send)
            return
        too_large = PayloadTooLarge(f"the body may be at most {self.max_bytes} bytes")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    over = int(value) > self.max_bytes
                except ValueError:
                    over = False
                if over:
                    await problem_response(too_large.problem())(scope, receive, send)
                    return
        deadline: float | None = None
        seen = 0
        complete = False
        failed: AppError | None = None
        started = False

        async def guarded_receive() -> Message:
            nonlocal deadline, seen, complete, failed
            if failed is not None:
                return {"type": "http.disconnect"}
            if complete:  # past the body, the app waits for a disconnect: no deadline
                return await receive()
            if deadline is None:
                deadline = asyncio.get_running_loop().time() + self.body_timeout_s
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                failed = RequestTimeout(f"the body did not arrive within {self.body_timeout_s:g} s")
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if seen > self.max_bytes:
                    failed = too_large
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if failed is not None and not started:
                return  # the app's answer to a client it was told had left
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except Exception:
            if failed is None:
                raise
        if failed is not None and not started:
            await problem_response(failed.problem(), failed.headers)(scope, receive, send)


BULK_SUFFIX = ":bulk"  # the import routes (POST /api/v1/claims:bulk)


def _retry_of(scope: Scope) -> tuple[bytes, bytes] | None:
    """(Authorization, Idempotency-Key) of a keyed request: a retry sends both again."""
    headers = dict(scope.get("headers", []))
    key = headers.get(b"idempotency-key")
    return None if key is None else (headers.get(b"authorization", b""), key)


class InFlightLimit:
    """At most `limit` requests in this process at once. One more waits up to `wait_s` for a
    free slot; then it gets 503 + Retry-After.

    An overloaded server answers fast instead of letting every request wait its turn (and
    hold memory) until all time out, and the short wait keeps a burst from being turned away
    while slots free up every few milliseconds. Health checks are never turned away. A
    streamed answer gives its slot back once it starts: a long export must not hold one of
    the few slots for as long as its client takes to read it. A retry of the import in progress
    (the same key and Idempotency-Key) is not turned away: it waits for that import to end, then
    takes its turn, and is answered with the import's kept response.
    """

    def __init__(self, app: ASGIApp, limit: int, wait_s: float = 1.0) -> None:
        self.app = app
        self.limit = limit
        self.wait_s = wait_s
        self.busy = 0
        self._slots = PerLoop(lambda: asyncio.Semaphore(limit))
        # Bulk imports take seconds: one at a time (in a lane of their own, then in a slot), so
        # that imports never hold every slot the quick requests need.
        self._imports = PerLoop(lambda: asyncio.Semaphore(1))
        # The keyed import holding the lane, by (Authorization, Idempotency-Key): set when done.
        self._importing: PerLoop[dict[tuple[bytes, bytes], asyncio.Event]] = PerLoop(dict)

    def _import_started(self, retry: tuple[bytes, bytes]) -> Callable[[], None]:
        """Note the keyed import that holds the lane; the function returned notes its end."""
        importing = self._importing.get()
        done = importing[retry] = asyncio.Event()

        def end() -> None:
            del importing[retry]
            done.set()

        return end

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        slots = self._slots.get()
        lane = self._imports.get() if scope["path"].endswith(BULK_SUFFIX) else None
        retry = _retry_of(scope) if lane is not None else None
        try:
            if lane is not None:
                first = self._importing.get().get(retry) if retry is not None else None
                if first is not None:
                    await first.wait()  # a retry of the import in progress: it has a turn
                await asyncio.wait_for(lane.acquire(), self.wait_s)
            try:
                await asyncio.wait_for(slots.acquire(), self.wait_s)
            except TimeoutError:
                if lane is not None:
                    lane.release()
                raise
        except TimeoutError:
            what = "a bulk import is" if lane is not None and lane.locked() else "requests are"
            error = Overloaded(f"{what} in progress beyond this server's limit; retry shortly")
            await problem_response(error.problem(), error.headers)(scope, receive, send)
            return
        self.busy += 1
        held = True
        end_import = self._import_started(retry) if retry is not None else None

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self.busy -= 1
                slots.release()
                if lane is not None:
                    lane.release()
                if end_import is not None:
                    end_import()

        async def send_and_release_streams(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and message.get("more_body"):
                release()  # a stream (an export): the slot is for working out the answer

        try:
            await self.app(scope, receive, send_and_release_streams)
        finally:
            release()
