"""Demo sources, entities, metrics and claims taken from the two seed documents."""

# Conventions used below
# ----------------------
# * Quotes are verbatim substrings of the seed text as a reader sees it.  The briefing is markdown
#   and escapes every dollar sign as "\$"; quotes are stored WITHOUT that backslash ("$10 billion").
# * Non-ASCII punctuation is written as escapes so that ruff's RUF001 (ambiguous unicode) stays
#   quiet: "\u2013" is an en dash (year ranges, "EU\u2013Kazakhstan") and "\u2019" is the curly
#   apostrophe the radio piece uses ("Kazakhstan\u2019s").
# * Only the document a quote is copied from is cited.  The briefing lists five news sources (its
#   derived_from), but we cannot read them, so no quote is ever attributed to them.
# * A figure repeated later in the same document is one claim, not several, unless the repetition
#   says something different (a different speaker, or a projection restated as a target).
# * Relative periods ("this year", "last year", "by the end of the year", "to 2030") are read
#   against the claim's asserted_on date.
#
# Figures deliberately NOT turned into claims (not quantities, or not about the world):
# * "Issue 28" and "May 25-31, 2026" - the briefing's own issue number and coverage dates.
# * "a joint radiation safety cooperation treaty extending to 2030" - the term (end date) of a
#   treaty; it carries no measured value, so there is nothing to normalise or compare.
# * "Kazakhstan's first nuclear power plant" - an ordinal used as a description, not a count.
# * "multi-billion-dollar" (twice) - no figure stated.
# * "the EU's role in Kazakhstan ... as its biggest trade partner" and "the EU is already
#   Kazakhstan's largest trade and investment partner" (radio piece) - ranks, not values.
# * Event dates ("On May 28, 2026", "the 30 May Cooperation Committee", "As of 1 June", "the end of
#   August and the beginning of September") - they set asserted_on, they are not claims.  Note that
#   the briefing dates the Cooperation Committee both "May 29, 2026" and "30 May"; the MFA release
#   it lists is dated May 29, so the claims use 2026-05-29.
# * The third mention of the 3,000-km corridor ("the newly launched 3,000-kilometer autonomous
#   freight corridor", Key Indicators) repeats the "launched" claim and is not a separate claim.

from typing import Any, Final

BRIEFING_URL: Final = "https://claimtrack.invalid/seeds/kazakhstan-eu-weekly-briefing-28"
RADIO_URL: Final = "https://claimtrack.invalid/seeds/eu-weighs-strategy-kazakhstan-china"

