"""Names proposed from the sentence when no known record is named: who a figure is about (the
subject: "Kazakhstan", "North Sea Port") and what it measures ("oil production", "gas exports",
"cargo throughput").

The entity is the first proper name of the figure's clause (then of its sentence) that is not
a dateline ("ASTANA -", "BAKU, Azerbaijan, May 26."), a month, a sentence adverb
("Furthermore"), an abbreviation of a unit or an aggregate ("GDP", "USD"), a common word that
only opens the sentence ("Oil exports ..." when the text also writes "oil"), the speaker, or a
destination ("exported to Europe", "sent to Turkiye"); a destination is proposed only when
nothing else is, and the caller prefers the paragraph's entity to it.

The metric is the phrase around the nearest word of what is measured before the figure in its
clause ("production", "exports", "turnover", "throughput" ...) with the words that qualify it
("foreign trade turnover", "the volume of exports of gas" -> "gas exports"), else a verb that
names it ("produced 90 million tons of oil" -> "oil production"), else such a word after the
figure ("accounting for 15% of China's annual gas need").
"""

from __future__ import annotations

import re

from app.quantities.period_words import MONTHS

__all__ = ["entity_name", "lowercase_words", "metric_name", "not_qualifier"]

_CAPITALISED = re.compile(
    r"(?<![\w'\u2019-])(?:[A-Z][\w'\u2019&.-]*|\([A-Z][\w.&-]*\))"
    r"(?:[ \t]+(?:(?:of|the|and|for|de)[ \t]+)*(?:[A-Z][\w'\u2019&.-]*|\([A-Z][\w.&-]*\)))*"
)
_ADVERBS = frozenset(
    {
        *("in", "on", "under", "during", "however", "additionally", "meanwhile", "also", "the"),
        *("this", "that", "these", "those", "it", "he", "she", "they", "we", "a", "an", "as"),
        *("but", "and", "overall", "last", "next", "for", "by", "at", "from", "according"),
        *("over", "since", "after", "before", "following", "compared", "with", "thus", "still"),
        *("furthermore", "moreover", "notably", "similarly", "currently", "today", "regarding"),
        *("citing", "of", "in addition", "besides", "therefore", "hence", "then", "now", "to"),
        *("among", "while", "whereas", "although", "total", "overall", "if", "when", "so"),
        *("experts", "analysts", "officials", "earlier", "later", "previously", "recently"),
        *("its", "their", "his", "her", "our", "such", "all", "both", "each", "every", "some"),
        *("likewise", "nevertheless", "nonetheless", "instead", "indeed", "yet", "here"),
        *("despite", "due", "because", "amid", "given", "unlike", "like", "including"),
        *("excluding", "along", "within", "across", "through", "throughout", "beyond", "until"),
    }
)
# Words that open a sentence or a list item and name nothing: numbers and ordinals ("Three
# large projects ...", "First, it grew"), quantifiers, words that point at what follows
# ("There is", "Notable:", "Data from ... show").
_OPENERS = frozenset(
    {
        *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
        *("eleven", "twelve", "dozens", "hundreds", "thousands", "millions", "billions"),
        *("first", "second", "third", "fourth", "fifth", "firstly", "secondly", "finally"),
        *("lastly", "next", "other", "another", "several", "many", "most", "few", "more"),
        *("there", "here", "notable", "noteworthy", "key", "major", "main", "significant"),
        *("important", "data", "figures", "statistics", "results", "highlights"),
    }
)
# A participle opening the sentence before a word that shows it is one ("Looking ahead",
# "Taking into account"), not a name ending in -ing ("Beijing has ...").
_PARTICIPLE = re.compile(
    r"[A-Z][a-z]+ing\s+(?:ahead|back|forward|into|at|to|on|in|up|over|from|the|a|an|its|their"
    r"|this|these|that|those|all|both|such|account|advantage|part|place|note|stock)\b"
)
# Words of an institution or a title: a run with one is a speaker or a source, not the subject.
_OFFICES = frozenset(
    {
        *("Ministry", "Minister", "President", "Committee", "Agency", "Office", "Department"),
        *("Service", "Bureau", "Council", "Chairman", "Director", "CEO", "Spokesperson"),
        *("Deputy", "Head", "Governor", "Secretary", "Commission", "Association", "Report"),
        *("Authority", "Inspectorate", "Regulator"),
    }
)
_REPORTS = re.compile(
    r"\s*,?\s*(?:also\s+|has\s+|had\s+)?(?:said|says|reported|reports|forecast(?:s|ed)?"
    r"|expect(?:s|ed)|estimat(?:es?|ed)|projects?|projected|predict(?:s|ed)?|announced|announces"
    r"|noted|stated|told|wrote|published|showed|shows)\s+(?:that\s+)?(?:the\s+)?[A-Z]"
)
# A following word that makes a demonym or a name an institution: "the Indian government".
_INSTITUTION = re.compile(
    r"\s+(government|authorities|(?:sea\s?)?ports?|airports?|railways|budget|economy|airlines"
    r"|(?:hydro(?:electric)?\s*)?(?:power\s+)?(?:plant|station)|fields?|mine|pipeline|refinery"
    r"|terminal|project)\b"
)
# "the seaport of Aktau", "the port of Mombasa": the facility of the place named after it.
_FACILITY_OF = re.compile(
    r"\b(?:the|its)\s+((?:sea\s?)?port|airport|refinery|terminal)\s+of\s+$", re.IGNORECASE
)
_NOT_NAMES = frozenset(
    {
        *(m.capitalize() for m in MONTHS),
        *("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        *("GDP", "GNP", "USD", "EUR", "KZT", "TEU", "MW", "GW", "GWh", "TWh", "kWh", "FDI"),
        *("VAT", "CIS", "H1", "H2", "Q1", "Q2", "Q3", "Q4", "FY", "Ministry", "Government"),
        *("MT", "Mt", "Mtpa", "BCM", "TCM", "BPD", "TEUs"),
        *("President", "Minister", "Prime", "State", "Statistics", "Committee", "Bank"),
        *("Agency", "Office", "Department", "Service", "Budget", "National", "Republic"),
        *("Trend", "Azernews", "Reuters", "Interfax", "Kazinform", "Xinhua", "TASS", "Kabar"),
    }
)
# The last word of a body's name that the words before it make a name: "the World Bank", "the
# National Bank", "the National Fund" (alone, "Bank" is no name).
_BODIES = frozenset({"Bank", "Fund"})
_DATELINE = re.compile(
    r"^[A-Z][A-Z-]{2,}(?:[ ,]+[A-Z][A-Z-]{2,})*(?:,\s+[A-Z][\w-]+)?"
    r"(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s*[.,:\u2013\u2014-]\s*"
)
_MONEY_LETTERS = re.compile(r"[A-Z]{1,3}(?:\$|\d[\d.,]*(?![\w-]))")
_CURRENCY_AFTER = re.compile(
    r"\s+(?:tenge|soms?|manats?|rubles?|roubles?|rupees?|dollars?|euros?|pounds?|lira|liras"
    r"|yuan|renminbi|yen|won|dinars?|dirhams?|riyals?|francs?|hryvnias?|laris?|lari|drams?|sums?)\b"
)
_PERIOD_CODE = re.compile(r"(?:FY|Q|H|CY)\d{1,4}(?:/\d\d)?", re.IGNORECASE)
_TOWARDS = re.compile(
    r"(?:\bto|\bwith|\bvia|\bthrough|\btowards|\binto|\bthan|\bagainst)\s+(?:the\s+)?$"
)


_PLACE = r"[A-Z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*)*"
_TRADE_BETWEEN = re.compile(
    rf"\b[Tt]rade(?:[ \t]+turnover)?[ \t]+between[ \t]+(?:the[ \t]+)?({_PLACE})[ \t]+and[ \t]+"
    rf"(?:the[ \t]+)?({_PLACE})"
)


def _clean(name: str) -> str:
    words = [w.strip(".,") for w in name.split()]
    while words and words[0].lower() in _ADVERBS:
        words.pop(0)
    if len(words) > 1 and words[-1] in _BODIES:
        return " ".join(words)  # "World Bank", "National Fund": the name of a body
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    while words and (
        words[-1].lower() in ("of", "the", "and", "for", "de") or words[-1] in _NOT_NAMES
    ):
        words.pop()
    name = " ".join(words).strip(" .,'\u2019()")
    return re.sub(r"(?:'s|\u2019s|'|\u2019)$", "", name)


def _months(name: str) -> bool:
    return all(part.lower() in MONTHS for part in re.split(r"[-\u2013\s]+", name) if part)


def lowercase_words(text: str) -> frozenset[str]:
    """The words a text writes in lowercase: a capitalised one of them opening a sentence is a
    common word ("Oil exports ..." where the text also writes "oil")."""
    return frozenset(re.findall(r"\b[a-z][\w-]*", text))


def _candidates(
    sentence: str, start: int, end: int, lowercase: frozenset[str]
) -> list[tuple[int, str, bool]]:
    """(position, name, a destination) for each proper name of sentence[start:end]."""
    opening = _DATELINE.match(sentence)
    skip_to = opening.end() if opening is not None else 0
    out: list[tuple[int, str, bool]] = []
    for match in _CAPITALISED.finditer(sentence, start, end):
        if match.end() <= skip_to:
            continue
        run = match.group()
        if _MONEY_LETTERS.match(sentence, match.start()) is not None:
            continue  # "US$55 billion", "T1.5 trillion": a currency written before the figure
        if _CURRENCY_AFTER.match(sentence, match.end()) is not None:
            continue  # "1.9 trillion Kazakh tenge": the currency's name
        owner = re.match(r"(.+?)(?:'s|\u2019s)(?:\s|$)", run)
        owned = _clean(run[owner.end() :]) if owner is not None else ""
        if owner is not None and " " in owned and not set(owned.split()) & _OFFICES:
            # "Kazakhstan's Aktau Commercial Sea Port": the port, a name of its own.
            out.append((match.start(), owned, bool(_TOWARDS.search(sentence[: match.start()]))))
            continue
        if owner is not None:
            # "Kazakhstan's Energy Ministry": the country it belongs to.
            name = _clean(owner.group(1))
            if name and not _months(name):
                out.append((match.start(), name, bool(_TOWARDS.search(sentence[: match.start()]))))
            continue
        if any(w.strip(".,") in _OFFICES for w in run.split()):
            continue
        name = _clean(run)
        if not name or not any(c.isalpha() for c in name) or name.lower() in _ADVERBS:
            continue
        if _months(name) or name in _NOT_NAMES or _PERIOD_CODE.fullmatch(name):
            continue
        first_word = sentence[: match.start()].strip(" \"'\u201c\u2018(\u2022*-") == ""
        if first_word and (
            name.lower() in _OPENERS or _PARTICIPLE.match(sentence, match.start()) is not None
        ):
            continue
        if first_word and " " not in name:
            after = re.match(r"\s+([a-z][\w-]*)", sentence[match.end() :])
            if name.lower() in _HEADS or (after is not None and after.group(1) in _HEADS):
                continue  # "Oil exports ...", "Container transhipment fell ..."
            if name.lower() in lowercase:
                continue  # a common word that opens the sentence and is written lowercase too
            if name.endswith("ly") and sentence[match.end() : match.end() + 1] == ",":
                continue  # "Simultaneously, ..."
        institution = _INSTITUTION.match(sentence, match.end())
        if institution is not None:
            name = f"{name} {institution.group(1)}"
        elif (facility := _FACILITY_OF.search(sentence, 0, match.start())) is not None:
            name = f"{name} {facility.group(1).lower().replace('sea port', 'seaport')}"
        # "sent to Turkiye", "OPEC forecasts ...": named aside, proposed only if nothing else is.
        towards = bool(_TOWARDS.search(sentence[: match.start()]))
        reporting = _REPORTS.match(sentence, match.end()) is not None
        out.append((match.start(), name, towards or reporting))
    return out


def entity_name(
    sentence: str, clause: tuple[int, int], speaker: str | None, lowercase: frozenset[str]
) -> tuple[str | None, str | None]:
    """(the subject, a destination named instead) for a figure of `clause`."""
    aside: str | None = None
    for start, end in (clause, (0, len(sentence))):
        pair = _TRADE_BETWEEN.search(sentence, start, end)
        if pair is not None:
            # "trade turnover between Kazakhstan and Turkiye": the pair's trade, not either one.
            first, second = _clean(pair.group(1)), _clean(pair.group(2))
            if first and second:
                return f"{first}\u2013{second} trade", aside
        for _, name, towards in _candidates(sentence, start, end, lowercase):
            if speaker is not None and (name in speaker or speaker in name):
                continue
            if towards:
                aside = aside or name
                continue
            return name, aside
    return None, aside


# --- metrics ---------------------------------------------------------------------------------

_HEADS = frozenset(
    {
        *("production", "output", "exports", "export", "imports", "import", "turnover"),
        *("throughput", "transhipment", "transshipment", "traffic", "passengers", "flights"),
        *("revenues", "revenue", "expenditures", "expenditure", "spending", "deficit"),
        *("surplus", "debt", "capacity", "investment", "investments", "consumption"),
        *("generation", "freight", "volume", "volumes", "sales", "reserves", "demand"),
        *("supply", "supplies", "transit", "shipments", "deliveries", "inflow", "inflows"),
        *("price", "prices", "gdp", "inflation", "loans", "subsidies", "allocation", "capex"),
        *("emissions", "population", "harvest", "transfer", "transfers", "earnings", "income"),
        *("profit", "loading", "transportation", "share", "trade", "bulk", "cargo", "tariff"),
        *("costs", "cost", "budget", "funding", "financing", "rate", "yield", "reserve"),
        *("length", "fleet", "stock", "stocks", "storage", "wages", "salary", "tourists"),
    }
)
# What a share is of ("2.5% of GDP"): the whole, not what is measured.
_WHOLES = frozenset({"gdp", "total"})
# A head worth less than any other found: "cargo" in "tons of cargo were transported".
_WEAK = frozenset({"trade", "bulk", "cargo", "volume", "volumes", "share", "budget", "rate"})
_VERB_NOUNS = {
    **dict.fromkeys(("produced", "produce", "produces", "producing", "extracted"), "production"),
    **dict.fromkeys(("exported", "exports", "export", "exporting"), "exports"),
    **dict.fromkeys(("imported", "importing"), "imports"),
    **dict.fromkeys(("transported", "transporting", "carried"), "transportation"),
    **dict.fromkeys(("transhipped", "transshipped", "handled"), "throughput"),
    **dict.fromkeys(("invested", "invest", "attracted"), "investment"),
    **dict.fromkeys(("consumed",), "consumption"),
    **dict.fromkeys(("generated", "generate"), "generation"),
    **dict.fromkeys(("spent", "spend", "spending"), "spending"),
    **dict.fromkeys(("earned", "earn"), "revenues"),
    **dict.fromkeys(("shipped", "supplied", "supply", "sent", "delivered"), "supplies"),
    **dict.fromkeys(("sold",), "sales"),
}
_STOP = frozenset(
    {
        *("the", "a", "an", "of", "and", "in", "on", "at", "to", "for", "by", "with", "from"),
        *("its", "their", "this", "that", "these", "total", "overall", "also", "which", "is"),
        *("are", "was", "were", "has", "have", "had", "be", "been", "will", "would", "said"),
        *("country's", "country\u2019s", "nation's", "republic's", "year", "years", "per"),
        *("same", "period", "new", "annual", "monthly", "further", "other", "more", "less"),
    }
)
_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
# Words that never qualify what is measured: units, scales, conjunctions, pointers.
_NOT_MODIFIERS = frozenset(
    {
        *("bcm", "kwh", "twh", "gwh", "mwh", "mw", "gw", "tons", "tonnes", "tonne", "ton"),
        *("percent", "cent", "billion", "million", "trillion", "thousand", "bn", "mln", "teu"),
        *("while", "whereas", "but", "or", "nor", "than", "addition", "figure", "indicator"),
        *("first", "second", "later", "set", "it", "they", "there", "here", "only", "just"),
        *("up", "down", "about", "around", "nearly", "almost", "over", "under", "some"),
        # numbers, hedges, units, spans of time: what a figure is said in, not what it measures
        *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
        *("hundred", "hundreds", "thousands", "millions", "billions", "dozen", "approximately"),
        *("roughly", "some", "megawatts", "gigawatts", "kilowatts", "crore", "lakh", "barrels"),
        *("cubic", "metres", "meters", "kilometres", "kilometers", "tenge", "dollars", "euros"),
        *("months", "weeks", "days", "quarters", "years", "decades"),
    }
)
_COMMODITY = re.compile(
    r"\b(?:tons?|tonnes?|barrels?|meters?|metres?|feet|kWh|MW|GW|TEU|units?|bcm|cub\.m\.?)\s+"
    r"(?:of\s+)((?:[a-z][\w-]*\s+){0,1}[a-z][\w-]*)"
)


# Verbs, pronouns and question words: a name of what is measured holds none ("gas were
# supplied", "kept production targets", "where air traffic", "energy sources we").
_VERB_FORMS = frozenset(
    {
        *("kept", "begun", "made", "put", "set", "held", "built", "sold", "brought", "given"),
        *("taken", "seen", "shown", "grown", "risen", "fallen", "spent", "sent", "paid", "won"),
        *("lost", "led", "met", "cut", "hit", "use", "used", "make", "take", "keep", "reach"),
        *("we", "you", "he", "she", "they", "it", "i", "where", "when", "which", "who", "whom"),
        *("what", "whose", "whereby", "relative"),
    }
)


def not_qualifier(word: str) -> bool:
    """Whether a word can be no part of the name of what is measured."""
    lower = word.lower()
    return (
        lower in _STOP
        or lower in _NOT_MODIFIERS
        or lower in _VERB_FORMS
        or (lower.endswith("ed") and len(lower) > 4)
        or lower.endswith("ly")
    )


def _qualified(words: list[tuple[int, int, str]], k: int) -> str:
    """The head at words[k] with the words that qualify it: up to two lowercase words before it
    ("foreign trade turnover") and "of X" after it ("production of oil" -> "oil production")."""
    head = words[k][2].lower()
    kept = [head]
    for j in range(k - 1, max(-1, k - 3), -1):
        word = words[j][2]
        lower = word.lower()
        if lower in _STOP or lower.endswith(("ed", "'s", "\u2019s")) or lower in _VERB_NOUNS:
            break
        if not_qualifier(word) or (lower in _HEADS and lower not in _WEAK):
            break  # "billion imports", "while expenditure", "trade turnover, exports"
        if word[0].isupper() and j > 0:
            break
        kept.insert(0, lower)
    if k + 2 < len(words) and words[k + 1][2] == "of" and words[k + 2][2].islower():
        of = words[k + 2][2]
        if of not in _HEADS and not not_qualifier(of):
            kept.insert(0, of)
    return " ".join(kept)


def _thing(commodity: re.Match[str] | None) -> str | None:
    """What "tons of X" are of, without an adverb or a number after it ("of hydrogen
    annually")."""
    if commodity is None:
        return None
    kept = [w for w in commodity.group(1).split() if not not_qualifier(w)]
    return " ".join(kept) or None


def metric_name(sentence: str, clause: tuple[int, int], span: tuple[int, int]) -> str | None:
    """A name for what the figure measures, from its clause; None when the clause has none."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(sentence)]
    inside = [k for k, w in enumerate(words) if clause[0] <= w[0] < clause[1]]
    before = [k for k in inside if words[k][1] <= span[0]]
    after = [k for k in inside if words[k][0] >= span[1]]
    heads = [
        k
        for k in before
        if words[k][2].lower() in _HEADS
        and not (words[k][2].lower() in _WHOLES and k > 0 and words[k - 1][2] == "of")
    ]
    strong = [k for k in heads if words[k][2].lower() not in _WEAK]
    commodity = _COMMODITY.search(sentence, span[0], clause[1])
    adjacent = bool(after) and sentence[span[1] : words[after[0]][0]].strip() == ""
    if adjacent and words[after[0]][2].lower() in _HEADS:
        return _qualified(words, after[0])  # "$10 billion investment"
    for k in after[:5]:
        # "2.5 million tons of cargo were transported": the verb after it names it.
        noun = _VERB_NOUNS.get(words[k][2].lower())
        if noun is not None and adjacent and words[k][2].islower():
            thing = _thing(commodity)
            return f"{thing} {noun}" if thing and thing not in _STOP else noun
    if adjacent and words[after[0]][2].lower() in ("in", "of"):
        # "a 127% increase in passenger traffic", "a 4.6% fall in third-quarter production"
        for k in after[1:4]:
            if words[k][2].lower() in _HEADS:
                return _qualified(words, k)
    for k in reversed(before):
        noun = _VERB_NOUNS.get(words[k][2].lower())
        if noun is not None and (not strong or strong[-1] < k):
            thing = _thing(commodity)
            return f"{thing} {noun}" if thing and thing not in _STOP else noun
    if strong or heads:
        return _qualified(words, (strong or heads)[-1])
    later = [k for k in after if words[k][2].lower() in _HEADS]
    if later:
        return _qualified(words, later[0])
    return None
