"""Absolute links on CLAIMTRACK_PUBLIC_URL, whatever the Host header says; the Host header
checked against CLAIMTRACK_TRUSTED_HOSTS."""

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.auth.models import Role
from app.core.config import Settings
from tests.conftest import ClientFactory, KeyFactory
from tests.factories import claim_body

EVIL = {"Host": "evil.example"}


def _two_sources(client: TestClient, analyst: dict[str, str]) -> None:
    for n in (1, 2):
        body = {"title": f"Bureau {n}", "url": f"https://stat.example/{n}"}
        assert client.post("/api/v1/sources", json=body, headers=analyst).status_code == 201


def test_next_link_is_on_the_public_url_whatever_the_host(
    make_client: ClientFactory, analyst: dict[str, str]
) -> None:
    client = make_client(public_url="https://claims.example.org/ct")
    _two_sources(client, analyst)
    page = client.get("/api/v1/sources?limit=1", headers={**analyst, **EVIL}).json()
    assert page["next"].startswith("https://claims.example.org/ct/api/v1/sources?limit=1&cursor=")
    following = client.get(
        page["next"].removeprefix("https://claims.example.org/ct"), headers=analyst
    )
    assert [s["title"] for s in following.json()["items"]] == ["Bureau 2"]


def test_without_a_public_url_links_are_the_requests_own(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # For development only: the link follows the Host header, whatever it says.
    _two_sources(client, analyst)
    page = client.get("/api/v1/sources?limit=1", headers={**analyst, **EVIL}).json()
    assert page["next"].startswith("http://evil.example/api/v1/sources?limit=1&cursor=")


def test_claimreview_url_is_on_the_public_url(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(public_url="https://claims.example.org/")
    claim = client.post("/api/v1/claims", json=claim_body(), headers=analyst).json()
    url = f"/api/v1/claims/{claim['id']}"
    review = client.post(
        f"{url}/reviews", json={"verdict": "accurate"}, headers=auth(Role.REVIEWER)
    )
    assert review.status_code == 201, review.text
    ld = client.get(f"{url}/claimreview", headers={**analyst, **EVIL}).json()
    assert ld["url"] == f"https://claims.example.org/fact-checks/{claim['id']}"


def test_a_host_not_trusted_is_400_naming_host(
    make_client: ClientFactory, analyst: dict[str, str]
) -> None:
    client = make_client(trusted_hosts=["claims.example.org", "*.internal.example"])
    refused = client.get("/healthz", headers=EVIL)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "untrusted_host"
    assert refused.json()["field"] == "Host"
    assert client.get("/api/v1/claims", headers={**analyst, **EVIL}).status_code == 400
    served = {"Host": "claims.example.org"}
    assert client.get("/api/v1/claims", headers={**analyst, **served}).status_code == 200
    assert client.get("/healthz", headers={"Host": "api.internal.example:8000"}).status_code == 200


def test_any_host_by_default(client: TestClient) -> None:
    assert Settings().trusted_hosts == ["*"]
    assert client.get("/healthz", headers=EVIL).status_code == 200


def test_trusted_hosts_read_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMTRACK_TRUSTED_HOSTS", "claims.example.org, *.internal.example")
    assert Settings().trusted_hosts == ["claims.example.org", "*.internal.example"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://claims.example.org/", "https://claims.example.org"),
        ("http://127.0.0.1:8000/ct/", "http://127.0.0.1:8000/ct"),
    ],
)
def test_public_url_is_kept_without_its_trailing_slash(given: str, kept: str) -> None:
    assert Settings(public_url=given).public_url == kept


@pytest.mark.parametrize(
    "given", ["claims.example.org", "ftp://claims.example.org", "https://x.example/?a=1", "/ct"]
)
def test_public_url_must_be_an_absolute_http_base(given: str) -> None:
    with pytest.raises(ValidationError, match="public_url"):
        Settings(public_url=given)


def test_production_refuses_to_start_without_a_public_url() -> None:
    secret = "s" * 40
    with pytest.raises(ValidationError, match="CLAIMTRACK_PUBLIC_URL must be set in production"):
        Settings(environment="production", secret_key=secret)
    settings = Settings(
        environment="production", secret_key=secret, public_url="https://claims.example.org"
    )
    assert settings.public_url == "https://claims.example.org"
