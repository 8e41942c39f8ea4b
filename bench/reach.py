"""How far the bulk floor is within reach of any code: the rows the bulk imports really wrote,
inserted again bare.

After the bulk workload, the rows that the last 1,000 imported claims wrote (the claims and
every row written with them: flags, flag members, events, ...) are deleted and inserted again
with `sqlite3` `executemany`, in one transaction that is rolled back, on the server's core. No
HTTP, no parsing, no checks, no response and no commit: only the writes an import cannot skip.
When that rate is under the floor, no code on this design meets it.
"""

import os
import re
import sqlite3
import statistics
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path


def written_by_the_database(conn: sqlite3.Connection) -> set[str]:
    """Tables the database writes itself: those its triggers insert into (the search index) and
    the full-text tables with their shadow tables. Inserting the claims again writes them again
    through the triggers, so they are not copied by hand."""
    triggers = [
        sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
    ]
    targets = {t for body in triggers for t in re.findall(r"INSERT INTO (\w+)", body)}
    virtual = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    tables = [
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    shadows = {t for t in tables for v in virtual if t == v or t.startswith(f"{v}_")}
    return targets | shadows


def last_rowids(db: Path) -> dict[str, int]:
    """The highest rowid of every table an import writes, to tell afterwards which rows a
    workload added."""
    with closing(sqlite3.connect(db)) as conn:
        skipped = written_by_the_database(conn)
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%WITHOUT ROWID%'"
            )
            if name not in skipped
        ]
        return {
            t: conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{t}"').fetchone()[0]
            for t in tables
        }


@dataclass(frozen=True)
class Reach:
    claims_s: float  # claims a second, their rows inserted bare
    insert_ms: float  # median time to insert the rows of `claims` claims
    claims: int
    rows_per_claim: dict[str, float]  # table -> rows the workload wrote there per claim

    def note(self) -> str:
        rows = ", ".join(f"{t} {n:.2f}" for t, n in self.rows_per_claim.items())
        total = sum(self.rows_per_claim.values())
        return f"{total:.1f} rows a claim ({rows}); {self.insert_ms:.1f} ms a {self.claims:,}"


def bare_insert(
    db: Path, before: dict[str, int], core: int, *, claims: int = 1000, repeats: int = 5
) -> Reach:
    """Insert again, bare, the rows the last `claims` claims wrote since `before`."""
    now = last_rowids(db)
    grown = {t: now[t] - before.get(t, 0) for t in now if now[t] > before.get(t, 0)}
    imported = grown["claims"]
    per_claim = {t: n / imported for t, n in sorted(grown.items(), key=lambda x: -x[1])}
    affinity = os.sched_getaffinity(0)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        batches = {}
        for table, share in per_claim.items():
            limit = max(1, round(share * claims))
            rows = conn.execute(
                f'SELECT rowid, * FROM "{table}" ORDER BY rowid DESC LIMIT ?', (limit,)
            ).fetchall()
            batches[table] = (min(r[0] for r in rows), [r[1:] for r in rows[::-1]])
        os.sched_setaffinity(0, {core})
        took = []
        for _ in range(repeats):
            conn.execute("BEGIN IMMEDIATE")
            for table, (first, _rows) in batches.items():
                conn.execute(f'DELETE FROM "{table}" WHERE rowid >= ?', (first,))
            started = time.perf_counter()
            for table, (_first, rows) in batches.items():
                marks = ", ".join("?" * len(rows[0]))
                conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
            took.append(time.perf_counter() - started)
            conn.execute("ROLLBACK")
    finally:
        os.sched_setaffinity(0, affinity)
        conn.close()
    median = statistics.median(took)
    return Reach(claims / median, median * 1000, claims, per_claim)
