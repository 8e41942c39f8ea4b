"""`column IN (a list bound as one parameter)`, compiled once for every length of list.

An expanding bind parameter (`column.in_(bindparam(..., expanding=True))`) is rendered anew on
every execution, one placeholder per value, each value passed through its type's processor;
on a page of 50 claims that was a fifth of the request's time. It also gives PostgreSQL a
different statement for every length, so none is ever prepared. Here the list travels as one
parameter: a JSON array that SQLite reads with `json_each`, an array that PostgreSQL compares
with `= ANY`. The statement text is the same for every list, and is cached and prepared once.

One rule comes with it: SQLite cannot tell how long a bound list is, so beside another indexed
condition of low selectivity (`status = 'open'`) it may search by that one and walk every open
flag instead of the few listed ids. Such a condition stays out of the statement and is applied
to the rows read (`status_is` below), and tests/core/test_inlist.py pins each hot statement's
lookup to the listed column.
"""

from collections.abc import Iterable
from typing import Any, Literal

import orjson
from sqlalchemy import BigInteger, Boolean, Date, Text, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

Of = Literal["int", "text", "date"]
_PG_ELEMENT: dict[str, TypeEngine[Any]] = {"int": BigInteger(), "text": Text(), "date": Date()}


class _List(TypeDecorator[list[Any]]):
    """A list bound as one value: a JSON array on SQLite, an array on PostgreSQL."""

    impl = Text
    cache_ok = True

    def __init__(self, of: Of) -> None:
        super().__init__()
        self.of = of

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(_PG_ELEMENT[self.of]))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Iterable[Any] | None, dialect: Dialect) -> Any:
        values = list(value or ())
        if dialect.name == "postgresql":
            return values
        return orjson.dumps(values).decode()  # dates as ISO text, as SQLite stores them


class InList(ColumnElement[bool]):
    """`column IN :name`, where :name is bound to a whole list (see the module)."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it is, not `(...) = 1`
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("param", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], name: str, of: Of) -> None:
        self.column = column
        self.param = bindparam(name, type_=_List(of))


@compiles(InList)
def _in_json_each(element: InList, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    param = compiler.process(element.param, **kw)
    return f"{column} IN (SELECT value FROM json_each({param}))"  # noqa: S608 - compiled SQL


@compiles(InList, "postgresql")
def _any_array(element: InList, compiler: SQLCompiler, **kw: Any) -> str:
    # The driver casts the parameter to its array type (`%(ids)s::BIGINT[]`).
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY({compiler.process(element.param, **kw)})"


def in_list(column: Any, name: str, of: Of = "int") -> ColumnElement[bool]:
    """`column IN` the list bound to `name` at execution (ids by default)."""
    return InList(column, name, of)


def status_is(rows: Iterable[Any], status: str) -> list[Any]:
    """The rows of a statement read by `in_list` that have this status (see the module)."""
    return [r for r in rows if r.status == status]
