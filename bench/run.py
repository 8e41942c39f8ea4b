"""Claimtrack beside Datasette and a bare FastAPI app: same rows, same machine, same run.

    .venv/bin/python -m bench.run [--quick] [--no-postgres]

Each server runs as one process pinned to core 0 with `taskset`; the load generator (wrk, with
the Lua script in bench/lua/, and hey for the open-loop run) is pinned to core 1 and talks to
127.0.0.1 only. Every workload is warmed up, then measured `repeats` times; the table gives
medians. The ratios are taken against the anchors measured in this run, written to
bench/RESULTS.md with the date, commit, CPU, versions and settings, and the run exits 1 when a
floor is missed. Missing tools are installed: wrk and hey from Debian's packages, Datasette
into bench/.venv-datasette.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, make_url, text

from app.core.config import Settings
from app.core.db import make_engine
from app.core.pagination import encode_cursor
from bench import conflict_cost, gen, reach

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LUA = ROOT / "bench" / "lua" / "requests.lua"
DATASETTE_VENV = ROOT / "bench" / ".venv-datasette"
DATASETTE_VERSION = "1.0a41"  # the 1.0 line: it has the JSON write API the insert anchors need
DATASETTE_SECRET = "bench-only-secret"  # noqa: S105 - a throw-away server on 127.0.0.1
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DB = "bench_claimtrack_http"
SERVER_CORE, LOAD_CORE = "0", "1"
PORTS = {"claimtrack": 8711, "datasette": 8712, "bare": 8713, "claimtrack-pg": 8714}


@dataclass(frozen=True)
class Mode:
    name: str
    claims: int
    depth: int
    series: tuple[int, ...]
    csv_points: int
    warmup_s: int
    duration_s: int
    repeats: int
    conflict_cost: bool


FULL = Mode("full", 110_000, 100_000, (100, 1_000, 10_000, 100_000), 1_000_000, 3, 8, 3, True)
QUICK = Mode("quick", 3_000, 2_000, (100, 1_000, 10_000), 100_000, 1, 3, 1, False)


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    rows_per_request: int = 1

    @property
    def rows_s(self) -> float:
        return self.rps * self.rows_per_request


@dataclass
class Row:
    workload: str
    claimtrack: Measure | None
    anchor: Measure | None
    anchor_name: str
    ratio: float | None
    floor: str
    goal: str
    ok: bool | None
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


# --- tools -----------------------------------------------------------------------------------


def ensure_tools() -> dict[str, str]:
    """wrk and hey (Debian packages) and Datasette (its own venv); their versions."""
    missing = [tool for tool in ("wrk", "hey") if shutil.which(tool) is None]
    if missing:
        apt = ["apt-get", "install", "-y", "-q", *missing]
        if os.geteuid() != 0:
            apt = ["sudo", "-n", *apt]
        subprocess.run(apt, check=True, stdout=subprocess.DEVNULL)
    datasette = DATASETTE_VENV / "bin" / "datasette"
    if not _runs([str(datasette), "--version"], DATASETTE_VERSION):
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        pip = [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, f"datasette=={DATASETTE_VERSION}"], check=True)
    wrk_version = _output(["wrk", "-v"]).split("[")[0].strip() or "wrk"
    return {
        "wrk": wrk_version,
        "hey": "hey (Debian package)",
        "datasette": _output([str(datasette), "--version"]),
    }


def _output(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else ""
    )


def _runs(cmd: list[str], needle: str) -> bool:
    try:
        return needle in _output(cmd)
    except FileNotFoundError:
        return False


# --- servers ---------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self, field: str = "VmRSS") -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"{field} not found")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, cmd: list[str], env: dict[str, str] | None = None) -> Server:
    port = PORTS[name]
    _wait_port_free(port)
    log = (OUT / f"{name}.log").open("wb")
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CORE, *cmd, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(name, port, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited; see {OUT / (name + '.log')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{name} did not start in 60 s")


def _wait_port_free(port: int) -> None:
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} is taken")


@contextmanager
def running(servers: list[Server]) -> Iterator[None]:
    try:
        yield
    finally:
        for server in servers:
            server.stop()


def uvicorn(app: str) -> list[str]:
    cmd = [str(ROOT / ".venv" / "bin" / "uvicorn"), app, "--host", "127.0.0.1", "--workers", "1"]
    if app == "app.main:app":  # as `claimtrack serve` runs it: the app writes its own access log
        cmd.append("--no-access-log")
    return cmd


def datasette(db: Path) -> list[str]:
    settings = ("max_returned_rows 10000", "max_insert_rows 1000", "sql_time_limit_ms 20000")
    cmd = [str(DATASETTE_VENV / "bin" / "datasette"), "serve", str(db), "--host", "127.0.0.1"]
    cmd += ["--secret", DATASETTE_SECRET, "--root"]
    for setting in settings:
        cmd += ["--setting", *setting.split()]
    return cmd


def datasette_token() -> str:
    return _output(
        [
            str(DATASETTE_VENV / "bin" / "datasette"),
            "create-token",
            "root",
            "--secret",
            DATASETTE_SECRET,
        ]
    )


# --- load ------------------------------------------------------------------------------------


def request_file(lines: Sequence[tuple[str, str, bytes | None]]) -> Path:
    fd, name = tempfile.mkstemp(prefix="requests-", suffix=".tsv", dir=OUT)
    with os.fdopen(fd, "wb") as f:
        for method, path, body in lines:
            f.write(method.encode() + b"\t" + path.encode())
            if body is not None:
                f.write(b"\t" + body)
            f.write(b"\n")
    return Path(name)


def wrk(
    server: Server, requests: Path, seconds: int, connections: int, headers: Sequence[str]
) -> Measure:
    cmd = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    cmd += ["--timeout", "30s", "-s", str(LUA), server.base, "--", str(requests), *headers]
    # A tag of this run's own for the bodies that are templates (`NEW`): new claims each run.
    env = {**os.environ, "WRK_TAG": f"{server.name}-{time.time_ns()}"}
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith('{"requests"'))
    r = json.loads(line)
    return Measure(
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        errors=r["status_errors"] + r["socket_errors"],
    )


def measure(
    mode: Mode,
    server: Server,
    lines: Sequence[tuple[str, str, bytes | None]],
    *,
    connections: int = 16,
    headers: Sequence[str] = (),
    rows_per_request: int = 1,
    settle_s: float = 0,
) -> Measure:
    """Warm up, then the median of `repeats` runs. `settle_s`: a pause after each run, so that
    requests wrk leaves unanswered when its time is up (seconds-long imports) end before the
    next run starts."""
    path = request_file(lines)
    try:
        runs = []
        for seconds in (mode.warmup_s, *[mode.duration_s] * mode.repeats):
            runs.append(wrk(server, path, seconds, connections, headers))
            time.sleep(settle_s)
        runs = runs[1:]  # the warm-up's figures are not kept
    finally:
        path.unlink()
    runs.sort(key=lambda m: m.rps)
    mid = runs[len(runs) // 2]
    return Measure(
        rps=mid.rps,
        p50_ms=statistics.median(m.p50_ms for m in runs),
        p99_ms=statistics.median(m.p99_ms for m in runs),
        errors=sum(m.errors for m in runs),
        rows_per_request=rows_per_request,
    )


def hey_open_loop(server: Server, path: str, rate: float, seconds: int, key: str) -> Measure:
    """hey with a fixed request rate (-q per worker): p50 and p99 at that rate."""
    workers = 16
    cmd = ["taskset", "-c", LOAD_CORE, "hey", "-z", f"{seconds}s", "-c", str(workers)]
    cmd += ["-q", f"{max(rate / workers, 1):.0f}", "-H", f"Authorization: Bearer {key}"]
    done = subprocess.run([*cmd, server.base + path], capture_output=True, text=True, check=True)
    out = done.stdout
    pct = {}
    for line in out.splitlines():
        line = line.strip()
        if "% in " in line:
            p, rest = line.split("% in ")
            pct[int(p)] = float(rest.split()[0]) * 1000
    rps = float(next(ln.split(":")[1] for ln in out.splitlines() if "Requests/sec" in ln))
    codes = [ln for ln in out.splitlines() if ln.strip().startswith("[")]
    errors = sum(int(ln.split("]")[1].split()[0]) for ln in codes if ln.strip()[1] != "2")
    return Measure(rps=rps, p50_ms=pct[50], p99_ms=pct[99], errors=errors)


# --- data ------------------------------------------------------------------------------------


def migrate(engine: Engine) -> None:
    with engine.begin() as conn:
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def fresh_sqlite(path: Path) -> Engine:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(Settings(DATABASE_URL=f"sqlite:///{path}"))
    migrate(engine)
    return engine


@contextmanager
def postgres_on_load_core() -> Iterator[None]:
    """New PostgreSQL backends run on the load generator's core, not on the server's: the
    database as on a host of its own, as far as two cores allow. Backends inherit the
    postmaster's CPU mask when it forks them; the mask is put back afterwards."""
    admin = create_engine(PG_URL)
    with admin.connect() as conn:
        data_dir = conn.execute(text("SHOW data_directory")).scalar_one()
    admin.dispose()
    pid = int(Path(data_dir, "postmaster.pid").read_text().split()[0])
    was = os.sched_getaffinity(pid)
    os.sched_setaffinity(pid, {int(LOAD_CORE)})
    try:
        yield
    finally:
        os.sched_setaffinity(pid, was)


