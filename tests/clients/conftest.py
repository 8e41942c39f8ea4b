"""The Python client generated from the committed OpenAPI document, once per run, and a way
for it to reach the app under test on the test database (rolled back after each test)."""

import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "openapi.json"
CONFIG = ROOT / "clients" / "python.yaml"
PACKAGE = "claimtrack_client"


def generate(out: Path) -> subprocess.CompletedProcess[str]:
    """openapi-python-client on the committed document (the lock pins its version)."""
    bin_dir = Path(sys.executable).parent
    return subprocess.run(  # noqa: S603 (our own tool on our own file)
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(out / PACKAGE),
        ],
        capture_output=True,
        text=True,
        # Its ruff post-hooks run from this environment's ruff.
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("client")
    done = generate(out)
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "warning" not in said.lower(), said  # every operation and model generated
    sys.path.insert(0, str(out))
    return importlib.import_module(PACKAGE)


def part(generated: ModuleType, name: str) -> Any:
    """A module of the generated package: `part(generated, "api.claims.claims_create")`."""
    return importlib.import_module(f"{generated.__name__}.{name}")


class ToTestClient(httpx.BaseTransport):
    """The generated client's requests, through the suite's TestClient (its own HTTP package)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.client.request(
            request.method,
            str(request.url),
            headers=request.headers.multi_items(),
            content=request.read(),
        )
        return httpx.Response(
            answer.status_code,
            headers=answer.headers.multi_items(),
            content=answer.content,
            request=request,
        )


ApiFactory = Callable[[dict[str, str]], Any]


@pytest.fixture
def api(generated: ModuleType, client: TestClient) -> ApiFactory:
    """A factory: `api(headers)` is the generated AuthenticatedClient with that key."""

    def make(headers: dict[str, str]) -> Any:
        token = headers["Authorization"].removeprefix("Bearer ")
        return generated.AuthenticatedClient(
            base_url=str(client.base_url),
            token=token,
            httpx_args={"transport": ToTestClient(client)},
        )

    return make
