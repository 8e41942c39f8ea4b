"""CPU time of the Claimtrack server a single create and a bulk batch costs, on SQLite.

    .venv/bin/python -m bench.cpu [--creates 1000] [--claims 3000]

On a shared machine a rate swings with the other work on it; the CPU time the server process
spends on a request (its utime + stime, read from /proc) does much less. One uvicorn worker as
`bench/run.py` starts it, on the quick run's data, one client posting one request at a time:
single creates of new claims (half conflicting, as in `run.py`), then the four bulk batches of
1,000 new claims (opening flags), then four more rounds of them (every conflicting row joins
the open flag the first round opened), then the same four batches again as they were (claims
stored before: nothing new), four rounds. In the later rounds every other batch asks for the
minimal answer (`Prefer: return=minimal`), the other batches each round, so that each answer
gets half of every round: a drift (a round reads the claims every round before it stored, the
machine's other work) falls on both alike. Nothing is written to RESULTS.md; figures from it
are quoted with the commit they measured.
"""

import argparse
import http.client
import itertools
import os
import socket
import statistics
import subprocess
import time
from pathlib import Path

from bench import gen, run

TICK = os.sysconf("SC_CLK_TCK")
MINIMAL = {"Prefer": "return=minimal"}
APPLIED = "Preference-Applied"


def cpu_s(pid: int) -> float:
    """The process's user and system time so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=3000)
    args = parser.parse_args()
    run.OUT.mkdir(exist_ok=True)
    db = run.OUT / "cpu.sqlite"
    engine = run.fresh_sqlite(db)
    loaded = gen.load(engine, args.claims, (100,))
    creates, _ = run.creates(engine, args.creates + 50)
    batches, _ = run.bulks(engine, 4, 1000)
    engine.dispose()
    port = free_port()
    env = {**os.environ, **run.claimtrack_env(f"sqlite:///{db}")}
    log = (run.OUT / "cpu.log").open("wb")
    cmd = [*run.uvicorn("app.main:app"), "--port", str(port)]
    server = subprocess.Popen(cmd, cwd=run.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    tags = itertools.count()
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        headers = {"Authorization": f"Bearer {loaded.key}", "Content-Type": "application/json"}

        def post(
            path: str, body: bytes | None, *, new: bool = True, minimal: bool = False
        ) -> float:
            """The server's CPU time for one request, in ms (`new`: the run's mark filled;
            `minimal`: `Prefer: return=minimal`)."""
            assert body is not None
            if new:
                body = body.replace(run.NEW.encode(), f"cpu.{next(tags)}".encode())
            sent = {**headers, **MINIMAL} if minimal else headers
            before = cpu_s(server.pid)
            conn.request("POST", path, body=body, headers=sent)
            response = conn.getresponse()
            response.read()
            assert response.status in (200, 201), response.status
            assert (response.getheader(APPLIED) is not None) == minimal
            return (cpu_s(server.pid) - before) * 1000

        def rounds(*, new: bool) -> dict[bool, list[float]]:
            """The batches posted in four rounds, every other one with the minimal answer,
            the other ones each round: each answer gets half of every round."""
            took: dict[bool, list[float]] = {False: [], True: []}
            for n in range(4):
                for i, (_, path, body) in enumerate(batches):
                    minimal = (i + n) % 2 == 1
                    took[minimal].append(post(path, body, new=new, minimal=minimal))
            return took

        for _, path, body in creates[:50]:  # warm-up
            post(path, body)
        started = cpu_s(server.pid)
        for _, path, body in creates[50:]:
            post(path, body)
        per_create = (cpu_s(server.pid) - started) * 1000 / args.creates
        first = [post(path, body) for _, path, body in batches]
        joining = rounds(new=True)
        for _, path, body in batches:  # stored with the mark as it is, to be posted again
            post(path, body, new=False)
        again = rounds(new=False)
    finally:
        server.send_signal(2)
        server.wait(30)
    print(f"single create, a new claim: {per_create:.2f} ms CPU (mean of {args.creates:,})")
    print(f"bulk, 1,000 new claims: {_median(first)} (whole answer)")
    for name, took in (
        ("bulk, 1,000 new claims joining open flags", joining),
        ("bulk, 1,000 claims stored before", again),
    ):
        print(f"{name}, whole answer: {_median(took[False])}")
        print(f"{name}, Prefer: return=minimal: {_median(took[True])}")


def _median(took: list[float]) -> str:
    """Median and mean: /proc counts in ticks of 10 ms, the mean of many resolves finer."""
    mid, mean = statistics.median(took), statistics.fmean(took)
    return f"{mid:.0f} ms CPU (median; mean {mean:.1f}; {[round(t) for t in took]})"


if __name__ == "__main__":
    main()
