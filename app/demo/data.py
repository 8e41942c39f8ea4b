"""The demo data set, read from the TOML files beside this module: sources.toml, entities.toml
(entities and metrics), claims.toml and indicators.toml."""

import tomllib
from importlib.resources import files
from typing import Any, Final

Row = dict[str, Any]

# The fields of a row of each kind, in order; the loader passes them on by name.  TOML has no
# null, so a row leaves out what is unknown: only the fields in the second set may be left out,
# and read as None.
_FIELDS: Final[dict[str, tuple[tuple[str, ...], frozenset[str]]]] = {
    "sources": (
        ("key", "url", "title", "publisher", "published_on", "kind", "derived_from"),
        frozenset({"published_on"}),
    ),
    "entities": (("slug", "name", "aliases"), frozenset()),
    "metrics": (("slug", "name", "dimension", "unit"), frozenset()),
    "claims": (
        (
            "entity",
            "metric",
            "value_text",
            "period",
            "kind",
            "basis",
            "stated_by",
            "asserted_on",
            "statement",
            "citations",
            "tags",
        ),
        frozenset({"period", "basis"}),
    ),
    "indicators": (
        (
            "name",
            "slug",
            "question",
            "entity",
            "metric",
            "unit",
            "frequency",
            "aggregation",
            "direction",
            "targets",
            "observations",
        ),
        frozenset({"aggregation"}),
    ),
}


class BadDemoData(ValueError):
    """A demo data file has a row with a field it should not have, or without one it needs."""


def parse(text: str, kind: str) -> list[Row]:
    """The rows of one kind in a TOML text, each with all its fields, in order."""
    fields, optional = _FIELDS[kind]
    rows = tomllib.loads(text)[kind]
    for row in rows:
        unknown = sorted(row.keys() - set(fields))
        missing = sorted(set(fields) - optional - row.keys())
        if unknown or missing:
            raise BadDemoData(f"a {kind} row {row}: unknown {unknown}, missing {missing}")
    return [{field: row.get(field) for field in fields} for row in rows]


def _read(file: str, kind: str) -> list[Row]:
    return parse(files("app.demo").joinpath(file).read_text(encoding="utf-8"), kind)


def _targets_name_claims_by_key(indicators: list[Row]) -> list[Row]:
    """A target names its claim by (entity, metric, kind), the key the loader finds claims by."""
    for indicator in indicators:
        for target in indicator["targets"]:
            target["claim"] = tuple(target["claim"])
    return indicators


SOURCES: Final = _read("sources.toml", "sources")
ENTITIES: Final = _read("entities.toml", "entities")
METRICS: Final = _read("entities.toml", "metrics")
CLAIMS: Final = _read("claims.toml", "claims")
INDICATORS: Final = _targets_name_claims_by_key(_read("indicators.toml", "indicators"))

_URLS: Final = {source["key"]: source["url"] for source in SOURCES}
BRIEFING_URL: Final[str] = _URLS["briefing"]
RADIO_URL: Final[str] = _URLS["radio"]
