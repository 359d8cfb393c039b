"""Highlighting segments: an article's original text cut into pieces a template can print.

Findings may overlap or nest ("so-called 'protesters'" is a loaded term and a scare quote).
HTML cannot express overlapping elements, so we cut the text at every finding boundary
and give each piece the set of findings that cover it; the template prints one element
per piece. Junk and layout spans from cleaning become the piece's ``zone`` so the report
can dim page furniture without hiding that it was there. Everything is computed here, in
Python, so the templates only loop.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .document import Document, Span

#: Category -> colour (background of highlights, fill of chart bars). Any other category
#: gets the "other" colour. One table, read by the CSS partial and the charts alike.
CATEGORY_COLOURS: dict[str, str] = {
    "loaded-term": "#f4a3a3", "name-calling": "#e57373", "evaluative": "#f7c873",
    "emotive-verb": "#f2a0d4", "intensifier": "#c9b3f2", "hedge": "#a9d8f5",
    "vague-attribution": "#9fe0c8", "scare-quote": "#ffe066", "anonymous-source": "#b8e28f",
    "named-source": "#d3d3d3", "editorial-note": "#8fd3e0", "reprint-marker": "#8fd3e0",
    "label": "#ececec", "other": "#dddddd",
}
KNOWN_CATEGORIES = tuple(c for c in CATEGORY_COLOURS if c != "other")


def category_colour(category: str) -> str:
    return CATEGORY_COLOURS.get(css_token(category), CATEGORY_COLOURS["other"])
_CSS_UNSAFE = re.compile(r"[^a-z0-9-]+")


def css_token(value: str) -> str:
    """A category or voice as a safe CSS class fragment (``Loaded term`` -> ``loaded-term``)."""
    token = _CSS_UNSAFE.sub("-", value.lower()).strip("-")
    return token or "other"


@dataclass(frozen=True, slots=True)
class Mark:
    """One finding as the report shows it: numbered, with the words a student reads."""

    number: int
    anchor: str
    key: str
    category: str
    voice: str
    start: int
    end: int
    text: str
    explanation: str
    rationale: str | None = None
    neutral: str | None = None
    speaker: str | None = None
    term: str | None = None
    lexicon: str | None = None
    inserted_by: str | None = None

    @property
    def extra_rationale(self) -> str | None:
        """The rationale, unless the explanation already says it."""
        return None if not self.rationale or self.rationale in self.explanation else self.rationale

    @property
    def extra_neutral(self) -> str | None:
        """The neutral alternative, unless the explanation already gives it."""
        return None if not self.neutral or self.neutral in self.explanation else self.neutral

    @property
    def css_class(self) -> str:
        category = css_token(self.category)
        known = category if category in KNOWN_CATEGORIES else "other"
        return f"f cat-{known} voice-{css_token(self.voice)}"

    @property
    def title(self) -> str:
        """Hover text: the category, whose voice, the explanation, rationale, neutral wording."""
        who = "the outlet's own voice" if self.voice == "outlet" else f"{self.voice} voice"
        if self.speaker:
            who += f", speaker: {self.speaker}"
        if self.inserted_by:
            who += f", inserted by {self.inserted_by}"
        parts = [f"[{self.number}] {self.category} ({who})"]
        if self.explanation:
            parts.append(self.explanation)
        if self.extra_rationale:
            parts.append(f"Why: {self.extra_rationale}")
        if self.extra_neutral:
            parts.append(f"Neutral alternative: {self.extra_neutral}")
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the original text with the findings that cover all of it."""

    start: int
    end: int
    text: str
    #: Findings covering this piece, longest (outermost) first.
    marks: tuple[Mark, ...] = ()
    #: Findings that start exactly here: the template puts their anchors before the piece.
    opening: tuple[Mark, ...] = ()
    #: Findings that end exactly here: the template puts their footnote numbers after the piece.
    closing: tuple[Mark, ...] = ()
    #: "junk", "title", "byline" ... from cleaning, or None for kept body text.
    zone: str | None = None
    #: True when a position anchor (e.g. a fact mention the report links to) starts here.
    anchored: bool = False

    @property
    def primary(self) -> Mark | None:
        """The innermost finding, whose colour the piece takes."""
        return self.marks[-1] if self.marks else None

    @property
    def css_class(self) -> str:
        classes = []
        if self.zone:
            classes.append(f"zone-{css_token(self.zone)}")
        if self.primary is not None:
            classes.append(self.primary.css_class)
            if len(self.marks) > 1:
                classes.append("nested")
        return " ".join(classes)

    @property
    def title(self) -> str:
        return "\n\n".join(m.title for m in reversed(self.marks))


