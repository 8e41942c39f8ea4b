"""Which entity and which metric a figure is about: the best match among the records known,
with a confidence and the alternatives, or a name proposed from the sentence.

Entities are found where the sentence names one of their aliases (the longest name wins:
"Kazakhstan Temir Zholy" over "Kazakhstan"), in the figure's clause first; a sentence that
goes on with the one before ("Under this framework, ...") is about that one's entity. Metrics
are those of the figure's dimension whose words the figure's clause uses ("900 kilometers of
new rail routes": "New rail length"). A name never found is proposed new, from the sentence:
the subject before the verb, or the words after the figure ("of X"), with the records it is
close to (`NameIndex.close_to`) as alternatives.

Confidence, for the analyst to sort by (not a probability): 0.9 a name said in the figure's
clause before it, 0.8 after it, 0.7 elsewhere in the sentence; 0.7 the entity of the sentence
this one goes on with; 0.4 the previous sentence's, when this one names none; for a metric
0.35 plus 0.6 times the share of its words the clause uses; 0 a new name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from app.drafts import names
from app.entities.matching import NameIndex
from app.entities.names import slugify
from app.quantities import FigureType, Quantity

__all__ = [
    "Catalog",
    "Mention",
    "MetricInfo",
    "Proposal",
    "distinct",
    "entity_for",
    "mentions",
    "metric_for",
    "metric_names",
]

MENTION_WORDS = 6  # the longest alias looked for in a sentence, in words


@dataclass(frozen=True, slots=True)
class MetricInfo:
    id: int
    slug: str
    name: str
    dimension: str
    unit: str
    words: frozenset[str]
    # The words of each of its names (name, slug, aliases), unit words left out.
    names: tuple[frozenset[str], ...] = ()


@dataclass
class Catalog:
    """What is known, loaded once a request: entities and metrics, their aliases indexed."""

    entities: NameIndex
    entity_slugs: dict[int, tuple[str, str]]  # id -> (name, slug)
    metrics: list[MetricInfo]
    metric_index: NameIndex
    forms: dict[str, int] = field(default_factory=dict)  # an alias's squashed words -> entity


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    entity_id: int


@dataclass(frozen=True, slots=True)
class Proposal:
    name: str
    slug: str
    id: int | None
    confidence: float
    alternatives: tuple[dict[str, Any], ...] = ()
    own: bool = True  # found in the figure's sentence (not carried from the one before)

    @property
    def new(self) -> bool:
        return self.id is None

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "slug": self.slug,
            "id": self.id,
            "confidence": self.confidence,
            "alternatives": list(self.alternatives),
            "new": self.new,
        }


_WORD = re.compile(r"\w+")
_STOP = frozenset(
    {
        *("of", "the", "a", "an", "and", "in", "on", "to", "for", "by", "with", "at", "from"),
        *("its", "it", "is", "are", "was", "were", "has", "have", "had", "this", "that", "as"),
        *("new", "total", "number", "value", "entirely", "which", "will", "be", "been", "same"),
    }
)


def stem(word: str) -> str:
    word = word.casefold().replace("\u2019", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text) if w.casefold() not in _STOP)


def mentions(sentence: str, catalog: Catalog) -> list[Mention]:
    """Where the sentence names a known entity by one of its names, longest first."""
    tokens = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(sentence)]
    found: list[Mention] = []
    taken: set[int] = set()
    for size in range(MENTION_WORDS, 0, -1):
        for i in range(len(tokens) - size + 1):
            if any(k in taken for k in range(i, i + size)):
                continue
            joined = "".join(t[2] for t in tokens[i : i + size])
            entity_id = catalog.forms.get(joined)
            if entity_id is None:
                continue
            taken.update(range(i, i + size))
            found.append(Mention(tokens[i][0], tokens[i + size - 1][1], entity_id))
    return sorted(found, key=lambda m: m.start)


def _known(catalog: Catalog, entity_id: int, confidence: float) -> dict[str, Any]:
    name, slug = catalog.entity_slugs[entity_id]
    return {"name": name, "slug": slug, "id": entity_id, "confidence": confidence}


def entity_for(
    sentence: str,
    span: tuple[int, int],
    clause: tuple[int, int],
    said: list[Mention],
    catalog: Catalog,
    *,
    carried: int | None,
    continues: bool,
    speaker: str | None = None,
    carried_name: str | None = None,
    lowercase: frozenset[str] = frozenset(),
) -> Proposal | None:
    """The figure's entity: a name the sentence says, or the one carried from the sentence it
    goes on with, or a name proposed from the sentence (None when it has none)."""
    scored: dict[int, float] = {}
    for mention in said:
        inside = clause[0] <= mention.start < clause[1]
        score = (0.9 if mention.end <= span[0] else 0.8) if inside else 0.7
        scored[mention.entity_id] = max(scored.get(mention.entity_id, 0.0), score)
    if carried is not None and carried in catalog.entity_slugs:
        if continues:
            scored = {k: min(v, 0.6) for k, v in scored.items()}
            scored[carried] = 0.7
        elif not scored:
            scored[carried] = 0.4
    if scored:
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        best_id, best = ranked[0]
        known_name, slug = catalog.entity_slugs[best_id]
        others = tuple(_known(catalog, k, v) for k, v in ranked[1:4])
        return Proposal(known_name, slug, best_id, best, others)
    name, aside = names.entity_name(sentence, clause, speaker, lowercase)
    if name is None and carried_name is not None:
        return replace(_new(carried_name, catalog.entities, catalog.entity_slugs), own=False)
    name = name or aside
    if name is None:
        return None
    return _new(name, catalog.entities, catalog.entity_slugs)


def _new(name: str, index: NameIndex, known: dict[int, tuple[str, str]]) -> Proposal:
    """A name proposed new, with the records it is close to as alternatives."""
    alternatives = tuple(
        {"name": known[m.record_id][0], "slug": known[m.record_id][1], "id": m.record_id}
        | {"confidence": 0.3, "why": m.why}
        for m in index.close_to(name)
        if m.record_id in known
    )
    return Proposal(name, slugify(name), None, 0.0, alternatives)


_CAPITALISED = re.compile(
    r"(?:[A-Z][\w'\u2019&.-]*|\([A-Z][\w.&-]*\))"
    r"(?:\s+(?:(?:of|the|and|for|de)\s+)*(?:[A-Z][\w'\u2019&.-]*|\([A-Z][\w.&-]*\)))*"
)
_OPENING = frozenset(
    {
        *("In", "On", "Under", "During", "However", "Additionally", "Meanwhile", "Also", "The"),
        *("This", "That", "These", "Those", "It", "He", "She", "They", "We", "A", "An", "As"),
        *("But", "And", "Overall", "Last", "Next", "For", "By", "At", "From", "According"),
        *("Over", "Since", "After", "Before", "Following", "Compared", "With", "Thus", "Still"),
    }
)


def subject_of(text: str, speaker: str | None = None) -> str | None:
    """The first name the text gives (a run of capitalised words), without opening words,
    that is not the speaker's."""
    for match in _CAPITALISED.finditer(text):
        if speaker is not None and match.group() in speaker:
            continue
        found = match.group().split()
        while found and found[0] in _OPENING:
            found.pop(0)
        name = " ".join(found).strip(" .,'\u2019")
        name = re.sub(r"'s$|\u2019s$", "", name)
        if name and any(c.isalpha() for c in name) and name not in _OPENING:
            return name
    return None


