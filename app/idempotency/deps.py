"""The `Idempotency-Key` header of creating POSTs, and the route class that keeps their answers.

A route opts in with `dependencies=[IDEMPOTENT]` on a router built with
`route_class=IdempotentRoute`. Without the header nothing happens: the dependency returns at once
and the route class passes the response through. Kept responses are stored as they were sent, so
a creating POST whose response must never be kept (one that shows a secret once) refuses the
header instead, with `refuse_key`.
"""

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.deps import Credentials, current_key
from app.core.config import get_settings
from app.core.sessions import SessionDep, commit
from app.idempotency import service
from app.idempotency.errors import IdempotencyKeyNotAccepted

SCOPE_KEY = "claimtrack.idempotency"

DESCRIPTION = (
    "Any 1 to 255 printable ASCII characters, new for each distinct request (a UUID will do). "
    "A retry with the same key, method, path and body gets the first response again, with "
    "`Idempotency-Replayed: true`, and changes nothing; the same key with another request is "
    "refused (422 `idempotency_key_reused`). Keys belong to the API key that sent them and are "
    "kept for `CLAIMTRACK_IDEMPOTENCY_TTL_HOURS` (24 by default). A retry sent while the first "
    "request is still running waits for it. Only successful responses are kept."
)

KeyHeader = Annotated[
    str | None,
    Header(
        alias=service.HEADER,
        min_length=1,
        max_length=255,
        pattern=r"^[ -~]+$",
        description=DESCRIPTION,
    ),
]


class Replayed(Exception):
    """Stops a retried request before its endpoint runs; the route answers with `response`."""

    def __init__(self, response: Response) -> None:
        super().__init__("replayed")
        self.response = response


class IdempotentRoute(APIRoute):
    """Keeps a keyed request's response in its transaction, and answers replays."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                response = await handler(request)
            except Replayed as replayed:
                return replayed.response
            claimed = request.scope.get(SCOPE_KEY)
            if claimed is not None:
                # Still inside the function-scoped dependencies: the session commits after this.
                await run_in_threadpool(service.remember, claimed, response)
            return response

        return handle


async def idempotency_key(
    request: Request, session: SessionDep, credentials: Credentials, key: KeyHeader = None
) -> None:
    # Without the header nothing is looked up: the key's principal is found in the same
    # thread-pool call as the claim, only when there is a key to claim (a sync dependency for
    # the principal would cost every create a hop).
    if key is None:
        return
    if not isinstance(request.scope.get("route"), IdempotentRoute):
        raise RuntimeError("an Idempotency-Key route needs route_class=IdempotentRoute")
    fingerprint = service.fingerprint(
        request.method,
        request.url.path,
        request.scope.get("query_string", b""),
        request.headers.get("content-type", ""),
        await request.body(),
    )

    def claim() -> service.Claimed | Response:
        api_key_id = current_key(request, session, credentials).id
        assert api_key_id is not None
        return service.claim(
            session,
            api_key_id=api_key_id,
            key=key,
            fingerprint=fingerprint,
            ttl=timedelta(hours=get_settings().idempotency_ttl_hours),
        )

    outcome = await run_in_threadpool(claim)
    if isinstance(outcome, Response):
        raise Replayed(outcome)
    request.scope[SCOPE_KEY] = outcome


IDEMPOTENT = Depends(idempotency_key)


def commit_unless_kept(request: Request, session: Session) -> None:
    """Commit the request's transaction at the end of the endpoint, in its own thread-pool
    call: the session dependency would commit it in a hop of its own. Not when the response is
    still to be kept with its Idempotency-Key: that belongs to the same transaction, and the
    dependency commits it after the route has kept it."""
    if request.scope.get(SCOPE_KEY) is None:
        commit(session)


def refuse_key(reason: str) -> Callable[[Request], Coroutine[Any, Any, None]]:
    """A dependency for a creating POST that must never be replayed: the header gets a 422.

    The header is read, not declared, so the operation does not list it as a parameter. Put it
    after the route's permission check in the endpoint's signature: 401 and 403 come first.
    """

    async def no_idempotency_key(request: Request) -> None:
        if service.HEADER in request.headers:
            raise IdempotencyKeyNotAccepted(reason, field=service.HEADER)

    return no_idempotency_key
