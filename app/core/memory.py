"""Keep the server's memory flat under many threads: cap glibc's malloc arenas.

glibc gives each thread that allocates under contention an arena of its own (up to eight per
core) and rarely hands their freed pages back, so a thread pool that once ran many requests at
once keeps that peak for ever. Two arenas is what MALLOC_ARENA_MAX=2 would set; it must be set
before the worker threads start. Elsewhere than glibc this does nothing.
"""

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # from glibc's malloc.h


def cap_malloc_arenas(arenas: int = 2) -> bool:
    """True when glibc took the setting."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False