# --- metrics ---------------------------------------------------------------------------------

_OF_PHRASE = re.compile(r"\s+(?:of|in)\s+((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)")
_NOUNS_AFTER = re.compile(r"\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)")
_VERB = re.compile(
    r"\b(?:reached|hit|totall?ed|amounted|was|were|is|are|rose|grew|grown|fell|fallen|increased"
    r"|decreased|stood|exceeded|jumped|surged|declined|dropped|climbed|saw|reported)\b"
)
_PREPOSITIONS = re.compile(
    r"(?:\s+(?:with|between|from|to|of|in|for|and)\s+(?:the\s+)?[A-Z][\w'\u2019-]*)+\s*$"
)
_AUXILIARIES = frozenset(
    {"has", "have", "had", "is", "are", "was", "were", "already", "also", "further", "steadily"}
)
_ENDS_PHRASE = frozenset({"the", "a", "an", "its", "their", "this", "that", "same", "and", "of"})


def _noun_phrase(head: str) -> str | None:
    """The last words of `head` that name a thing: "the country's trade turnover" -> "trade
    turnover"; prepositional tails naming places are left out ("with Kazakhstan")."""
    head = _PREPOSITIONS.sub("", head.rstrip(" ,"))
    found = re.findall(r"[A-Za-z][\w'\u2019-]*", head)
    while found and found[-1].lower() in _AUXILIARIES:
        found.pop()
    kept: list[str] = []
    for i, word in enumerate(reversed(found)):
        lower = word.lower()
        first = i == len(found) - 1
        if lower in _ENDS_PHRASE or lower.endswith(("'s", "\u2019s")) or len(kept) == 3:
            break
        if kept and names.not_qualifier(word):
            break
        if word[0].isupper() and not first:
            break
        kept.insert(0, lower)
    return " ".join(kept) or None