# The two seed documents have no real address: the reserved ".invalid" TLD (RFC 2606) marks these
# URLs as placeholders that can never resolve to someone else's page.
SOURCES: Final[list[dict[str, Any]]] = [
    {
        "key": "briefing",
        "url": BRIEFING_URL,
        "title": "Kazakhstan-EU Weekly Briefing Issue 28, May 25-31, 2026",
        # The briefing names no publisher; it is signed only with its EU Transparency Register
        # number (5985685100745-21h), so the series name stands in for the publisher.
        "publisher": "Kazakhstan-EU Weekly Briefing",
        # It covers May 25-31 but says "As of 1 June, a press release by the EEAS has not been
        # released yet", so it cannot have been published before 1 June 2026.
        "published_on": "2026-06-01",
        "kind": "briefing",
        "derived_from": ["aa", "mfa", "nca", "chosun", "qazinform"],
    },
    {
        "key": "aa",
        "url": (
            "https://www.aa.com.tr/en/eurasia/eurasian-economic-union-trade-expected-to-exceed-"
            "100b-in-2026-kazakh-president-says-at-astana-summit/3951370"
        ),
        "title": (
            "Eurasian Economic Union trade expected to exceed $100B in 2026, "
            "Kazakh president says at Astana summit"
        ),
        "publisher": "Anadolu Agency",
        "published_on": "2026-05-29",
        "kind": "news",
        "derived_from": [],
    },
    {
        "key": "mfa",
        "url": "https://www.gov.kz/memleket/entities/mfa/press/news/details/1231015?lang=en",
        "title": (
            "Kazakhstan and the European Union Set New Strategic Goals to Deepen Partnership "
            "under the EPCA"
        ),
        "publisher": "Ministry of Foreign Affairs of the Republic of Kazakhstan",
        "published_on": "2026-05-29",
        "kind": "official",
        "derived_from": [],
    },
    {
        "key": "nca",
        "url": (
            "https://www.newscentralasia.net/2026/05/28/outcomes-of-putins-visit-to-kazakhstan-"
            "nuclear-power-plant-billions-in-investments-and-a-breakthrough-in-autonomous-shipping/"
        ),
        "title": (
            "Outcomes of Putin's Visit to Kazakhstan: Nuclear Power Plant, Billions in "
            "Investments, and a Breakthrough in Autonomous Shipping"
        ),
        "publisher": "News Central Asia (nCa)",
        "published_on": "2026-05-28",
        "kind": "news",
        "derived_from": [],
    },
    {
        "key": "chosun",
        "url": "https://www.chosun.com/english/world-en/2026/05/28/OF3WIVBTFJCLBMNYM7MIQ5UWZM/",
        "title": "Middle Corridor Revives as New Silk Road Amid Geopolitical Shifts",
        "publisher": "The Chosun Daily / World Bank Report",
        "published_on": "2026-05-28",
        "kind": "news",
        "derived_from": [],
    },
    {
        "key": "qazinform",
        "url": "https://qazinform.com/news/how-kazakhstan-plans-to-become-an-ai-powerhouse-6fa3ff",
        "title": (
            "How Kazakhstan Plans to Become an AI Powerhouse and Establish a Data Center Valley"
        ),
        "publisher": "Qazinform News Agency",
        "published_on": "2026-05-30",
        "kind": "news",
        "derived_from": [],
    },
    {
        "key": "radio",
        "url": RADIO_URL,
        "title": "EU weighs strategy as Kazakhstan deepens partnership with China",
        # The piece is signed only "(BM)" and labelled "radio news"; the broadcaster is unknown.
        "publisher": "Radio news (BM)",
        # Undated.  It looks back on "the end of August and the beginning of September" (the SCO
        # summit in Tianjin, 31 Aug - 1 Sep 2025) as past events, so it aired shortly after; the
        # day is our estimate, the year (which is what "this year" depends on) is certain.
        "published_on": "2025-09-05",
        "kind": "news",
        "derived_from": [],
    },
    # --- beyond the seeds: one published mirror-statistics discrepancy, so that a newcomer sees
    # a real conflict in the review queue.  bne IntelliNews reported both figures for the same
    # ten months of 2023; our stored copy of the article carries no date, and the Jan-Oct data
    # put it in late 2023, so published_on is left unknown and asserted_on is our estimate.
    {
        "key": "intellinews",
        "url": "https://intellinews.com/china-eclipses-russia-as-central-asia-s-top-trade-partner-in-2023-306080",
        "title": "China eclipses Russia as Central Asia\u2019s top trade partner in 2023",
        "publisher": "bne IntelliNews",
        "published_on": None,
        "kind": "news",
        "derived_from": [],
    },
    {
        "key": "astanatimes",
        "url": "https://astanatimes.com/2025/01/kazakhstan-ranks-first-among-chinas-central-asian-trade-partners-in-2024/",
        "title": "Kazakhstan Ranks First Among China\u2019s Central Asian Trade Partners in 2024",
        "publisher": "The Astana Times",
        "published_on": None,
        "kind": "news",
        "derived_from": [],
    },
]

