"""Unknown query parameters refused: a misspelt filter (`?entitty=`) is a 422 naming it, not a
silently unfiltered answer. Every route's parameters are what it declares (and its OpenAPI
operation lists); `known_query` is an app-wide dependency, so no route can forget it."""

import difflib

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.core.errors import FieldProblem, InvalidInput


class UnknownParameter(InvalidInput):
    code = "unknown_parameter"
    title = "Unknown query parameter"


def declared_query(route: APIRoute) -> frozenset[str]:
    """The query parameters a route reads: its own and its dependencies', by their names in
    the URL (aliases: `from`, `to`)."""
    names: set[str] = set()
    stack: list[Dependant] = [route.dependant]
    while stack:
        dependant = stack.pop()
        names.update(param.alias for param in dependant.query_params)
        stack.extend(dependant.dependencies)
    return frozenset(names)


_KEPT = "_claimtrack_query"  # on the route: routes compare by value, so no dict can key them


def _declared(route: APIRoute) -> frozenset[str]:
    found: frozenset[str] | None = getattr(route, _KEPT, None)
    if found is None:
        found = declared_query(route)
        setattr(route, _KEPT, found)
    return found


def _problem(name: str, allowed: frozenset[str]) -> FieldProblem:
    close = difflib.get_close_matches(name.lower(), sorted(allowed), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return FieldProblem(field=name, problem=f"unknown query parameter{hint}")


async def known_query(request: Request) -> None:
    """Refuse the request when its query names a parameter its route does not declare."""
    route = request.scope.get("route")
    if not request.scope.get("query_string") or not isinstance(route, APIRoute):
        return
    allowed = _declared(route)
    given = dict.fromkeys(name for name, _ in request.query_params.multi_items())
    unknown = [name for name in given if name not in allowed]
    if not unknown:
        return
    errors = [_problem(name, allowed) for name in unknown]
    takes = ", ".join(sorted(allowed)) if allowed else "no query parameters"
    detail = "; ".join(f"{e.field}: {e.problem}" for e in errors)
    raise UnknownParameter(
        f"{detail} (this operation takes {takes})", field=unknown[0], errors=errors
    )
