"""Mutation testing of the pure rule modules by their own fast unit tests: `make mutation`.

Not part of `make test` nor of CI's run. For each module of `MODULES`, mutmut 3 runs in a scratch
copy of the repository (`app/`, `tests/`, `alembic*`, `pyproject.toml`), set to mutate that module
only and to run only its unit tests (never the HTTP tests, which reach the same code slowly).
Prints, per module, the mutants killed out of all generated ones (a mutant no test reaches counts
as surviving) and the survivors by name; exits 1 when a module scores under `FLOOR`.

    .venv/bin/python -m tests.mutation [--jobs N] [--keep] [MODULE ...]

`--keep` leaves the scratch copies, for `mutmut show NAME` / `mutmut browse` run inside them.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = 0.90

# Module -> its fast unit tests, the only tests run against its mutants.
MODULES: dict[str, list[str]] = {
    "app/review/rules.py": ["tests/review/test_rules.py", "tests/review/test_verify.py"],
    "app/quantities/intervals.py": ["tests/quantities/test_intervals.py"],
    "app/review/conflict_key.py": ["tests/review/test_conflict_key.py"],
}

# Survivors looked at, and why no unit test kills them. mutmut numbers mutants in source order,
# so an edit above one renames it: check these again when the list of survivors changes.
EXPLAINED: dict[str, str] = {
    "app.review.rules.x__basis__mutmut_4": "equivalent: words joined by 'XX XX' instead of ' '; "
    "the normalised basis is only compared for equality, and as words hold no space the joined "
    "text still tells them apart: two bases are equal after the mutation exactly when before",
    "app.review.rules.x__publisher__mutmut_4": "not equivalent, but killed only by a test that "
    "pins a defect: with ' ', a publisher named 'Source 20' equals the stand-in of a source "
    "with no publisher and id 20, so two different sources count as one publisher",
    **dict.fromkeys(
        (f"app.review.conflict_key.x__named__mutmut_{n}" for n in (4, 7, 8)),
        "equivalent for every call the types allow: zip without strict=True differs only on a "
        "key of another length than KEY_COLUMNS, and on_key passes five parts, keys_json's keys "
        "are typed as five",
    ),
}

COPIED = ("app", "tests", "alembic", "alembic.ini", "pyproject.toml")
CAUGHT = ("killed", "timeout")  # a mutant that makes a test hang is caught too
RESULT = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


def settings(module: str, tests: list[str]) -> str:
    """The [tool.mutmut] table of one module's run."""

    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(f'"{i}"' for i in items) + "]"

    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["app"]\n'
        f"only_mutate = {toml_list([module])}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        # Hypothesis's own "ci" profile: no deadline (mutmut's trampolines slow every call).
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:xdist", "-q", '
        '"--hypothesis-profile=ci"]\n'
        "use_git_change_detection = false\n"
    )


def scratch(module: str, tests: list[str]) -> Path:
    where = Path(tempfile.mkdtemp(prefix="claimtrack-mutation-"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, where / name, ignore=ignore)
        else:
            shutil.copy2(source, where / name)
    with (where / "pyproject.toml").open("a") as f:
        f.write(settings(module, tests))
    return where


def mutate(module: str, tests: list[str], jobs: int, keep: bool) -> tuple[Counter[str], list[str]]:
    """Run mutmut on one module: the count of each status, and the names of the survivors."""
    where = scratch(module, tests)
    mutmut = str(Path(sys.executable).parent / "mutmut")
    try:
        run = subprocess.run(  # noqa: S603
            [mutmut, "run", "--max-children", str(jobs)],
            cwd=where,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            sys.stdout.write(run.stdout[-4000:] + run.stderr[-4000:])
            raise SystemExit(f"mutmut run failed on {module} (exit {run.returncode})")
        listed = subprocess.run(  # noqa: S603
            [mutmut, "results", "--all", "true"],
            cwd=where,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        if keep:
            print(f"{module}: scratch copy kept in {where}")
        else:
            shutil.rmtree(where, ignore_errors=True)
    statuses = {
        m["name"]: m["status"] for line in listed.stdout.splitlines() if (m := RESULT.match(line))
    }
    alive = sorted(f"{n} ({s})" for n, s in statuses.items() if s not in CAUGHT)
    return Counter(statuses.values()), alive


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    args = parser.parse_args()
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"not a module of MODULES: {', '.join(sorted(unknown))}")
    below = []
    for module in args.modules or MODULES:
        counts, alive = mutate(module, MODULES[module], args.jobs, args.keep)
        total = sum(counts.values())
        caught = sum(counts[s] for s in CAUGHT)
        score = caught / total if total else 0.0
        detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        print(f"{module}: {caught}/{total} killed ({score:.1%}; {detail})")
        for name in alive:
            why = EXPLAINED.get(name.split(" ")[0])
            print(f"    alive: {name}" + (f"\n        {why}" if why else ""))
        if score < FLOOR:
            below.append(module)
    if below:
        print(f"under {FLOOR:.0%}: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