def _optional_str(attrs: Mapping[str, Any], name: str) -> str | None:
    value = attrs.get(name)
    return None if value is None or value == "" else str(value)


def build_marks(doc: Document, findings: Iterable[tuple[str, Span]]) -> list[Mark]:
    """Number the findings of ``doc`` in document order; anchors are unique per document."""
    ordered = sorted(findings, key=lambda kv: (kv[1].start, -kv[1].end, kv[0], kv[1].label))
    marks = []
    for number, (key, span) in enumerate(ordered, start=1):
        attrs = span.attrs
        marks.append(Mark(
            number=number, anchor=f"{css_token(doc.id)}-f{number}", key=key,
            category=span.label, voice=str(attrs.get("voice") or "outlet"),
            start=span.start, end=span.end, text=doc.text[span.start:span.end],
            explanation=str(attrs.get("explanation") or ""),
            rationale=_optional_str(attrs, "rationale"), neutral=_optional_str(attrs, "neutral"),
            speaker=_optional_str(attrs, "speaker"), term=_optional_str(attrs, "term"),
            lexicon=_optional_str(attrs, "lexicon"), inserted_by=_optional_str(attrs, "inserted_by"),
        ))
    return marks


def segment_text(text: str, marks: Sequence[Mark], zones: Sequence[Span] = (),
                 anchors: Iterable[int] = ()) -> list[Segment]:
    """Cut ``text`` into pieces at every mark and zone boundary.

    The pieces cover the whole text in order, never overlap, and concatenate back to
    ``text``. Each piece lists the marks covering it (outermost first) and the zone
    label (junk reason collapsed to "junk", or the layout label) it lies in. Runs in
    O((n + m) log m) for a text with m boundaries: one sort, one sweep. ``anchors`` are
    extra offsets where a piece must start so the report can link to that place.
    """
    anchor_set = {a for a in anchors if 0 <= a < len(text)}
    cuts = {0, len(text), *anchor_set}
    for m in marks:
        cuts.update((m.start, m.end))
    for z in zones:
        cuts.update((z.start, z.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))

    starts: dict[int, list[Mark]] = {}
    for m in marks:
        if m.end > m.start:
            starts.setdefault(m.start, []).append(m)
    zone_starts = {z.start: z for z in zones if z.end > z.start}

    active: list[Mark] = []
    zone: Span | None = None
    segments = []
    for left, right in zip(bounds, bounds[1:]):
        if right == left:
            continue
        active = [m for m in active if m.end > left]
        active.extend(starts.get(left, ()))
        active.sort(key=lambda m: (-(m.end - m.start), m.start, m.number))
        if zone is not None and zone.end <= left:
            zone = None
        zone = zone_starts.get(left, zone)
        opening = tuple(sorted(starts.get(left, ()), key=lambda m: m.number))
        closing = tuple(sorted((m for m in active if m.end == right), key=lambda m: m.number))
        segments.append(Segment(left, right, text[left:right], tuple(active), opening, closing,
                                zone_label(zone) if zone is not None else None, left in anchor_set))
    return segments


def zone_label(span: Span) -> str:
    """Layout spans keep their label (title, byline); every junk reason reads as "junk"."""
    return span.label if span.label in ("title", "byline") else "junk"


def document_segments(doc: Document, marks: Sequence[Mark],
                      anchors: Iterable[int] = ()) -> list[Segment]:
    """The whole original text of ``doc``, with junk and layout as zones."""
    zones = [*(Span(s.start, s.end, "junk") for s in doc.get("junk")), *doc.get("layout")]
    zones.sort(key=lambda s: (s.start, s.end))
    # Zones from cleaning do not overlap; keep the first if a component ever makes them.
    kept: list[Span] = []
    for z in zones:
        if not kept or z.start >= kept[-1].end:
            kept.append(z)
    return segment_text(doc.text, marks, kept, anchors)
