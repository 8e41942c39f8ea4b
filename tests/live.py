"""A Claimtrack served for real beside the suite: an empty database on the suite's database
server, the `claimtrack` command run against it, a free port. The browser tests and the
schemathesis run against a live server both use it."""

import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@contextmanager
def empty_database(prefix: str, folder: Path) -> Iterator[str]:
    """A new, empty database on the suite's server (a file in `folder` on SQLite); dropped after."""
    suite_url = os.environ.get("TEST_DATABASE_URL", "")
    if not suite_url.startswith("postgresql"):
        yield f"sqlite:///{folder / f'{prefix}.db'}"
        return
    name = f"claimtrack_{prefix}_{secrets.token_hex(4)}"
    server = create_engine(suite_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(suite_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def claimtrack(env: dict[str, str], *args: str) -> str:
    """Run the `claimtrack` command; its output, or a failed test naming what it printed."""
    done = subprocess.run(  # noqa: S603
        [str(BIN / "claimtrack"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"claimtrack {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
