"""Normalising a figure as written and cutting it into tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from app.quantities.errors import QuantityError
from app.quantities.units import SUPERSCRIPT_DIGITS, lookup_phrase


class Kind(Enum):
    NUMBER = "number"
    WORD = "word"
    CURRENCY = "currency"  # a currency sign: $, US$, €, ₸ ...
    PERCENT = "percent"
    DASH = "dash"  # a minus sign or a range dash
    HYPHEN = "hyphen"  # a hyphen right after a letter ("EUR-7", "twenty-four"): never a minus
    SLASH = "slash"  # "b/d", "t/ha", "bcm/y": a unit per another
    PAREN = "paren"  # a bracket: "(USD)", "(TEUs)" name the unit again
    SIGN = "sign"  # comparison signs and "+", "~"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str

    @property
    def word(self) -> str:
        """The lowercase form compared with word tables."""
        return self.text.lower()


# Letters: \w is also true of superscript digits ("²".isalnum()), which are no letters here.
_LETTER = rf"[^\W\d_{SUPERSCRIPT_DIGITS}]"

# Footnote marks. A superscript right after letters belongs to the word, as the exponent of a
# unit ("km²", "m³", read by the unit layer); anywhere else it marks a footnote (or a power of
# ten nobody should have to guess), and a footnote mark must never change a figure. So is a
# bracketed reference ("[7]") copied along with the figure.
_FOOTNOTE_MARKS = f"{SUPERSCRIPT_DIGITS}†‡*"

_TOKEN = re.compile(
    rf"""
    (?P<number>(?:\d+(?:,\d+)*(?:\.\d+)?|\.\d+)(?:e[+-]?\d+(?!{_LETTER}))?)
    # "km2", "m3", "ft3": the digit belongs to the unit, not to a following number
    |(?P<area>(?<!{_LETTER})(?:km|m|mi|ft)[23](?![\d]))
    |(?P<currency>(?:US|C|A|HK|S|NZ)\$|\$|(?:CN|JP)?¥|€|£|₽|₸|₹|₩|₺|₼|₾)
    # an apostrophe inside a word is a letter of it ("so'm", the Uzbek sum)
    |(?P<word>{_LETTER}+(?:['\u2019\u2018]{_LETTER}+)*(?P<raised>[{SUPERSCRIPT_DIGITS}]+)?\.?)
    |(?P<footnote>[{_FOOTNOTE_MARKS}]
        # a bracketed reference, as encyclopedias write them ("$696.903 billion[7]", "[a]")
        |\[(?:\d{{1,3}}|[a-z]|note\s?\d{{1,3}})\])
    |(?P<percent>%)
    # A hyphen joined to a word before it ("EUR-7-billion", headline style) is no minus sign;
    # the minus sign U+2212 always is.
    |(?P<hyphen>(?<={_LETTER})-)
    |(?P<dash>[-\u2212])
    |(?P<slash>/)
    |(?P<paren>[()])
    |(?P<sign>>=|<=|≥|≤|>|<|~|≈|\+)
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_KINDS = {
    "number": Kind.NUMBER,
    "area": Kind.WORD,
    "currency": Kind.CURRENCY,
    "word": Kind.WORD,
    "percent": Kind.PERCENT,
    "hyphen": Kind.HYPHEN,
    "dash": Kind.DASH,
    "slash": Kind.SLASH,
    "paren": Kind.PAREN,
    "sign": Kind.SIGN,
    "other": Kind.OTHER,
}

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d", "-"))
_GROUPING_SPACE = re.compile(r"(?<=\d)[\u00a0\u2009\u202f](?=\d{3}(?!\d))")
_MARKDOWN_ESCAPE = re.compile(r"\\([$%~<>+\-])")


def normalise(text: str) -> str:
    # The seed briefings are Markdown and escape "$" ("\$10 billion").
    s = _MARKDOWN_ESCAPE.sub(r"\1", text)
    s = s.translate(_DASHES)
    # Thin and no-break spaces group thousands in Russian and French styles ("16 500").
    s = _GROUPING_SPACE.sub(",", s)
    s = re.sub(r"\bU\.\s?S\.\s?", "US ", s)
    s = re.sub(r"\bUS\s+\$", "US$", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(",;:!?")
    # A full stop copied along with the figure ("... $10 billion.") is not part of it.
    return re.sub(r"(?<=[\w%])\.$", "", s)


def tokenize(text: str, original: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group is None or group == "space":
            continue
        text = match.group()
        # A superscript after a word is an exponent only when the word is a unit ("km²").
        raised = match.group("raised") if group == "word" else None
        if group == "footnote" or (raised and lookup_phrase([text]) is None):
            mark = raised or text
            raise QuantityError(
                "footnote_mark",
                f"could not read '{mark}' in '{original}': a superscript or footnote mark is not "
                "part of a figure (only a unit takes an exponent, as in 'km²'); remove it",
            )
        kind = _KINDS[group]
        if kind is Kind.OTHER:
            raise QuantityError("unknown_unit", f"could not read '{text}' in '{original}'")
        tokens.append(Token(kind, text))
    return tokens
