"""Event-loop helpers: one object per running loop (a server has one loop, a test client may run
several, and asyncio locks and semaphores belong to the loop they were first used in), and jobs
the server runs on a timer while it serves."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

T = TypeVar("T")


class PerLoop(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: WeakKeyDictionary[asyncio.AbstractEventLoop, T] = WeakKeyDictionary()

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        found = self._made.get(loop)
        if found is None:
            found = self._made[loop] = self._make()
        return found


@asynccontextmanager
async def every(seconds: float, job: Callable[[], Awaitable[None]]) -> AsyncIterator[None]:
    """Lifespan: `job` runs every `seconds` (0: never) while the app serves."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(seconds)
            await job()

    task = asyncio.create_task(loop()) if seconds > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
