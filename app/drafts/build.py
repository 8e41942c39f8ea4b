"""A text's drafts: each figure with its period, kind, entity, metric, speaker and basis, and
the claim that confirms it.

Decisions where the text is silent (each said in the draft's notices):
- the date a claim was made is the request's `asserted_on`, else the date a paragraph opens
  with ("On May 28, 2026, ..."), else the source's date, else today;
- a figure whose sentence names no period of its own takes the one the passage named last
  (`assign`: "Kazakhstan produced 90 million tons in 2023. Oil exports ... amounted to 70.5
  million tons"), else "currently"/"today" as the day, else none: a count or a stock as of
  that date (a year would be a guess);
- the entity and the metric are the known ones the sentence names, else names proposed from
  the sentence (`names`), else those of the sentence before;
- the speaker is the one the sentence names, else the one of the sentence it goes on with
  ("Under this framework", "he added"), else the source's publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from app.drafts import assign, cues, extract, names, proposals, readings, when
from app.drafts.extract import Figure
from app.drafts.models import (
    Alternative,
    Draft,
    DraftRequest,
    DraftsAnswer,
    Proposed,
    Skipped,
    Span,
)
from app.drafts.proposals import Catalog, Proposal
from app.quantities import FigureType

__all__ = ["draft"]

# The speaker named apart from the figure's subject ("according to X", ", said X"): X is no
# entity of the figure.
_NAMED_APART = re.compile(r"[Aa]ccording\s+to\s|,\s*(?:said|says)\s")
_ESCAPE = re.compile(r"\\([$%~<>+\-*_])")
_EMPHASIS = re.compile(r"\*\*|__")
MAX_QUOTE = 5000
UNSPECIFIED = Proposal("Unspecified", "unspecified", None, 0.0)


def clean(text: str) -> str:
    """Text as a reader sees it: Markdown's escapes and emphasis marks left out."""
    return _EMPHASIS.sub("", _ESCAPE.sub(r"\1", text)).strip()


@dataclass
class _Paragraph:
    number: int = -1
    said_on: date | None = None
    entity_id: int | None = None
    speaker: str | None = None
    period: when.Found | None = None
    entity_name: str | None = None  # a name proposed new, for sentences that name none
    metric_name: tuple[str, str] | None = None  # and its figure's dimension ("" if none)
    listed: tuple[when.Found, ...] = ()  # the periods the sentence before gave its figures


