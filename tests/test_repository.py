"""The repository stands alone: a fresh clone with nothing beside it runs and tests."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The design folder beside the repository on the team's machines, as a relative path or as a
# pathlib segment; spelled so that this file does not match itself.
OUTSIDE = re.compile(
    r"\.\./" + "shared" + r"""|["']shared["']\s*/|/\s*["']shared["']|Path\(\s*["']shared["']"""
)


def _readers_outside(paths: list[Path]) -> list[str]:
    # Hidden folders are not the project's (bench/.venv holds the benchmark's own tools).
    ours = [p for p in paths if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]
    return [str(p.relative_to(ROOT)) for p in ours if OUTSIDE.search(p.read_text("utf-8"))]


def test_nothing_in_the_repository_reads_the_folder_beside_it() -> None:
    paths = [
        *(ROOT / "app").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "alembic").rglob("*.py"),
        ROOT / "Makefile",
        ROOT / "pyproject.toml",
    ]
    assert _readers_outside(paths) == []
