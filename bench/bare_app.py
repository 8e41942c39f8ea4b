"""The ceiling: a bare FastAPI app with one empty JSON route, served like Claimtrack."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/empty")
async def empty() -> dict[str, str]:
    return {}