ENTITIES: Final[list[dict[str, Any]]] = [
    {
        "slug": "ktz",
        "name": "Kazakhstan Temir Zholy",
        "aliases": ["KTZ", "Kazakhstan Temir Zholy (KTZ)"],
    },
    {
        "slug": "eaeu",
        "name": "Eurasian Economic Union",
        "aliases": ["EAEU", "EEU", "Eurasian Economic Union (EAEU)"],
    },
    {
        "slug": "kazakhstan",
        "name": "Kazakhstan",
        "aliases": ["Republic of Kazakhstan"],
    },
    {
        "slug": "eu-kazakhstan",
        "name": "EU\u2013Kazakhstan economic relations",
        "aliases": ["EU-Kazakhstan", "Kazakhstan-EU", "EU\u2013Kazakhstan trade"],
    },
    {
        "slug": "china-kazakhstan",
        "name": "China\u2013Kazakhstan economic relations",
        "aliases": ["China-Kazakhstan", "Kazakhstan-China", "China\u2013Kazakhstan trade"],
    },
    {
        "slug": "balkhash-npp",
        "name": "Balkhash Nuclear Power Plant",
        "aliases": ["Balkhash NPP", "Balkhash Nuclear Power Plant (NPP)"],
    },
    {
        "slug": "kazakhstan-industrial-portfolio",
        "name": "Kazakhstan industrial project portfolio",
        "aliases": ["Kazakhstan's broader industrial portfolio"],
    },
    {
        "slug": "autonomous-freight-corridor",
        "name": "Kazakhstan autonomous driverless freight corridor",
        "aliases": [
            "autonomous driverless freight transport corridor",
            "driverless autonomous freight transport corridor",
        ],
    },
    {
        "slug": "kazakhstan-autonomous-road-freight",
        "name": "Kazakhstan autonomous road freight",
        "aliases": [],
    },
    {
        "slug": "kazakhstan-cloud-data-processing",
        "name": "Kazakhstan cloud-network data processing",
        "aliases": [],
    },
    {
        "slug": "european-companies-in-kazakhstan",
        "name": "European companies in Kazakhstan",
        "aliases": [],
    },
    {
        "slug": "chinese-backed-enterprises-in-kazakhstan",
        "name": "Chinese-backed enterprises in Kazakhstan",
        "aliases": [],
    },
    {
        "slug": "eu-kazakhstan-cooperation-committee",
        "name": "EU\u2013Kazakhstan Cooperation Committee",
        "aliases": [
            "EU-Kazakhstan Cooperation Committee",
            "Cooperation Committee in Political Configuration",
        ],
    },
    {
        "slug": "china-kazakhstan-business-council",
        "name": "China\u2013Kazakhstan Business Council",
        "aliases": ["China-Kazakhstan Business Council"],
    },
]

METRICS: Final[list[dict[str, Any]]] = [
    {"slug": "investment", "name": "Investment", "dimension": "money", "unit": "USD"},
    {"slug": "new-rail-length", "name": "New rail length", "dimension": "length", "unit": "km"},
    {
        "slug": "vessels-commissioned",
        "name": "Vessels commissioned",
        "dimension": "count",
        "unit": "count",
    },
    {"slug": "trade-turnover", "name": "Trade turnover", "dimension": "money", "unit": "USD"},
    {"slug": "trade-growth", "name": "Trade growth", "dimension": "percent", "unit": "percent"},
    {"slug": "corridor-length", "name": "Corridor length", "dimension": "length", "unit": "km"},
    {"slug": "projects-count", "name": "Number of projects", "dimension": "count", "unit": "count"},
    {"slug": "portfolio-value", "name": "Portfolio value", "dimension": "money", "unit": "USD"},
    {"slug": "capital-inflows", "name": "Capital inflows", "dimension": "money", "unit": "USD"},
    {
        "slug": "companies-operating",
        "name": "Companies operating",
        "dimension": "count",
        "unit": "count",
    },
    {"slug": "project-cost", "name": "Project cost", "dimension": "money", "unit": "USD"},
    {
        "slug": "freight-growth",
        "name": "Freight volume growth",
        "dimension": "percent",
        "unit": "percent",
    },
    {
        "slug": "data-traffic-growth",
        "name": "Data traffic growth",
        "dimension": "percent",
        "unit": "percent",
    },
    {"slug": "gdp", "name": "Gross domestic product", "dimension": "money", "unit": "USD"},
    {
        "slug": "enterprises-operating",
        "name": "Enterprises operating",
        "dimension": "count",
        "unit": "count",
    },
    {
        "slug": "committee-meetings",
        "name": "Meetings held",
        "dimension": "count",
        "unit": "count",
    },
]

