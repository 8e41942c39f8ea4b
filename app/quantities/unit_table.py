"""The physical units this field writes: spellings, pint expressions, the canonical unit of each.

Data only; `units` reads it. Every factor to a canonical unit is a terminating decimal (pint
computes it, `tests/quantities/test_units.py` pins it), so every conversion is exact.
"""

from __future__ import annotations

# Canonical unit -> (dimension, pint expression). Every stored value is in one of these, or in
# one of them per year ("m3/yr": see `units.rate`), or in a currency. Names fit the claims'
# VARCHAR(16) columns with "/yr" added.
CANONICAL_UNITS: dict[str, tuple[str, str | None]] = {
    "km": ("length", "kilometer"),
    "t": ("mass", "tonne"),
    "GWh": ("energy", "gigawatt_hour"),
    "MW": ("power", "megawatt"),
    "km2": ("area", "kilometer ** 2"),
    "m3": ("volume", "meter ** 3"),
    "day": ("duration", "day"),
    "TEU": ("containers", "twenty_foot_equivalent_unit"),
    "tkm": ("freight_work", "tonne * kilometer"),
    "pkm": ("passenger_work", "passenger_kilometer"),
    "t/ha": ("yield", "tonne / hectare"),
    "percent": ("percent", None),
    "count": ("count", None),
    # Relative figures (app/quantities/relative.py): a change in percentage points, a multiple.
    "pp": ("pp", None),
    "factor": ("factor", None),
}

# What pint lacks. Its own definitions cover the rest: tonne, oil_barrel (42 US gallons; pint's
# plain "barrel" is 31.5), cubic_foot, hectare, watt_hour, tonne_of_oil_equivalent (toe), year
# (365.25 days) and month (a twelfth of it).
DEFINITIONS: tuple[str, ...] = (
    "twenty_foot_equivalent_unit = [container]",
    "forty_foot_equivalent_unit = 2 * twenty_foot_equivalent_unit",
    "passenger_kilometer = [passenger_work]",
    # The centner of Russian and Kazakh harvest figures is the metric quintal: 100 kg.
    "centner = 100 * kilogram",
    "lakh_tonne = 1e5 * tonne",
    "tonne_of_coal_equivalent = 29.3076 * gigajoule",
    "quarter_year = year / 4",
    "million_tonne_of_oil_equivalent = 1e6 * tonne_of_oil_equivalent",
    "thousand_tonne_of_oil_equivalent = 1e3 * tonne_of_oil_equivalent",
    "million_cubic_meter = 1e6 * meter ** 3",
    "billion_cubic_meter = 1e9 * meter ** 3",
    "trillion_cubic_meter = 1e12 * meter ** 3",
    # Gas-industry abbreviations: "Mcf" is a thousand cubic feet (Roman M), "MMcf" a million.
    "thousand_cubic_foot = 1e3 * cubic_foot",
    "million_cubic_foot = 1e6 * cubic_foot",
    "billion_cubic_foot = 1e9 * cubic_foot",
    "trillion_cubic_foot = 1e12 * cubic_foot",
    # pint's "acre" is the US survey acre, whose factor does not terminate; the international
    # acre (43,560 square feet of 0.3048 m) is the one in use, also in US statistics since 2023.
    "international_acre = 43560 * foot ** 2",
    "thousand_oil_barrel = 1e3 * oil_barrel",
    "million_oil_barrel = 1e6 * oil_barrel",
)

