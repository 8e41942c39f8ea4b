"""The README's ten-line receiver, run as written: it verifies what the worker sends."""

import asyncio
import socket
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from sqlmodel import select

from app.core.config import get_settings
from app.webhooks.models import WebhookDelivery
from app.webhooks.worker import Worker
from tests.conftest import ROOT, ClientFactory
from tests.factories import claim_body
from tests.webhooks.receiver import wait_for

MARKER = "<!-- receiver: tests/webhooks/test_readme_receiver.py runs it -->"


def receiver_code() -> str:
    after = (ROOT / "README.md").read_text().split(MARKER, 1)[1]
    return after.split("```python\n", 1)[1].split("```", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_readme_receiver_is_ten_lines() -> None:
    assert len([line for line in receiver_code().splitlines() if line.strip()]) == 10


def test_readme_receiver_verifies_a_delivery(
    make_client: ClientFactory, analyst: dict[str, str], session: Session, tmp_path: Path
) -> None:
    client: TestClient = make_client(webhook_allow_http=True, webhook_allowed_hosts=["127.0.0.1"])
    port = _free_port()
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": f"http://127.0.0.1:{port}/", "event_types": ["claim.created"]},
        headers=analyst,
    ).json()
    script = tmp_path / "receiver.py"
    script.write_text(receiver_code())
    process = subprocess.Popen(  # noqa: S603 - the README's code, run as a reader would
        [sys.executable, str(script), hook["secret"], str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(lambda: _listening(port))
        made = client.post("/api/v1/claims", json=claim_body(), headers=analyst)
        assert made.status_code == 201
        settings = get_settings().model_copy(
            update={"webhook_allow_http": True, "webhook_allowed_hosts": ["127.0.0.1"]}
        )
        worker = Worker(
            session.get_bind(),  # type: ignore[arg-type]
            settings,
            sessions=lambda: nullcontext(session),
        )

        assert asyncio.run(worker.run_once()) == 1
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)

    (attempt,) = session.execute(select(WebhookDelivery)).scalars()
    assert (attempt.status_code, attempt.error) == (204, None)
    assert out == f"claim.created http://127.0.0.1:8000/claims/{made.json()['id']}\n"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
