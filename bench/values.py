"""CPU time `parse_quantity` spends reading one value text, in process.

    .venv/bin/python -m bench.values [--rounds 5] [--claims 3000] [--profile]

Two sets of texts: (a) the value texts of the first bulk batch of 1,000 claims, made as
`bench/run.py`'s `bulks` makes them, on a fresh SQLite loaded by `bench.gen` (the quick run's
data: "1741.8 mn USD", read with the bench metrics' unit, USD, as the server reads them), and
(b) every row of tests/quantities/real_figures.toml (phrases copied from public pages, the
refused ones too), read without a unit, as the table's test reads them. Each set is read whole
once to warm up, then `--rounds` times; the figure is the median of the rounds, in µs of
`time.process_time` per value (CPU time: steadier than wall-clock time on a shared machine).

Each set's readings (value, unit, bound, interval, figure type; or the refusal's code and
message) are hashed: the same digest before and after a change shows the change read every
text the same. Prints; writes nothing (figures go to bench/RESULTS.md by hand, with the commit).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import platform
import pstats
import statistics
import subprocess
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import orjson

from app.quantities import QuantityError, parse_quantity
from bench import gen, run

REAL_FIGURES = run.ROOT / "tests" / "quantities" / "real_figures.toml"
BENCH_UNIT = "USD"  # the unit of every metric `bench.gen` loads (`conflict_cost.load_names`)

Texts = list[tuple[str, str | None]]


def bench_texts(claims: int) -> Texts:
    """The value texts of the first bulk batch, as `bench.run` posts them."""
    run.OUT.mkdir(exist_ok=True)
    engine = run.fresh_sqlite(run.OUT / "values.sqlite")
    gen.load(engine, claims, ())
    batches, _ = run.bulks(engine, 1, 1000)
    engine.dispose()
    rows = orjson.loads(batches[0][2])
    return [(row["value_text"], BENCH_UNIT) for row in rows]


def real_texts() -> Texts:
    rows = tomllib.loads(REAL_FIGURES.read_text(encoding="utf-8"))["figure"]
    return [(row["text"], None) for row in rows]


def reading(text: str, unit: str | None) -> str:
    """What `parse_quantity` makes of one text, as a line of the digest."""
    try:
        q = parse_quantity(text, default_unit=unit)
    except QuantityError as error:
        return f"{text!r} refused {error.code}: {error.message}"
    i = q.interval
    return (
        f"{text!r} {q.value} {q.unit} {q.dimension} {q.bound} {q.figure_type} "
        f"{i.low} {i.high} {i.low_open} {i.high_open} {q.text!r}"
    )


def digest(texts: Texts) -> str:
    lines = "\n".join(reading(text, unit) for text, unit in texts)
    return hashlib.sha256(lines.encode()).hexdigest()[:16]


def read_all(texts: Texts) -> Callable[[], None]:
    def go() -> None:
        for text, unit in texts:
            try:  # noqa: SIM105 (try costs less than contextlib.suppress in the timed loop)
                parse_quantity(text, default_unit=unit)
            except QuantityError:
                pass

    return go


def us_per_value(texts: Texts, rounds: int) -> list[float]:
    go = read_all(texts)
    go()  # warm-up: the unit tables' caches, the regexes
    out = []
    for _ in range(rounds):
        start = time.process_time()
        go()
        out.append((time.process_time() - start) / len(texts) * 1e6)
    return out


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=run.ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "app/"], cwd=run.ROOT, capture_output=True, text=True
    ).stdout.strip()
    return f"{head} + uncommitted changes in app/" if dirty else head


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--claims", type=int, default=3000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each set")
    args = parser.parse_args()
    sets = {"bench batch": bench_texts(args.claims), "real figures": real_texts()}
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    print(f"- commit: {commit()}")
    print(f"- CPU: {cpu}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    print(f"- Python {platform.python_version()}")
    print("- command: `.venv/bin/python -m bench.values`")
    print()
    print("| texts | values | distinct | median µs/value | rounds (µs/value) | readings digest |")
    print("|---|---:|---:|---:|---|---|")
    for label, texts in sets.items():
        rounds = us_per_value(texts, args.rounds)
        spread = ", ".join(f"{r:.1f}" for r in rounds)
        print(
            f"| {label} | {len(texts):,} | {len(set(texts)):,} | "
            f"{statistics.median(rounds):.1f} | {spread} | `{digest(texts)}` |"
        )
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if args.profile:
        for label, texts in sets.items():
            print(f"\n## {label}")
            profile = cProfile.Profile()
            profile.runcall(read_all(texts))
            pstats.Stats(profile).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
