"""Parameter types shared by routes: ids that fit the database's integer columns."""

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2_147_483_647

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
