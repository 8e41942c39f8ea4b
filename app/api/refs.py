"""An indicator in a path, by id or by slug: one dependency for every /indicators/{...} route."""

from typing import Annotated

from fastapi import Depends, Path
from starlette.concurrency import run_in_threadpool

from app.core.params import MAX_ID
from app.core.sessions import SessionDep
from app.entities.models import SLUG_PATTERN
from app.indicators import service
from app.indicators.errors import IndicatorNotFound


async def resolve_indicator(
    session: SessionDep,
    indicator_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=100,
            pattern=SLUG_PATTERN,
            description="the indicator's id, or its slug (a slug is never digits alone)",
            examples=["12", "ktz-new-rail-2026"],
        ),
    ],
) -> int:
    """The id the path names: digits are an id (checked by the route that reads it, so an id
    costs no query here), anything else a slug looked up once."""
    if indicator_id.isdigit():
        number = int(indicator_id)
        if not 0 < number <= MAX_ID:
            raise IndicatorNotFound(f"no indicator {indicator_id}")
        return number
    return await run_in_threadpool(service.id_of, session, indicator_id)


IndicatorRef = Annotated[int, Depends(resolve_indicator)]