def draft(request: DraftRequest, catalog: Catalog, today: date) -> DraftsAnswer:
    """Every figure of the text as a draft claim, and the digits that are no figure."""
    source = request.source
    default_on = request.asserted_on or (source.published_on if source else None) or today
    publisher = (source.publisher or source.title) if source else None
    drafts: list[Draft] = []
    skipped: list[Skipped] = []
    paragraph = _Paragraph()
    extract.forget()
    lowercase = names.lowercase_words(request.text)
    new_metrics: dict[str, str] = {}
    for sentence in extract.sentences(request.text):
        if sentence.paragraph != paragraph.number:
            # The period and the names proposed go on across paragraphs of one passage (for
            # sentences that name none); the known entity and the speaker do not.
            paragraph = _Paragraph(
                sentence.paragraph,
                period=paragraph.period,
                entity_name=paragraph.entity_name,
                metric_name=paragraph.metric_name,
                listed=paragraph.listed,
            )
        text = sentence.text.replace("\n", " ")  # a line that broke off mid-sentence
        opening = when.dateline(text)
        notices: list[str] = []
        if opening is not None and request.asserted_on is None:
            paragraph.said_on = opening[0]
        said_on = paragraph.said_on or default_on
        if paragraph.said_on is not None and request.asserted_on is None:
            notices.append(f"asserted_on {said_on.isoformat()}: the date the paragraph opens with")
        periods = [
            p for p in when.find_periods(text, said_on) if opening is None or p.start >= opening[1]
        ]
        figures, skips = extract.read_figures(text, periods, when.find_dates(text))
        figures = readings.refine(text, figures)
        skipped.extend(
            Skipped(span=_span(sentence, s.start, s.end), text=s.text, why=s.why) for s in skips
        )
        goes_on = cues.continues(text)
        speaker = cues.speaker_of(text)
        if speaker is None and paragraph.speaker and (goes_on or cues.said_by_pronoun(text)):
            speaker = paragraph.speaker
            notices.append(f"stated_by '{speaker}': the speaker of the sentence before")
        stated_by = speaker or publisher
        if stated_by is None:
            stated_by = "Unattributed"
            notices.append("no one is named as saying it and no source was given: set stated_by")
        basis = cues.basis_of(text)
        said = proposals.mentions(text, catalog)
        context = _Context(
            text,
            said_on,
            stated_by,
            basis,
            said,
            goes_on,
            paragraph.entity_id,
            paragraph.entity_name,
            paragraph.metric_name,
            lowercase,
            new_metrics,
        )
        assigned = assign.assign(text, figures, periods, paragraph.period, paragraph.listed)
        made_own = []
        for figure, a in zip(figures, assigned, strict=True):
            made_own.append(
                _draft(sentence, figure, a, periods, context, catalog, request, notices)
            )
            made_draft, own = made_own[-1]
            if made_draft.metric.new and own:
                # "... 17.7 million tons in 2020, while the Ministry - 18 million tons": a figure
                # whose clause names no measure goes on with the one named before it.
                absolute = figure.quantity.figure_type is FigureType.LEVEL or (
                    figure.quantity.figure_type is FigureType.CHANGE
                    and figure.quantity.dimension != "percent"
                )
                # a percent or a share says nothing of the unit the metric measures
                measure = (made_draft.metric.name, made_draft.dimension if absolute else "")
                context = replace(context, metric_name=measure)
        made = [d for d, _ in made_own]
        paragraph.period = assign.carried_on(text, figures, assigned, periods) or paragraph.period
        if figures:
            paragraph.listed = assign.listed_periods(figures, assigned)
        if not figures:
            # "OPEC forecasts an uptick in oil production in Kazakhstan. The latter is ...":
            # a sentence without figures names what the next ones are about.
            whole = (0, len(text))
            name, _ = names.entity_name(text, whole, speaker, lowercase)
            paragraph.entity_name = name or paragraph.entity_name
            measured_here = names.metric_name(text, whole, (len(text), len(text)))
            if measured_here is not None:
                paragraph.metric_name = (measured_here[:1].upper() + measured_here[1:], "")
        drafts.extend(made)
        named = [d.entity.name for d in made if d.entity is not None and d.entity.new]
        paragraph.entity_name = named[-1] if named else paragraph.entity_name
        measured = [(d.metric.name, d.dimension) for d, own in made_own if d.metric.new and own]
        paragraph.metric_name = measured[-1] if measured else paragraph.metric_name
        known = [d.entity.id for d in made if d.entity is not None and d.entity.id is not None]
        if known or said:
            paragraph.entity_id = known[0] if known else said[0].entity_id
        if speaker is not None:
            paragraph.speaker = speaker
    return DraftsAnswer(drafts=drafts, skipped=skipped)


@dataclass(frozen=True)
class _Context:
    text: str
    said_on: date
    stated_by: str
    basis: str | None
    said: list[proposals.Mention]
    goes_on: bool
    carried: int | None
    entity_name: str | None
    metric_name: tuple[str, str] | None
    lowercase: frozenset[str]
    new_metrics: dict[str, str]  # slug -> dimension of the metrics proposed new in the text


def _span(sentence: extract.Sentence, start: int, end: int) -> Span:
    return Span(start=sentence.start + start, end=sentence.start + end)


def _proposed(proposal: Proposal) -> Proposed:
    return Proposed(
        name=proposal.name,
        slug=proposal.slug,
        id=proposal.id,
        confidence=proposal.confidence,
        alternatives=[Alternative(**a) for a in proposal.alternatives],
        new=proposal.new,
    )


def _over(found: when.Found, kind: str, said_on: date) -> bool:
    """Whether a target's or a commitment's period ended before it was said."""
    end = found.period.end
    return kind in ("target", "commitment") and end is not None and end < said_on


