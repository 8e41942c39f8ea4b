"""A bounded mixed load on one Claimtrack process, on 127.0.0.1.

    .venv/bin/python -m bench.load [--quick] [--postgres]

90 % reads (series of 100 and 1,000 points, claim list pages at several depths), 9 % single
creates with their conflict check, 1 % bulk imports of 50 claims; first at 8 connections, then
at 200. The server runs as shipped (JSON access log, in-flight limit) on core 0, wrk on core 1.
Passes when, at 8 connections, every answer is a 2xx and p99 < 250 ms, and at 200 connections
no answer is a 5xx other than the fast 503 of the in-flight limit (429 would be the rate
limit), no connection fails, and the server's memory grows by less than 50 MB over that run
(growth over both runs is reported beside it). The figures go
to bench/RESULTS.md; the run exits 1 when a mark is missed.
"""

import argparse
import json
import random
import subprocess
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson

from app.core.pagination import encode_cursor
from bench import conflict_cost, gen, run

LUA = Path(__file__).resolve().parent / "lua" / "requests.lua"
BULK_ROWS = 50


@dataclass(frozen=True)
class Outcome:
    connections: int
    seconds: int
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int]
    socket_errors: int
    rss_before_mb: float
    rss_after_mb: float
    rss_peak_mb: float  # the process's high-water mark so far (VmHWM)


def mixed_requests(engine: run.Engine, loaded: gen.Loaded, claims: int) -> run.Lines:
    """100 requests in a fixed shuffled order: 45 series, 45 list pages, 9 creates, 1 bulk."""
    rng = random.Random(gen.SEED + 7)
    creates = gen.new_claims(engine, 9 + BULK_ROWS, salt=3)
    lines: run.Lines = []
    for n in range(45):
        points = (100, 1_000)[n % 2]
        lines.append(
            ("GET", f"/api/v1/indicators/{loaded.series[points]}/series?limit={points}", None)
        )
    for _ in range(45):
        depth = rng.randrange(0, claims - 100)
        path = "/api/v1/claims?sort=id&limit=50"
        lines.append(
            ("GET", path + (f"&cursor={encode_cursor([depth, depth])}" if depth else ""), None)
        )
    lines += [("POST", "/api/v1/claims", orjson.dumps(b)) for b in creates[:9]]
    lines.append(("POST", "/api/v1/claims:bulk", orjson.dumps(creates[9:])))
    rng.shuffle(lines)
    return lines


