"""Pages out: the templates, the headers every page carries, and the route class that turns an
error into a page (an `AppError` raised under a page is HTML for a person, not problem+json)."""

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app.auth.policy import Permission
from app.core.errors import AppError
from app.core.models import as_utc
from app.core.static import static_url

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def _when(moment: datetime | None) -> str:
    """A stored time as people read it: `2026-12-06 08:54 UTC`; an em dash for none."""
    moment = as_utc(moment)
    return "—" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _json_text(value: Any, **_: Any) -> str:
    """JSON for `| tojson` (which then escapes <, >, & and ' for HTML): dates as ISO text."""
    return orjson.dumps(value, default=str).decode()


templates.env.filters["when"] = _when
templates.env.globals["static_url"] = static_url
templates.env.policies["json.dumps_function"] = _json_text

# Every page: scripts, styles and images from this site only (a page's data rides in a
# `<script type="application/json">` block: never run, so script-src does not apply to it),
# never in a frame of another (clickjacking), forms posted only here; nothing kept by a cache
# (a key's secret, a session's pages).
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The template `name` rendered with `context`, with the headers every page carries; the
    navigation's links follow the signed-in key's role on every page (`me` in the context)."""
    given = context or {}
    me = given.get("me")
    nav = (
        {
            "can_manage_keys": me.may(Permission.MANAGE_KEYS),
            "can_write": me.may(Permission.WRITE),
            "can_manage_webhooks": me.may(Permission.MANAGE_WEBHOOKS),
        }
        if me is not None
        else {}
    )
    return templates.TemplateResponse(
        request,
        name,
        {**nav, **given},
        status_code=status,
        headers={**PAGE_HEADERS, **(headers or {})},
    )


def redirect(path: str) -> RedirectResponse:
    """After a form: see the page at `path` (303, so the browser GETs it)."""
    return RedirectResponse(path, status_code=303, headers={"Cache-Control": "no-store"})


class SignInNeeded(Exception):
    """No live session: the page sends the browser to the sign-in form."""


def error_page(request: Request, status: int, title: str, detail: str, **headers: str) -> Response:
    context = {"title": title, "detail": detail, "status": status}
    return page(request, "error.html", context, status=status, headers=headers)


class PageRoute(APIRoute):
    """A page's route: without a session, to the sign-in form; an `AppError` (a refused CSRF
    token, a role that may not, a key not found) as an HTML page with its status and headers;
    a form that does not parse as 422 page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await handle(request)
            except SignInNeeded:
                return redirect("/signin")
            except AppError as error:
                title = error.title
                return error_page(request, error.status, title, error.detail or "", **error.headers)
            except RequestValidationError as error:
                fields = ", ".join(str(e["loc"][-1]) for e in error.errors())
                return error_page(request, 422, "The form was not filled in", f"check: {fields}")

        return handler
