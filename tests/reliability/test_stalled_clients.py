"""Clients that send a request's headers (or part of them) and then stall must not take the
API down for the others: a real server with the in-flight limit of a 2-core machine (4)."""

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

import pytest

from app.auth.models import Role
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running

SLOTS = "4"  # what CLAIMTRACK_MAX_IN_FLIGHT is by default on a 2-core machine
GETS = 20
PROMISED_S = 1.0  # each authenticated GET answers within a second
BODY_HEAD = (
    b"POST /api/v1/claims HTTP/1.1\r\nHost: claimtrack\r\n"
    b"Content-Type: application/json\r\nContent-Length: 100\r\n"
)


@contextmanager
def _stalled(server: Server, count: int, head: bytes) -> Iterator[list[socket.socket]]:
    """`count` connections that each sent `head` and then nothing more."""
    address = urlsplit(server.base_url)
    with ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(
                socket.create_connection((address.hostname, address.port), timeout=30)
            )
            sock.sendall(head)
            sockets.append(sock)
        time.sleep(0.3)  # the server has read what they sent
        yield sockets


def _answer(sock: socket.socket) -> bytes:
    """The head of the response the server sent on this connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _gets_within_the_promise(server: Server, headers: dict[str, str], claim_id: int) -> None:
    with server.client() as client:
        answers = []
        for _ in range(GETS):
            started = time.monotonic()
            status = client.get(f"/api/v1/claims/{claim_id}", headers=headers).status_code
            answers.append((status, time.monotonic() - started < PROMISED_S))
    assert answers == [(200, True)] * GETS


def _claim(server: Server, db: ScratchDb) -> int:
    with server.client() as client:
        created = client.post("/api/v1/claims", json=claim_body(), headers=db.key(Role.ANALYST))
    assert created.status_code == 201
    claim_id: int = created.json()["id"]
    return claim_id


@pytest.mark.parametrize("stalled", [8, 50])
def test_stalled_bodies_without_a_key_leave_the_api_up(scratch: ScratchDb, stalled: int) -> None:
    reader = scratch.key(Role.READER)
    with running(scratch.url, CLAIMTRACK_MAX_IN_FLIGHT=SLOTS) as server:
        claim_id = _claim(server, scratch)
        with _stalled(server, stalled, BODY_HEAD + b"\r\n") as sockets:
            _gets_within_the_promise(server, reader, claim_id)
            heads = [_answer(sock).split(b"\r\n", 1)[0] for sock in sockets]
        assert heads == [b"HTTP/1.1 401 Unauthorized"] * stalled


def test_stalled_bodies_with_a_key_get_408_and_free_their_slots(scratch: ScratchDb) -> None:
    reader = scratch.key(Role.READER)
    analyst = scratch.key(Role.ANALYST)["Authorization"].encode()
    head = BODY_HEAD + b"Authorization: " + analyst + b"\r\n\r\n"
    env = {"CLAIMTRACK_MAX_IN_FLIGHT": SLOTS, "CLAIMTRACK_BODY_TIMEOUT_S": "0.5"}
    with running(scratch.url, **env) as server:
        claim_id = _claim(server, scratch)
        with _stalled(server, int(SLOTS), head) as sockets:
            answers = [_answer(sock) for sock in sockets]
            _gets_within_the_promise(server, reader, claim_id)
    for answer in answers:
        status, headers = answer.split(b"\r\n", 1)
        assert status == b"HTTP/1.1 408 Request Timeout"
        assert b"content-type: application/problem+json" in headers.lower()
        assert b"connection: close" in headers.lower()


def test_slow_header_senders_do_not_starve_the_others(scratch: ScratchDb) -> None:
    """uvicorn reads a request's headers before the app sees it: a client that never ends
    them holds nothing of the app's."""
    reader = scratch.key(Role.READER)
    with running(scratch.url, CLAIMTRACK_MAX_IN_FLIGHT=SLOTS) as server:
        claim_id = _claim(server, scratch)
        with _stalled(server, 50, BODY_HEAD):  # no blank line: the headers never end
            _gets_within_the_promise(server, reader, claim_id)
