"""The conflict rule and the verification rule, as pure functions on plain values.

Everything that decides whether two claims contradict each other, or whether a claim stands on
enough, lives here and only here (but the key that says which claims are compared at all:
app/review/conflict_key.py); the services feed it rows and act on its answers.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from operator import attrgetter

from app.claims.states import VerificationState
from app.quantities import Interval
from app.review.conflict_key import KIND_CLASSES as KIND_CLASSES
from app.review.conflict_key import KINDS_IN_CLASS as KINDS_IN_CLASS
from app.review.conflict_key import comparison_key as comparison_key
from app.review.conflict_key import key
from app.review.models import Rank
from app.sources.models import SourceKind

OFFICIAL_KINDS = frozenset({SourceKind.OFFICIAL.value, SourceKind.STATISTICS.value})
# The ranks a reviewer gives when resolving a conflict: each is a decision on the claim.
DECIDING_RANKS = frozenset({Rank.PREFERRED.value, Rank.DEPRECATED.value})
# The states a fact-checker still has to settle: the claim is an item of the review queue.
QUEUED = (VerificationState.UNSOURCED, VerificationState.UNVERIFIED)


@dataclass(frozen=True, slots=True)
class Figure:
    """What the conflict rule needs to know of a claim."""

    claim_id: int
    entity_id: int
    metric_id: int
    period_start: date | None
    period_end: date | None
    kind: str
    basis: str | None
    unit: str
    dimension: str
    interval: Interval
    figure_type: str = "level"  # quantities.FigureType: compared only within one
    period_from_said: bool = False  # the period starts on the day said: `key_start`


def _basis(text: str | None) -> str | None:
    return " ".join(text.casefold().split()) if text else None


def comparable(a: Figure, b: Figure) -> bool:
    """Same entity, metric, period, figure type and kind class; bases agree or one is not
    given."""
    if a.claim_id == b.claim_id or key(a) != key(b):
        return False
    basis_a, basis_b = _basis(a.basis), _basis(b.basis)
    return basis_a is None or basis_b is None or basis_a == basis_b


# A rate lookup: (from currency, to currency) -> multiplier, or None when no rate is stored.
RateLookup = Callable[[str, str], Decimal | None]


def _no_rates(_from: str, _to: str) -> Decimal | None:
    return None


def conflicts(a: Figure, b: Figure, rate: RateLookup = _no_rates) -> bool | None:
    """True when comparable claims cannot both be right; None when there is no verdict.

    No verdict: different dimensions, or money in two currencies with no stored rate.
    """
    if not comparable(a, b):
        return False
    if a.dimension != b.dimension:
        return None
    other = b.interval
    if a.unit != b.unit:
        factor = rate(b.unit, a.unit)
        if factor is None:
            return None
        other = other.scaled(factor)
    return not a.interval.intersects(other)


# Whether a reviewer has ruled two claims to be different quantities.
Apart = Callable[[Figure, Figure], bool]


def never_apart(_a: Figure, _b: Figure) -> bool:
    return False


# Everything of a claim that `conflicts` may read, but its id: claims equal in these get the
# same verdict against any other.
_said = attrgetter(*(f.name for f in fields(Figure) if f.name != "claim_id"))


def clashes(
    new: Figure, others: Iterable[Figure], rate: RateLookup = _no_rates, apart: Apart = never_apart
) -> list[Figure]:
    """The claims among `others` that `new` contradicts, leaving out pairs kept apart.

    Claims that say the same get one verdict: a figure re-posted a thousand times on one key
    is compared once, not a thousand times.
    """
    verdicts: dict[tuple[object, ...], bool | None] = {}
    found = []
    for x in others:
        if x.claim_id == new.claim_id:
            continue
        said = _said(x)
        if said not in verdicts:
            verdicts[said] = conflicts(new, x, rate)
        if verdicts[said] and not apart(new, x):
            found.append(x)
    return found


def conflicted(
    figures: Sequence[Figure], rate: RateLookup = _no_rates, apart: Apart = never_apart
) -> set[int]:
    """The claims that contradict at least one other: the same set whatever the order."""
    found: set[int] = set()
    for i, a in enumerate(figures):
        hit = clashes(a, figures[i + 1 :], rate, apart)
        if hit:
            found |= {a.claim_id, *(x.claim_id for x in hit)}
    return found


# --- verification -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cited:
    """One citation as the verification rule sees it."""

    citation_id: int
    source_id: int
    publisher: str | None  # as the source names it, for the reasons given
    kind: str
    ancestors: frozenset[int]  # every source this one derives from, directly or by a chain
    publisher_id: int | None = None  # the publisher that name is one of (sources/publishers.py)
    site: str = ""  # the site the source is on (sources/urls.py `site_of`)


@dataclass(frozen=True, slots=True)
class CitationCheck:
    citation_id: int
    source_id: int
    counts: bool
    why: str


@dataclass(frozen=True, slots=True)
class Verification:
    state: VerificationState
    reasons: list[str] = field(default_factory=list)
    citations: list[CitationCheck] = field(default_factory=list)
    verdict: str | None = None  # the latest verdict, whatever the state


def independent(a: Cited, b: Cited) -> str | None:
    """None when two citations are independent, else why they are not: the same source, the
    same publisher (however each names it), the same site, or one derived from the other."""
    if a.source_id == b.source_id:
        return f"cites the same source as citation {b.citation_id}"
    if a.publisher_id is not None and a.publisher_id == b.publisher_id:
        return f"same publisher as citation {b.citation_id} ({a.publisher})"
    if a.site and a.site == b.site:
        return f"same site as citation {b.citation_id} ({a.site})"
    if b.source_id in a.ancestors:
        return f"derived from source {b.source_id}, cited by citation {b.citation_id}"
    if a.source_id in b.ancestors:
        return f"source {b.source_id} (citation {b.citation_id}) derives from it"
    return None


NOT_ENOUGH = "no official or statistics source, no two independent citations"


def backing(cited: Sequence[Cited]) -> tuple[list[CitationCheck], list[str]]:
    """What the citations alone say: a check of each, and the reasons they verify the claim
    (none when they do not)."""
    checks: list[CitationCheck] = []
    reasons: list[str] = []
    independent_pair: tuple[Cited, Cited] | None = None
    for c in cited:
        if c.kind in OFFICIAL_KINDS:
            checks.append(CitationCheck(c.citation_id, c.source_id, True, f"{c.kind} source"))
            reasons.append(f"citation {c.citation_id} cites a source of kind {c.kind}")
            continue
        partner = next(
            (o for o in cited if o is not c and independent(c, o) is None),
            None,
        )
        if partner is not None:
            independent_pair = independent_pair or (c, partner)
            why = f"independent of citation {partner.citation_id}"
            checks.append(CitationCheck(c.citation_id, c.source_id, True, why))
            continue
        others = [independent(c, o) for o in cited if o is not c]
        why = next((w for w in others if w), f"single {c.kind} source, not official")
        checks.append(CitationCheck(c.citation_id, c.source_id, False, why))
    if independent_pair is not None:
        a, b = independent_pair
        reasons.append(f"citations {a.citation_id} and {b.citation_id} are independent")
    return checks, reasons


def verify(
    cited: Sequence[Cited], verdicts: Iterable[str], rank: str = Rank.NORMAL
) -> Verification:
    """A reviewer's decision, else what the citations say.

    Reviewed: the claim has a verdict (`verdicts` oldest first: the latest wins, whatever it
    says, with citations or none) or a rank given when a conflict was resolved (preferred or
    deprecated); the reasons say the decision, then what the citations say. Else verified by an
    official or statistics source or two independent citations; unverified when cited by less;
    unsourced without a citation.
    """
    latest = list(verdicts)[-1:]
    verdict = latest[0] if latest else None
    checks, reasons = backing(cited)
    sources = reasons or [NOT_ENOUGH if cited else "no citation"]
    decided = [f"reviewer verdict: {verdict}"] if verdict else []
    if rank in DECIDING_RANKS:
        decided.append(f"ranked {rank} in a resolved conflict")
    if decided:
        return Verification(VerificationState.REVIEWED, decided + sources, checks, verdict)
    if not cited:
        return Verification(VerificationState.UNSOURCED, sources)  # no citation, no check
    if reasons:
        return Verification(VerificationState.VERIFIED, reasons, checks)
    return Verification(VerificationState.UNVERIFIED, [f"{NOT_ENOUGH}, no verdict"], checks)
