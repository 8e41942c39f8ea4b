"""The `claimtrack` command on a fresh SQLite file: migrate, seed once, refuse a second seed."""

import os
import subprocess
import sys
from pathlib import Path

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
