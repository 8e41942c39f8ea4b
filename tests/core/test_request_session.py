"""The request's session dependency (`core.sessions.get_session`) on a request that fails: a
session that began a transaction is rolled back in the thread pool; one refused before its
first statement is closed where it is, without a hop."""

import asyncio
from collections.abc import AsyncGenerator
from typing import Any, cast

import pytest
from sqlalchemy import text
from starlette.requests import Request

from app.core import sessions


def _request(method: str) -> Request:
    return Request({"type": "http", "method": method, "headers": [], "app": None})


def _fail(began: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Any]:
    """Run the dependency for a GET whose handler raises (after a statement, when `began`):
    the names of what it sent to the thread pool, and the session it gave."""
    hops: list[str] = []
    real = getattr(sessions, "run_in_threadpool")  # noqa: B009 (imported there, not exported)

    async def counted(fn: Any, *args: Any) -> Any:
        hops.append(fn.__name__)
        return await real(fn, *args)

    monkeypatch.setattr(sessions, "run_in_threadpool", counted)

    async def go() -> Any:
        dependency = cast(AsyncGenerator[Any, None], sessions.get_session(_request("GET")))
        session = await anext(dependency)
        if began:
            session.execute(text("SELECT 1"))
        with pytest.raises(LookupError):
            await dependency.athrow(LookupError("the handler failed"))
        return session

    return hops, asyncio.run(go())


def test_a_request_refused_before_its_first_statement_costs_no_hop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hops, session = _fail(False, monkeypatch)
    assert hops == []
    assert session.in_transaction() is False


def test_a_request_that_failed_in_its_transaction_is_rolled_back_in_the_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hops, session = _fail(True, monkeypatch)
    assert hops == ["_rollback"]
    assert session.in_transaction() is False
