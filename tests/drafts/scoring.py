"""Scoring drafted figures against the labelled set (labelled.toml beside this file).

Used by the suite (test_quality.py) and by the benchmark (bench/drafts.py), so both score the
same way. A draft is matched to the labelled figure its span overlaps, one to one, the longest
overlaps first; a draft matched to no figure is a false one (a year, a date, an ordinal or
nothing at all). Readings are scored on the figures found: a figure missed is counted once, in
recall, and not again in every other column.

A proposal of entity or metric counts as right when, compared as word sets (case-folded, dashes
and punctuation made spaces, "the", "of", "and", "'s" dropped), it names one of the label's names
(alternatives separated by " | ") in plain words: it holds every word of the name and adds at most
two ("natural gas exports" for "gas exports"), or it holds the name's head word (the last word
before "of", "to", "from", "in", "as", "for", "with", "between" or a bracket: "exports" in
"exports to Kazakhstan", "port" in "Aktau Commercial Sea Port") and at least half of its other
words ("Exports" for "exports to Kazakhstan", "the Aktau port" for "Aktau port"). A word of the
name alone that is not its head is not the name: "Kazakhstan" is not "Kazakhstan-Turkiye trade",
"GDP" not "capital expenditure as a percentage of GDP", "Fund" not "National Fund of
Kazakhstan". The names read from a draft are its chosen entity (metric): the `claim` object's, and
the proposal's own name where the proposal is an object or a string.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

LABELS = Path(__file__).resolve().parent / "labelled.toml"
# Gathered after the extractor landed, to measure changes on paragraphs they were not made for.
HELDOUT = Path(__file__).resolve().parent / "heldout.toml"

BOUNDS = frozenset(("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range"))
FIGURE_TYPES = frozenset(("level", "change", "multiple", "share"))
KINDS = frozenset(("actual", "estimate", "projection", "target", "commitment"))

# The score names, in the order the table prints them.
COLUMNS = (
    "recall",
    "precision",
    "value",
    "bound",
    "value_and_bound",
    "figure_type",
    "period",
    "kind",
    "entity",
    "metric",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlap(self, other: Span) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class Figure:
    span: Span
    row: Mapping[str, Any]


@dataclass(frozen=True)
class Paragraph:
    id: str
    url: str
    asserted_on: str
    text: str
    figures: tuple[Figure, ...]
    skipped: tuple[Span, ...]


def locate(text: str, written: str, occurrence: int = 1) -> Span:
    """The span of the `occurrence`-th appearance of `written` in `text`; ValueError if none."""
    start = -1
    for _ in range(occurrence):
        start = text.find(written, start + 1)
        if start < 0:
            raise ValueError(f"{written!r} (occurrence {occurrence}) is not in the paragraph")
    return Span(start, start + len(written))


def load(path: Path = LABELS) -> list[Paragraph]:
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["paragraph"]
    paragraphs = []
    for row in rows:
        text = row["text"]
        figures = tuple(
            Figure(locate(text, f["text"], f.get("occurrence", 1)), f)
            for f in row.get("figure", [])
        )
        skipped = tuple(
            locate(text, s["text"], s.get("occurrence", 1)) for s in row.get("skipped", [])
        )
        paragraphs.append(
            Paragraph(row["id"], row["url"], row["asserted_on"], text, figures, skipped)
        )
    return paragraphs


# --- matching ------------------------------------------------------------------------------------


def match(figures: Sequence[Figure], drafted: Sequence[Span]) -> dict[int, int]:
    """Figure index -> draft index, one to one, the longest overlaps first."""
    pairs = sorted(
        (
            (-figure.span.overlap(span), i, j)
            for i, figure in enumerate(figures)
            for j, span in enumerate(drafted)
            if figure.span.overlap(span) > 0
        ),
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


_STOP = frozenset(("the", "of", "and", "s", "a", "an"))
# Words that end a name's head phrase ("exports [to Kazakhstan]"), and are no content words.
_TAIL = frozenset(("of", "to", "from", "in", "as", "for", "with", "between", "on", "by", "at"))
EXTRA_WORDS = 2  # words a proposal may add to every word of a name


def words(name: str) -> frozenset[str]:
    spaced = re.sub(r"[\W_]+", " ", name.casefold().replace("'s", " "))
    return frozenset(w for w in spaced.split() if w not in _STOP)


def head(name: str) -> str | None:
    """The name's head word: the last word before its first "of", "to", ... or bracket."""
    before = re.split(r"[(\[]", name.casefold().replace("'s", " "), maxsplit=1)[0]
    kept: list[str] = []
    for word in re.sub(r"[\W_]+", " ", before).split():
        if word in _TAIL and kept:
            break
        if word not in _STOP:
            kept.append(word)
    return kept[-1] if kept else None


def _names_one(name: str, label: str) -> bool:
    got, want = words(name), words(label)
    if not got or not want:
        return False
    if got >= want:
        return len(got - want) <= EXTRA_WORDS
    content = want - _TAIL
    return got <= want and head(label) in got and 2 * len(got & content) >= len(content)


