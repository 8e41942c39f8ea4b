"""The server keeps its memory flat: capped malloc arenas, freed pages handed back on a timer."""

import gc
import threading

import pytest
from fastapi.testclient import TestClient

from app.core import memory
from app.core.config import get_settings
from app.flows.views import COMPANIONS
from app.main import create_app


def _app_trimming_every(seconds: float, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    trimmed = threading.Event()

    def trim() -> bool:
        trimmed.set()
        return True

    monkeypatch.setattr(memory, "trim", trim)
    settings = get_settings().model_copy(
        update={"memory_trim_interval_s": seconds, "check_interval_minutes": 0}
    )
    with TestClient(create_app(settings)):
        trimmed.wait(0.5)
    return trimmed


def test_the_server_trims_the_heap_on_its_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _app_trimming_every(0.01, monkeypatch).is_set() is True


def test_interval_zero_never_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _app_trimming_every(0, monkeypatch).is_set() is False


def test_glibc_takes_the_arena_cap_and_trims() -> None:
    # The suite runs on glibc (CI and the servers alike): both calls must reach it.
    assert memory.cap_malloc_arenas() is True
    assert isinstance(memory.trim(), bool)
    assert memory._glibc() is not None


def test_start_up_freezes_what_it_built_out_of_the_collectors_walk() -> None:
    # Built at import, long before any request: a full collection must not walk it again.
    built_at_import = COMPANIONS
    settings = get_settings().model_copy(
        update={"memory_trim_interval_s": 0, "check_interval_minutes": 0}
    )
    with TestClient(create_app(settings)):
        walked = gc.get_objects()
        assert any(o is built_at_import for o in walked) is False
