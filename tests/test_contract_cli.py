"""The schemathesis CLI against a running server: every check, 100 examples an operation.

The run uses the database the suite runs on, so that each CI leg runs it once: with
`TEST_DATABASE_URL` set to PostgreSQL, a throw-away `claimtrack_contract_<random>` database on
that server, created and dropped here; otherwise a SQLite file in a temporary folder. A database
it cannot create fails the test, as the rest of the suite does.

The server is `uvicorn app.main:app` on a free port, on a migrated database with the demo data
(so that generated ids find records) and an admin key, which the run sends with every request:
`missing_auth` (an operation that answered only 401/403) fails it, see schemathesis.toml.
The schema is the committed openapi/openapi.json (tests/test_openapi.py keeps it the app's).
Every check runs: schemathesis.toml enables them all but where it says why not, which
`--checks all` would override, so the run leaves it out.

Run it alone: `.venv/bin/pytest -p no:cacheprovider tests/test_contract_cli.py`.
"""

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from schemathesis.checks import CHECKS
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from tests.live import BIN, ROOT, claimtrack, empty_database, free_port

MAX_EXAMPLES = 100
SEED = 20260523
TIMEOUT_S = 900  # the whole schemathesis run; it takes about 2 minutes on a quiet machine


@pytest.fixture
def contract_database(tmp_path: Path) -> Iterator[str]:
    """A new, empty database on the suite's database server; dropped afterwards."""
    with empty_database("contract", tmp_path) as url:
        yield url


def _get(url: str, key: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)  # noqa: S310
    if key is not None:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"uvicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            if _get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"uvicorn did not answer /healthz within 60 s:\n{log.read_text()}")


def _tail(text: str, lines: int = 150) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.slow
def test_running_server_passes_every_schemathesis_check(
    contract_database: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": contract_database,
        "CLAIMTRACK_ENVIRONMENT": "test",
        # A contract run, not a load test: one key makes thousands of requests.
        "CLAIMTRACK_RATE_LIMIT_PER_MINUTE": "0",
        "CLAIMTRACK_AUTH_FAILURES_PER_MINUTE": "0",
    }
    env.pop("CLAIMTRACK_BOOTSTRAP_ADMIN_KEY", None)
    claimtrack(env, "migrate")
    claimtrack(env, "seed")
    key = claimtrack(env, "keys", "create", "schemathesis-cli", "--role", "admin").strip()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "uvicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                *(str(BIN / "uvicorn"), "app.main:app", "--log-level", "warning"),
                *("--host", "127.0.0.1", "--port", str(port)),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(base, server, log)
        status, body = _get(f"{base}/api/v1/keys", key)
        assert status == 200, body
        key_id = next(k["id"] for k in json.loads(body) if k["name"] == "schemathesis-cli")

        run = subprocess.run(  # noqa: S603
            [
                *(str(BIN / "schemathesis"), "--config-file", str(ROOT / "schemathesis.toml")),
                *("run", str(ROOT / "openapi" / "openapi.json"), "--url", base),
                *("--header", f"Authorization: Bearer {key}"),
                *("--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "1"),
                *("--generation-database", "none", "--no-color"),
            ],
            cwd=tmp_path,  # schemathesis keeps a cache of crashes under the working directory
            env={
                **env,
                # The run must not revoke the key it authenticates with: tests/contract_hooks.py.
                "SCHEMATHESIS_HOOKS": str(ROOT / "tests" / "contract_hooks.py"),
                "CLAIMTRACK_CONTRACT_KEY_ID": str(key_id),
            },
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT_S,
            check=False,
        )
        print(run.stdout)  # the report, for `pytest -s`
        assert run.returncode == 0, (
            f"schemathesis exited with {run.returncode}:\n{_tail(run.stdout)}\n{run.stderr}\n"
            f"server log:\n{_tail(log.read_text(errors='replace'), 80)}"
        )
        # Still the same key at the end: the run was authenticated all along.
        assert _get(f"{base}/api/v1/keys", key)[0] == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_config_runs_every_check_but_the_documented_exceptions() -> None:
    config = SchemathesisConfig.from_path(str(ROOT / "schemathesis.toml"))
    schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "openapi.json"), config=config)
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results)
    names = set(CHECKS.get_all_names()) - {"max_response_time"}  # that one needs a limit
    assert len(names) >= 14, names
    off = {
        (op.definition.raw["operationId"], name)
        for op in operations
        for name in names
        if not schema.config.checks_config_for(operation=op).get_by_name(name=name).enabled
    }
    under_a_claim = [op for op in operations if op.path.startswith("/api/v1/claims/{claim_id}")]
    mergeable = [
        op
        for op in operations
        if op.path.startswith(("/api/v1/entities/{", "/api/v1/metrics/{", "/api/v1/publishers/{"))
    ]
    assert off == {
        *((op.definition.raw["operationId"], "use_after_free") for op in under_a_claim),
        ("claims_claimreview", "ensure_resource_availability"),
        *((op.definition.raw["operationId"], "ensure_resource_availability") for op in mergeable),
    }