def _absolute(quantity: Quantity) -> bool:
    """A level, or a change in the figure's own unit ("grew by $3.02 billion"): the metric
    must measure that unit; a percent change, a share or a multiple fits any."""
    return quantity.figure_type is FigureType.LEVEL or (
        quantity.figure_type is FigureType.CHANGE and quantity.dimension != "percent"
    )


def _fits(metric: MetricInfo, quantity: Quantity) -> bool:
    if _absolute(quantity):
        return metric.dimension == quantity.dimension  # a rate (t/yr) is not a stock (t)
    if quantity.figure_type is FigureType.SHARE:
        return metric.dimension == "percent"
    return True


def metric_for(
    sentence: str,
    span: tuple[int, int],
    clause: tuple[int, int],
    quantity: Quantity,
    catalog: Catalog,
    carried_name: str | None = None,
) -> Proposal:
    """The figure's metric: the known one of its dimension whose words its clause uses most,
    or a name proposed from the sentence."""
    text = sentence[clause[0] : clause[1]]
    near = content_words(sentence[max(clause[0], span[0] - 60) : min(clause[1], span[1] + 60)])
    said = content_words(text)
    own = names.metric_name(sentence, clause, span)
    scored: list[tuple[float, MetricInfo]] = []
    for metric in catalog.metrics:
        if not metric.words or not _fits(metric, quantity) or not _named(metric, said, own):
            continue
        weight = sum(1.0 if w in near else 0.5 for w in metric.words if w in said)
        if weight:
            share = min(1.0, weight / len(metric.words))
            scored.append((round(0.35 + 0.6 * share, 2), metric))
    scored.sort(key=lambda s: (-s[0], s[1].id))
    if scored:
        best, metric = scored[0]
        others = tuple(
            {"name": m.name, "slug": m.slug, "id": m.id, "confidence": c} for c, m in scored[1:4]
        )
        return Proposal(metric.name, metric.slug, metric.id, best, others)
    known = {m.id: (m.name, m.slug) for m in catalog.metrics}
    found = names.metric_name(sentence, clause, span)
    if found is not None:
        return _new(found[:1].upper() + found[1:], catalog.metric_index, known)
    if carried_name is not None:
        return replace(_new(carried_name, catalog.metric_index, known), own=False)
    named = _metric_name(sentence, span, clause, quantity)
    return replace(_new(named, catalog.metric_index, known), own=False)