def load_run(
    server: run.Server, requests: Path, connections: int, seconds: int, key: str
) -> Outcome:
    before = server.rss_mb()
    cmd = ["taskset", "-c", run.LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    cmd += ["--timeout", "10s", "-s", str(LUA), server.base, "--", str(requests)]
    cmd.append(f"Authorization: Bearer {key}")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    r = json.loads(next(ln for ln in done.stdout.splitlines() if ln.startswith('{"requests"')))
    return Outcome(
        connections=connections,
        seconds=seconds,
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        max_ms=r["max_us"] / 1000,
        statuses=dict(sorted(r["statuses"].items())),
        socket_errors=r["socket_errors"],
        rss_before_mb=before,
        rss_after_mb=server.rss_mb(),
        rss_peak_mb=server.rss_mb("VmHWM"),
    )


def verdicts(calm: Outcome, storm: Outcome, baseline_mb: float) -> list[tuple[str, bool]]:
    calm_bad = sum(n for s, n in calm.statuses.items() if not s.startswith("2"))
    storm_5xx = sum(n for s, n in storm.statuses.items() if s.startswith("5") and s != "503")
    storm_other = sum(
        n for s, n in storm.statuses.items() if not s.startswith("2") and s not in ("429", "503")
    )
    growth = storm.rss_after_mb - storm.rss_before_mb
    overall = storm.rss_after_mb - baseline_mb
    return [
        (
            f"8 connections: {calm_bad} non-2xx answers, {calm.socket_errors} failed connections "
            "(mark: 0)",
            calm_bad == 0 and calm.socket_errors == 0,
        ),
        (f"8 connections: p99 {calm.p99_ms:.0f} ms (mark: < 250 ms)", calm.p99_ms < 250),
        (
            f"200 connections: {storm_5xx} 5xx answers other than 503, {storm_other} answers other "
            f"than 2xx/429/503, {storm.socket_errors} failed connections (mark: 0)",
            storm_5xx == 0 and storm_other == 0 and storm.socket_errors == 0,
        ),
        (
            f"memory growth over the 200-connection run: {growth:.0f} MB (mark: < 50 MB; "
            f"{overall:.0f} MB over both runs, from the baseline after the warm-up)",
            growth < 50,
        ),
    ]


def table(outcomes: list[Outcome]) -> str:
    rows = [
        "| connections | seconds | requests/s | p50 ms | p99 ms | max ms | answers "
        "| RSS MB before → after (peak) |",
        "|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for o in outcomes:
        answers = ", ".join(f"{s}: {n:,}" for s, n in o.statuses.items())
        rows.append(
            f"| {o.connections} | {o.seconds} | {o.rps:,.0f} | {o.p50_ms:.1f} | {o.p99_ms:.1f} "
            f"| {o.max_ms:.0f} | {answers} | {o.rss_before_mb:.0f} → {o.rss_after_mb:.0f} "
            f"({o.rss_peak_mb:.0f}) |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="5 s runs instead of 30 s")
    parser.add_argument("--postgres", action="store_true", help="on the local PostgreSQL")
    args = parser.parse_args(argv)
    seconds = 5 if args.quick else 30
    claims = 20_000
    run.OUT.mkdir(parents=True, exist_ok=True)
    run.ensure_tools()
    if args.postgres:
        engine, url = run.fresh_postgres()
    else:
        db = run.OUT / "load.sqlite"
        engine, url = run.fresh_sqlite(db), f"sqlite:///{db}"
    try:
        loaded = gen.load(engine, claims, (100, 1_000))
        requests = run.request_file(mixed_requests(engine, loaded, claims))
        engine.dispose()
        env = run.claimtrack_env(url)
        with run.postgres_on_load_core() if args.postgres else nullcontext():
            server = run.start("claimtrack", run.uvicorn("app.main:app"), env)
            with run.running([server]):
                warm = load_run(server, requests, 8, 3, loaded.key)
                baseline = server.rss_mb()
                calm = load_run(server, requests, 8, seconds, loaded.key)
                storm = load_run(server, requests, 200, seconds, loaded.key)
        requests.unlink()
    finally:
        if args.postgres:
            run.drop_postgres()
    del warm
    marks = verdicts(calm, storm, baseline)
    database = "PostgreSQL" if args.postgres else "SQLite"
    lines = [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit "
        f"{conflict_cost._git('rev-parse', '--short', 'HEAD')}",
        f"- command: `.venv/bin/python -m bench.load{' --quick' * args.quick}"
        f"{' --postgres' * args.postgres}`; {database}; one uvicorn worker on core "
        f"{run.SERVER_CORE} as shipped (JSON access log, in-flight limit of twice its one "
        "core, so 2, with a 1 s wait), "
        f"wrk on core {run.LOAD_CORE}; rate limit raised to {run.BENCH_RATE_LIMIT:,}/min "
        "for the one key",
        f"- data: {claims:,} claims; mix per 100 requests: 45 series (100 and 1,000 points), "
        f"45 claim list pages (50 rows, random depth), 9 single creates, 1 bulk import of "
        f"{BULK_ROWS} claims; memory baseline after a 3 s warm-up: {baseline:.0f} MB",
        "",
        table([calm, storm]),
        "",
        *(f"- {'meets' if ok else '**MISSES**'}: {text}" for text, ok in marks),
    ]
    body = "\n".join(lines)
    print(body)
    title = f"### {database}{', quick' * args.quick}"
    doc = conflict_cost.RESULTS.read_text()
    found = conflict_cost._heading(doc, "## Load").search(doc)
    section = (
        found.group(1) if found else "`bench/load.py`: the mixed load of the reliability issue.\n"
    )
    section = conflict_cost._replace(section, title, body)
    conflict_cost.RESULTS.write_text(
        conflict_cost._replace(doc, "## Load", section).rstrip() + "\n"
    )
    return 0 if all(ok for _, ok in marks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
