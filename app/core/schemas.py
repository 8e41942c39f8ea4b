"""The base of every request body: unknown fields refused, text that both databases can store."""

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


def check_text(value: Any) -> Any:
    """Refuse NUL and lone surrogates, which PostgreSQL and UTF-8 cannot store."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text may not contain NUL (\\u0000) characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    elif isinstance(value, list):
        for item in value:
            check_text(item)
    return value


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return check_text(value)