def fresh_postgres() -> tuple[Engine, str]:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    admin.dispose()
    url = make_url(PG_URL).set(database=PG_DB).render_as_string(hide_password=False)
    engine = create_engine(url)
    migrate(engine)
    return engine, url


def drop_postgres() -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
    admin.dispose()


# --- workloads -------------------------------------------------------------------------------

Lines = list[tuple[str, str, bytes | None]]


def claim_paths(ids: Sequence[int]) -> Lines:
    return [("GET", f"/api/v1/claims/{i}", None) for i in ids]


def list_paths(depth: int) -> Lines:
    path = "/api/v1/claims?sort=id&limit=50"
    if depth:
        path += f"&cursor={encode_cursor([depth, depth])}"
    return [("GET", path, None)]


def series_path(indicator_id: int, points: int) -> Lines:
    """The series in its default shape: a JSON array of records (date, period_start, period_end,
    value as a number, value_exact), as the anchor's `_shape=array` answers records too."""
    return [("GET", f"/api/v1/indicators/{indicator_id}/series?limit={points}", None)]


def anchor_series_path(indicator_id: int) -> Lines:
    sql = (
        "select period_end, value from observations "
        f"where indicator_id = {indicator_id} order by period_end"
    )
    query = f"sql={sql.replace(' ', '+')}&_shape=array"
    return [("GET", f"/anchor/-/query.json?{query}", None)]


