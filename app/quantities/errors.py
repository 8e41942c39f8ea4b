"""The one error type raised by the quantities package, with a stable machine code."""

from __future__ import annotations

__all__ = ["QuantityError"]


class QuantityError(ValueError):
    """A value, unit or period that could not be read; never a guess.

    Codes are stable and meant for API clients:

    - ``empty_value``: nothing to read.
    - ``unreadable_number``: no number where one was expected, a malformed one ("1,234,5"), or
      two numbers side by side ("2020 2 500").
    - ``ambiguous_number``: digits with two readings and nothing in the text to choose between
      them ("$1,340 billion", "1.000", "1,5 to 2.5"), or a year run into a figure ("2021100
      tonnes"); the digit-group rule is in `grouping`.
    - ``unknown_unit``: a word that is neither a scale word, a unit nor a qualifier.
    - ``footnote_mark``: a superscript digit that is no unit's exponent ("$10² million"), a
      superscript letter or sign ("billionᵃ", "10⁻³"), or a footnote mark (†, ‡, *, "[7]"):
      refused, never read as part of the figure.
    - ``ambiguous_unit``: a spelling with two readings and nothing to choose between them
      ("5m": million or metres; "Mb/d", "mt"; a currency sign or name several currencies share
      that neither a code in the figure nor the metric's unit settles: "¥", "manat", "pounds").
    - ``unsupported_rate``: a rate of what takes none ("5% a year", "5 km per hectare"), or a
      second rate on a rate ("5 bpd a year").
    - ``unknown_scale``: a scale word where none can go ("5 million billion").
    - ``mixed_units`` / ``incompatible_units``: two units that cannot be put on one scale
      (two currencies are never converted).
    - ``conflicting_bounds``: two qualifiers that contradict each other ("about up to 5").
    - ``inverted_range``: a range or interval whose low end is above its high end.
    - ``hedged_range_end``: a bound on one end of a range ("from 5 to over 7").
    - ``two_levels``: a level before and one after ("rose from 5 to 7"), not one figure.
    - ``two_figures``: a change and a level at once ("rose 12% to $5.2 billion").
    - ``conflicting_sign``: a change whose direction is given twice ("fell -3%").
    - ``counts_events``: "times" that counts how often ("three times this year").
    - ``ambiguous_times``: "three times" alone, a count of events or a multiple.
    - ``ambiguous_multiple``: "three times more" (3x or 4x?), a fall by a multiple.
    - ``ambiguous_change``: "increased by 109.2%", a growth index or a rise of that much.
    - ``non_finite`` / ``out_of_range``: NaN, infinity, or a magnitude beyond what a claim can be.
    - ``invalid_bound``: structured input whose bound and values do not fit together.
    - ``needs_reference_date``: a relative period ("last year") without the claim's date.
    - ``unreadable_period`` / ``inverted_period``: a period that cannot be read or ends before
      it starts.
    - ``period_outside_calendar``: a period with a date before 0001-01-01 or after 9999-12-31
      ("next year" said on 9999-12-31, "before 0001").
    - ``ambiguous_period``: a period with two readings and nothing to choose between them: a
      bare split year ("2019/20": marketing year or fiscal year?), a fiscal year across two
      calendar years ("FY2021/22"), "2008-09" (September 2008 or 2008 to 2009); the message
      says how to write it.
    """

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[QuantityError], tuple[str, str]]:
        # ValueError pickles its args; ours are (code, message), so rebuild from both.
        return (QuantityError, (self.code, self.message))

    def __repr__(self) -> str:
        return f"QuantityError({self.code!r}, {self.message!r})"
