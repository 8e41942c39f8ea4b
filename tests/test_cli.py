"""The `claimtrack` command on a fresh SQLite file: migrate, seed once, refuse a second seed."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from app import cli
from app.core.config import get_settings
from app.demo.data import CLAIMS


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_seed_loads_the_demo_once(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run(db, "migrate").returncode == 0
    first = run(db, "seed")
    assert first.returncode == 0, first.stderr
    assert f"loaded {len(CLAIMS)} demo claims" in first.stdout
    second = run(db, "seed")
    assert second.returncode == 1
    assert "already has claims" in second.stdout


def test_serve_leaves_logging_and_the_access_log_to_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))
    monkeypatch.setattr(cli, "_first_start", lambda: None)
    result = CliRunner().invoke(cli.cli, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls == [
        (
            ("app.main:app",),
            {
                "host": get_settings().host,
                "port": 8123,
                "workers": 1,
                "log_level": "info",
                "log_config": None,
                "access_log": False,
            },
        )
    ]
