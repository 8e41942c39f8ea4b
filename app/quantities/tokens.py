"""Normalising a figure as written and cutting it into tokens."""

from __future__ import annotations

import re
from enum import Enum

from app.quantities.errors import QuantityError
from app.quantities.grouping import Numeral, read_numerals
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


class Token:
    """One piece of a figure as written: its kind, its text, and ``word``, the lowercase form
    compared with word tables (made once here: the reading stages compare it dozens of times a
    figure). ``numeral`` is a number's reading by the digit-group rule (`grouping`). Tokens are
    never changed once made (a plain class with slots: a frozen dataclass costs twice as much to
    make, and a figure makes several)."""

    __slots__ = ("kind", "numeral", "text", "word")

    def __init__(self, kind: Kind, text: str, numeral: Numeral | None = None) -> None:
        self.kind = kind
        self.text = text
        self.word = text.lower()
        self.numeral = numeral

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r}, {self.numeral!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return (self.kind, self.text, self.numeral) == (other.kind, other.text, other.numeral)

    def __hash__(self) -> int:
        return hash((self.kind, self.text, self.numeral))


# Superscript letters and signs ("billionᵃ", "10⁻³") mark footnotes or powers; no unit has them.
_SUPERSCRIPT_MARKS = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁺⁻⁼⁽⁾"

# Letters: \w is also true of superscript digits ("²".isalnum()), which are no letters here.
_LETTER = rf"[^\W\d_{SUPERSCRIPT_DIGITS}{_SUPERSCRIPT_MARKS}]"

# Footnote marks. A superscript right after letters belongs to the word, as the exponent of a
# unit ("km²", "m³", read by the unit layer); anywhere else it marks a footnote (or a power of
# ten nobody should have to guess), and a footnote mark must never change a figure. So is a
# bracketed reference ("[7]") copied along with the figure.
_FOOTNOTE_MARKS = f"{SUPERSCRIPT_DIGITS}{_SUPERSCRIPT_MARKS}†‡*"

_TOKEN = re.compile(
    rf"""
    # White space first: every other match is one, and nothing else but `other` matches there.
    (?P<space>\s+)
    # Digits with their marks, read by `grouping`. A space joins only groups of three after one
    # to three digits ("640 000"), so "2020 2 500" stays two numbers.
    |(?P<number>(?:\d{{1,3}}(?:\ \d{{3}}(?!\d))+|\d+|(?=\.\d))(?:[,.']\d+)*
        (?:e[+-]?\d+(?!{_LETTER}))?)
    # "km2", "m3", "ft3": the digit belongs to the unit, not to a following number
    |(?P<area>(?<!{_LETTER})(?:km|m|mi|ft)[23](?![\d]))
    |(?P<currency>(?:US|C|A|HK|S|NZ|R)\$|\$|(?:CN|JP)?¥|€|£|₽|₸|₹|₩|₺|₼|₾|₦)
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

_DASH_SIGNS = "\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d"
_DASHES = str.maketrans(dict.fromkeys(_DASH_SIGNS, "-"))
_DASH = re.compile(f"[{_DASH_SIGNS}]")  # a search costs less than translating every text
_APOSTROPHE = re.compile(r"(?<=\d)[\u2019\u2018](?=\d)")
# The raised decimal point of British print ("980·7 million tonnes"): between digits only.
_MIDDLE_DOT = re.compile(r"(?<=\d)\u00b7(?=\d)")
# Characters a web page carries invisibly (zero-width spaces and joiners, direction marks, soft
# hyphens, byte-order marks): dropped, except between digits, where one may part two numbers.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_INVISIBLE_RUN = re.compile(rf"(?<=\d)([{_INVISIBLE}]+)(?=\d)|[{_INVISIBLE}]+")
_MARKDOWN_ESCAPE = re.compile(r"\\([$%~<>+\-])")
_QUOTES = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u201a\u2039\u203a"


_US_DOTS = re.compile(r"\bU\.\s?S\.\s?")
_US_DOLLAR = re.compile(r"\bUS\s+\$")
_FULL_STOP = re.compile(rf"(?<=[\w%{_QUOTES}])\.$")
# The characters the rewrites below look for: a text with none of them skips them all.
_REWRITTEN = frozenset(f"\\{_INVISIBLE}\u00b7\u2019\u2018")


def normalise(text: str) -> str:
    # Each rewrite runs only when its text can be there (most figures need none of them).
    s = text.translate(_DASHES) if _DASH.search(text) else text
    if not _REWRITTEN.isdisjoint(s):
        # The seed briefings are Markdown and escape "$" ("\$10 billion").
        s = _MARKDOWN_ESCAPE.sub(r"\1", text).translate(_DASHES)
        s = _INVISIBLE_RUN.sub(lambda run: run.group(1) or "", s)
        # A typographic apostrophe (U+2019, or U+2018 as some pages type it: "CHF 1\u2018250.35")
        # groups thousands as the straight one does; thin and no-break spaces become plain spaces
        # below, grouping as they do ("16 500"). A middle dot is a decimal point, and the point
        # it becomes follows the digit-group rule ("1·000" alone is refused as "1.000" is).
        s = _MIDDLE_DOT.sub(".", _APOSTROPHE.sub("'", s))
    if "U." in s:
        s = _US_DOTS.sub("US ", s)
    if "$" in s and "US" in s:
        s = _US_DOLLAR.sub("US$", s)
    # Runs of white space (as `\s` and `str.split` both know it) become one space.
    s = " ".join(s.split()).rstrip(",;:!?")
    # A full stop copied along with the figure ("... $10 billion.") is not part of it.
    if s.endswith("."):
        s = _FULL_STOP.sub("", s)
    # Nor are quotation marks around all of it ("“$5 billion”", "«5 000 tonnes»").
    if len(s) > 1 and s[0] in _QUOTES and s[-1] in _QUOTES:
        return normalise(s[1:-1])
    return s


def _footnote(mark: str, original: str) -> QuantityError:
    return QuantityError(
        "footnote_mark",
        f"could not read '{mark}' in '{original}': a superscript or footnote mark is not "
        "part of a figure (only a unit takes an exponent, as in 'km²'); remove it",
    )


def tokenize(text: str, original: str) -> list[Token]:
    pieces: list[tuple[Kind, str]] = []
    numbers: list[str] = []
    # A word of ASCII letters between spaces is one word token, whatever stands around it (no
    # token of the pattern spans a space into letters, and its look-behinds see a space there
    # as they see the start of a run): only the runs between such words go through the pattern.
    run: list[str] = []
    for chunk in text.split(" "):
        if chunk.isascii() and chunk.isalpha():
            if run:
                _read_run(" ".join(run), original, pieces, numbers)
                run = []
            pieces.append((Kind.WORD, chunk))
        else:
            run.append(chunk)
    if run:
        _read_run(" ".join(run), original, pieces, numbers)
    # The numbers are read together (one text writes them one way), each token made once.
    numerals = iter(read_numerals(numbers, original) if numbers else ())
    return [
        Token(kind, piece, next(numerals) if kind is Kind.NUMBER else None)
        for kind, piece in pieces
    ]


def _read_run(text: str, original: str, pieces: list[tuple[Kind, str]], numbers: list[str]) -> None:
    """The tokens of ``text`` (a run of ``original``) by the pattern, added to ``pieces``; the
    numbers' text to ``numbers`` too."""
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group is None or group == "space":
            continue
        piece = match.group()
        if group == "number":
            numbers.append(piece)
        elif group == "word":
            # A superscript after a word is an exponent only when the word is a unit ("km²").
            raised = match.group("raised")
            if raised and lookup_phrase([piece]) is None:
                raise _footnote(raised, original)
        elif group == "footnote":
            raise _footnote(piece, original)
        elif group == "other":
            if piece in _INVISIBLE:
                raise QuantityError(
                    "unreadable_number",
                    f"an invisible character (U+{ord(piece):04X}) stands between digits in "
                    f"'{original}': remove it",
                )
            raise QuantityError("unknown_unit", f"could not read '{piece}' in '{original}'")
        pieces.append((_KINDS[group], piece))
