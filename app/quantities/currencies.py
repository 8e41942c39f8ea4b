"""Currencies as the region writes them: ISO codes, their spellings, and the shared ones.

Data only; `units` reads it. Two currencies are never converted into each other here (only a
stored exchange rate compares them, in `app/fx`).
"""

from __future__ import annotations

# Spellings -> ISO 4217 code, matched in lowercase with abbreviation dots removed. Bare "som"
# is the Kyrgyz som: English-language news writes the Uzbek currency sum, soum or so'm, and
# "Uzbek som" names its country. "Rs" is the Indian rupee.
CURRENCY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "USD": ("us$", "us dollar", "us dollars", "american dollars", "united states dollars"),
    "EUR": ("€", "euro", "euros"),
    "KZT": ("₸", "tenge", "tenges", "kazakh tenge", "kazakhstani tenge", "тенге"),
    "RUB": ("₽", "ruble", "rubles", "rouble", "roubles", "russian rubles", "russian roubles"),
    "CNY": ("cn¥", "yuan", "rmb", "renminbi", "yuan renminbi", "chinese yuan"),
    "GBP": ("pound sterling", "pounds sterling", "sterling", "british pounds", "uk pounds"),
    "INR": ("₹", "rs", "rupee", "rupees", "indian rupees"),
    "JPY": ("jp¥", "yen", "japanese yen"),
    "CHF": ("swiss franc", "swiss francs"),
    "TRY": ("₺", "turkish lira", "turkish liras"),
    "KRW": ("₩", "won", "korean won", "south korean won"),
    "CAD": ("c$", "canadian dollar", "canadian dollars"),
    "AUD": ("a$", "australian dollar", "australian dollars"),
    "HKD": ("hk$", "hong kong dollar", "hong kong dollars"),
    "SGD": ("s$", "singapore dollar", "singapore dollars"),
    "NZD": ("nz$", "new zealand dollar", "new zealand dollars"),
    "KGS": ("som", "soms", "сом", "kyrgyz som", "kyrgyz soms", "kyrgyzstani som"),
    "TJS": ("somoni", "somonis", "сомони", "tajik somoni", "tajikistani somoni"),
    "UZS": ("sum", "sums", "soum", "soums", "so'm", "uzbek sum"),
    "TMT": ("turkmen manat", "turkmen manats", "turkmenistan manat", "turkmenistani manat"),
    "AZN": ("₼", "azerbaijani manat", "azerbaijani manats", "azeri manat", "azeri manats"),
    "GEL": ("₾", "lari"),
    "AED": (),
    "SAR": (),
    "QAR": (),
    "KWD": (),
    "BYN": (),
    "UAH": (),
    "PLN": (),
    "CZK": (),
    "HUF": (),
    "SEK": (),
    "NOK": (),
    "DKK": (),
    "MNT": (),
    "PKR": ("pakistani rupee", "pakistani rupees", "pak rupees"),
    "IRR": (),
    "NGN": ("₦", "naira", "nigerian naira"),
    "ZAR": ("rand", "south african rand"),
    "BRL": ("r$", "reais", "brazilian real", "brazilian reais"),
    "EGP": ("egyptian pound", "egyptian pounds", "le"),
    "BDT": ("tk", "taka", "bangladeshi taka"),
    "KES": ("ksh", "kenyan shilling", "kenyan shillings"),
}
# Country adjectives before som/sum: "Uzbek som" is the sum, whatever the transliteration; and
# so'm with the other apostrophes the Uzbek Latin alphabet is typed with (U+2019, U+2018,
# U+02BB).
CURRENCY_SPELLINGS["UZS"] += ("uzbek som", "uzbek soms", "uzbekistani som", "uzbek soum")
CURRENCY_SPELLINGS["UZS"] += ("so\u2019m", "so\u2018m", "so\u02bbm")

# A sign or name several currencies share -> (its family, the currency read when nothing else
# in the figure or the metric's unit settles it; None when none may be guessed). "$" alone is
# the US dollar and "£" the pound sterling: the readings in use in news about this region.
SHARED: dict[str, tuple[str, str | None]] = {
    "$": ("dollar", "USD"),
    "dollar": ("dollar", "USD"),
    "dollars": ("dollar", "USD"),
    "£": ("pound", "GBP"),
    "pound": ("pound", None),
    "pounds": ("pound", None),
    # Central Asian news writes "¥" for the yen of Japanese aid as well as for the yuan.
    "¥": ("yen/yuan", None),
    "manat": ("manat", None),
    "manats": ("manat", None),
}

# Each family's members: a code (or a specific spelling) settles a shared one of its family
# ("$5 billion CAD", "¥5bn JPY", "C$5 billion dollars").
FAMILY: dict[str, str] = {
    **dict.fromkeys(("USD", "CAD", "AUD", "HKD", "SGD", "NZD"), "dollar"),
    "GBP": "pound",
    **dict.fromkeys(("JPY", "CNY"), "yen/yuan"),
    **dict.fromkeys(("AZN", "TMT"), "manat"),
}

# Why a shared spelling nothing settles is refused ("ambiguous_unit").
UNSETTLED: dict[str, str] = {
    "pound": (
        "'pounds' could be pounds sterling (GBP), another country's pound or a weight: write "
        "GBP or £"
    ),
    "yen/yuan": (
        "'¥' is the sign of both the Japanese yen (JPY) and the Chinese yuan (CNY): write JPY "
        "or CNY"
    ),
    "manat": (
        "'manat' is the currency of both Azerbaijan (AZN) and Turkmenistan (TMT): write AZN or TMT"
    ),
}

# Names of many countries' currencies, refused whatever the figure ("ambiguous_unit").
_SEVERAL = "is the name of several countries' currencies: write its ISO code"
AMBIGUOUS_NAMES: dict[str, str] = dict.fromkeys(
    (
        *("dinar", "dinars", "peso", "pesos", "franc", "francs", "krona", "kronor", "krone"),
        *("kroner", "rial", "rials", "riyal", "riyals", "lira", "liras", "shilling"),
        "shillings",
    ),
    _SEVERAL,
)
