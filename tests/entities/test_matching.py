"""Close matches, the rules alone: which known record a new name likely means, and why."""

import pytest

from app.entities.matching import NameIndex, skeleton, words

SAME = "it differs only in case, spacing, punctuation or a designator from"
RECORDS = [
    (1, "Kazakhstan Temir Zholy", "ktz", ["KTZ", "Kazakhstan Temir Zholy (KTZ)"]),
    (2, "Eurasian Economic Union", "eaeu", ["EAEU", "EEU"]),
    (3, "Kazakhstan", "kazakhstan", ["Republic of Kazakhstan"]),
    (
        4,
        "EU–Kazakhstan economic relations",
        "eu-kazakhstan",
        ["Kazakhstan-EU", "EU–Kazakhstan trade"],
    ),
    (5, "EU–Kazakhstan Cooperation Committee", "eu-kazakhstan-cooperation-committee", []),
    (6, "Kyrgyzstan", "kyrgyzstan", []),
    (7, "Samruk-Kazyna", "samruk-kazyna", []),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    found = NameIndex()
    for record_id, name, slug, aliases in RECORDS:
        for alias in (name, slug, *aliases):
            found.add(record_id, name, slug, alias)
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "K.T.Z.",
            [(1, f"{SAME} its alias 'KTZ'")],
        ),
        (
            "Samruk Kazyna JSC",
            [(7, f"{SAME} its name 'Samruk-Kazyna'")],
        ),
        (
            "Kazakhstan Temir Zholy JSC",
            [(1, f"{SAME} its name 'Kazakhstan Temir Zholy'")],
        ),
        ("Kazakstan", [(3, "it is another spelling of its name 'Kazakhstan'")]),
        ("Qazaqstan", [(3, "it is another spelling of its name 'Kazakhstan'")]),
        ("Kirghizstan", [(6, "it is another spelling of its name 'Kyrgyzstan'")]),
        ("Kazakshtan", [(3, "it is spelt almost like its name 'Kazakhstan'")]),
        (
            "Eurasian Economic Unoin",
            [(2, "it is spelt almost like its name 'Eurasian Economic Union'")],
        ),
        ("EEUU", []),
        ("KTZh", []),
        ("EAU", []),
        ("Temir Zholy", [(1, "'Temir Zholy' is part of its name 'Kazakhstan Temir Zholy'")]),
        ("Temir Zholy JSC", [(1, "'temir zholy' is part of its name 'Kazakhstan Temir Zholy'")]),
        ("ROK", [(3, "'ROK' are the initials of its alias 'Republic of Kazakhstan'")]),
        ("RK", [(3, "'RK' are the initials of its alias 'Republic of Kazakhstan'")]),
        ("Eurasian Economic Area", []),
        ("Economic Union", [(2, "'Economic Union' is part of its name 'Eurasian Economic Union'")]),
        (
            "EU",
            [
                (4, "'EU' is part of its alias 'Kazakhstan-EU'"),
                (5, "'EU' is part of its name 'EU–Kazakhstan Cooperation Committee'"),
            ],
        ),
        (
            "European Union",
            [
                (4, "its initials EU are a word of its alias 'Kazakhstan-EU'"),
                (5, "its initials EU are a word of its name 'EU–Kazakhstan Cooperation Committee'"),
            ],
        ),
        ("Kazakhstan Railways", []),
        ("Uzbekistan", []),
        ("A", []),
    ],
)
def test_a_new_name_is_close_to_the_records_it_likely_means(
    index: NameIndex, name: str, expected: list[tuple[int, str]]
) -> None:
    assert [(m.record_id, m.why) for m in index.close_to(name)] == expected


def test_the_record_just_made_is_not_its_own_close_match(index: NameIndex) -> None:
    assert index.close_to("Kazakstan", other_than=3) == []


def test_a_name_is_read_without_company_designators_at_either_end() -> None:
    assert words("The Kazakhstan Temir Zholy NC JSC") == ("kazakhstan", "temir", "zholy")
    assert words('JSC NC "KazMunayGas"') == ("kazmunaygas",)
    assert words("Co-operation Bank Ltd.") == ("co", "operation", "bank")
    assert words("JSC") == ()


@pytest.mark.parametrize(
    ("spellings", "same"),
    [
        (("Kazakhstan", "Kazakstan", "Qazaqstan"), True),
        (("Tajikistan", "Tadzhikistan"), True),
        (("Kyrgyzstan", "Kirghizstan", "Kirgizstan"), True),
        (("Türkmenistan", "Turkmenistan"), True),
        (("Almaty", "Almatty"), True),
        (("Kazakhstan", "Pakistan"), False),
    ],
)
def test_transliterations_of_one_name_share_a_skeleton(
    spellings: tuple[str, ...], same: bool
) -> None:
    shapes = {skeleton(s.casefold()) for s in spellings}
    assert (len(shapes) == 1) == same