ANCHOR_FIELDS = ("value_text", "period_text", "kind", "stated_by", "asserted_on", "statement")


def anchor_row(body: dict[str, Any]) -> dict[str, Any]:
    row = {k: body[k] for k in ("kind", "stated_by", "asserted_on", "statement")}
    row.update(value_text=body["value_text"], period_text=body["period"], status="active")
    return row


# The mark `requests.lua` replaces in each request (see there): a claim's speaker holds it, so
# that every create and every bulk row is a claim never posted before, whatever the run
# replays. Posted again, the same claim is not stored twice nor checked for conflicts again:
# a replayed file measured that cheaper path instead.
NEW = "{{n}}"


def _fresh(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "stated_by": f"{body['stated_by']} #{NEW}"}


def creates(engine: Engine, count: int) -> tuple[Lines, Lines]:
    bodies = [_fresh(b) for b in gen.new_claims(engine, count, salt=1)]
    ct = [("POST", "/api/v1/claims", orjson.dumps(b)) for b in bodies]
    ds = [
        ("POST", "/anchor/claims_insert/-/insert", orjson.dumps({"row": anchor_row(b)}))
        for b in bodies
    ]
    return ct, ds


def bulks(engine: Engine, batches: int, size: int) -> tuple[Lines, Lines]:
    """`batches` full batches of `size` claims on distinct keys (a key is used again in
    another batch when the data has fewer than batches times size keys)."""
    ct: Lines = []
    ds: Lines = []
    bodies = [_fresh(b) for b in gen.new_claims(engine, batches * size, salt=2)]
    assert len(bodies) >= size, f"{len(bodies)} comparison keys for batches of {size}"
    for b in range(batches):
        chunk = [bodies[(b * size + i) % len(bodies)] for i in range(size)]
        ct.append(("POST", "/api/v1/claims:bulk", orjson.dumps(chunk)))
        rows = {"rows": [anchor_row(c) for c in chunk]}
        ds.append(("POST", "/anchor/claims_insert/-/insert", orjson.dumps(rows)))
    return ct, ds