CLAIMS: Final[list[dict[str, Any]]] = [
    # ----------------------------------------------------------------- briefing: Middle Corridor
    {
        "entity": "ktz",
        "metric": "investment",
        "value_text": "$10 billion",
        "period": "to 2030",
        "kind": "commitment",
        "basis": None,
        "stated_by": "Kazakhstan Temir Zholy (KTZ)",
        "asserted_on": "2026-05-28",
        "statement": "KTZ announced a $10 billion investment programme running to 2030.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "Kazakhstan Temir Zholy (KTZ) announced an aggressive $10 billion investment "
                    "blueprint stretching to 2030"
                ),
            }
        ],
        "tags": ["middle-corridor", "transport", "investment"],
    },
    {
        # A plan for the current year under KTZ's framework: a target, not yet an actual.
        "entity": "ktz",
        "metric": "new-rail-length",
        "value_text": "900 kilometers",
        "period": "this year",
        "kind": "target",
        "basis": None,
        "stated_by": "Kazakhstan Temir Zholy (KTZ)",
        "asserted_on": "2026-05-28",
        "statement": "Under KTZ's programme, 900 km of new rail routes are to be built in 2026.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "Kazakhstan is fast-tracking the deployment of 900 kilometers of entirely new "
                    "rail routes this year alone"
                ),
            }
        ],
        "tags": ["middle-corridor", "transport"],
    },
    {
        # "has actively commissioned" is past tense, so an actual count as of the date; whether
        # "commissioned" means ordered or put into service is ambiguous in the text.
        "entity": "ktz",
        "metric": "vessels-commissioned",
        "value_text": "six",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Kazakhstan Temir Zholy (KTZ)",
        "asserted_on": "2026-05-28",
        "statement": "Six new dedicated cargo vessels have been commissioned for Caspian ferries.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "has actively commissioned six new dedicated cargo vessels to scale up "
                    "maritime ferry logistics across the Caspian Sea"
                ),
            }
        ],
        "tags": ["middle-corridor", "transport", "caspian"],
    },
    # ---------------------------------------------------------------------- briefing: Trade
    {
        "entity": "eaeu",
        "metric": "trade-turnover",
        # Text: "break the historic $100 billion threshold" - a lower bound.
        "value_text": "more than $100 billion",
        # Turnover is an annual figure: "before the end of the year" means the year 2026.
        "period": "this year",
        "kind": "projection",
        "basis": None,
        "stated_by": "Kassym-Jomart Tokayev, President of Kazakhstan",
        "asserted_on": "2026-05-29",
        "statement": (
            "Mutual trade turnover within the EAEU is projected to exceed $100 billion in 2026."
        ),
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "mutual trade turnover within the regional economic bloc is officially "
                    "projected to break the historic $100 billion threshold before the end of "
                    "the year"
                ),
            }
        ],
        "tags": ["trade", "eaeu"],
    },
    {
        # Growth of the projected 2026 turnover over 2025 ("the previous year's performance").
        "entity": "eaeu",
        "metric": "trade-growth",
        "value_text": "6%",
        "period": "2026",
        "kind": "projection",
        "basis": None,
        "stated_by": "Kassym-Jomart Tokayev, President of Kazakhstan",
        "asserted_on": "2026-05-29",
        "statement": "EAEU mutual trade is projected to grow 6% in 2026 over 2025.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "This represents a steady 6% expansion over the previous year's performance."
                ),
            }
        ],
        "tags": ["trade", "eaeu"],
    },
    {
        # The briefing's own analysis restates the summit projection as a "newly declared"
        # target (and calls it Kazakhstan's, "its", though the figure is the EAEU's).  No period
        # is given in this sentence, so none is stored.
        "entity": "eaeu",
        "metric": "trade-turnover",
        "value_text": "$100 billion",
        "period": None,
        "kind": "target",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing (analysis)",
        "asserted_on": "2026-06-01",
        "statement": "The newly declared cross-border trade target is $100 billion.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "the high-volume manufacturing required to exceed its newly declared "
                    "$100 billion cross-border trade targets"
                ),
            }
        ],
        "tags": ["trade", "eaeu"],
    },
    # ---------------------------------------------------------------- briefing: Digitalization
    {
        "entity": "autonomous-freight-corridor",
        "metric": "corridor-length",
        "value_text": "3,000-kilometer",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Officials at the May 28, 2026 intergovernmental meetings in Astana",
        "asserted_on": "2026-05-28",
        "statement": "A 3,000 km autonomous driverless freight corridor was piloted successfully.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "the successful pilot deployment of a continuous, 3,000-kilometer autonomous "
                    "driverless freight transport corridor"
                ),
            }
        ],
        "tags": ["digital", "transport", "middle-corridor"],
    },
    {
        "entity": "kazakhstan-industrial-portfolio",
        "metric": "projects-count",
        "value_text": "24",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Officials at the May 28, 2026 intergovernmental meetings in Astana",
        "asserted_on": "2026-05-28",
        "statement": "Kazakhstan's industrial portfolio has 24 major active projects.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "the country's broader industrial portfolio, which features 24 major active "
                    "projects valued at $10 billion"
                ),
            }
        ],
        "tags": ["industry", "digital"],
    },
    {
        # Same number as KTZ's investment, different entity and metric: never a conflict.
        # "valued at" is a valuation of projects under way, hence an estimate.
        "entity": "kazakhstan-industrial-portfolio",
        "metric": "portfolio-value",
        "value_text": "$10 billion",
        "period": None,
        "kind": "estimate",
        "basis": None,
        "stated_by": "Officials at the May 28, 2026 intergovernmental meetings in Astana",
        "asserted_on": "2026-05-28",
        "statement": "The 24 active industrial projects are valued at $10 billion in total.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "the country's broader industrial portfolio, which features 24 major active "
                    "projects valued at $10 billion"
                ),
            }
        ],
        "tags": ["industry", "digital", "investment"],
    },
    # -------------------------------------------------------------- briefing: EU-centric trends
    {
        # The text writes the ordinal "23rd"; it is stored as the count of meetings held so far so
        # that a value parser reads it.
        "entity": "eu-kazakhstan-cooperation-committee",
        "metric": "committee-meetings",
        "value_text": "23",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing",
        "asserted_on": "2026-05-29",
        "statement": "The EU-Kazakhstan Cooperation Committee held its 23rd meeting in Astana.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "Kazakhstan and the European Union officially convened the 23rd meeting of "
                    "the Cooperation Committee in Political Configuration in Astana"
                ),
            }
        ],
        "tags": ["eu", "diplomacy"],
    },
    {
        # "last year" relative to 2026-05-29 is 2025.  Whose statistics is not said.
        "entity": "eu-kazakhstan",
        "metric": "trade-turnover",
        "value_text": "$45 billion",
        "period": "last year",
        "kind": "actual",
        "basis": None,
        "stated_by": "Arman Issetov, Deputy Foreign Minister of Kazakhstan",
        "asserted_on": "2026-05-29",
        "statement": "EU-Kazakhstan bilateral trade was $45 billion in 2025.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "Deputy Foreign Minister Arman Issetov saying bilateral trade hit $45 billion "
                    "last year"
                ),
            }
        ],
        "tags": ["eu", "trade"],
    },
    {
        # Cumulative over 2005-2025; whether this is gross FDI or another measure is not said.
        "entity": "eu-kazakhstan",
        "metric": "capital-inflows",
        "value_text": "exceeded $200 billion",
        "period": "2005\u20132025",
        "kind": "actual",
        "basis": None,
        "stated_by": "Arman Issetov, Deputy Foreign Minister of Kazakhstan",
        "asserted_on": "2026-05-29",
        "statement": (
            "European capital inflows into Kazakhstan exceeded $200 billion from 2005 to 2025."
        ),
        "citations": [
            {
                "source": "briefing",
                "quote": "European capital inflows exceeded $200 billion between 2005 and 2025",
            }
        ],
        "tags": ["eu", "investment"],
    },
    {
        "entity": "european-companies-in-kazakhstan",
        "metric": "companies-operating",
        "value_text": "more than 4,000",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Arman Issetov, Deputy Foreign Minister of Kazakhstan",
        "asserted_on": "2026-05-29",
        "statement": "More than 4,000 European companies operate in Kazakhstan.",
        "citations": [
            {
                "source": "briefing",
                "quote": "more than 4,000 European companies operate in Kazakhstan",
            }
        ],
        "tags": ["eu", "investment"],
    },
    # ------------------------------------------------------- briefing: Kazakhstan-centric trends
    {
        # Total project cost: no period.  The plant is not built, so the cost is an estimate.  The
        # figure is the briefing's own description; the credit agreements were finalised on
        # 2026-05-28, the day used here.
        "entity": "balkhash-npp",
        "metric": "project-cost",
        "value_text": "$16.5 billion",
        "period": None,
        "kind": "estimate",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing",
        "asserted_on": "2026-05-28",
        "statement": "The Balkhash Nuclear Power Plant is a $16.5 billion project.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "the government officially locked in the operational blueprints and credit "
                    "agreements for the $16.5 billion Balkhash Nuclear Power Plant (NPP)"
                ),
            }
        ],
        "tags": ["energy", "nuclear"],
    },
    {
        # Second account of the corridor, in the briefing's own words ("launched" by the digital
        # ministry during the week, rather than "piloted" as reported from the May 28 meetings);
        # same value, so it corroborates rather than conflicts.  The day of the launch is not
        # given, so the briefing's publication date is used.
        "entity": "autonomous-freight-corridor",
        "metric": "corridor-length",
        "value_text": "3,000-kilometer",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing",
        "asserted_on": "2026-06-01",
        "statement": "The digital ministry launched a 3,000 km driverless freight corridor.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "launched a tokenized asset regulatory framework alongside a landmark "
                    "3,000-kilometer continuous driverless autonomous freight transport corridor"
                ),
            }
        ],
        "tags": ["digital", "transport", "middle-corridor"],
    },
    {
        # Week of data (the final week of May 2026, Mon 25 - Sun 31); the baseline of the growth
        # (week-on-week or year-on-year) is not stated.  The release date is not given, so the
        # briefing's publication date is used.
        "entity": "kazakhstan-autonomous-road-freight",
        "metric": "freight-growth",
        "value_text": "12.4%",
        "period": "2026-05-25/2026-05-31",
        "kind": "actual",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing",
        "asserted_on": "2026-06-01",
        "statement": "Autonomous road freight grew 12.4% in the final week of May 2026.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "data released for the final week of May shows an uneven expansion: heavy raw "
                    "pipeline flows and state-controlled rail volumes remained flat due to "
                    "regional maintenance cycles, while autonomous road freight grew by 12.4%"
                ),
            }
        ],
        "tags": ["digital", "transport"],
    },
    {
        "entity": "kazakhstan-cloud-data-processing",
        "metric": "data-traffic-growth",
        "value_text": "18.5%",
        "period": "2026-05-25/2026-05-31",
        "kind": "actual",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing",
        "asserted_on": "2026-06-01",
        "statement": "Cloud-network data processing traffic rose 18.5% in the last week of May.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "autonomous road freight grew by 12.4%, cloud-network data processing traffic "
                    "jumped 18.5%"
                ),
            }
        ],
        "tags": ["digital"],
    },
    {
        # Second citation of the EAEU figure, now called a target ("year-end" read against the
        # briefing's date: the end of 2026).
        "entity": "eaeu",
        "metric": "trade-turnover",
        "value_text": "$100 billion",
        # The target is for the annual turnover of 2026, reached by its end.
        "period": "this year",
        "kind": "target",
        "basis": None,
        "stated_by": "Kazakhstan-EU Weekly Briefing",
        "asserted_on": "2026-06-01",
        "statement": "EAEU trade turnover is heading toward a $100 billion target for end-2026.",
        "citations": [
            {
                "source": "briefing",
                "quote": (
                    "local trade bloc turnover rose steadily toward an estimated $100 billion "
                    "year-end target"
                ),
            }
        ],
        "tags": ["trade", "eaeu"],
    },
    # ------------------------------------------------------------------------------ radio piece
    {
        # "this year" is 2025: the piece speaks of Tokayev's visit for the SCO meeting in Tianjin
        # at the end of August / beginning of September, which took place in 2025.  asserted_on
        # is the piece's estimated date (see SOURCES).
        "entity": "kazakhstan",
        "metric": "gdp",
        "value_text": "more than $300 billion",
        # GDP is an annual figure: "by the end of this year" means the year 2025.
        "period": "this year",
        "kind": "projection",
        "basis": None,
        "stated_by": "Kassym-Jomart Tokayev, President of Kazakhstan",
        "asserted_on": "2025-09-05",
        "statement": "Kazakhstan's GDP is projected to surpass $300 billion by the end of 2025.",
        "citations": [
            {
                "source": "radio",
                "quote": (
                    "Tokayev highlighted Kazakhstan\u2019s status as a country on the rise, with "
                    "GDP projected to surpass $300 billion by the end of this year"
                ),
            }
        ],
        "tags": ["gdp", "china"],
    },
    {
        # Whose customs statistics (China's or Kazakhstan's) is not said, so no basis.
        "entity": "china-kazakhstan",
        "metric": "trade-turnover",
        "value_text": "$44 billion",
        "period": "2024",
        "kind": "actual",
        "basis": None,
        "stated_by": "Radio news (BM)",
        "asserted_on": "2025-09-05",
        "statement": "China-Kazakhstan bilateral trade reached a record $44 billion in 2024.",
        "citations": [
            {
                "source": "radio",
                "quote": "Bilateral trade with China reached a record $44 billion in 2024.",
            }
        ],
        "tags": ["china", "trade"],
    },
    {
        "entity": "chinese-backed-enterprises-in-kazakhstan",
        "metric": "enterprises-operating",
        "value_text": "more than 6,000",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Radio news (BM)",
        "asserted_on": "2025-09-05",
        "statement": "More than 6,000 Chinese-backed enterprises operate in Kazakhstan.",
        "citations": [
            {
                "source": "radio",
                "quote": "More than 6,000 Chinese-backed enterprises operate in Kazakhstan",
            }
        ],
        "tags": ["china", "investment"],
    },
    {
        # Ordinal "eighth" stored as the count "eight", like the Cooperation Committee's "23rd".
        "entity": "china-kazakhstan-business-council",
        "metric": "committee-meetings",
        "value_text": "eight",
        "period": None,
        "kind": "actual",
        "basis": None,
        "stated_by": "Radio news (BM)",
        "asserted_on": "2025-09-05",
        "statement": "The China-Kazakhstan Business Council held its eighth meeting in Beijing.",
        "citations": [
            {
                "source": "radio",
                "quote": "the eighth meeting of the China-Kazakhstan Business Council in Beijing",
            }
        ],
        "tags": ["china", "diplomacy"],
    },
    # --- beyond the seeds (see the sources above) ------------------------------------------
    {
        # China's envoy quotes Chinese figures; the piece sets them against Kazakhstan's, but
        # neither quote names the statistics behind it, so no basis is recorded and the two are
        # compared: a fact-checker sees the conflict and can settle it (mirror statistics).
        "entity": "china-kazakhstan",
        "metric": "trade-turnover",
        "value_text": "$32.7bn",
        "period": "2023-01/2023-10",
        "kind": "actual",
        "basis": None,
        "stated_by": "Zhang Xiao, China's ambassador to Kazakhstan",
        "asserted_on": "2023-12-01",
        "statement": "China-Kazakhstan trade turnover in January-October 2023 was $32.7 billion.",
        "citations": [
            {
                "source": "intellinews",
                "quote": (
                    "bilateral trade turnover for the first 10 months of 2023 amounted to $32.7bn"
                ),
            }
        ],
        "tags": ["trade", "china"],
    },
    {
        "entity": "china-kazakhstan",
        "metric": "trade-turnover",
        "value_text": "$24.3bn",
        "period": "2023-01/2023-10",
        "kind": "actual",
        "basis": None,
        "stated_by": "Kazakh media",
        "asserted_on": "2023-12-01",
        "statement": "China-Kazakhstan trade turnover in January-October 2023 was $24.3 billion.",
        "citations": [
            {
                "source": "intellinews",
                "quote": "Kazakh media report that the figure for the period was $24.3bn.",
            }
        ],
        "tags": ["trade", "china"],
    },
    {
        # Agrees with the radio piece's "$44 billion" for 2024 (it lies inside [43.5, 44.5]).
        "entity": "china-kazakhstan",
        "metric": "trade-turnover",
        "value_text": "$43.82 billion",
        "period": "2024",
        "kind": "actual",
        "basis": "China customs",
        "stated_by": "General Administration of Customs of China",
        "asserted_on": "2025-01-23",
        "statement": "China-Kazakhstan trade turnover in 2024 was $43.82 billion.",
        "citations": [
            {
                "source": "astanatimes",
                "quote": (
                    "with trade turnover reaching $43.82 billion, Kazinform reported on Jan. 23, "
                    "citing the Chinese General Administration of Customs"
                ),
            }
        ],
        "tags": ["trade", "china"],
    },
]

