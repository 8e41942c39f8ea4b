"""/docs and /redoc load every asset from the app itself, so that they render offline."""

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.core import static

# Every src= and href= of a page, quoted either way.
LINKS = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

CSS, PNG, JS = "text/css; charset=utf-8", "image/png", "text/javascript; charset=utf-8"
PAGES = {
    "/docs": {
        "vendor/swagger-ui.css": CSS,
        "vendor/favicon-32x32.png": PNG,
        "docs/swagger-ui.css": CSS,  # ours: colours with enough contrast
        "vendor/swagger-ui-bundle.js": JS,
        "docs/swagger-ui-a11y.js": JS,  # ours: names Swagger UI leaves out
    },
    "/redoc": {"vendor/favicon-32x32.png": PNG, "vendor/redoc.standalone.js": JS},
}
YEAR = "public, max-age=31536000, immutable"


@pytest.fixture
def unbuilt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """As if `make assets` had never run: a static folder without vendor/."""
    empty = tmp_path_factory.mktemp("static")
    static.static_url.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(static, "STATIC_DIR", empty)
        yield
    static.static_url.cache_clear()


def _asset_name(link: str) -> str:
    path, _, version = link.partition("?v=")
    assert path.startswith("/static/"), link
    assert re.fullmatch(r"[0-9a-f]{12}", version), link
    return path.removeprefix("/static/")


@pytest.mark.parametrize("page", PAGES)
def test_page_links_only_assets_the_app_serves(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert re.findall(r"https?://", response.text) == []
    assert response.text.count('<html lang="en">') == 1
    links = LINKS.findall(response.text)
    assert [_asset_name(link) for link in links] == list(PAGES[page])
    for link, (name, content_type) in zip(links, PAGES[page].items(), strict=True):
        asset = client.get(link)
        assert asset.status_code == 200, link
        assert asset.headers["content-type"] == content_type
        assert asset.headers["cache-control"] == (
            YEAR if name.startswith("vendor/") else "no-cache"
        )
        assert asset.headers["x-content-type-options"] == "nosniff"
        digest = hashlib.sha256(asset.content).hexdigest()[:12]
        assert link.endswith(f"?v={digest}")


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_the_apps_openapi_document(client: TestClient, page: str) -> None:
    text = client.get(page).text
    assert text.count("'/openapi.json'" if page == "/docs" else 'spec-url="/openapi.json"') == 1
    assert client.get("/openapi.json").json()["info"]["title"] == "Claimtrack"


@pytest.mark.parametrize("page", PAGES)
def test_page_policy_allows_its_own_host_and_inline_scripts_by_hash(
    client: TestClient, page: str
) -> None:
    response = client.get(page)
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in INLINE_SCRIPT.findall(response.text)
    ]
    assert len(hashes) == (1 if page == "/docs" else 0)
    directives = dict(
        d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == " ".join(["'self'", *hashes])
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_swagger_ui_sends_the_spec_to_no_validator_and_nests_no_link(client: TestClient) -> None:
    text = client.get("/docs").text
    assert text.count('"validatorUrl": null') == 1
    assert text.count('"deepLinking": false') == 1


def test_pages_under_a_root_path_link_below_it(client: TestClient) -> None:
    text = TestClient(client.app, root_path="/claimtrack").get("/docs").text
    links = LINKS.findall(text)
    assert len(links) == 5
    assert all(link.startswith("/claimtrack/static/") for link in links)
    assert text.count("url: '/claimtrack/openapi.json'") == 1


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.usefixtures("unbuilt")
def test_page_without_built_assets_is_503_naming_make_assets(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "assets_not_built"
    assert "run `make assets`" in response.json()["detail"]
