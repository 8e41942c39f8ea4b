"""Keep the server's memory flat: cap glibc's malloc arenas, and hand freed pages back.

glibc gives each thread that allocates under contention an arena of its own (up to eight per
core) and rarely hands their freed pages back, so a thread pool that once ran many requests at
once keeps that peak for ever. Two arenas is what MALLOC_ARENA_MAX=2 would set; it must be set
before the worker threads start. Freed memory in the middle of the heap (a burst of large
answers, a storm of refused requests) stays with the process too, until malloc_trim returns
it: the server trims every few seconds. Elsewhere than glibc this does nothing.
"""

import ctypes
import ctypes.util
import gc
from functools import lru_cache

from starlette.concurrency import run_in_threadpool

M_ARENA_MAX = -8  # from glibc's malloc.h


@lru_cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def cap_malloc_arenas(arenas: int = 2) -> bool:
    """True when glibc took the setting."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, arenas))


def trim() -> bool:
    """Hand the heap's free pages back to the system; True when some were."""
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0))


async def trim_soon() -> None:
    await run_in_threadpool(trim)  # glibc walks the heap; the event loop goes on


@lru_cache  # once a process: what the first start-up built is what stays for its lifetime
def freeze_startup_heap() -> int:
    """Put what start-up built (modules, models, routes, mappers) out of the cyclic collector's
    reach; the number of objects frozen.

    A full collection walks every tracked object: some 180,000 after start-up, 86 ms on the
    benchmark machine, a pause that every request in flight waits out (in the mixed load it
    came every couple of seconds and made the p99). Frozen, they are never walked again, and a
    full collection walks only what requests left behind."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
