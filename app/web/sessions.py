"""The browser's side of a session: its cookies, the signed-in page's dependency, the roles a
page asks for, and the CSRF checks on every form.

Two cookies, both HttpOnly and SameSite=Lax, and Secure when the site is served over TLS (the
request came in as https: uvicorn takes X-Forwarded-Proto from the proxies it trusts,
`--forwarded-allow-ips` / `FORWARDED_ALLOW_IPS`; or `CLAIMTRACK_PUBLIC_URL` is https):

- `claimtrack_session`: the session's random id (`auth.web_sessions`);
- `claimtrack_signin`: a random value given with the sign-in form, whose HMAC the form carries
  back, so that another site cannot sign a browser in with the other site's key (login CSRF).

A form of a signed-in page carries the session's CSRF token (`web_sessions.csrf_token`); a POST
without the right one is refused with 403 before it does anything."""

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.auth import web_sessions
from app.auth.models import Caller
from app.auth.policy import Permission, allows
from app.core.config import get_settings
from app.core.errors import AppError, Forbidden
from app.core.observe import note_key
from app.core.sessions import SessionDep
from app.web.render import SignInNeeded

SESSION_COOKIE = "claimtrack_session"
SIGNIN_COOKIE = "claimtrack_signin"
SIGNIN_COOKIE_SECONDS = 3600  # a sign-in form older than this asks to be loaded again


class CsrfRefused(AppError):
    status = 403
    code = "csrf_refused"
    title = "This form cannot be accepted"


STALE_FORM = (
    "The form was not sent from this site's page, or the page is too old. "
    "Go back, reload the page, and send the form again."
)


@dataclass(frozen=True)
class SignedInPage:
    """A request with a live session: the key behind it, the session's browser id, and the
    CSRF token its forms carry."""

    key: Caller
    token: str
    csrf: str

    def may(self, permission: Permission) -> bool:
        return allows(self.key.role, permission)


def secure(request: Request) -> bool:
    """Whether the browser reached the site over TLS, so its cookies must say Secure."""
    public: str = getattr(request.app.state, "public_url", None) or ""
    return request.url.scheme == "https" or public.startswith("https:")


def set_cookie(response: Response, request: Request, name: str, value: str, seconds: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=secure(request))


def start_session(response: Response, request: Request, token: str) -> None:
    """Hand the browser its new session (and drop the sign-in form's cookie)."""
    seconds = int(get_settings().session_max_days * 86400)
    set_cookie(response, request, SESSION_COOKIE, token, seconds)
    clear_cookie(response, request, SIGNIN_COOKIE)


async def signed_in(request: Request, session: SessionDep) -> SignedInPage:
    """The session this browser holds, with its key; SignInNeeded (to the sign-in form) when it
    holds none that is live."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded
    found = await run_in_threadpool(web_sessions.find, session, token)
    if found is None:
        raise SignInNeeded
    note_key(found.key.id, found.key.prefix)  # the access log names the key, as for the API
    return SignedInPage(found.key, token, web_sessions.csrf_token(token))


SignedIn = Annotated[SignedInPage, Depends(signed_in)]


def check_csrf(expected: str, sent: str) -> None:
    if not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRefused(STALE_FORM)


async def posted(page: SignedIn, csrf: Annotated[str, Form()] = "") -> SignedInPage:
    """A signed-in form post carrying its session's CSRF token (403 without it)."""
    check_csrf(page.csrf, csrf)
    return page


Posted = Annotated[SignedInPage, Depends(posted)]


def require(permission: Permission) -> Callable[..., Awaitable[SignedInPage]]:
    """A page for the roles that have this permission (`auth.policy`); 403 for the others."""

    async def check(page: SignedIn) -> SignedInPage:
        if not page.may(permission):
            raise Forbidden(f"this page is for keys that may {permission.value}")
        return page

    return check


def require_post(permission: Permission) -> Callable[..., Awaitable[SignedInPage]]:
    """A form post of a role that has this permission, with its CSRF token."""

    async def check(page: Posted) -> SignedInPage:
        if not page.may(permission):
            raise Forbidden(f"only keys that may {permission.value} can send this form")
        return page

    return check


def signin_form_token(request: Request, response_cookies: dict[str, str]) -> str:
    """The sign-in form's token: the HMAC of the browser's `claimtrack_signin` value, made here
    when it has none (put in `response_cookies` for the page to set)."""
    value = request.cookies.get(SIGNIN_COOKIE)
    if not value or len(value) > 128:
        value = secrets.token_urlsafe(32)
        response_cookies[SIGNIN_COOKIE] = value
    return web_sessions.keyed_digest("signin", value)


def check_signin_form(request: Request, sent: str) -> None:
    """The sign-in form was this site's, sent by the browser it was given to (403 if not)."""
    value = request.cookies.get(SIGNIN_COOKIE)
    if not value:
        raise CsrfRefused(STALE_FORM)
    check_csrf(web_sessions.keyed_digest("signin", value), sent)
