"""Close matches: a name written for the first time that likely means a record already known.

A name resolves only when its normalised form is a record's alias or slug (`names.normalize`);
anything looser is a guess, so it never resolves a name: it comes back as a notice naming the
record, for the analyst to decide. The rules, strongest first:

1. the same words but for case, spacing, punctuation or a company designator
   ("Temir Zholy JSC", "K.T.Z.", "EUKazakhstan");
2. the same name in another transliteration (`SPELLINGS`: "Kazakstan", "Qazaqstan",
   "Kirghizstan", "Tadzhikistan"), or one letter apart in a name of seven letters or more;
3. initials: "KTZ" for "Kazakhstan Temir Zholy", or "European Union" for an alias "EU";
4. a part: the name's words are whole words of a longer alias ("EU" in "EU-Kazakhstan",
   "Temir Zholy" in "Kazakhstan Temir Zholy"), the larger the share of the alias the closer;
5. the name's initials are a word of an alias ("European Union" and "EU-Kazakhstan"), named
   only when nothing closer is.

Names are matched against every alias of every record (names and slugs included), in an index
built once a request and kept up to date as it creates records.
"""

import unicodedata
from dataclasses import dataclass, field

from app.entities.names import normalize

# Words that say what kind of company a name is, not which one: "Temir Zholy JSC" is "Temir
# Zholy". Those written before a name (as "JSC NC" or a transliterated "AO" are) at its start,
# all of them at its end.
LEADING = frozenset(
    {"the", "jsc", "ojsc", "pjsc", "cjsc", "ao", "pao", "zao", "ooo", "too", "llp", "nc"}
)
DESIGNATORS = LEADING | frozenset(
    {
        *("llc", "ltd", "limited", "inc", "incorporated", "plc", "gmbh", "ag", "sa"),
        *("corp", "corporation", "company", "co"),
    }
)
# Left out of initials: "Bank of China" is "BC" as well as "BOC".
SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la"})

# Transliterations of one name (Kazakh, Russian, Kyrgyz, Tajik, Uzbek names in English text),
# applied in order to a name without its diacritics; then doubled letters are written once.
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("ck", "k"),
    ("ph", "f"),
    ("q", "k"),
    ("y", "i"),
    ("w", "v"),
)

SPELLING_MIN = 5  # letters a name needs before its transliteration is compared
NEAR_MIN = 7  # ... before a name one letter apart counts as close
PART_WORDS = 8  # parts are taken of an alias's first words only
LIMIT = 3  # matches a name is given, closest first

SAME, SPELLING, NEAR, INITIALS, PART = 5, 4, 3, 2, 1
WORD_OF = 0  # a name's initials are a word of an alias: named only when nothing closer is


def words(name: str) -> tuple[str, ...]:
    """The name's words, normalised, without the company designators at either end."""
    found = normalize(name).split()
    while found and found[0] in LEADING:
        found.pop(0)
    while found and found[-1] in DESIGNATORS:
        found.pop()
    return tuple(found)


def skeleton(letters: str) -> str:
    """One form for the transliterations of a name (`SPELLINGS`)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", letters) if not unicodedata.combining(c)
    )
    for written, read in SPELLINGS:
        plain = plain.replace(written, read)
    return "".join(c for i, c in enumerate(plain) if i == 0 or c != plain[i - 1])


def initials(ws: tuple[str, ...]) -> set[str]:
    """The initials of a name of two words or more, with and without its small words."""
    if len(ws) < 2:
        return set()
    out = {"".join(w[0] for w in ws)}
    big = [w for w in ws if w not in SMALL_WORDS]
    if len(big) >= 2:
        out.add("".join(w[0] for w in big))
    return out


def deletions(text: str) -> set[str]:
    """The text with one letter left out, each way (and as it is)."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


@dataclass(frozen=True)
class Named:
    """An alias of a record, as the index keeps it."""

    record_id: int
    record_name: str
    alias: str
    role: str  # "name", "slug" or "alias": what the alias is to its record
    order: int  # among equally close aliases, the lower first (a record's slug last)


