"""A request body in a media type its operation does not take is a 415 naming `Content-Type`,
not a 422 about a body the route never got to read. The types taken are the operation's: JSON
for a route with a model body, the listed ones for a route that reads its body raw (CSV too)."""

from fastapi import Request, params
from fastapi.routing import APIRoute

from app.core.errors import AppError

JSON = "application/json"
FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})  # the pages' forms


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


def accepted_types(route: APIRoute) -> frozenset[str] | None:
    """The media types of the route's request body; None when it takes no body."""
    extra = (route.openapi_extra or {}).get("requestBody", {}).get("content")
    if extra:
        return frozenset(extra)
    if route.body_field is None:
        return None
    return FORMS if isinstance(route.body_field.field_info, params.Form) else frozenset({JSON})


_KEPT = "_claimtrack_media"  # on the route: routes compare by value, so no dict can key them


def _accepted(route: APIRoute) -> frozenset[str] | None:
    if not hasattr(route, _KEPT):
        setattr(route, _KEPT, accepted_types(route))
    found: frozenset[str] | None = getattr(route, _KEPT)
    return found


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length.strip() != "0") or (
        "transfer-encoding" in request.headers
    )


async def known_media_type(request: Request) -> None:
    """Refuse a body whose Content-Type the route does not take (`+json` types count as JSON)."""
    route = request.scope.get("route")
    if request.method in ("GET", "HEAD") or not isinstance(route, APIRoute):
        return
    accepted = _accepted(route)
    if accepted is None or not _has_body(request):
        return
    given = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if given in accepted or (
        JSON in accepted and given.startswith("application/") and given.endswith("+json")
    ):
        return
    takes = " or ".join(sorted(accepted))
    raise UnsupportedMediaType(
        f"send the body as {takes}, not {given or 'without a Content-Type'}",
        field="Content-Type",
    )