def _named(metric: MetricInfo, said: frozenset[str], own: str | None) -> bool:
    """Whether the clause names the metric: every word of one of its names, else at least half
    of one's words where what the clause itself says is measured ends in a word of the metric
    ("900 kilometers of new rail routes": New rail length), not one shared word of a different
    thing ("chemical products" is no Gross domestic product, "trade deficit" no Trade
    turnover)."""
    if not metric.names:
        return True
    if any(name <= said for name in metric.names if name):
        return True
    if not any(name and 2 * len(name & said) >= len(name) for name in metric.names):
        return False
    head = own.split()[-1] if own else None
    return head is None or stem(head) in metric.words


def distinct(
    proposal: Proposal, quantity: Quantity, catalog: Catalog, named: dict[str, str]
) -> Proposal:
    """A new metric's name made distinct where the name is taken by a metric of another
    dimension (known, or proposed for another figure of the text: `named` holds slug ->
    dimension), so that confirming creates it instead of failing on the other one's unit:
    "Production" for tonnes beside a known "Production" in GWh is "Production (t)"."""
    if not proposal.new:
        return proposal
    # A known metric's unit is the one confirming meets, whatever the text proposed before.
    taken = named | {m.slug: m.dimension for m in catalog.metrics}
    other = taken.get(proposal.slug)
    if _absolute(quantity) and other is not None and other != quantity.dimension:
        name = f"{proposal.name} ({quantity.unit})"
        proposal = replace(proposal, name=name, slug=slugify(name))
    # The first level confirmed under a new name gives the metric its unit, whichever row
    # comes first (`claims.intake.level_units`); a percent change, a share or a multiple fits.
    if _absolute(quantity):
        named.setdefault(proposal.slug, quantity.dimension)
    return proposal


def _metric_name(
    sentence: str, span: tuple[int, int], clause: tuple[int, int], quantity: Quantity
) -> str:
    """A name for a metric no record has: the subject of the figure's verb ("trade turnover
    amounted to"), the thing before "of" ("a cargo volume of"), or the words after it."""
    head = sentence[clause[0] : span[0]]
    verbs = list(_VERB.finditer(sentence, clause[0], span[1]))
    found = None
    if verbs:
        found = _noun_phrase(sentence[clause[0] : verbs[-1].start()])
    if found is None and head.rstrip().endswith(" of"):
        found = _noun_phrase(head.rstrip()[:-3])
    if found is None and (of := _OF_PHRASE.match(sentence, span[1], clause[1])) is not None:
        found = of.group(1)
    if found is None and (nouns := _NOUNS_AFTER.match(sentence, span[1], clause[1])) is not None:
        found = nouns.group(1)
    name = (
        " ".join(
            w
            for w in (found or "").split()
            if w.casefold() not in _STOP and not names.not_qualifier(w)
        )
        or "value"
    )
    if quantity.figure_type is FigureType.CHANGE and quantity.dimension == "percent":
        name += " growth"
    return name[:1].upper() + name[1:]


def entity_forms(index: NameIndex) -> dict[str, int]:
    """Each alias's words run together ("kazakhstantemirzholy"), naming one entity."""
    forms: dict[str, int] = {}
    for squashed, named in index.same.items():
        ids = {n.record_id for n in named}
        if len(ids) == 1:
            forms[squashed] = named[0].record_id
    return forms


def metric_words(name: str, slug: str, aliases: list[str], unit: str = "") -> frozenset[str]:
    """The words a clause must use to name the metric; its unit is none of them ("Merchandise
    exports (USD)", as `distinct` names one, is found by "merchandise exports ... $16.55
    billion")."""
    return frozenset().union(*metric_names(name, slug, aliases, unit))


def metric_names(
    name: str, slug: str, aliases: list[str], unit: str = ""
) -> tuple[frozenset[str], ...]:
    """The words of each name of a metric (its name, slug and aliases), its unit left out."""
    drop = {stem(unit)} if unit else set()
    texts = (name, slug.replace("-", " "), *aliases)
    return tuple(dict.fromkeys(content_words(t) - drop for t in texts))