# (canonical unit, pint expression of the written unit, spellings). Spellings are matched in
# lowercase with abbreviation dots removed; a spelling of several words is also matched with
# hyphens for spaces and the other way round ("kilowatt-hours", "tonne kilometres"). Only units
# whose factor to the canonical unit terminates are listed (no hours, no weeks, no survey acres).
PHYSICAL: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("km", "kilometer", ("km", "kms", "kilometer", "kilometers", "kilometre", "kilometres")),
    ("km", "meter", ("m", "meter", "meters", "metre", "metres")),
    ("km", "mile", ("mi", "mile", "miles")),
    ("km", "foot", ("ft", "foot", "feet")),
    # "ton(s)" is the metric tonne here: Eurasian trade and rail statistics never use short tons.
    ("t", "tonne", ("t", "tonne", "tonnes", "ton", "tons", "metric ton", "metric tons")),
    ("t", "tonne", ("metric tonne", "metric tonnes")),
    ("t", "kilogram", ("kg", "kilogram", "kilograms", "kilogramme", "kilogrammes")),
    ("t", "kilotonne", ("kt", "kilotonne", "kilotonnes")),
    ("t", "centner", ("centner", "centners", "quintal", "quintals")),
    # USDA's million and thousand metric tons
    ("t", "megatonne", ("mmt",)),
    ("t", "kilotonne", ("kmt",)),
    # India's lakh metric tonnes (100,000 t), its statistics' unit of grain and sugar
    ("t", "lakh_tonne", ("lmt",)),
    ("GWh", "gigawatt_hour", ("gwh", "gigawatt hour", "gigawatt hours")),
    ("GWh", "watt_hour", ("wh", "watt hour", "watt hours")),
    ("GWh", "kilowatt_hour", ("kwh", "kilowatt hour", "kilowatt hours")),
    ("GWh", "megawatt_hour", ("mwh", "megawatt hour", "megawatt hours")),
    ("GWh", "terawatt_hour", ("twh", "terawatt hour", "terawatt hours")),
    ("GWh", "tonne_of_oil_equivalent", ("toe", "tonne of oil equivalent", "ton of oil equivalent")),
    ("GWh", "tonne_of_oil_equivalent", ("tonnes of oil equivalent", "tons of oil equivalent")),
    ("GWh", "million_tonne_of_oil_equivalent", ("mtoe",)),
    ("GWh", "thousand_tonne_of_oil_equivalent", ("ktoe",)),
    ("GWh", "tonne_of_coal_equivalent", ("tce", "tonnes of coal equivalent")),
    ("MW", "megawatt", ("mw", "megawatt", "megawatts")),
    ("MW", "watt", ("watt", "watts")),
    ("MW", "kilowatt", ("kw", "kilowatt", "kilowatts")),
    ("MW", "gigawatt", ("gw", "gigawatt", "gigawatts")),
    ("MW", "terawatt", ("tw", "terawatt", "terawatts")),
    ("km2", "kilometer ** 2", ("km2", "sq km", "square kilometer", "square kilometers")),
    ("km2", "kilometer ** 2", ("square kilometre", "square kilometres")),
    ("km2", "meter ** 2", ("m2", "sq m", "square meter", "square meters", "square metres")),
    ("km2", "mile ** 2", ("sq mi", "square mile", "square miles")),
    ("km2", "foot ** 2", ("sq ft", "square foot", "square feet")),
    ("km2", "hectare", ("ha", "hectare", "hectares")),
    ("km2", "international_acre", ("acre", "acres")),
    ("m3", "meter ** 3", ("m3", "cubic meter", "cubic meters", "cubic metre", "cubic metres")),
    ("m3", "meter ** 3", ("cu m", "cub m", "cbm")),
    ("m3", "kilometer ** 3", ("km3", "cubic kilometer", "cubic kilometers")),
    ("m3", "kilometer ** 3", ("cubic kilometre", "cubic kilometres")),
    # bcm, mcm, tcm: billion, million and trillion cubic metres, as gas volumes are written.
    ("m3", "million_cubic_meter", ("mcm", "mmcm")),
    ("m3", "billion_cubic_meter", ("bcm",)),
    ("m3", "trillion_cubic_meter", ("tcm",)),
    ("m3", "cubic_foot", ("cf", "cu ft", "ft3", "cubic foot", "cubic feet")),
    ("m3", "thousand_cubic_foot", ("mcf",)),
    ("m3", "million_cubic_foot", ("mmcf",)),
    ("m3", "billion_cubic_foot", ("bcf",)),
    ("m3", "trillion_cubic_foot", ("tcf",)),
    ("m3", "liter", ("liter", "liters", "litre", "litres")),
    ("m3", "oil_barrel", ("bbl", "barrel", "barrels")),
    ("m3", "million_oil_barrel", ("mmbbl",)),
    # Rates written as one word: a day or a year is in the spelling.
    ("m3/yr", "oil_barrel / day", ("bpd", "b/d", "bbl/d", "bopd")),
    ("m3/yr", "thousand_oil_barrel / day", ("kb/d", "kbd", "kbpd", "kbbl/d")),
    ("m3/yr", "million_oil_barrel / day", ("mmb/d", "mmbd", "mmbpd", "mmbbl/d")),
    ("t/yr", "megatonne / year", ("mtpa",)),
    ("t/yr", "tonne / year", ("tpa",)),
    # centners per hectare, also in the Russian abbreviation (ts/ga in Cyrillic)
    ("t/ha", "centner / hectare", ("c/ha", "q/ha", "\u0446/\u0433\u0430")),
    ("TEU", "twenty_foot_equivalent_unit", ("teu", "teus", "twenty-foot equivalent unit")),
    (
        "TEU",
        "twenty_foot_equivalent_unit",
        ("twenty-foot equivalent units", "20-foot equivalent units"),
    ),
    ("TEU", "twenty_foot_equivalent_unit", ("twenty-foot equivalent", "20-foot equivalent unit")),
    ("TEU", "forty_foot_equivalent_unit", ("feu", "feus", "forty-foot equivalent unit")),
    ("TEU", "forty_foot_equivalent_unit", ("forty-foot equivalent units",)),
    ("tkm", "tonne * kilometer", ("tkm", "t-km", "tonne-km", "ton-km", "tonne-kilometre")),
    ("tkm", "tonne * kilometer", ("tonne-kilometres", "tonne-kilometer", "tonne-kilometers")),
    ("tkm", "tonne * kilometer", ("ton-kilometre", "ton-kilometres", "ton-kilometer")),
    ("tkm", "tonne * kilometer", ("ton-kilometers", "tkms")),
    # Indian Railways' net tonne-kilometres: the freight's own weight, as tkm everywhere is
    ("tkm", "tonne * kilometer", ("ntkm", "ntkms", "net tonne-km", "net tonne-kilometres")),
    ("tkm", "tonne * kilometer", ("net tonne-kilometers", "net ton-km")),
    ("pkm", "passenger_kilometer", ("pkm", "passenger-km", "passenger-kilometre")),
    ("pkm", "passenger_kilometer", ("passenger-kilometres", "passenger-kilometer")),
    ("pkm", "passenger_kilometer", ("passenger-kilometers",)),
    ("day", "day", ("day", "days")),
    ("day", "week", ("week", "weeks")),
    ("percent", None, ("%", "percent", "per cent", "pct")),
    ("count", None, ("count",)),
)

