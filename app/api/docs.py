"""/docs and /redoc: Swagger UI and ReDoc from the app's own copies of their packages
(`make assets`), never from a CDN, so that they render with the network cut. A
Content-Security-Policy holds each page to its own host: a script, style, font or image from
anywhere else is refused by the browser, not only left out of the HTML."""

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from app.core.static import static_url

router = APIRouter(include_in_schema=False)

TITLE = "Claimtrack API"
FAVICON = "vendor/favicon-32x32.png"
# Swagger UI would otherwise send the spec's address to a validator on another host and show
# its badge. Without deep links an operation's summary holds no link inside its button (axe:
# nested-interactive); the address does not follow the operation opened.
SWAGGER_PARAMETERS = {"validatorUrl": None, "deepLinking": False}
# Our colours over Swagger UI's, where its own fall short of WCAG AA contrast; the names and
# keyboard access it leaves out of an operation opened and tried out.
SWAGGER_CONTRAST = "docs/swagger-ui.css"
SWAGGER_A11Y = "docs/swagger-ui-a11y.js"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _policy(html: str) -> str:
    """Own host only; an inline script runs only when its hash is listed. Styles may be inline:
    both UIs set them from their scripts."""
    scripts = ["'self'"] + [
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in INLINE_SCRIPT.findall(html)
    ]
    return (
        f"default-src 'self'; script-src {' '.join(scripts)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def _page(
    generated: HTMLResponse, *, css: str | None = None, script: str | None = None
) -> HTMLResponse:
    # FastAPI's pages name no language: screen readers need it (axe: html-has-lang).
    html = bytes(generated.body).decode().replace("<html>", '<html lang="en">', 1)
    if css is not None:
        html = html.replace(
            "</head>", f'<link type="text/css" rel="stylesheet" href="{css}">\n</head>', 1
        )
    if script is not None:
        html = html.replace("</body>", f'<script src="{script}"></script>\n</body>', 1)
    return HTMLResponse(html, headers={"Content-Security-Policy": _policy(html)})


def _urls(request: Request) -> tuple[str, str]:
    """The root path the app is mounted under, and the OpenAPI document's address."""
    root = request.scope.get("root_path", "").rstrip("/")
    return root, root + str(request.app.openapi_url)


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """The API in Swagger UI: every operation, and a form to try each."""
    root, openapi_url = _urls(request)
    return _page(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=TITLE,
            swagger_js_url=root + static_url("vendor/swagger-ui-bundle.js"),
            swagger_css_url=root + static_url("vendor/swagger-ui.css"),
            swagger_favicon_url=root + static_url(FAVICON),
            swagger_ui_parameters=SWAGGER_PARAMETERS,
        ),
        css=root + static_url(SWAGGER_CONTRAST),
        script=root + static_url(SWAGGER_A11Y),
    )


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """The API in ReDoc: one page to read."""
    root, openapi_url = _urls(request)
    return _page(
        get_redoc_html(
            openapi_url=openapi_url,
            title=TITLE,
            redoc_js_url=root + static_url("vendor/redoc.standalone.js"),
            redoc_favicon_url=root + static_url(FAVICON),
            with_google_fonts=False,
        )
    )
