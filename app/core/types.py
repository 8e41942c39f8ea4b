"""Column types: exact decimals on both databases."""

from decimal import Context, Decimal
from typing import Any

from sqlalchemy import Dialect, String
from sqlalchemy.dialects.postgresql import NUMERIC
from sqlalchemy.types import TypeDecorator, TypeEngine


class ExactDecimal(TypeDecorator[Decimal]):
    """NUMERIC on PostgreSQL; text on SQLite, whose REAL would round 16.45e9 + 0.005."""

    impl = String(64)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(NUMERIC())
        return dialect.type_descriptor(String(64))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return value
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


def decimal_text(value: Decimal | None) -> str | None:
    """A Decimal as plain digits: 16500000000, never 1.65E+10; every digit kept (normalize in
    the default context would round to 28 of the 30 a value may have)."""
    if value is None:
        return None
    exact = Context(prec=max(1, len(value.as_tuple().digits)))
    return format(value.normalize(exact), "f")
