"""`/signin`, `/signout`: signing in with an API key into a session, and out again (`/`, the
home page it leads to, is the watchlist: `watchlist.py`)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.auth import web_sessions
from app.auth.deps import identify
from app.core.errors import AppError
from app.core.ratelimit import RateLimits
from app.core.sessions import SessionDep
from app.web.render import PageRoute, page, redirect
from app.web.sessions import (
    SESSION_COOKIE,
    SIGNIN_COOKIE_SECONDS,
    check_csrf,
    check_signin_form,
    clear_cookie,
    set_cookie,
    signin_form_token,
    start_session,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _signin_page(
    request: Request, *, status: int = 200, error: str = "", headers: dict[str, str] | None = None
) -> Response:
    new_cookies: dict[str, str] = {}
    context = {"form_token": signin_form_token(request, new_cookies), "error": error}
    response = page(request, "signin.html", context, status=status, headers=headers)
    for name, value in new_cookies.items():
        set_cookie(response, request, name, value, SIGNIN_COOKIE_SECONDS)
    return response


@router.get("/signin")
def signin_form(request: Request) -> Response:
    """The sign-in form."""
    return _signin_page(request)


@router.post("/signin")
async def sign_in(
    request: Request,
    session: SessionDep,
    key: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Sign in with an API key: a new session, its id in the browser's cookie. A wrong key
    counts against the address's failed-key limit, as it does on the API (then 429)."""
    check_signin_form(request, csrf)
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    client = request.client.host if request.client else ""
    old = request.cookies.get(SESSION_COOKIE)

    def begin() -> str:
        caller = identify(session, key.strip(), client, limits)
        if old:  # a browser signing in anew leaves its former session behind, ended
            web_sessions.end(session, old)
        return web_sessions.start(session, caller.id)

    try:
        token = await run_in_threadpool(begin)
    except AppError as error:  # an unknown key (401), too many tries (429)
        message = "That key is unknown, expired or revoked." if error.status == 401 else ""
        return _signin_page(
            request,
            status=error.status,
            error=message or error.detail or error.title,
            headers={k: v for k, v in error.headers.items() if k == "Retry-After"},
        )
    response = redirect("/")
    start_session(response, request, token)
    return response


@router.post("/signout")
async def sign_out(
    request: Request, session: SessionDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    """Sign out: the session's row is deleted, the cookie cleared. Works on a session that has
    already ended too (its token still names it), so the button never strands anyone."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        check_csrf(web_sessions.csrf_token(token), csrf)
        await run_in_threadpool(web_sessions.end, session, token)
    response = redirect("/signin")
    clear_cookie(response, request, SESSION_COOKIE)
    return response