def csv_export_memory(server: Server, path: str, key: str) -> tuple[float, float, float, int]:
    """(RSS before MB, peak RSS MB, peak growth MB, lines) while one client reads the CSV."""
    before = server.rss_mb()
    peak = before
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, server.rss_mb())
            time.sleep(0.02)

    poller = threading.Thread(target=poll)
    poller.start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    conn.request("GET", path, headers={"Authorization": f"Bearer {key}"})
    response = conn.getresponse()
    lines = 0
    while chunk := response.read(1 << 16):
        lines += chunk.count(b"\n")
    conn.close()
    stop.set()
    poller.join()
    peak = max(peak, server.rss_mb("VmHWM"))
    return before, peak, peak - before, lines


# --- the run ---------------------------------------------------------------------------------


def ratio_row(
    workload: str,
    ct: Measure | None,
    anchor: Measure | None,
    anchor_name: str,
    floor: float | None,
    goal: float | None,
    *,
    value: Callable[[Measure], float] = lambda m: m.rps,
    lower_is_better: bool = False,
    note: str = "",
) -> Row:
    r = None
    if ct is not None and anchor is not None and value(anchor) > 0:
        r = value(ct) / value(anchor)
    ok = None
    if r is not None and floor is not None:
        ok = r <= floor if lower_is_better else r >= floor
    sign = "≤" if lower_is_better else "≥"
    return Row(
        workload,
        ct,
        anchor,
        anchor_name,
        r,
        f"{sign} {floor}×" if floor is not None else "—",
        f"{sign} {goal}×" if goal is not None else "—",
        ok,
        note,
    )


# The bulk import's answer as an importer asks for it (RFC 7240); see run_sqlite.
BULK_MINIMAL = "Prefer: return=minimal"
BENCH_RATE_LIMIT = 100_000_000  # one key drives the whole load: the limiter runs, never refuses


def list_depth_row(mode: Mode, ct: Server, auth: list[str], label: str) -> Row:
    """p99 of a 50-claim keyset page at depth `mode.depth` against the same page at depth 0."""
    d0 = measure(mode, ct, list_paths(0), headers=auth)
    dn = measure(mode, ct, list_paths(mode.depth), headers=auth)
    return ratio_row(
        f"{label}list page (50, keyset) p99 at depth {mode.depth:,} / at depth 0",
        dn,
        d0,
        "itself at depth 0",
        1.2,
        1.0,
        value=lambda x: x.p99_ms,
        lower_is_better=True,
        note=f"rps {dn.rps:,.0f} / {d0.rps:,.0f}",
    )


def claimtrack_env(url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "CLAIMTRACK_LOAD_DEMO": "false",
        "CLAIMTRACK_RATE_LIMIT_PER_MINUTE": str(BENCH_RATE_LIMIT),
        "CLAIMTRACK_RATE_LIMIT_BURST": str(BENCH_RATE_LIMIT),
    }


