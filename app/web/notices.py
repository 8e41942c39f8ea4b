"""What a form did, carried to the page the browser is sent to after it, in the redirect's query
string (`?created=new&notice=…`), signed.

A page shows what its query says only when the query's `sig` is the HMAC, with the
deployment's secret key (`web_sessions.keyed_digest`), of the session's browser id, the page's
path and every other parameter in order: a link made anywhere else, or for another session, or
with a word changed, shows none of it. The words stay in the address rather than in a
server-side store, so a page read again (reload, back) still says them, and nothing is written
on a read."""

import hmac
from collections.abc import Sequence
from typing import Annotated
from urllib.parse import urlencode

import orjson
from fastapi import Query
from starlette.requests import Request

from app.auth import web_sessions
from app.web.sessions import SignedInPage

SIGNATURE = "sig"
# A page that shows what a form did declares it (unknown query parameters are refused).
Signature = Annotated[str, Query(alias=SIGNATURE, max_length=64)]


def _digest(me: SignedInPage, path: str, params: Sequence[tuple[str, str]]) -> str:
    message = orjson.dumps([me.token, path, [list(p) for p in params]]).decode()
    return web_sessions.keyed_digest("notices", message)


def signed(me: SignedInPage, path: str, params: Sequence[tuple[str, str]]) -> str:
    """The address to send the browser to: `path` with `params` and their signature."""
    return f"{path}?{urlencode([*params, (SIGNATURE, _digest(me, path, params))])}"


def genuine(request: Request, me: SignedInPage, path: str, sent: str) -> bool:
    """Whether the request's query was signed by `signed` (`sent`: its signature) for this
    session and `path` (the page's own path, as the form's route named it)."""
    if not sent:
        return False
    params = [(k, v) for k, v in request.query_params.multi_items() if k != SIGNATURE]
    return hmac.compare_digest(sent.encode(), _digest(me, path, params).encode())
