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
from app.flows import notify


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
    host = get_settings().host
    monkeypatch.setenv("CLAIMTRACK_HOST", host)  # serve sets them: put them back after
    monkeypatch.setenv("CLAIMTRACK_PORT", str(get_settings().port))
    result = CliRunner().invoke(cli.cli, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    # Each address on a line of its own, whole (it was wrapped at 80 columns).
    assert f"API docs:    http://{host}:8123/docs" in result.output.splitlines()
    assert calls == [
        (
            ("app.main:app",),
            {
                "host": host,
                "port": 8123,
                "workers": 1,
                "log_level": "info",
                "log_config": None,
                "access_log": False,
            },
        )
    ]
    # The links it writes without a public URL (webhook payloads) name the port it serves on.
    assert (get_settings().port, notify.base_url()) == (8123, f"http://{host}:8123")
    monkeypatch.undo()
    get_settings.cache_clear()


def test_an_upgrade_across_the_reading_rules_reads_the_stored_claims_again(
    tmp_path: Path,
) -> None:
    """A database upgraded across the revision that ships the reading rules has its claims
    read again: one stored under older rules changes, with its event; a new one does not."""
    import sqlite3

    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    db = tmp_path / "old.db"
    assert run(db, "migrate").returncode == 0
    assert run(db, "seed").returncode == 0
    config = Config(str(cli.ROOT / "alembic.ini"))
    below = ScriptDirectory.from_config(config).get_revision(cli.READING_RULES_REVISION)
    assert below is not None and isinstance(below.down_revision, str)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    get_settings.cache_clear()
    try:
        command.downgrade(config, below.down_revision)
    finally:
        del os.environ["DATABASE_URL"]
        get_settings.cache_clear()
    with sqlite3.connect(db) as conn:  # as older rules read "$10 billion": a wrong number
        conn.execute("UPDATE claims SET value = 1000 WHERE id = 1")
    upgraded = run(db, "migrate")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"read {len(CLAIMS)} claims again: 1 changed, 0 refused" in upgraded.stdout
    with sqlite3.connect(db) as conn:
        value, version = conn.execute("SELECT value, version FROM claims WHERE id = 1").fetchone()
        actions = [
            action
            for (action,) in conn.execute(
                "SELECT action FROM events WHERE record_type = 'claim' AND record_id = 1"
            )
        ]
    assert (str(value), version) == ("10000000000", 2)
    assert actions.count("claim.reread") == 1
    again = run(db, "migrate")
    assert "reading the stored claims again" not in again.stdout
