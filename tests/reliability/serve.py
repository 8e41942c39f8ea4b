"""A server zygote: imports the app once, then forks one uvicorn server per line it reads.

Each line on stdin is `{"url": ..., "env": {...}}`; the answer on stdout is `{"pid", "port"}`.
A child is a real server process on its own port; it dies with the zygote, and the zygote ends
when its stdin closes. Starting a server this way takes milliseconds instead of the second or
two that importing the app costs.
"""

import ctypes
import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import configure_mappers

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _serve(sock: socket.socket, spec: dict[str, Any]) -> None:
    import uvicorn

    from app.core.config import get_settings
    from app.core.db import get_engine, get_side_engine
    from app.main import create_app

    os.environ.update(spec["env"])
    os.environ["DATABASE_URL"] = spec["url"]
    os.environ["CLAIMTRACK_ENVIRONMENT"] = "test"
    # These tests race a handful of keys hundreds of times: no rate limit, no in-flight limit.
    os.environ.setdefault("CLAIMTRACK_RATE_LIMIT_PER_MINUTE", "0")
    os.environ.setdefault("CLAIMTRACK_AUTH_FAILURES_PER_MINUTE", "0")
    # The zygote imported the app with other settings; this server has its own.
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_side_engine.cache_clear()
    config = uvicorn.Config(
        create_app(), log_level="warning", access_log=False, timeout_graceful_shutdown=1
    )
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    import uvicorn
    import uvicorn.protocols.http.h11_impl
    import uvicorn.protocols.http.httptools_impl  # noqa: F401

    import app.main
    import app.tables  # noqa: F401

    # Load both dialects (and psycopg) and set up the ORM mappers now, not on each server's
    # first request.
    for url in ("postgresql+psycopg://", "sqlite://"):
        create_engine(url).dispose()
    configure_mappers()

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    for line in sys.stdin:
        spec = json.loads(line)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        pid = os.fork()
        if pid == 0:
            try:
                _die_with_parent()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.dup2(2, 1)  # stdout belongs to the zygote's answers
                _serve(sock, spec)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(0)
        sock.close()
        print(json.dumps({"pid": pid, "port": port}), flush=True)


if __name__ == "__main__":
    main()
