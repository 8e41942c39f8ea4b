"""The words of a sentence that say what kind of figure it holds, who says it and on what basis.

- kind: "target", "aims to", "plans to" (target); "pledged", "will invest" (commitment);
  "forecast", "expected", "projected", "will" (projection); "estimated", "valued at"
  (estimate); else a deadline ("by 2030") is a target, a sum of investment for a period not
  over a commitment, a figure of a period not over whose verb says it happened ("exports
  reached $5 billion this year", "in 2024 so far") an actual so far, else a projection,
  anything else an actual.
  The cue is looked for in the figure's clause (after the figure only within 40 characters),
  the strongest word first, then the nearest.
- stated_by: "according to X", "X said", "X announced that", "said X", "quoted X saying".
- basis: "according to customs data", "citing official statistics".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.quantities import Period, Quantity

__all__ = ["Kind", "basis_of", "clause", "continues", "kind_of", "speaker_of"]

_CLAUSE_BREAK = re.compile(
    r";|\s(?:while|whereas|but|although)\s|,\s(?:and|while|but|whereas)\s"
    r"|\sand\s(?=(?:has|have|had|is|are|was|were|will|would|also)\b)",
    re.IGNORECASE,
)


def clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of the sentence that holds sentence[start:end]."""
    left, right = 0, len(sentence)
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.end() <= start:
            left = match.end()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right


@dataclass(frozen=True, slots=True)
class Kind:
    kind: str
    cue: str | None
    notices: tuple[str, ...] = ()


# (pattern, kind, strength): a strong word outranks a weak one ("will") wherever it stands.
_ORDER = ("target", "commitment", "projection", "estimate")
_CUES: tuple[tuple[re.Pattern[str], str, int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind, strength)
    for pattern, kind, strength in (
        (r"\btarget(?:s|ed|ing)?\b", "target", 1),
        (r"\baim(?:s|ed|ing)?\s+(?:to|at|for)\b", "target", 1),
        (r"\bgoals?\b", "target", 1),
        (r"\bseek(?:s|ing)?\s+to\b", "target", 1),
        (r"\bplan(?:s|ned|ning)?\s+to\b", "target", 1),
        (r"\bintend(?:s|ed)?\s+to\b", "target", 1),
        (r"\bfast-track\w*", "target", 1),
        (r"\bscheduled\s+to\b|\bdue\s+to\s+be\b", "target", 1),
        (r"\b(?:is|are)\s+to\s+(?:build|be|reach|construct|increase|raise|lay)\b", "target", 1),
        (
            r"\bto\s+be\s+(?:built|completed|commissioned|launched|constructed|reached)\b",
            "target",
            1,
        ),
        (
            r"\bunder\s+(?:this|the|its)\s+(?:framework|plan|programme|program|strategy)\b",
            "target",
            2,
        ),
        (r"\bpledg\w*|\bvow(?:s|ed)?\b|\bpromis\w*|\bearmark\w*", "commitment", 1),
        (r"\bcommit(?:s|ted|ment|ments)?\b|\ballocat\w*", "commitment", 1),
        (r"\bwill\s+(?:invest|allocate|provide|spend|finance|fund)\b", "commitment", 1),
        (r"\bforecast\w*|\bexpect\w*|\bprojected\b|\bprojections?\b|\bpredict\w*", "projection", 1),
        (r"\b(?:is|are)\s+(?:set|likely|poised|on\s+track)\s+to\b|\boutlook\b", "projection", 1),
        (
            r"\bwill\b|\bcould\b|\bwould\b|\bmay\s+(?:reach|exceed|rise|grow|fall)\b",
            "projection",
            2,
        ),
        # The size of what is being built is what it will be: "the construction of the 1,860
        # MW plant", "a 40 km road under construction"; not once it is said completed.
        (
            r"(?:\bconstruction\s+of\b|\bunder\s+construction\b|\bbeing\s+(?:built|constructed)\b)"
            r"(?!.*\b(?:completed|finished)\b)",
            "projection",
            2,
        ),
        (r"\bestimat\w*|\bvalued\s+at\b", "estimate", 1),
    )
)
# Verbs that report what has happened: a figure of a period not over is then so far.
_DONE = re.compile(
    r"\b(?:was|were|amounted|totall?ed|reached|rose|grew|increased|decreased|fell|declined"
    r"|dropped|jumped|surged|stood|exceeded|surpassed|handled|transported|transshipped"
    r"|exported|imported|produced|recorded|registered|saw|attracted|carried|shipped|supplied"
    r"|(?:has|have)\s+(?:\w+\s+)?(?:been|\w+ed|grown|risen|fallen))\b",
    re.IGNORECASE,
)
# Words that say a figure of a period not over is what has happened until now.
_SO_FAR = re.compile(r"\bso\s+far\b|\bto\s+date\b|\byear[-\s]to[-\s]date\b", re.IGNORECASE)
_CUE_AFTER = 40  # a cue after the figure counts this near it ("$5 billion, the bank forecast")
_INVESTMENT = re.compile(
    r"\binvest\w*|\bfunding\b|\bfinanc\w*|\bprogramme\b|\bprogram\b|\bblueprint\b|\bpackage\b",
    re.IGNORECASE,
)