# The briefings' "What to Watch" / "Key Indicators", made measurable.  Observations are only the
# values the briefings themselves give; targets name the claim that set them (entity, metric,
# kind).  Indicators with no published value yet start empty: nothing is invented.
INDICATORS: Final[list[dict[str, Any]]] = [
    {
        "name": "EAEU mutual trade turnover",
        "slug": "eaeu-trade-turnover",
        "question": "Does EAEU mutual trade pass $100 billion by the end of 2026?",
        "entity": "eaeu",
        "metric": "trade-turnover",
        "unit": "USD",
        "frequency": "annual",
        "direction": "up_is_good",
        "targets": [
            {
                "value_text": "more than $100 billion",
                "due_on": "2026-12-31",
                "claim": ("eaeu", "trade-turnover", "projection"),
            }
        ],
        "observations": [],
    },
    {
        "name": "KTZ new rail commissioned in 2026",
        "slug": "ktz-new-rail-2026",
        "question": "Are the 900 km of new rail built this year?",
        "entity": "ktz",
        "metric": "new-rail-length",
        "unit": "km",
        "frequency": "annual",
        "direction": "up_is_good",
        "targets": [
            {
                "value_text": "900 km",
                "due_on": "2026-12-31",
                "claim": ("ktz", "new-rail-length", "target"),
            }
        ],
        "observations": [],
    },
    {
        "name": "Autonomous road freight volume growth",
        "slug": "autonomous-freight-growth",
        "question": "Does the autonomous corridor keep growing road freight?",
        "entity": "autonomous-freight-corridor",
        "metric": "freight-growth",
        "unit": "percent",
        "frequency": "weekly",
        "direction": "up_is_good",
        "targets": [],
        "observations": [
            {
                "period": "2026-05-25/2026-05-31",
                "value_text": "12.4%",
                "vintage": "2026-06-01",
                "source": "briefing",
                "quote": "autonomous road freight grew by 12.4%",
            }
        ],
    },
    {
        "name": "Cloud data processing traffic growth",
        "slug": "cloud-traffic-growth",
        "question": "Do data-hub developers onboard in the Data Center Valley (cloud traffic)?",
        "entity": "kazakhstan",
        "metric": "data-traffic-growth",
        "unit": "percent",
        "frequency": "weekly",
        "direction": "up_is_good",
        "targets": [],
        "observations": [
            {
                "period": "2026-05-25/2026-05-31",
                "value_text": "18.5%",
                "vintage": "2026-06-01",
                "source": "briefing",
                "quote": "cloud-network data processing traffic jumped 18.5%",
            }
        ],
    },
    {
        "name": "Autonomous corridor border wait time",
        "slug": "corridor-border-wait",
        "question": "Does the autonomous corridor cut border wait times?",
        "entity": "autonomous-freight-corridor",
        "metric": "border-wait-time",
        "unit": "day",
        "frequency": "monthly",
        "direction": "down_is_good",
        "targets": [],
        "observations": [],
    },
    {
        "name": "Data Center Valley developers onboarded",
        "slug": "data-center-valley-developers",
        "question": "Do international data hub developers onboard in the Data Center Valley?",
        "entity": "kazakhstan",
        "metric": "data-hub-developers",
        "unit": "count",
        "frequency": "quarterly",
        "direction": "up_is_good",
        "targets": [],
        "observations": [],
    },
    {
        "name": "Heavy industrial output growth",
        "slug": "heavy-industrial-output",
        "question": "Does heavy industrial output recover in the upcoming quarter?",
        "entity": "kazakhstan",
        "metric": "industrial-output-growth",
        "unit": "percent",
        "frequency": "quarterly",
        "direction": "up_is_good",
        "targets": [],
        "observations": [],
    },
    {
        "name": "EEAS press release on the 23rd Cooperation Committee published",
        "slug": "eeas-press-release",
        "question": "Has the EEAS published its press release on the 23rd Cooperation Committee?",
        "entity": "eu-kazakhstan",
        "metric": "eeas-press-release-published",
        "unit": "count",
        "frequency": "irregular",
        "direction": "up_is_good",
        "targets": [],
        "observations": [
            {
                # 0 = not yet published (1 once it is).
                "period": "2026-06-01",
                "value_text": "0",
                "vintage": "2026-06-01",
                "source": "briefing",
                "quote": "As of 1 June, a press release by the EEAS has not been released yet.",
            }
        ],
    },
]