# Spellings read only in the case written: "Mt" is a megatonne but "mt" either a metric tonne or
# a million tonnes; "mb/d" is the IEA's million barrels a day but US industry writes "Mb/d" for
# a thousand; "W" is the watt, while one-letter words are otherwise no units.
CASED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("t", "megatonne", ("Mt",)),
    ("m3/yr", "million_oil_barrel / day", ("mb/d",)),
    ("MW", "watt", ("W",)),
)

# Things and people counted are a count: the metric says what is counted, so "4,000 jobs" and
# "4,000 people" of one metric compare, and "42,000 containers" counts boxes (TEU measures them in
# twenty-foot units: another dimension). Each noun in the singular and the plural (a demonym in
# the plural: "Kazakh" is also the adjective of "Kazakh tenge"). Up to two plain words may stand
# before the noun ("foreign tourists", "container trains", "Chinese citizens"), but none that
# makes the figure a change ("more", "additional") nor a unit of its own ("5,000 TEU containers",
# "5 billion tenge projects": `spellings._counted`). A noun not listed stays `unknown_unit`.
COUNTED_NOUNS = frozenset(
    (
        # people
        *("person", "persons", "people", "passenger", "passengers", "worker", "workers"),
        *("tourist", "tourists", "visitor", "visitors", "employee", "employees", "job", "jobs"),
        *("resident", "residents", "inhabitant", "inhabitants", "migrant", "migrants"),
        *("student", "students", "citizen", "citizens", "nationals", "foreigners"),
        *("child", "children", "refugee", "refugees", "staff", "household", "households"),
        *("pensioner", "pensioners", "farmer", "farmers", "patient", "patients"),
        *("adult", "adults", "woman", "women", "man", "men", "voter", "voters"),
        *("respondent", "respondents", "americans", "europeans", "britons"),
        # peoples of the region and its neighbours
        *("kazakhs", "kazakhstanis", "kyrgyz", "kyrgyzstanis", "tajiks", "uzbeks", "uzbekistanis"),
        *("turkmen", "turkmens", "russians", "chinese", "afghans", "ukrainians", "belarusians"),
        *("azerbaijanis", "georgians", "armenians", "koreans", "mongolians", "uighurs", "uyghurs"),
        # transport
        *("container", "containers", "train", "trains", "wagon", "wagons", "railcar", "railcars"),
        *("rake", "rakes", "locomotive", "locomotives", "vehicle", "vehicles", "truck", "trucks"),
        *("lorry", "lorries", "bus", "buses", "car", "cars", "flight", "flights", "ship", "ships"),
        *("vessel", "vessels", "tanker", "tankers", "station", "stations", "aircraft"),
        # business and diplomacy
        *("project", "projects", "enterprise", "enterprises", "company", "companies"),
        *("firm", "firms", "entity", "entities", "agreement", "agreements"),
        *("contract", "contracts", "memorandum", "memorandums", "memoranda"),
    )
)
NOT_ADJECTIVES = frozenset(
    (
        *("more", "fewer", "less", "additional", "extra", "other", "of", "per", "a", "an", "the"),
        *("hundred", "thousand", "million", "billion", "trillion", "mln", "bln", "bn", "mn"),
        *("hundreds", "thousands", "millions", "dozen", "dozens", "lakh", "crore", "times"),
        # how often: "5 daily trains" and "12 weekly flights" are rates, not counts
        *("hourly", "daily", "weekly", "monthly", "quarterly", "yearly", "annual", "annually"),
    )
)

