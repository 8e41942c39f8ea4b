"""Webhook delivery on PostgreSQL: latency from commit to receipt, and throughput, with one and
with two `claimtrack worker` processes.

    .venv/bin/python -m bench.webhooks [--events 1000] [--workers 1,2]

For each number of workers, on a fresh PostgreSQL database (created here, dropped after): one
uvicorn process serving the API with its own delivery worker off, a subscription to
`claim.created` pointed at a receiver on 127.0.0.1 (allow-listed, plain http allowed) that
verifies each delivery with the `standardwebhooks` library (`bench/webhook_receiver.py`), then

0. the workers started (each said so) and a first event delivered, out of the figures;
1. **latency**: `--events` claims created one at a time through
   `POST /api/v1/claims`; each event's latency runs from the moment its create's response
   arrived (the request's transaction commits before the response is sent) to the receiver's
   receipt; p50, p99 and max;
2. **throughput**: `--events` claims created in one `POST /api/v1/claims:bulk` (their events
   queued by one commit): events received per second from that commit (the response) to the
   last receipt; `--repeats` times (3), the median kept;
3. **exactly once**: every event queued for the subscription (read from the outbox) received
   exactly once, counted at the receiver by `webhook-id`, each signature verified.

Figures go to bench/RESULTS.md under "Webhook delivery"; the run exits 1 when an event is
missing, duplicated or badly signed.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.flows import keys
from bench import conflict_cost, run

BIN = run.ROOT / ".venv" / "bin"
PG_DB = "bench_claimtrack_webhooks"
SECTION = "## Webhook delivery"
# A throw-away Fernet key for the secrets at rest of a database dropped after the run.
SECRET_KEY = "YmVuY2gtb25seS1rZXktZm9yLXdlYmhvb2tzLTAwMDA="  # noqa: S105
WAIT_S = 600.0  # the longest a phase waits for its deliveries


@dataclass(frozen=True)
class Outcome:
    workers: int
    events: int
    create_rate: float  # single creates a second during the latency phase
    p50_ms: float
    p99_ms: float
    max_ms: float
    throughput: float  # events a second: a queue of `events` committed at once, drained
    drain_s: float  # from that commit (the bulk create's response) to the last receipt
    drain_range: tuple[float, float]  # the fastest and slowest of the repeats
    repeats: int
    queued: int
    received: int
    unique: int
    duplicates: int
    missing: int
    bad_signatures: int

    @property
    def exactly_once(self) -> bool:
        return (
            self.queued == (1 + self.repeats) * self.events + 1  # and the warm-up's
            and self.unique == self.queued
            and self.duplicates == 0
            and self.missing == 0
            and self.bad_signatures == 0
        )


# --- processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} in 60 s; see {log}")


def _start(name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = run.OUT / f"webhooks-{name}.log"
    with log.open("ab") as out:
        return subprocess.Popen(
            cmd, cwd=run.ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def started(processes: list[subprocess.Popen[bytes]]) -> Iterator[None]:
    try:
        yield
    finally:
        _stop(processes)


# --- database --------------------------------------------------------------------------------


def fresh_database() -> tuple[Engine, str]:
    admin = create_engine(run.PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    admin.dispose()
    url = make_url(run.PG_URL).set(database=PG_DB).render_as_string(hide_password=False)
    engine = create_engine(url)
    run.migrate(engine)
    return engine, url


def drop_database() -> None:
    admin = create_engine(run.PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
    admin.dispose()


def analyst_key(engine: Engine) -> str:
    with Session(engine) as session:
        _, secret = keys.create(
            session, ApiKeyCreate(name="bench", role=Role.ANALYST), created_by_id=None
        )
        session.commit()
    return secret


def queued_events(engine: Engine, subscription_id: int, after: int) -> list[tuple[int, str]]:
    """The outbox's events for the subscription past outbox id `after`: (id, webhook-id)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, event_id FROM webhook_outbox "
                "WHERE subscription_id = :s AND id > :after ORDER BY id"
            ),
            {"s": subscription_id, "after": after},
        )
        return [(r.id, r.event_id) for r in rows]


# --- load and receipts -----------------------------------------------------------------------


def claim_bodies(count: int, salt: str) -> list[dict[str, Any]]:
    """Claims that agree with each other (one figure on one entity, metric and year): no
    conflict is opened, so each create sets off one `claim.created` and nothing else wanted."""
    return [
        {
            "entity": "Bench rail operator",
            "metric": "investment",
            "value_text": "10 bn USD",
            "period": "2025",
            "kind": "commitment",
            "stated_by": f"bench speaker {salt}-{i}",
            "asserted_on": "2025-03-01",
            "statement": f"Bench claim {salt}-{i}.",
        }
        for i in range(count)
    ]


