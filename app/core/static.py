"""The files under /static: the pages' own, and in vendor/ the front-end packages that
`make assets` copies from web/ (pinned in its lock file), so that no page loads anything
from another host.

A vendored file is cached for a year: its address carries a hash of its content
(`static_url`), so a new version of a package is a new address."""

import hashlib
from dataclasses import dataclass
from functools import cache
from os import PathLike, stat_result
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from app.core.errors import AppError

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
STATIC_PATH = "/static"
VENDOR_CACHE = "public, max-age=31536000, immutable"
# The pages' own files change with the code: the browser asks again (the ETag answers 304).
OWN_CACHE = "no-cache"


class AssetsNotBuilt(AppError):
    """A vendored file a page links to is not there: `make assets` has not run."""

    status = 503
    code = "assets_not_built"
    title = "The front-end assets are not built"


@cache
def static_url(name: str) -> str:
    """The address of a file under app/static/ (`vendor/d3.min.js`), with a hash of its
    content for the browser's cache."""
    try:
        content = (STATIC_DIR / name).read_bytes()
    except FileNotFoundError:
        raise AssetsNotBuilt(f"app/static/{name} is missing: run `make assets`") from None
    return f"{STATIC_PATH}/{name}?v={hashlib.sha256(content).hexdigest()[:12]}"


@dataclass(frozen=True)
class _Route:
    """The route the access log and the metrics name a static file's request by: one for all
    the files, as a route with a path parameter is one."""

    path: str = STATIC_PATH


class StaticAssets(StaticFiles):
    """StaticFiles with the cache headers above. The folder may be missing (an API-only
    install that never ran `make assets`): its files then answer 404."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC_DIR, check_dir=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = _Route()
        await super().__call__(scope, receive, send)

    def file_response(
        self,
        full_path: str | PathLike[str],
        stat_result: stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        vendored = Path(full_path).resolve().is_relative_to(VENDOR_DIR)
        response.headers["Cache-Control"] = VENDOR_CACHE if vendored else OWN_CACHE
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
