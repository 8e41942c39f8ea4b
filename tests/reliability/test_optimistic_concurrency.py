"""Two edits sent at the same moment with the same ETag: exactly one wins, the other gets 412.

Every edit that takes If-Match is raced: PATCH of claims, sources and indicators, assigning a
flag (200 trials each), and the one-shot edits, retracting a claim and resolving a flag (fresh
records, fewer trials). Both racers are released by one barrier against a real server, so on
PostgreSQL their transactions overlap; on SQLite writers queue for the write lock, and the
loser must still be a 412 (not a 409, a 503 or a 500). After the trials the record's version
is its first one plus the number of wins: no win was lost, none counted twice.
"""

import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest

from app.auth.models import Role
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running

TRIALS = 200
ONE_SHOT_TRIALS = 25
Body = Callable[[int, int], Any]


def version_of(etag: str) -> int:
    match = re.search(r"-v(\d+)", etag)
    assert match, etag
    return int(match[1])


@dataclass
class Race:
    """What each trial sent back: both statuses, problem codes, and the winner's new ETag."""

    statuses: list[tuple[int, int]]
    codes: Counter[str]
    etag: str


def race(
    server: Server,
    headers: dict[str, str],
    method: str,
    urls: list[str],
    etags: list[str],
    body: Body,
) -> Race:
    """Trial i sends `method urls[i]` twice at once with If-Match etags[i] (None: the ETag the
    previous trial's winner got back)."""
    trials = len(urls)
    go = threading.Barrier(3, timeout=60)
    done = threading.Barrier(3, timeout=60)
    current = [etags[0]]
    answers: list[list[tuple[int, str | None, str | None]]] = [[], []]

    def racer(who: int) -> None:
        with server.client() as client:
            for i in range(trials):
                go.wait()
                response = client.request(
                    method,
                    urls[i],
                    json=body(i, who),
                    headers={**headers, "If-Match": current[0]},
                )
                problem = response.json().get("code") if response.status_code >= 400 else None
                answers[who].append((response.status_code, response.headers.get("ETag"), problem))
                done.wait()

    threads = [threading.Thread(target=racer, args=(who,)) for who in (0, 1)]
    for t in threads:
        t.start()
    for i in range(trials):
        go.wait()
        done.wait()
        won = [str(answers[who][i][1]) for who in (0, 1) if answers[who][i][0] == 200]
        if i + 1 < trials and len(etags) > 1:
            current[0] = etags[i + 1]
        elif won:
            current[0] = won[0]
    for t in threads:
        t.join()
    statuses = [
        (min(a[0], b[0]), max(a[0], b[0])) for a, b in zip(answers[0], answers[1], strict=True)
    ]
    codes = Counter(str(a[2]) for who in (0, 1) for a in answers[who] if a[2] is not None)
    return Race(statuses, codes, current[0])


def _exactly_one_wins(result: Race, trials: int) -> None:
    assert Counter(result.statuses) == {(200, 412): trials}
    assert result.codes == {"precondition_failed": trials}


@pytest.fixture
def server(scratch: ScratchDb) -> Any:
    with running(scratch.url) as server:
        yield server


def _post(server: Server, headers: dict[str, str], url: str, body: Any) -> Any:
    with server.client() as client:
        response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


@dataclass
class Pair:
    a: int
    b: int
    flag: int
    flag_etag: str
    a_etag: str


def _conflicts(server: Server, headers: dict[str, str], n: int, prefix: str) -> list[Pair]:
    """`n` pairs of claims that cannot both hold, each pair with its open conflict flag."""
    rows = [
        claim_body(
            entity=f"{prefix}-{i}",
            metric="trade turnover",
            kind="actual",
            period="2025",
            citations=[],
            value_text=value,
        )
        for i in range(n)
        for value in ("$45 billion", "$40 billion")
    ]
    items = _post(server, headers, "/api/v1/claims:bulk", rows).json()["items"]
    pairs = []
    with server.client() as client:
        for a, b in zip(items[::2], items[1::2], strict=True):
            (flag,) = [f for f in b["flags"] if f["kind"] == "conflict"]
            tag = client.get(f"/api/v1/flags/{flag['id']}", headers=headers).headers["ETag"]
            claim_tag = client.get(f"/api/v1/claims/{a['id']}", headers=headers).headers["ETag"]
            pairs.append(Pair(a["id"], b["id"], flag["id"], tag, claim_tag))
    return pairs


