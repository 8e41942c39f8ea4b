"""Batches of rows (bulk claims, observations): every bad row named by number, none kept."""

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.core.errors import AppError, FieldProblem, InvalidInput, field_path

M = TypeVar("M", bound=BaseModel)


def rejected(problems: Sequence[FieldProblem]) -> InvalidInput:
    """The batch's one error: the first bad row in the detail, up to 100 of them listed."""
    first = problems[0]
    return InvalidInput(
        f"row {first.row}: {first.field}: {first.problem}; nothing was stored",
        field=first.field,
        errors=list(problems[:100]),
    )


def validate_rows(model: type[M], raw: Sequence[Any], *, max_rows: int) -> list[M]:
    """Each row validated as `model`; rows count from 1, and fields read `[3].kind`."""
    if not raw:
        raise InvalidInput("the batch is empty", field="body")
    if len(raw) > max_rows:
        raise InvalidInput(f"at most {max_rows} rows per batch", field="body")
    rows: list[M] = []
    problems: list[FieldProblem] = []
    for number, item in enumerate(raw, start=1):
        try:
            rows.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                field = f"[{number}].{field_path(err['loc'])}" if err["loc"] else f"[{number}]"
                problems.append(FieldProblem(row=number, field=field, problem=err["msg"]))
    if problems:
        raise rejected(problems)
    return rows


def row_failed(number: int, exc: AppError) -> InvalidInput:
    """A row that failed while being stored, as the batch's error naming that row."""
    field = f"[{number}].{exc.field}" if exc.field else f"[{number}]"
    return rejected([FieldProblem(row=number, field=field, problem=exc.detail or exc.title)])
