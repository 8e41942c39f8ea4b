"""Words that make figures without digits, and words around figures the reader needs help with:
multiples and fractions said in words ("doubled", "twofold", "up to a third"), tenge written
"T4.2 trillion" in Kazakhstan's English press, and "increasing X from A to B" (two levels)."""

from __future__ import annotations

import re

__all__ = ["FRACTIONS", "MULTIPLES", "TENGE", "changed_from", "tenge"]

MULTIPLES = frozenset(
    {
        *("doubled", "tripled", "trebled", "quadrupled", "halved", "double", "doubling"),
        *("tripling", "twofold", "threefold", "fourfold", "fivefold", "tenfold"),
    }
)
# Fractions said in words: "half", "up to a third", "two-thirds", "a quarter of".
FRACTIONS = frozenset({"half", "third", "thirds", "quarter", "quarters"})

TENGE = re.compile(
    r"(?<![\w$])T(\d[\d.,]*)(\s*(?:trillion|billion|million|thousand|trln|bln|mln|bn|mn)\b)?"
)


def tenge(text: str) -> str:
    """ "T4.2 trillion" as the reader reads it: "4.2 trillion tenge"."""
    return TENGE.sub(lambda m: f"{m.group(1)}{m.group(2) or ''} tenge", text)


_CHANGE_VERB = re.compile(
    r"(?:increas|reduc|rais|ris|grow|grew|decreas|declin|cut|lower|expand|boost|bring|brought"
    r"|fell|fall|drop|climb|jump)\w*",
    re.IGNORECASE,
)


def changed_from(words: list[str], first: int, i: int) -> int | None:
    """ "increasing electricity generation from 13,545 MW to 29,200 MW": a range after a change
    word is the level before and the level after, not an interval. `words` are the sentence's
    words, the range reads from words[first] and its number is words[i]; the answer is the
    index of "from", or None."""
    if words[first].lower() == "from" and first < i:
        start = first
    elif first > 0 and words[first - 1].lower() == "from":
        start = first - 1
    else:
        return None
    if any(_CHANGE_VERB.fullmatch(words[k]) for k in range(max(0, start - 4), start)):
        return start
    return None