def name_matches(label: str, proposed: Iterable[str]) -> bool:
    """The rule of this module's docstring."""
    names = list(proposed)
    return any(_names_one(name, alt) for alt in label.split("|") for name in names)


def proposed_names(draft: Mapping[str, Any], key: str) -> list[str]:
    """The names a draft chose for its entity or metric (`key`)."""
    names: list[str] = []
    claim = draft.get("claim")
    if isinstance(claim, Mapping) and isinstance(claim.get(key), str):
        names.append(claim[key])
    proposal = draft.get(key)
    if isinstance(proposal, str):
        names.append(proposal)
    elif isinstance(proposal, Mapping):
        names += [
            proposal[k] for k in ("name", "alias", "slug") if isinstance(proposal.get(k), str)
        ]
    return names


# --- readings ------------------------------------------------------------------------------------


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def value_right(label: Mapping[str, Any], value: object, unit: object) -> bool:
    """Same unit and the same number, to a part in a billion (conversions of rates)."""
    got, want = _decimal(value), Decimal(label["value"])
    if got is None or unit != label["unit"]:
        return False
    return abs(got - want) <= abs(want) * Decimal("1e-9")


def _day(value: object) -> str:
    return "" if value is None else str(value)[:10]


def reading(draft: Mapping[str, Any], key: str) -> Any:
    """A field of the draft, else of its `claim` object."""
    if key in draft:
        return draft[key]
    claim = draft.get("claim")
    return claim.get(key) if isinstance(claim, Mapping) else None


def judge(label: Mapping[str, Any], draft: Mapping[str, Any]) -> dict[str, bool]:
    """Which readings of a found figure are right."""
    value = value_right(label, reading(draft, "value"), reading(draft, "unit"))
    bound = reading(draft, "bound") == label["bound"]
    period = (
        _day(reading(draft, "period_start")) == label["period_start"]
        and _day(reading(draft, "period_end")) == label["period_end"]
    )
    return {
        "value": value,
        "bound": bound,
        "value_and_bound": value and bound,
        "figure_type": reading(draft, "figure_type") == label["figure_type"],
        "period": period,
        "kind": reading(draft, "kind") == label["kind"],
        "entity": name_matches(label["entity"], proposed_names(draft, "entity")),
        "metric": name_matches(label["metric"], proposed_names(draft, "metric")),
    }


@dataclass
class Tally:
    """Counts over the set; `scores` turns them into fractions."""

    figures: int = 0
    drafts: int = 0
    found: int = 0
    skipped_drafted: int = 0
    right: dict[str, int] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(
        self,
        paragraph: Paragraph,
        drafted: Sequence[Span],
        judged: Mapping[int, dict[str, bool]],
    ) -> None:
        """One paragraph: its drafts' spans and, per figure found, the readings judged."""
        matched = match(paragraph.figures, drafted)
        self.figures += len(paragraph.figures)
        self.drafts += len(drafted)
        self.found += len(matched)
        for i, figure in enumerate(paragraph.figures):
            if i not in matched:
                self.missed.append(f"{paragraph.id}: {figure.row['text']!r}")
        for j, span in enumerate(drafted):
            if j not in matched.values():
                self.false.append(f"{paragraph.id}: {paragraph.text[span.start : span.end]!r}")
                if any(span.overlap(s) for s in paragraph.skipped):
                    self.skipped_drafted += 1
        for i in matched:
            for column, ok in judged[i].items():
                self.right[column] = self.right.get(column, 0) + int(ok)

    def scores(self) -> dict[str, float]:
        found = self.found or 1
        result = {
            "recall": self.found / (self.figures or 1),
            "precision": self.found / (self.drafts or 1),
        }
        result |= {c: self.right.get(c, 0) / found for c in COLUMNS[2:]}
        return result


def score_response(
    tally: Tally,
    paragraph: Paragraph,
    drafts: Sequence[Mapping[str, Any]],
    absent: Iterable[str] = (),
) -> None:
    """Score one paragraph's `POST /api/v1/drafts` drafts into `tally`; the `absent` columns
    (readings an extractor does not make) count as wrong, even where the label is empty."""
    spans = [Span(int(d["span"]["start"]), int(d["span"]["end"])) for d in drafts]
    matched = match(paragraph.figures, spans)
    never = frozenset(absent)
    judged = {
        i: {
            c: ok and c not in never for c, ok in judge(paragraph.figures[i].row, drafts[j]).items()
        }
        for i, j in matched.items()
    }
    tally.add(paragraph, spans, judged)


def table(rows: Mapping[str, Mapping[str, float]]) -> str:
    """A markdown table: one row per extractor, one column per score."""
    head = "| extractor | " + " | ".join(COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(COLUMNS)
    body = [
        f"| {name} | " + " | ".join(f"{scores[c]:.3f}" for c in COLUMNS) + " |"
        for name, scores in rows.items()
    ]
    return "\n".join([head, rule, *body])