def run_sqlite(
    mode: Mode, report: Report, anchors: dict[str, Measure], log: Callable[[str], None]
) -> None:
    ct_db, anchor_db = OUT / "http.sqlite", OUT / "anchor.sqlite"
    started = time.perf_counter()
    engine = fresh_sqlite(ct_db)
    loaded = gen.load(engine, mode.claims, (*mode.series, mode.csv_points))
    gen.anchor(ct_db, anchor_db)
    took = time.perf_counter() - started
    log(f"loaded {mode.claims:,} claims and {len(loaded.series)} series in {took:.0f} s")
    auth = [f"Authorization: Bearer {loaded.key}"]
    ids = gen.stored_ids(engine, 1000)
    create_ct, create_ds = creates(engine, 2000)
    bulk_ct, bulk_ds = bulks(engine, 4, 1000)
    engine.dispose()
    token = datasette_token()
    ds_auth = [f"Authorization: Bearer {token}"]

    ct = start("claimtrack", uvicorn("app.main:app"), claimtrack_env(f"sqlite:///{ct_db}"))
    ds = start("datasette", datasette(anchor_db))
    bare = start("bare", uvicorn("bench.bare_app:app"))
    with running([ct, ds, bare]):
        m = {}
        m["bare"] = measure(mode, bare, [("GET", "/empty", None)])
        m["health"] = measure(mode, ct, [("GET", "/healthz", None)])
        report.rows.append(
            ratio_row(
                "`/healthz` vs bare FastAPI empty route",
                m["health"],
                m["bare"],
                "bare FastAPI",
                0.85,
                0.95,
            )
        )
        log("health done")
        m["ds_row"] = measure(mode, ds, [("GET", f"/anchor/claims/{i}.json", None) for i in ids])
        m["ct_row"] = measure(mode, ct, claim_paths(ids), headers=auth)
        anchors["row"] = m["ds_row"]
        report.rows.append(
            ratio_row(
                "claim by id vs Datasette row JSON", m["ct_row"], m["ds_row"], "Datasette", 1, 2
            )
        )
        log("claim by id done")
        for points in mode.series[:3]:
            indicator = loaded.series[points]
            a = measure(mode, ds, anchor_series_path(indicator), rows_per_request=points)
            c = measure(
                mode, ct, series_path(indicator, points), headers=auth, rows_per_request=points
            )
            anchors[f"series{points}"] = a
            floor, goal = (2.0, 4.0) if points == 1_000 else (None, None)
            report.rows.append(
                ratio_row(
                    f"series of {points:,} points vs Datasette SQL JSON",
                    c,
                    a,
                    "Datasette",
                    floor,
                    goal,
                )
            )
            log(f"series {points} done")
        report.rows.append(list_depth_row(mode, ct, auth, ""))
        log("list done")
        top = m["ct_row"]
        rate = 0.8 * top.rps
        ol = hey_open_loop(ct, f"/api/v1/claims/{ids[0]}", rate, mode.duration_s * 2, loaded.key)
        report.rows.append(
            ratio_row(
                f"claim by id, open loop at 80 % of max ({rate:,.0f}/s): p99 / p50",
                ol,
                Measure(ol.rps, ol.p50_ms, ol.p50_ms, 0),
                "its own p50",
                20,
                10,
                value=lambda x: x.p99_ms,
                lower_is_better=True,
            )
        )
        log("open loop done")
        a = measure(mode, ds, create_ds, connections=8, headers=ds_auth)
        c = measure(mode, ct, create_ct, connections=8, headers=auth)
        anchors["create"] = a
        report.rows.append(
            ratio_row(
                "single create with conflict check (half conflicting) vs Datasette insert",
                c,
                a,
                "Datasette",
                1.1,
                1.5,
            )
        )
        log("create done")
        # One connection: Claimtrack runs one import at a time per process (the others wait).
        # The import asks for the minimal answer (`Prefer: return=minimal`: each row's claim
        # id, version, flags and notices), as Datasette answers {"ok": true} unless asked
        # for the rows; the whole answer (every claim as shown) is measured after, on record.
        bulk = {"connections": 1, "rows_per_request": 1000, "settle_s": 5.0}
        a = measure(mode, ds, bulk_ds, headers=ds_auth, **bulk)
        before = reach.last_rowids(ct_db)
        c = measure(mode, ct, bulk_ct, headers=[*auth, BULK_MINIMAL], **bulk)
        report.rows.append(
            ratio_row(
                "bulk ingest, batches of 1,000 (rows/s), minimal answer (`Prefer: "
                'return=minimal`) vs Datasette bulk insert (`{"ok": true}`)',
                c,
                a,
                "Datasette",
                0.1,
                0.2,
                value=lambda x: x.rows_s,
                note=f"rows/s {c.rows_s:,.0f} / {a.rows_s:,.0f}",
            )
        )
        bare = reach.bare_insert(ct_db, before, int(SERVER_CORE))
        report.rows.append(
            ratio_row(
                "reach of the bulk floor: the rows 1,000 imported claims wrote, inserted again "
                "bare (no HTTP, parsing, checks, response or commit) vs Datasette bulk insert",
                Measure(bare.claims_s / 1000, bare.insert_ms, bare.insert_ms, 0, 1000),
                a,
                "Datasette",
                None,
                None,
                value=lambda x: x.rows_s,
                note=bare.note(),
            )
        )
        whole = measure(mode, ct, bulk_ct, headers=auth, **bulk)
        report.rows.append(
            ratio_row(
                "bulk ingest, batches of 1,000 (rows/s), the whole answer (every claim as "
                "shown) vs Datasette bulk insert",
                whole,
                a,
                "Datasette",
                None,
                None,
                value=lambda x: x.rows_s,
                note=f"rows/s {whole.rows_s:,.0f} / {a.rows_s:,.0f}; run after the minimal "
                "one, on its claims too (a later run reads more claims a key)",
            )
        )
        log("bulk done")
    # A fresh process for the export: its peak is the export's, not an earlier workload's.
    ct = start("claimtrack", uvicorn("app.main:app"), claimtrack_env(f"sqlite:///{ct_db}"))
    with running([ct]):
        warm = http.client.HTTPConnection("127.0.0.1", ct.port)
        warm.request(
            "GET",
            f"/api/v1/indicators/{loaded.series[100]}/series?format=csv",
            headers={"Authorization": f"Bearer {loaded.key}"},
        )
        warm.getresponse().read()
        warm.close()
        indicator = loaded.series[mode.csv_points]
        before, peak, growth, lines = csv_export_memory(
            ct, f"/api/v1/indicators/{indicator}/series?format=csv", loaded.key
        )
    assert lines == mode.csv_points + 1, f"CSV export gave {lines} lines"
    row = Row(
        f"{mode.csv_points:,}-point CSV export: peak RSS of the server process",
        None,
        None,
        "—",
        None,
        "< 200 MB",
        "< 100 MB",
        peak < 200,
        note=f"peak {peak:.0f} MB (before {before:.0f}, growth {growth:.0f}; {lines:,} lines)",
    )
    report.rows.append(row)
    log("csv done")