def receipts(path: Path) -> list[tuple[str, float, bool]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        webhook_id, at, ok = line.split("\t")
        out.append((webhook_id, float(at), ok == "1"))
    return out


def wait_for(path: Path, wanted: set[str]) -> dict[str, list[float]]:
    """Each wanted webhook-id's receipt times, once every one has arrived (or WAIT_S passed)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        got: dict[str, list[float]] = {}
        for webhook_id, at, _ in receipts(path):
            got.setdefault(webhook_id, []).append(at)
        if wanted <= got.keys() or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_once(workers: int, events: int, repeats: int) -> Outcome:
    """One database, one API process, one receiver, `workers` workers: both phases."""
    engine, url = fresh_database()
    api_port, receiver_port = free_port(), free_port()
    out = run.OUT / f"webhooks-received-{workers}.tsv"
    out.unlink(missing_ok=True)
    env = {
        **run.claimtrack_env(url),
        "CLAIMTRACK_ENVIRONMENT": "development",
        "CLAIMTRACK_WEBHOOK_WORKER": "false",
        "CLAIMTRACK_WEBHOOK_ALLOW_HTTP": "true",
        "CLAIMTRACK_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "CLAIMTRACK_WEBHOOK_SECRET_KEY": SECRET_KEY,
    }
    try:
        key = analyst_key(engine)
        api = _start("api", [*run.uvicorn("app.main:app"), "--port", str(api_port)], env)
        with started([api]):
            _wait_port(api_port, api, run.OUT / "webhooks-api.log")
            base = f"http://127.0.0.1:{api_port}"
            auth = {"Authorization": f"Bearer {key}"}
            with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
                made = client.post(
                    "/api/v1/webhooks",
                    json={
                        "url": f"http://127.0.0.1:{receiver_port}/hook",
                        "event_types": ["claim.created"],
                        "description": "bench",
                    },
                )
                made.raise_for_status()
                subscription_id, secret = made.json()["id"], made.json()["secret"]
                receiver_cmd = [str(BIN / "python"), "-m", "bench.webhook_receiver"]
                receiver_cmd += ["--port", str(receiver_port), "--out", str(out)]
                receiver = _start("receiver", receiver_cmd, {"BENCH_WEBHOOK_SECRET": secret})
                with started([receiver]):
                    _wait_port(receiver_port, receiver, run.OUT / "webhooks-receiver.log")
                    return _phases(
                        engine, client, env, out, subscription_id, workers, events, repeats
                    )
    finally:
        engine.dispose()
        drop_database()


READY = "delivering webhooks"  # what `claimtrack worker` prints once it has started


def _workers(env: dict[str, str], count: int) -> list[subprocess.Popen[bytes]]:
    """`count` workers, returned once each has said it is delivering."""
    logs = [run.OUT / f"webhooks-worker-{n}.log" for n in range(count)]
    for log in logs:
        log.unlink(missing_ok=True)
    unbuffered = {**env, "PYTHONUNBUFFERED": "1"}
    pool = [_start(log.stem[9:], [str(BIN / "claimtrack"), "worker"], unbuffered) for log in logs]
    deadline = time.monotonic() + 120
    while not all(log.exists() and READY in log.read_text() for log in logs):
        if any(p.poll() is not None for p in pool) or time.monotonic() > deadline:
            _stop(pool)
            raise RuntimeError(f"a worker did not start; see {', '.join(map(str, logs))}")
        time.sleep(0.1)
    return pool


def _phases(
    engine: Engine,
    client: httpx.Client,
    env: dict[str, str],
    out: Path,
    subscription_id: int,
    workers: int,
    events: int,
    repeats: int,
) -> Outcome:
    with started(_workers(env, workers)):
        # A first event delivered: the workers poll (out of the figures).
        client.post("/api/v1/claims", json=claim_bodies(1, "warm-up")[0]).raise_for_status()
        warm = queued_events(engine, subscription_id, 0)
        wait_for(out, {webhook_id for _, webhook_id in warm})
        # 1. Latency: claims created one at a time while the workers deliver.
        committed: list[float] = []
        began = time.monotonic()
        for body in claim_bodies(events, "latency"):
            client.post("/api/v1/claims", json=body).raise_for_status()
            committed.append(time.time())
        create_rate = events / (time.monotonic() - began)
        first = queued_events(engine, subscription_id, warm[-1][0])
        if len(first) != events:
            raise RuntimeError(f"{len(first)} events queued for {events} claims created")
        got = wait_for(out, {webhook_id for _, webhook_id in first})
        # 2. Throughput: `events` claims in one bulk create, queued by one commit, drained;
        # `repeats` times (a new bulk each time), the median kept.
        drains: list[float] = []
        last = first[-1][0]
        for repeat in range(repeats):
            bodies = claim_bodies(events, f"bulk-{repeat}")
            client.post("/api/v1/claims:bulk", json=bodies).raise_for_status()
            bulk_committed = time.time()
            queue = queued_events(engine, subscription_id, last)
            if len(queue) != events:
                raise RuntimeError(f"{len(queue)} events queued for {events} claims imported")
            backlog = wait_for(out, {webhook_id for _, webhook_id in queue})
            drains.append(max(min(backlog[w]) for _, w in queue if w in backlog) - bulk_committed)
            last = queue[-1][0]
    latencies = [
        (min(got[webhook_id]) - at) * 1000
        for (_, webhook_id), at in zip(first, committed, strict=True)
        if webhook_id in got
    ]
    drain_s = statistics.median(drains)
    # 3. Exactly once, over every event queued.
    seen = receipts(out)
    counts = Counter(webhook_id for webhook_id, _, _ in seen)
    queued = [w for _, w in queued_events(engine, subscription_id, 0)]
    return Outcome(
        workers=workers,
        events=events,
        create_rate=create_rate,
        p50_ms=statistics.median(latencies),
        p99_ms=percentile(latencies, 0.99),
        max_ms=max(latencies),
        throughput=events / drain_s,
        drain_s=drain_s,
        drain_range=(min(drains), max(drains)),
        repeats=repeats,
        queued=len(queued),
        received=len(seen),
        unique=len(counts),
        duplicates=sum(n - 1 for n in counts.values() if n > 1),
        missing=sum(1 for w in queued if w not in counts),
        bad_signatures=sum(1 for _, _, ok in seen if not ok),
    )


# --- report ----------------------------------------------------------------------------------


def table(outcomes: Sequence[Outcome]) -> str:
    rows = [
        "| workers | latency p50 | p99 | max | creates/s meanwhile | throughput (queue of "
        f"{outcomes[0].events:,}) | drained in (median, fastest–slowest of "
        f"{outcomes[0].repeats}) | received / queued | duplicates | bad signatures |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        rows.append(
            f"| {o.workers} | {o.p50_ms:,.0f} ms | {o.p99_ms:,.0f} ms | {o.max_ms:,.0f} ms | "
            f"{o.create_rate:,.0f} | {o.throughput:,.0f} events/s | {o.drain_s:,.1f} s "
            f"({o.drain_range[0]:,.1f}–{o.drain_range[1]:,.1f} s) | "
            f"{o.unique:,} / {o.queued:,} | {o.duplicates} | {o.bad_signatures} |"
        )
    return "\n".join(rows)


def facts(command_line: str, load_before: float) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    dirty = " + uncommitted changes" if conflict_cost._git("status", "--porcelain", "app") else ""
    with create_engine(run.PG_URL).connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar_one()
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit "
        f"{conflict_cost._git('rev-parse', '--short', 'HEAD')}{dirty}",
        f"- command: `{command_line}`",
        f"- machine: {cpu}, {os.cpu_count()} cores, shared (nothing pinned); load average "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after; PostgreSQL {version} on "
        "127.0.0.1",
        "- one uvicorn process serving the API (its own delivery worker off), the workers as "
        "`claimtrack worker` processes, the receiver one uvicorn process verifying every "
        "signature with `standardwebhooks`; all on this machine, settings as shipped",
    ]


def write_results(body: str) -> None:
    doc = conflict_cost.RESULTS.read_text()
    intro = (
        "`bench/webhooks.py` (`make bench-webhooks`): claims created through the API on "
        "PostgreSQL, `claim.created` delivered to a receiver on 127.0.0.1 by one and by two "
        "`claimtrack worker` processes. Latency runs from the create's response (its "
        "transaction committed) to the receipt; throughput drains the events of one bulk "
        "create of as many claims. Reading it: an idle worker looks for due events every "
        "`CLAIMTRACK_WEBHOOK_POLL_INTERVAL_S` (1 s as shipped), so the latency's p50 is about "
        "half that and its p99 about all of it, with one worker or two; the throughput is the "
        "machine's (API, PostgreSQL, workers and receiver share its cores).\n"
    )
    found = conflict_cost._heading(doc, SECTION).search(doc)
    section = found.group(1) if found else intro
    section = conflict_cost._replace(section, "### Latest run", body)
    conflict_cost.RESULTS.write_text(conflict_cost._replace(doc, SECTION, section).rstrip() + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.webhooks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--events", type=int, default=1_000, help="claims per phase (1,000)")
    parser.add_argument(
        "--repeats", type=int, default=3, help="bulk creates drained per run (median kept)"
    )
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md be")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    run.OUT.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    outcomes = []
    for count in counts:
        outcome = run_once(count, args.events, args.repeats)
        print(table([outcome]), flush=True)
        outcomes.append(outcome)
    command_line = f".venv/bin/python -m bench.webhooks --events {args.events} --repeats "
    command_line += f"{args.repeats} --workers {args.workers}"
    marks = [
        f"- {'exactly once' if o.exactly_once else '**NOT exactly once**'} with {o.workers} "
        f"worker{'s' * (o.workers > 1)}: {o.unique:,} distinct webhook-ids received of "
        f"{o.queued:,} queued, {o.received:,} deliveries in all, {o.missing} missing, "
        f"{o.duplicates} duplicated, {o.bad_signatures} not verified"
        for o in outcomes
    ]
    body = "\n".join([*facts(command_line, load_before), "", table(outcomes), "", *marks])
    print(body)
    if not args.no_write:
        write_results(body)
    return 0 if all(o.exactly_once for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