# Spellings with two readings in use: refused, naming them ("ambiguous_unit").
_BARRELS = "is a thousand barrels a day in US industry usage and a million in the IEA's: write "
_TONNES = "is written both for metric tonnes and for million tonnes (Mt): write the word"
AMBIGUOUS: dict[str, str] = {
    **dict.fromkeys(("mb/d", "mbd", "mbpd", "mbbl/d"), _BARRELS + "'kb/d', 'mb/d' or the words"),
    "mt": _TONNES,
}

# What stands after "a", "per" or "/" to make a rate, and what it is per: a time (stored per
# year) or a hectare (a yield). After "/" the one-letter forms are read too ("bcm/y", "m3/d").
PER_NOUNS: dict[str, str] = {
    "year": "year",
    "yr": "year",
    "annum": "year",
    "day": "day",
    "month": "month",
    "quarter": "quarter",
    "hectare": "hectare",
    "ha": "hectare",
    "barrel": "barrel",
    "bbl": "barrel",
    "tonne": "tonne",
    "ton": "tonne",
}
PER_AFTER_SLASH: dict[str, str] = {
    **PER_NOUNS,
    **{"y": "year", "a": "year", "d": "day", "mo": "month", "t": "tonne"},
}
# Prices: money per barrel or per tonne, kept in the unit the trade quotes ("$40 a barrel" is
# 40 USD/bbl, "$250 per tonne" 250 USD/t) -> (the unit after the currency, the dimension). A
# barrel price is not turned into one per m3: 1 / 0.158987294928 does not terminate, and oil is
# priced by the barrel. Only money takes them; a price takes no rate ("$40 a barrel a year").
PRICES: dict[str, tuple[str, str]] = {
    "barrel": ("bbl", "money/volume"),
    "tonne": ("t", "money/mass"),
}
# Words after a percent that say it is a year's rate ("9% APR", "5% APY"): read only after a
# percent, which a year leaves a percent ("16.75 percent per annum" is 16.75 percent).
PERCENT_A_YEAR = frozenset(("apr", "apy"))
# Rates written as one word or as "p.a." ("5 million tonnes annually").
PER_WORDS: dict[tuple[str, ...], str] = {
    ("annually",): "year",
    ("yearly",): "year",
    ("pa",): "year",
    ("p", "a"): "year",
    ("daily",): "day",
    ("monthly",): "month",
    ("quarterly",): "quarter",
}