def _draft(
    sentence: extract.Sentence,
    figure: Figure,
    assigned: assign.Assigned,
    periods: list[when.Found],
    context: _Context,
    catalog: Catalog,
    request: DraftRequest,
    sentence_notices: list[str],
) -> tuple[Draft, bool]:
    text = context.text
    span = (figure.start, figure.end)
    clause = cues.clause(text, *span)
    notices = [*sentence_notices, *figure.notices]
    found = assigned.found
    if assigned.carried and found is not None:
        notices.append(f"period '{found.text}': the sentence names none; carried from before")
    if figure.role == "before":
        base = next((p for p in periods if p.base), None)
        found = base
        if base is None:
            notices.append("the period of the level before is not written: none proposed")
    elif found is None:
        notices.append(
            "no period in the sentence: none proposed (a count or stock as of asserted_on); "
            "add one if the figure is of a period"
        )
    period = found.period if found else None
    period_text = found.text if found else None
    quantity = figure.quantity
    kind = cues.kind_of(text, span, quantity, period, period_text, context.said_on)
    if figure.role == "before":
        # "will increase from 9 percent to 15 percent": the level it starts from is now.
        kind = cues.Kind("actual", "the level before the change")
    notices.extend(kind.notices)
    if assigned.carried and found is not None and _over(found, kind.kind, context.said_on):
        # "This effort supports Egypt's target of $100bn": a goal is about what is to come.
        notices.remove(f"period '{found.text}': the sentence names none; carried from before")
        notices.append(
            f"period '{found.text}' of the sentences before was over on "
            f"{context.said_on.isoformat()}, before this {kind.kind} was said: none proposed"
        )
        period = period_text = found = None
    entity = proposals.entity_for(
        text,
        span,
        clause,
        context.said,
        catalog,
        carried=context.carried,
        continues=context.goes_on,
        speaker=context.stated_by if _NAMED_APART.search(text) else None,
        carried_name=context.entity_name,
        lowercase=context.lowercase,
    )
    if entity is None:
        notices.append("no entity found in the sentence: choose one before confirming")
    chosen = entity or UNSPECIFIED
    # A metric carried from the sentence before measures what a level of its dimension does.
    carried_metric = context.metric_name
    level = quantity.figure_type is FigureType.LEVEL or (
        quantity.figure_type is FigureType.CHANGE and quantity.dimension != "percent"
    )
    if carried_metric is not None and level and carried_metric[1] not in ("", quantity.dimension):
        carried_metric = None
    metric = proposals.metric_for(
        text, span, clause, quantity, catalog, carried_metric[0] if carried_metric else None
    )
    metric = proposals.distinct(metric, quantity, catalog, context.new_metrics)
    if chosen.new:
        notices.append(f"entity '{chosen.name}' is not known: confirming creates it")
    if metric.new:
        notices.append(f"metric '{metric.name}' is not known: confirming creates it")
    quote = clean(text)[:MAX_QUOTE]
    claimed = assign.claim_words(found, context.said_on) if found else None
    claim = _claim(figure, chosen, metric, claimed, kind.kind, context, quote, request)
    draft = Draft(
        span=_span(sentence, *span),
        value_text=figure.text,
        value=quantity.value,
        unit=quantity.unit,
        dimension=quantity.dimension,
        bound=quantity.bound.value,
        low=quantity.low,
        high=quantity.high,
        low_open=quantity.interval.low_open,
        high_open=quantity.interval.high_open,
        figure_type=quantity.figure_type.value,
        role=figure.role,
        period=period_text,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        kind=kind.kind,
        kind_cue=kind.cue,
        entity=_proposed(entity) if entity else None,
        metric=_proposed(metric),
        stated_by=context.stated_by,
        basis=context.basis,
        asserted_on=context.said_on,
        quote=quote,
        notices=notices,
        claim=claim,
    )
    return draft, metric.own


def _claim(
    figure: Figure,
    entity: Proposal,
    metric: Proposal,
    period_text: str | None,
    kind: str,
    context: _Context,
    quote: str,
    request: DraftRequest,
) -> dict[str, Any]:
    """The claim `POST /api/v1/claims:bulk` stores for this draft, as it is."""
    claim: dict[str, Any] = {
        "entity": entity.name if entity.new else entity.slug,
        "metric": metric.name if metric.new else metric.slug,
        "value_text": clean(figure.read_as),
        "kind": kind,
        "stated_by": context.stated_by,
        "asserted_on": context.said_on.isoformat(),
        "statement": quote,
    }
    if period_text is not None:
        claim["period"] = period_text
    if context.basis is not None:
        claim["basis"] = context.basis
    source = request.source
    if source is not None and source.url is not None:
        cited: dict[str, Any] = {"url": source.url, "quote": quote}
        for key in ("title", "publisher", "kind"):
            if getattr(source, key) is not None:
                cited[key] = str(getattr(source, key))
        if source.published_on is not None:
            cited["published_on"] = source.published_on.isoformat()
        claim["citations"] = [cited]
    else:
        claim["citations"] = []
    return claim