@dataclass(frozen=True)
class Match:
    """A record a new name is close to, and why."""

    record_id: int
    record_name: str
    why: str
    closeness: tuple[int, float]


@dataclass
class NameIndex:
    """Every alias of the records of one kind, by the forms the rules compare."""

    same: dict[str, list[Named]] = field(default_factory=dict)
    spelling: dict[str, list[Named]] = field(default_factory=dict)
    near: dict[str, list[Named]] = field(default_factory=dict)
    initials: dict[str, list[Named]] = field(default_factory=dict)
    parts: dict[tuple[str, ...], list[tuple[Named, float]]] = field(default_factory=dict)
    count: int = 0

    def add(self, record_id: int, record_name: str, slug: str, alias: str) -> None:
        ws = words(alias)
        if not ws:
            return
        self.count += 1
        role = "name" if alias == record_name else "slug" if alias == slug else "alias"
        named = Named(
            record_id, record_name, alias, role, self.count + (10**9 if role == "slug" else 0)
        )
        squashed = "".join(ws)
        self.same.setdefault(squashed, []).append(named)
        shape = skeleton(squashed)
        if len(shape) >= SPELLING_MIN:
            self.spelling.setdefault(shape, []).append(named)
        if len(shape) >= NEAR_MIN:
            for variant in deletions(shape):
                self.near.setdefault(variant, []).append(named)
        for letters in initials(ws):
            self.initials.setdefault(letters, []).append(named)
        head = ws[:PART_WORDS]
        for size in range(1, len(head) + (len(ws) > PART_WORDS)):
            for start in range(len(head) - size + 1):
                part = head[start : start + size]
                self.parts.setdefault(part, []).append((named, size / len(ws)))

    def close_to(self, name: str, *, other_than: int | None = None) -> list[Match]:
        """The records `name` is likely to mean, closest first (at most `LIMIT`)."""
        ws = words(name)
        squashed = "".join(ws)
        if len(squashed) < 2:
            return []
        best: dict[int, tuple[tuple[int, float], int, Match]] = {}

        def found(named: Named, rank: int, why: str, share: float = 1.0) -> None:
            if named.record_id == other_than:
                return
            closeness = (rank, share)
            why = f"{why} its {named.role} '{named.alias}'"
            match = Match(named.record_id, named.record_name, why, closeness)
            seen = best.get(named.record_id)
            if seen is None or (closeness, -named.order) > (seen[0], -seen[1]):
                best[named.record_id] = (closeness, named.order, match)

        for named in self.same.get(squashed, []):
            found(named, SAME, "it differs only in case, spacing, punctuation or a designator from")
        shape = skeleton(squashed)
        if len(shape) >= SPELLING_MIN:
            for named in self.spelling.get(shape, []):
                found(named, SPELLING, "it is another spelling of")
        if len(shape) >= NEAR_MIN:
            for variant in deletions(shape):
                for named in self.near.get(variant, []):
                    found(named, NEAR, "it is spelt almost like")
        if len(ws) == 1 and squashed.isalpha() and len(squashed) <= 6:
            for named in self.initials.get(squashed, []):
                found(named, INITIALS, f"'{name}' are the initials of")
        for letters in initials(ws):
            shown = letters.upper()
            for named in self.same.get(letters, []):
                found(named, INITIALS, f"its initials {shown} are")
            for named, share in self.parts.get((letters,), []):
                found(named, WORD_OF, f"its initials {shown} are a word of", share)
        # Designators dropped, the words said are the words that matched.
        said = name if ws == tuple(normalize(name).split()) else " ".join(ws)
        for named, share in self.parts.get(ws, []):
            found(named, PART, f"'{said}' is part of", share)
        ranked = sorted(best.values(), key=lambda b: (-b[0][0], -b[0][1], b[2].record_id))
        if ranked and ranked[0][0][0] > WORD_OF:
            ranked = [b for b in ranked if b[0][0] > WORD_OF]
        return [match for _, _, match in ranked[:LIMIT]]