def run_postgres(
    mode: Mode, report: Report, anchors: dict[str, Measure], log: Callable[[str], None]
) -> None:
    engine, url = fresh_postgres()
    try:
        loaded = gen.load(engine, mode.claims, mode.series[:3])
        auth = [f"Authorization: Bearer {loaded.key}"]
        ids = gen.stored_ids(engine, 1000)
        create_ct, _ = creates(engine, 2000)
        engine.dispose()
        with postgres_on_load_core():
            ct = start("claimtrack-pg", uvicorn("app.main:app"), claimtrack_env(url))
            with running([ct]):
                # Every connection of the server's pool is made after the postmaster moved.
                c = measure(mode, ct, claim_paths(ids), headers=auth)
                report.rows.append(
                    ratio_row(
                        "PostgreSQL: claim by id vs Datasette row JSON",
                        c,
                        anchors.get("row"),
                        "Datasette (SQLite)",
                        1,
                        2,
                    )
                )
                for points in mode.series[:3]:
                    c = measure(mode, ct, series_path(loaded.series[points], points), headers=auth)
                    floor, goal = (2.0, 4.0) if points == 1_000 else (None, None)
                    report.rows.append(
                        ratio_row(
                            f"PostgreSQL: series of {points:,} points vs Datasette SQL JSON",
                            c,
                            anchors.get(f"series{points}"),
                            "Datasette (SQLite)",
                            floor,
                            goal,
                        )
                    )
                report.rows.append(list_depth_row(mode, ct, auth, "PostgreSQL: "))
                c = measure(mode, ct, create_ct, connections=8, headers=auth)
                report.rows.append(
                    ratio_row(
                        "PostgreSQL: single create with conflict check vs Datasette insert",
                        c,
                        anchors.get("create"),
                        "Datasette (SQLite)",
                        None,  # issue 19 sets the create floor on SQLite only
                        1.1,
                    )
                )
        log("postgres done")
    finally:
        engine.dispose()
        drop_postgres()


# --- report ----------------------------------------------------------------------------------


def _cell(m: Measure | None) -> str:
    if m is None:
        return "—"
    return f"{m.rps:,.0f} rps, p50 {m.p50_ms:.2f} / p99 {m.p99_ms:.2f} ms" + (
        f", {m.errors} errors" if m.errors else ""
    )


