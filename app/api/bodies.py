"""Request bodies read whole on the event loop (JSON or CSV imports)."""

from fastapi import Request


async def raw_body(request: Request) -> bytes:
    """Read on the event loop, so that the import itself can run in the thread pool."""
    return await request.body()
