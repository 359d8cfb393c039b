"""Internal inconsistencies: dates an article gives that contradict its own chronology.

Unlike alignment, this looks at one article at a time: its dates OF an event are the
reference for the dates it places before or after that event, and with no date of its own
the gazetteer's known date is. Run per document where it was analysed (see
:func:`framing.facts.align.collect_facts`).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ..document import Document, Span
from .entities import Event, Gazetteer

#: A date placed "immediately after" an event may come at most this many days after it ends.
SOON_DAYS = 92


def parse_date(value: str | None) -> date | None:
    """An ISO date attribute of a fact span, or None."""
    return date.fromisoformat(value) if value else None


def document_inconsistencies(doc: Document, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Dates in ``doc`` that contradict its own chronology ("internal") or the event's known date.

    For each event an article dates, its own dates OF the event are the reference; a date
    placed "after" the event must not end before it starts ("immediately after" also not more
    than :data:`SOON_DAYS` after it ends), a date "before" it must not start after it ends, and
    two dates of the event must be compatible. With no date of its own, the article is checked
    against the gazetteer's known date instead (kind "known-date").
    """
    dated: dict[str, list[Span]] = defaultdict(list)
    for span in doc.get("facts"):
        if span.label == "date" and span.attrs.get("event") and span.attrs.get("low"):
            dated[span.attrs["event"]].append(span)
    found: list[dict[str, Any]] = []
    for event_id, spans in dated.items():
        event = gazetteer.events.get(event_id)
        if event is None:
            continue
        own = [s for s in spans if s.attrs.get("slot") == "date"]
        for span in spans:
            problem = _check(doc, span, own, event)
            if problem is not None:
                found.append(problem)
    return found


def _check(doc: Document, span: Span, own: list[Span], event: Event) -> dict[str, Any] | None:
    a = span.attrs
    low, high = parse_date(a["low"]), parse_date(a["high"])
    assert low is not None and high is not None
    others = [s for s in own if s is not span]
    if others:
        ref_low = min(parse_date(s.attrs["low"]) for s in others)  # type: ignore[type-var]
        ref_high = max(parse_date(s.attrs["high"]) for s in others)  # type: ignore[type-var]
        kind, ref_text = "internal", "; ".join(f"'{doc.text_of(s)}'" for s in others)
        reference = f"the article itself dates {event.description} as {ref_text}"
    else:
        ref_low, ref_high, kind = event.start, event.end, "known-date"
        reference = (f"{event.description} took place {event.start.isoformat()}"
                     + (f" to {event.end.isoformat()}" if event.multi_day else "")
                     + " (gazetteer)")
    relation, phrase = a.get("relation"), doc.text_of(span)
    why = None
    if relation == "after":
        if high < ref_low:
            why = f"'{phrase}' is placed after {event.description} but is earlier than it"
        elif a.get("soon") and (low - ref_high).days > SOON_DAYS:
            why = f"'{phrase}' is placed immediately after {event.description} but is months later"
    elif relation == "before":
        if low > ref_high:
            why = f"'{phrase}' is placed before {event.description} but is later than it"
    elif a.get("slot") == "date":
        fits = low <= ref_high and ref_low <= high
        if not fits and event.multi_day and kind == "internal":
            fits = low <= event.end and event.start <= high and all(
                parse_date(s.attrs["low"]) <= event.end and event.start <= parse_date(s.attrs["high"])  # type: ignore[operator]
                for s in others)
        if not fits:
            why = f"'{phrase}' gives {event.description} a date ({a['value']}) that does not fit"
    if why is None:
        return None
    if a.get("approximate") and a.get("resolution") == "inferred-year":
        why += " (its year was inferred from an approximate publication date)"
    sentence = doc.sentences[a["sentence"]]
    return {"kind": kind, "article": doc.id, "outlet": doc.meta.outlet, "event": event.id,
            "text": phrase, "start": span.start, "end": span.end, "value": a.get("value"),
            "relation": relation, "sentence": doc.text_of(sentence),
            "sentence_start": sentence.start, "sentence_end": sentence.end,
            "explanation": f"{why}: {reference}."}
