"""The draft page's view (pure): the text cut at its figures and skipped digits, and the
proposals as a select's choices."""

from app.drafts.models import Alternative, Proposed, Skipped, Span
from app.web.draft_view import Choice, Piece, choices, column, pieces


def _draft(start: int, end: int) -> Span:
    return Span(start=start, end=end)


def test_pieces_cut_the_text_at_each_figure_and_skipped_span() -> None:
    text = "In 2023 exports rose 5% to $10 billion."
    drafts = [_draft(21, 23), _draft(27, 38)]
    skipped = [Skipped(span=Span(start=3, end=7), text="2023", why="year")]
    assert pieces(text, drafts, skipped) == [
        Piece("In "),
        Piece("2023", None, "a year used as a date"),
        Piece(" exports rose "),
        Piece("5%", 1),
        Piece(" to "),
        Piece("$10 billion", 2),
        Piece("."),
    ]


def test_pieces_keep_the_figure_of_two_overlapping_spans() -> None:
    text = "Unit-2 of 1,200 MW"
    drafts = [_draft(10, 18)]
    skipped = [
        Skipped(span=Span(start=5, end=6), text="2", why="name"),
        Skipped(span=Span(start=10, end=15), text="1,200", why="unreadable"),
    ]
    assert pieces(text, drafts, skipped) == [
        Piece("Unit-"),
        Piece("2", None, "part of a name"),
        Piece(" of "),
        Piece("1,200 MW", 1),
    ]


def test_choices_offer_the_best_then_each_alternative_once() -> None:
    proposed = Proposed(
        name="KTZ",
        slug="ktz",
        id=1,
        confidence=0.9,
        alternatives=[
            Alternative(name="KTZ", slug="ktz", id=1, confidence=0.9),
            Alternative(name="Kazakhstan", slug="kazakhstan", id=2, confidence=0.4),
            Alternative(
                name="National rail operator", slug="national-rail-operator", id=None, confidence=0
            ),
        ],
        new=False,
    )
    assert choices(proposed, "entity") == [
        Choice("ktz", "KTZ (ktz, 90%)"),
        Choice("kazakhstan", "Kazakhstan (kazakhstan, 40%)"),
        Choice("National rail operator", "National rail operator (new)"),
    ]


def test_choices_of_a_new_name_and_of_none() -> None:
    new = Proposed(
        name="Ferry lines", slug="ferry-lines", id=None, confidence=0, alternatives=[], new=True
    )
    assert choices(new, "metric") == [Choice("Ferry lines", "Ferry lines (new)")]
    assert choices(None, "entity") == [Choice("", "choose an entity, or type a new name")]


def test_column_names_the_rows_field_of_a_batch_problem() -> None:
    assert [column(p) for p in ("[2].entity", "[1].unit", "[3].citations[0].quote", "[4]")] == [
        "entity",
        "value_text",
        "row",
        "row",
    ]
