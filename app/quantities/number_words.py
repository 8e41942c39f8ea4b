"""Scale words ("billion", "crore", "bn") and numbers written in words ("four thousand")."""

from __future__ import annotations

from collections.abc import Sequence

from app.quantities.tokens import Kind, Token

# Scale words, read case-insensitively. One-letter scales are in CASED_SCALES instead.
SCALES: dict[str, int] = {
    "hundred": 2,
    "thousand": 3,
    # "29 thous. tenge", "417 thsd tonnes": abbreviations of the region's statistics in English
    "thous": 3,
    "thsd": 3,
    "million": 6,
    "mln": 6,
    "mn": 6,
    "mil": 6,
    "billion": 9,
    "bln": 9,
    "bn": 9,
    "bil": 9,
    # the milliard (10^9) of French, Russian and older British usage; "mlrd" transliterates it
    "milliard": 9,
    "milliards": 9,
    "mlrd": 9,
    "trillion": 12,
    "quadrillion": 15,
    "trln": 12,
    "trl": 12,
    "tn": 12,
    "trn": 12,
    # South Asian scales, written with rupee figures ("Rs 500 crore").
    "lakh": 5,
    "lakhs": 5,
    "lac": 5,
    "crore": 7,
    "crores": 7,
}

# Scales written in two words: the lakh crore of Indian budgets ("Rs 2 lakh crore"), a hundred
# thousand crore. Any other pair of scale words is refused.
COMPOUND_SCALES: dict[tuple[str, str], int] = {
    (lakh, crore): 12 for lakh in ("lakh", "lakhs", "lac") for crore in ("crore", "crores")
}

# One-letter scales are read in the case written: "T" is a trillion but "t" a tonne. "m" is not
# here: it is either a million or a metre, settled by `settle_units`.
CASED_SCALES: dict[str, int] = {"k": 3, "K": 3, "M": 6, "b": 9, "B": 9, "T": 12}

SMALL_NUMBERS: dict[str, int] = {
    word: n
    for n, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen"),
        )
    )
}
TENS: dict[str, int] = {
    word: 10 * n
    for n, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2
    )
}
MULTIPLIERS: dict[str, int] = {
    "hundred": 2,
    "thousand": 3,
    # "29 thous. tenge", "417 thsd tonnes": abbreviations of the region's statistics in English
    "thous": 3,
    "thsd": 3,
    "million": 6,
    "billion": 9,
    "trillion": 12,
}


def read_spelled(tokens: Sequence[Token], start: int) -> tuple[int, int, int, bool] | None:
    """A number in words from ``tokens[start]``: (value, place, next index, had a multiplier).

    The place is that of the last number word times the multipliers written after it, so
    "four thousand" is 4 x 10^3 with place 1000, like "4 thousand", and "twenty-four" has place 1.
    """
    total = current = 0
    place = 1
    last = ""  # "small", "tens", "hundred" or "big": what the previous word was
    biggest = 99  # power of the last big multiplier; later ones must be smaller
    multiplied = False
    i = start
    while i < len(tokens):
        token = tokens[i]
        word = token.word
        nxt = tokens[i + 1].word if i + 1 < len(tokens) else ""
        if token.kind in (Kind.DASH, Kind.HYPHEN):
            # Only the hyphen of "twenty-four" belongs to a number in words.
            if last == "tens" and nxt in SMALL_NUMBERS and 0 < SMALL_NUMBERS[nxt] < 10:
                i += 1
                continue
            break
        if token.kind is not Kind.WORD:
            break
        if word in ("a", "an") and i == start and nxt in MULTIPLIERS:
            current, place, last = 1, 1, "small"
        elif word in SMALL_NUMBERS and (
            last in ("", "hundred", "big") or (last == "tens" and 0 < SMALL_NUMBERS[word] < 10)
        ):
            current += SMALL_NUMBERS[word]
            place, last = 1, "small"
        elif word in TENS and last in ("", "hundred", "big"):
            current += TENS[word]
            place, last = 1, "tens"
        elif word == "hundred" and last in ("small", "tens") and 0 < current < 10:
            current *= 100
            place *= 100
            last, multiplied = "hundred", True
        elif word == "and" and last == "hundred" and (nxt in SMALL_NUMBERS or nxt in TENS):
            pass
        elif word in MULTIPLIERS and word != "hundred" and last in ("small", "tens", "hundred"):
            power = MULTIPLIERS[word]
            if power >= biggest or current == 0:
                break
            total += current * 10**power
            place *= 10**power
            current, biggest, last, multiplied = 0, power, "big", True
        else:
            break
        i += 1
    if i == start or last == "":
        return None
    return total + current, place, i, multiplied
