"""Kind, speaker and basis cues on real sentences (the demo briefing and public pages)."""

from datetime import date

import pytest

from app.drafts import cues, extract, when

SAID_ON = date(2026, 5, 28)


def kind(sentence: str, figure: str, said_on: date = SAID_ON) -> tuple[str, str | None]:
    periods = when.find_periods(sentence, said_on)
    found, _ = extract.read_figures(sentence, periods, when.find_dates(sentence))
    (f,) = [f for f in found if f.text == figure]
    later = [p for p in periods if p.start >= f.end and not p.base]
    period = later[0] if later else None
    read = cues.kind_of(
        sentence,
        (f.start, f.end),
        f.quantity,
        period.period if period else None,
        period.text if period else None,
        said_on,
    )
    return read.kind, read.cue


@pytest.mark.parametrize(
    ("sentence", "figure", "expected"),
    [
        (
            "national rail operator Kazakhstan Temir Zholy (KTZ) announced an aggressive "
            "$10 billion investment blueprint stretching to 2030.",
            "$10 billion",
            ("commitment", "investment"),
        ),
        (
            "mutual trade turnover within the regional economic bloc is officially projected to "
            "break the historic $100 billion threshold before the end of the year.",
            "$100 billion",
            ("projection", "projected"),
        ),
        # https://menafn.com/1106993905/Kazakhstan-China-Eye-Boosting-Bilateral-Trade-By-2030
        (
            "At the same time, work continues to bring the volume of bilateral trade to "
            "$35 billion by 2030.",
            "$35 billion",
            ("target", "by 2030"),
        ),
        # https://en.trend.az/casia/kyrgyzstan/3903697.html
        (
            "Kyrgyzstan and Kazakhstan aim to boost trade turnover to $3 billion, Kazakhstan's "
            "Prime Minister Olzhas Bektenov said.",
            "$3 billion",
            ("target", "aim to"),
        ),
        (
            "Kyrgyzstan's imports from Kazakhstan in 2023 totaled $862.182 million.",
            "$862.182 million",
            ("actual", None),
        ),
        ("The plant will cost $16.5 billion in 2027.", "$16.5 billion", ("projection", "will")),
        # A period not over: a past verb says what has happened so far, else it is a forecast.
        ("Exports reached $5 billion this year.", "$5 billion", ("actual", "reached")),
        ("Exports of $5 billion this year.", "$5 billion", ("projection", "this year")),
    ],
)
def test_kind_comes_from_the_wording(sentence: str, figure: str, expected: tuple[str, str]) -> None:
    assert kind(sentence, figure) == expected


# https://arynews.tv/pakistans-exports-rise-by-10-5pc-in-2024/ (2024-07-02): "so far" says the
# figures of a year not over have happened; they are no forecast.
ARY = (
    "ISLAMABAD: Pakistan’s exports have seen a substantial increase of 10.5 percent "
    "reaching US$30.64 billion in 2024 so far, ARY News reported."
)


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("increase of 10.5 percent", ("actual", "so far")),
        ("US$30.64 billion", ("actual", "so far")),
    ],
)
def test_a_year_not_over_so_far_is_an_actual(figure: str, expected: tuple[str, str]) -> None:
    assert kind(ARY, figure, date(2024, 7, 2)) == expected


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "Kazakh President Kassym-Jomart Tokayev announced that mutual trade turnover is "
            "projected to break $100 billion.",
            "Kazakh President Kassym-Jomart Tokayev",
        ),
        (
            "It also quoted Deputy Foreign Minister Arman Issetov saying bilateral trade hit "
            "$45 billion last year.",
            "Deputy Foreign Minister Arman Issetov",
        ),
        (
            "According to the State Statistical Committee of Kyrgyzstan, trade amounted to "
            "$1.317 billion in 2023.",
            "State Statistical Committee of Kyrgyzstan",
        ),
        ("Exports fell 5% in 2023, the ministry said.", "the ministry"),
        ("Exports fell 5% in 2023, according to customs data.", None),
    ],
)
def test_speaker_is_who_the_sentence_names(sentence: str, speaker: str | None) -> None:
    assert cues.speaker_of(sentence) == speaker


def test_basis_is_the_data_the_sentence_names() -> None:
    assert cues.basis_of("Exports fell 5% in 2023, according to customs data.") == "customs data"
    assert cues.basis_of("Exports fell 5% in 2023, the ministry said.") is None


def test_a_sentence_goes_on_under_this_framework() -> None:
    assert cues.continues("Under this framework, Kazakhstan is fast-tracking 900 km.") is True
    assert cues.continues("Kazakhstan is fast-tracking 900 km under this framework.") is False