def table(rows: Sequence[Row]) -> str:
    out = [
        "| workload | Claimtrack | anchor | ratio | floor | goal | floor held |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        anchor = f"{r.anchor_name}: {_cell(r.anchor)}" if r.anchor is not None else r.anchor_name
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        held = {True: "yes", False: "**NO**", None: "—"}[r.ok]
        ct = _cell(r.claimtrack) + (f"; {r.note}" if r.note else "")
        out.append(f"| {r.workload} | {ct} | {anchor} | {ratio} | {r.floor} | {r.goal} | {held} |")
    return "\n".join(out)


def facts(mode: Mode, tools: dict[str, str], command_line: str) -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    dirty = " + uncommitted changes" if conflict_cost._git("status", "--porcelain", "app") else ""
    import fastapi
    import pydantic
    import uvicorn as uv

    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: {conflict_cost._git('rev-parse', '--short', 'HEAD')}{dirty}",
        f"- command: `{command_line}`",
        f"- CPU: {cpu}, {os.cpu_count()} cores; servers pinned to core {SERVER_CORE}, "
        f"load generator to core {LOAD_CORE}; load average {os.getloadavg()[0]:.2f} at the end",
        f"- Python {sys.version.split()[0]}; FastAPI {fastapi.__version__}, pydantic "
        f"{pydantic.__version__}, SQLAlchemy {sqlalchemy.__version__}, uvicorn {uv.__version__}; "
        f"{tools['datasette']}; {tools['wrk']}; {tools['hey']}",
        f"- data: {mode.claims:,} claims (seed {gen.SEED}), daily series of "
        f"{', '.join(f'{p:,}' for p in (*mode.series, mode.csv_points))} points; the anchor "
        "SQLite file holds the same rows",
        f"- each workload: {mode.warmup_s} s warm-up, then {mode.repeats} × {mode.duration_s} s; "
        "medians. wrk -t1, 16 connections for reads, 8 for single creates, 1 for bulk (5 s pause "
        "after each bulk run; `Prefer: return=minimal` but in the whole answer's row); "
        "one uvicorn worker for Claimtrack (as shipped: its JSON access log, request ids, "
        "metrics, in-flight limit; the rate limiter runs with a limit the one key never "
        "reaches) and for the bare app (uvicorn's access log); "
        "Datasette with its defaults plus max_returned_rows 10000, max_insert_rows 1000",
    ]


SECTION = "## HTTP benchmark"


def write_results(mode: Mode, body: str) -> None:
    doc = (
        conflict_cost.RESULTS.read_text()
        if conflict_cost.RESULTS.exists()
        else "# Benchmark results\n"
    )
    found = conflict_cost._heading(doc, SECTION).search(doc)
    section = (
        found.group(1)
        if found
        else (
            "Claimtrack beside Datasette and a bare FastAPI app (`bench/run.py`, see "
            "`bench/README.md`). Each mode rewrites its own subsection.\n"
        )
    )
    section = conflict_cost._replace(section, f"### {mode.name.capitalize()} run", body)
    conflict_cost.RESULTS.write_text(conflict_cost._replace(doc, SECTION, section).rstrip() + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="small data, one short run each")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    command_line = "make bench" + "-quick" * args.quick
    OUT.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.0f} s] {message}", flush=True)

    tools = ensure_tools()
    report = Report()
    anchors: dict[str, Measure] = {}
    run_sqlite(mode, report, anchors, log)
    if not args.no_postgres:
        run_postgres(mode, report, anchors, log)
    cost_note = "not run in quick mode (see the conflict-check section below)"
    if mode.conflict_cost:
        done = subprocess.run(
            [sys.executable, "-m", "bench.conflict_cost"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        summary = next((ln for ln in done.stdout.splitlines() if ln.startswith("**cost(")), None)
        worst = float(summary.split("= ")[1].split("*")[0]) if summary else None
        report.rows.append(
            Row(
                "conflict-check cost at 1e6 / at 1e3 stored claims (SQLite)",
                None,
                None,
                "itself at 1e3",
                worst,
                "≤ 1.5×",
                "≤ 1.2×",
                worst is not None and worst <= 1.5,
                note="`bench/conflict_cost.py`, table below",
            )
        )
    else:
        report.rows.append(
            Row(
                "conflict-check cost at 1e6 / at 1e3 stored claims",
                None,
                None,
                "—",
                None,
                "≤ 1.5×",
                "≤ 1.2×",
                None,
                note=cost_note,
            )
        )
    body = "\n".join(
        [
            *facts(mode, tools, command_line),
            f"- run time: {time.perf_counter() - began:.0f} s",
            "",
            table(report.rows),
        ]
    )
    print("\n" + body)
    write_results(mode, body)
    missed = [r.workload for r in report.rows if r.ok is False]
    if missed:
        print(f"\nfloors missed: {len(missed)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
