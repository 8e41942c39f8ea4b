"""A database of its own for each reliability test, with committed data."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.reliability.harness import ScratchDb, scratch_database


@pytest.fixture
def scratch(engine: Engine, tmp_path: Path) -> Iterator[ScratchDb]:
    with scratch_database(engine, tmp_path, "db") as db:
        yield db
