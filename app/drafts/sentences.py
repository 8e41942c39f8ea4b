"""The sentences of a pasted text, with their offsets and paragraph numbers: a sentence ends at
".", "!" or "?" before a capital or a digit (not after an abbreviation such as "Jan." or
"Mr."), and at a line break, unless the line broke off mid-sentence as text copied from a narrow
column does ("2.5 million" / "tons of cargo"); a blank line starts a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the text: its offsets in the text and its paragraph's number."""

    start: int
    end: int
    text: str
    paragraph: int


_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "inc", "ltd", "co"),
        *("corp", "jsc", "gov", "gen", "sen", "rep", "jr", "sr", "art", "approx", "est", "fig"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("e.g", "i.e", "u.s", "u.k", "u.n", "bln", "mln", "trln", "bn", "mn", "thous"),
    }
)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9$€£])"
)
_LINE = re.compile(r"[^\n]+")


_LINE_GOES_ON = re.compile(r"[^.!?:;\s\"'\u201d\u2019)\]]\s*$")
_BULLET_LINE = re.compile(r"\s*(?:[-*\u2022\u2013\u2014]|\d{1,2}[.)])\s")


def _lines(text: str) -> list[tuple[int, int, int]]:
    """The text's lines as (start, end, paragraph); a line that breaks off mid-sentence
    ("2.5 million" / "tons of cargo"), as text copied from a narrow column does, is one
    line with the next."""
    out: list[tuple[int, int, int]] = []
    paragraph = 0
    previous = 0
    for line in _LINE.finditer(text):
        breaks = text.count("\n", previous, line.start())
        if breaks >= 2:
            paragraph += 1
        elif (
            out
            and breaks == 1
            and _LINE_GOES_ON.search(text, out[-1][0], out[-1][1])
            and not _BULLET_LINE.match(line.group())
        ):
            out[-1] = (out[-1][0], line.end(), paragraph)
            previous = line.end()
            continue
        previous = line.end()
        out.append((line.start(), line.end(), paragraph))
    return out


def sentences(text: str) -> list[Sentence]:
    """The text's sentences, in order: a line break ends one, a blank line a paragraph."""
    out: list[Sentence] = []
    for first, last, paragraph in _lines(text):
        start = first
        for end in _ends(text[first:last]):
            _add(out, text, start, first + end, paragraph)
            start = first + end
        _add(out, text, start, last, paragraph)
    return out


def _ends(line: str) -> list[int]:
    ends: list[int] = []
    for match in _SENTENCE_END.finditer(line):
        before = line[: match.start()].rstrip(".!?\"'\u201d\u2019)]")
        word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        ends.append(match.end())
    return ends


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        out.append(Sentence(offset, offset + len(stripped), stripped, paragraph))
