"""The absolute URLs the service writes (page links, ClaimReview urls): on
`CLAIMTRACK_PUBLIC_URL` when it is set, else on the request's scheme and `Host`.

The request's own are for development: a client chooses its `Host` header, and a link built
from it points wherever the client likes (`Host: evil.example` gave `http://evil.example/...`).
"""

from starlette.datastructures import URL
from starlette.requests import Request


def _public(request: Request) -> str | None:
    public: str | None = getattr(request.app.state, "public_url", None)
    return public


def base_url(request: Request) -> str:
    """The service's base URL, without a trailing slash."""
    public = _public(request)
    return public if public is not None else str(request.base_url).rstrip("/")


def request_url(request: Request) -> URL:
    """The URL of this request, query included, as the service's own."""
    public = _public(request)
    if public is None:
        return request.url
    path = request.url.path.removeprefix(request.base_url.path.rstrip("/"))
    return URL(public + path).replace(query=request.url.query)