@pytest.mark.slow
def test_racing_edits_with_one_etag_one_wins_every_time(scratch: ScratchDb, server: Server) -> None:
    admin_id, admin = scratch.new_key(Role.ADMIN)
    claim = _post(server, admin, "/api/v1/claims", claim_body(citations=[]))
    source = _post(
        server, admin, "/api/v1/sources", {"url": "https://example.org/race", "title": "t"}
    )
    indicator = _post(
        server,
        admin,
        "/api/v1/indicators",
        {"name": "Race", "entity": "KTZ", "metric": "cargo", "unit": "t"},
    )
    (pair,) = _conflicts(server, admin, 1, "assign")
    flag_id, flag_etag = pair.flag, pair.flag_etag
    editable = [
        (
            "PATCH",
            f"/api/v1/claims/{claim.json()['id']}",
            claim,
            lambda i, w: {"statement": f"{i}{w}"},
        ),
        (
            "PATCH",
            f"/api/v1/sources/{source.json()['id']}",
            source,
            lambda i, w: {"title": f"{i}{w}"},
        ),
        (
            "PATCH",
            f"/api/v1/indicators/{indicator.json()['id']}",
            indicator,
            lambda i, w: {"description": f"{i}{w}"},
        ),
    ]
    for method, url, created, body in editable:
        first = created.headers["ETag"]
        result = race(server, admin, method, [url] * TRIALS, [first], body)
        _exactly_one_wins(result, TRIALS)
        with server.client() as client:
            now = client.get(url, headers=admin).headers["ETag"]
        assert version_of(now) == version_of(first) + TRIALS, url
    url = f"/api/v1/flags/{flag_id}/assign"
    result = race(
        server,
        admin,
        "POST",
        [url] * TRIALS,
        [flag_etag],
        lambda i, w: {"assignee_id": admin_id if i % 2 == 0 else None},
    )
    _exactly_one_wins(result, TRIALS)
    assert version_of(result.etag) == version_of(flag_etag) + TRIALS


@pytest.mark.slow
def test_racing_retractions_and_resolutions_one_wins_every_time(
    scratch: ScratchDb, server: Server
) -> None:
    admin = scratch.key(Role.ADMIN)
    rows = [claim_body(entity=f"r-{i}", citations=[]) for i in range(ONE_SHOT_TRIALS)]
    claims = _post(server, admin, "/api/v1/claims:bulk", rows).json()["items"]
    result = race(
        server,
        admin,
        "DELETE",
        [f"/api/v1/claims/{c['id']}" for c in claims],
        [f'"claim-{c["id"]}-v{c["version"]}"' for c in claims],
        lambda i, w: None,
    )
    _exactly_one_wins(result, ONE_SHOT_TRIALS)
    pairs = _conflicts(server, admin, ONE_SHOT_TRIALS, "resolve")
    result = race(
        server,
        admin,
        "POST",
        [f"/api/v1/flags/{p.flag}/resolve" for p in pairs],
        [p.flag_etag for p in pairs],
        lambda i, w: {"resolution": "dismissed", "reason": f"racer {w}"},
    )
    _exactly_one_wins(result, ONE_SHOT_TRIALS)


def _together(*calls: Callable[[], int]) -> list[int]:
    """Run the calls at the same moment; their statuses."""
    barrier = threading.Barrier(len(calls), timeout=60)
    out = [0] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _etag(server: Server, headers: dict[str, str], url: str) -> str:
    with server.client() as client:
        return str(client.get(url, headers=headers).headers["ETag"])


def _rank_while_editing(server: Server, admin: dict[str, str], pair: Pair) -> None:
    claim_url = f"/api/v1/claims/{pair.a}"
    ranking = {"resolution": "ranked", "preferred": [{"claim_id": pair.a, "reason": "official"}]}
    with server.client() as one, server.client() as other:
        statuses = _together(
            partial(
                _status,
                one,
                "PATCH",
                claim_url,
                {"statement": "edited"},
                {**admin, "If-Match": pair.a_etag},
            ),
            partial(
                _status,
                other,
                "POST",
                f"/api/v1/flags/{pair.flag}/resolve",
                ranking,
                {**admin, "If-Match": pair.flag_etag},
            ),
        )
        tag = one.get(claim_url, headers=admin).headers["ETag"]
    # The ranking always goes through, and is a new version of the claim: the edit only if first.
    assert statuses in ([200, 200], [412, 200])
    edited = statuses[0] == 200
    assert version_of(tag) == version_of(pair.a_etag) + 1 + edited


def _clear_while_assigning(
    server: Server, admin_id: int, admin: dict[str, str], pair: Pair
) -> None:
    flag_url = f"/api/v1/flags/{pair.flag}"
    with server.client() as one, server.client() as other:
        statuses = _together(
            partial(
                _status,
                one,
                "PATCH",
                f"/api/v1/claims/{pair.b}",
                {"value_text": "$45 billion"},
                {**admin, "If-Match": "*"},
            ),
            partial(
                _status,
                other,
                "POST",
                f"{flag_url}/assign",
                {"assignee_id": admin_id},
                {**admin, "If-Match": pair.flag_etag},
            ),
        )
        flag = one.get(flag_url, headers=admin)
    # The correction always goes through (and clears the flag); the assignment only if first.
    assert statuses in ([200, 200], [200, 412])
    assert flag.json()["status"] == "resolved"
    assigned = statuses[1] == 200
    assert version_of(flag.headers["ETag"]) == version_of(pair.flag_etag) + 1 + assigned


def _status(client: Any, method: str, url: str, body: Any, headers: dict[str, str]) -> int:
    return int(client.request(method, url, json=body, headers=headers).status_code)


@pytest.mark.slow
def test_versions_the_service_takes_by_itself_are_never_reused(
    scratch: ScratchDb, server: Server
) -> None:
    """A rank set by resolving a flag, and a flag cleared by a claim's correction, are new
    versions taken in the database: racing an edit of the same record never yields two states
    under one version number (which would let a stale If-Match through)."""
    admin_id, admin = scratch.new_key(Role.ADMIN)
    for pair in _conflicts(server, admin, ONE_SHOT_TRIALS, "rank"):
        _rank_while_editing(server, admin, pair)
    for pair in _conflicts(server, admin, ONE_SHOT_TRIALS, "clear"):
        _clear_while_assigning(server, admin_id, admin, pair)