def kind_of(
    sentence: str,
    span: tuple[int, int],
    quantity: Quantity,
    period: Period | None,
    period_text: str | None,
    asserted_on: date,
) -> Kind:
    """The figure's kind and the words that decided it."""
    left, right = clause(sentence, *span)
    words = sentence[left:right]
    middle = (span[0] + span[1]) / 2 - left
    found = [
        (strength, abs((m.start() + m.end()) / 2 - middle), _ORDER.index(kind), kind, m.group())
        for pattern, kind, strength in _CUES
        for m in pattern.finditer(words)
        if m.start() < span[0] - left or m.start() - (span[1] - left) < _CUE_AFTER
    ]
    strong = [f for f in found if f[0] == 1]
    if strong:
        best = min(strong)
        return Kind(best[3], best[4])
    open_ended = period is not None and period.end is not None and period.end > asserted_on
    if open_ended and period_text and period_text.lower().startswith("by "):
        return Kind("target", period_text)
    invest = _INVESTMENT.search(words)
    if open_ended and invest is not None and quantity.dimension.startswith("money"):
        return Kind("commitment", invest.group())
    if found:
        best = min(found)
        return Kind(best[3], best[4])
    done = _SO_FAR.search(words) or _DONE.search(words)
    if open_ended and done is not None:
        # "exports amounted to $5 billion this year": what has happened so far.
        return Kind("actual", done.group())
    if open_ended:
        assert period is not None and period_text is not None
        return Kind(
            "projection",
            period_text,
            (
                f"kind read from the period: '{period_text}' is not over on "
                f"{asserted_on.isoformat()} and no word says whether it is a plan or a forecast",
            ),
        )
    so_far = _SO_FAR.search(words) if period is not None else None
    if so_far is not None:
        # "in 2024 so far": a period read to the day said, what has happened until then.
        return Kind("actual", so_far.group())
    return Kind("actual", None)


# --- who said it, and on what basis ----------------------------------------------------------

_NAME_WORD = r"(?:[A-Z][\w.'\u2019&-]*|\([A-Z][\w.&-]*\))"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:of|the|and|for|de)\s+)*{_NAME_WORD})*"
_VERBS = (
    r"(?:has\s+|have\s+|had\s+)?(?:said|says|say|stated|states|told|tells|announced|announces"
    r"|reported|reports|noted|notes|added|adds|declared|estimated|estimates|forecast|forecasts"
    r"|expects|projected|predicted|highlighted|emphasi[sz]ed|stressed|revealed|confirmed"
    r"|explained|wrote|informed|unveiled|pledged|promised)\b"
)
_BODY = (
    r"the\s+(?:[a-z]+\s+){0,2}(?:ministry|bank|company|government|agency|committee|bureau"
    r"|operator|minister|president|office|service|fund|council|regulator|authorities|report)"
)
_SPEAKERS = (
    re.compile(rf"\b[Aa]ccording\s+to\s+(?:the\s+)?({_NAME}|{_BODY})"),
    re.compile(rf"\bquot\w*\s+({_NAME})\s+(?:as\s+)?saying\b"),
    re.compile(rf",\s*(?:said|says|according\s+to)\s+({_NAME}(?:,\s+(?:the\s+)?{_NAME})?)"),
    re.compile(rf"({_NAME}|{_BODY})\s*,?\s+(?:also\s+|on\s+\w+\s+)?{_VERBS}"),
)
_OPENERS = frozenset(
    {
        *("In", "On", "Under", "During", "However", "Additionally", "Meanwhile", "Also", "The"),
        *("This", "That", "These", "Those", "It", "He", "She", "They", "We", "A", "An", "As"),
        *("But", "And", "Parallel", "Overall", "Last", "Next", "For", "By", "At", "From"),
    }
)
_DATA = re.compile(r"\b(?:data|statistics|figures|estimates|calculations|census|survey)\b", re.I)
_BASES = (
    re.compile(
        r"\baccording\s+to\s+(?:the\s+)?((?:[\w'\u2019-]+\s+){0,4}?"
        r"(?:data|statistics|figures|estimates|calculations|census|survey))\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:citing|based\s+on|using)\s+(?:the\s+)?((?:[\w'\u2019-]+\s+){0,4}?"
        r"(?:data|statistics|figures|estimates|census|survey|[Cc]ustoms))\b"
    ),
)
_CONTINUES = re.compile(
    r"(?:under|in|as\s+part\s+of|with|through)\s+(?:this|that|these|the|its)\s+(?:new\s+)?"
    r"(?:framework|plan|programme|program|strategy|blueprint|scheme|initiative|project|package)\b",
    re.IGNORECASE,
)
_PRONOUN_SAID = re.compile(
    rf"\b(?:he|she|it|they|the\s+company|the\s+ministry)\s+(?:also\s+)?{_VERBS}", re.IGNORECASE
)


def _trim(name: str) -> str | None:
    words = name.split()
    while words and words[0] in _OPENERS:
        words.pop(0)
    while words and words[-1] in ("of", "the", "and", "for", "de"):
        words.pop()
    trimmed = " ".join(words).strip(" ,")
    return trimmed or None


def speaker_of(sentence: str) -> str | None:
    """Who the sentence says said it: "the ministry said", "according to X"; None when it
    names no one (data as the basis is no speaker: `basis_of`)."""
    for pattern in _SPEAKERS:
        for match in pattern.finditer(sentence):
            name = _trim(match.group(1))
            if name is not None and not _DATA.search(name):
                return name
    return None


def said_by_pronoun(sentence: str) -> bool:
    """ "He said", "it added": the speaker is the one named before."""
    return _PRONOUN_SAID.search(sentence) is not None


def basis_of(sentence: str) -> str | None:
    """Whose statistics or which method the sentence names: "according to customs data"."""
    for pattern in _BASES:
        match = pattern.search(sentence)
        if match is not None:
            return match.group(1).strip()
    return None


def continues(sentence: str) -> bool:
    """Whether the sentence goes on with the one before ("Under this framework, ..."): its
    figures are of the entity and the speaker that one named."""
    return _CONTINUES.match(sentence) is not None
