"""The server checks targets and staleness on its own, on a timer."""

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.core.config import Settings, get_settings
from app.core.db import make_engine
from app.demo.load import load
from app.flows import notify, observations
from app.indicators import schedule
from app.main import create_app
from app.review.models import Flag, FlagStatus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A migrated SQLite file with the demo, which the scheduled check reads and commits to."""
    engine = make_engine(Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}"))
    with engine.begin() as conn:
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with monkeypatch.context() as m, Session(engine) as session, session.begin():
        # Loaded as the briefings came out: only the yearly and quarterly histories whose newest
        # value ends more than two periods earlier are late already.
        m.setattr(observations, "utcnow", lambda: datetime(2026, 6, 2, tzinfo=UTC))
        load(session)
    monkeypatch.setattr(schedule, "get_engine", lambda: engine)
    return engine


def _open_flags(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.execute(
            select(col(Flag.kind), func.count())
            .where(
                col(Flag.status) == FlagStatus.OPEN,
                col(Flag.kind).in_(["stale", "target_missed"]),
            )
            .group_by(col(Flag.kind))
        ).all()
    return {str(kind): n for kind, n in rows}


def test_scheduled_check_opens_flags_once(demo_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "utcnow", lambda: datetime(2027, 3, 1, tzinfo=UTC))
    # EAEU (2022), GDP and yearly industry (2023), quarterly industry (2024-Q1)
    assert _open_flags(demo_db) == {"stale": 4}
    assert schedule.run_check() == 14
    opened = _open_flags(demo_db)
    # Nine months on, the two weekly series and the four histories ending in 2024 (China and EU
    # trade, the Middle Corridor, oil output) are late too. The EAEU's "more than $100 billion"
    # in 2026 is a flow's target, 2026's total: with no 2026 value yet it is not judged missed
    # (the series' stale flag says the data are late), as it was when read as a level.
    assert opened == {"stale": 10}
    assert schedule.run_check() == 14
    assert _open_flags(demo_db) == opened


def _mark(ran: threading.Event) -> int:
    ran.set()
    return 0


def test_server_runs_the_check_on_its_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = threading.Event()
    writers: list[object] = []

    def run(writer: object) -> int:
        writers.append(writer)
        return _mark(ran)

    monkeypatch.setattr(schedule, "run_check", run)
    app = create_app(get_settings().model_copy(update={"check_interval_minutes": 0.001}))
    with TestClient(app):
        assert ran.wait(10) is True
    # The flows' writer: webhooks of the flags opened and of the targets time moved.
    assert writers[0] is notify.write_checked


def test_interval_zero_runs_no_check(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = threading.Event()
    monkeypatch.setattr(schedule, "run_check", lambda *_: _mark(ran))
    app = create_app(get_settings().model_copy(update={"check_interval_minutes": 0}))
    with TestClient(app):
        assert ran.wait(0.5) is False
