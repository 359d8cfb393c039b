"""The lexicon matcher: framing cues found in one pass over each document.

Every match becomes a finding under the span key ``cues``: the category as label,
and attrs saying which term and pack matched, why it matters (``rationale``), the
neutral alternative, what it refers to (``referent``), whether it is ``loaded``,
and who is speaking (``voice``, ``speaker``, from the ``quotes`` spans; a note a
reprinter inserted keeps the outlet's voice and adds ``inserted_by``).

Neutral labels (category ``label``, ``loaded: false``) are findings too, so the
label map can set every outlet's wording for an event side by side; they are kept
only when they can refer to the event (published after it began, and the term's
context words nearby), otherwise "war" in "wars and conflicts" would count.
"""
from __future__ import annotations

import bisect
import itertools
import re
from datetime import date
from typing import Any, ClassVar, Mapping

from .analysis import register_provenance
from .document import Document, Span
from .lexicon import LexiconSet, Term, load_lexicon_set, normalise_for_matching
from .pipeline import AnalysisConfig, register_extractor
from .voice import inserted_notes

CATEGORY_PHRASES = {
    "label": "a name for an event or actor",
    "loaded-term": "a loaded term",
    "evaluative": "an evaluative word",
    "intensifier": "an intensifier",
    "hedge": "a hedge",
    "vague-attribution": "a vague attribution",
    "name-calling": "name-calling",
    "emotive-verb": "an emotive verb",
}


def lexicon_set_for(config: AnalysisConfig) -> LexiconSet:
    """The compiled packs of a configuration (compiled once per process while the files
    are unchanged: an edited pack is reloaded)."""
    return load_lexicon_set(config.lexicon_paths, config.use_default_lexicons)


@register_provenance
def lexicon_provenance(config: AnalysisConfig) -> dict[str, Any]:
    """Names, versions and sha256 of the packs used, so every count can be reproduced."""
    return {"lexicons": lexicon_set_for(config).provenance()}


class _Voices:
    """Looks up the innermost quotation or reported speech around an offset."""

    def __init__(self, quotes: list[Span]) -> None:
        # direct quotations win over the reported speech that may contain them
        self.spans = sorted(quotes, key=lambda s: (s.start, s.label != "direct"))
        self.starts = [s.start for s in self.spans]
        #: The furthest end among the first k + 1 spans: most cues lie in no quotation,
        #: and this says so without looking at the quotations before them one by one.
        self.reach = list(itertools.accumulate((s.end for s in self.spans), max))

    def around(self, start: int, end: int) -> Span | None:
        i = bisect.bisect_right(self.starts, start)
        if i == 0 or self.reach[i - 1] < end:
            return None
        best = None
        for span in reversed(self.spans[max(0, i - 32):i]):
            if span.start <= start and end <= span.end:
                if best is None or (span.label == "direct" and best.label != "direct") \
                        or (span.label == best.label and len(span) < len(best)):
                    best = span
        return best


def explain(term_text: str, category: str, rationale: str, neutral: str | None,
            voice: str, speaker: str | None, inserted_by: str | None) -> str:
    """A sentence a student can read: what the cue is, why it matters, whose voice."""
    what = CATEGORY_PHRASES.get(category, f"a '{category}' cue")
    parts = [f"“{term_text}” is {what}. {rationale}"]
    if inserted_by:
        parts.append(f"It sits in a note inserted by {inserted_by}, so it is the reprinter's "
                     "own voice, not the original author's.")
    elif voice == "quoted":
        who = speaker or "someone the article quotes"
        parts.append(f"Here it is {who}'s word, quoted or reported by the outlet, so it shows "
                     "the speaker's framing rather than the outlet's.")
    else:
        parts.append("Here the outlet uses it in its own voice.")
    if neutral:
        parts.append(f"A more neutral wording: {neutral}.")
    return " ".join(parts)


def _refers(term: Term, doc: Document, lexicons: LexiconSet, folded: str, start: int) -> bool:
    """Whether the term found at ``start`` can name its referent here: published after the
    referent began, and the term's context words nearby (looked for only when it has some)."""
    if term.referent is None:
        return False
    referent = lexicons.referents.get(term.referent)
    published: date | None = doc.meta.published
    if referent is not None and referent.start and published and published < referent.start:
        return False
    return term.context is None or term.context.search(_context(doc, folded, start)) is not None


_DEFINITE_BEFORE = re.compile(r"(?:\bthe|\bthis|\bthese|\bthat|\bthose)\s+$", re.IGNORECASE)


def _context(doc: Document, folded: str, start: int) -> str:
    """The sentence around ``start``, the one before when the term is definite, and the one
    after when the term is in the headline.

    "the chaos" points back to something already named, so the previous sentence
    counts; "brought chaos to Kiev" does not, so only its own sentence does (else a
    sentence about Kazakhstan before it would make it January 2022). Bounded, so
    matching stays linear.
    """
    i = doc.sentence_index(start)
    if i is None:
        return folded[max(0, start - 300):start + 300]
    sentence = doc.sentences[i]
    first = last = sentence
    if i > 0 and _DEFINITE_BEFORE.search(folded, max(sentence.start, start - 12), start):
        first = doc.sentences[i - 1]
    if sentence.attrs.get("block") == "title" and i + 1 < len(doc.sentences):
        last = doc.sentences[i + 1]  # a headline is elliptical: the next sentence says what it names
    return folded[first.start:last.end]


def cue_attrs(term: Term, found: str, voice: str, speaker: str | None, referent: str | None,
              inserted_by: str | None) -> dict[str, Any]:
    """The attributes of a finding: which term, why it matters, whose voice."""
    attrs: dict[str, Any] = {
        "voice": voice, "speaker": speaker, "term": term.id, "lexicon": term.lexicon,
        "rationale": term.rationale, "neutral": term.neutral, "referent": referent,
        "loaded": term.loaded,
        "explanation": explain(found, term.category, term.rationale, term.neutral,
                               voice, speaker, inserted_by),
    }
    if inserted_by:
        attrs["inserted_by"] = inserted_by
    return attrs


class CueSpans:
    """Makes finding spans, building the attributes of each distinct finding once.

    A corpus repeats a few hundred findings (a term, as spelled, in the outlet's voice or
    a speaker's) thousands of times; a repeat takes the shared mapping of the first
    instead of a new explanation and a new dict for ``frozen_attrs`` to look up. Terms
    are told apart by pack and id, so one instance serves one ``LexiconSet``. Bounded:
    cleared when full.
    """

    MAX_SHARED = 20_000

    def __init__(self) -> None:
        self._shared: dict[tuple[Any, ...], Mapping[str, Any]] = {}

    def span(self, start: int, end: int, term: Term, found: str, voice: str,
             speaker: str | None, referent: str | None, inserted_by: str | None) -> Span:
        key = (term.lexicon, term.id, found, voice, speaker, referent, inserted_by)
        shared = self._shared.get(key)
        if shared is not None:
            return Span(start, end, term.category, shared)
        span = Span(start, end, term.category,
                    cue_attrs(term, found, voice, speaker, referent, inserted_by))
        if len(self._shared) >= self.MAX_SHARED:
            self._shared.clear()
        self._shared[key] = span.attrs
        return span


def find_cues(doc: Document, lexicons: LexiconSet, spans_of: CueSpans | None = None) -> list[Span]:
    """Lexicon findings in the kept body of ``doc``, with voice, speaker and explanation.

    ``spans_of`` shares attributes between the documents of a corpus (see ``CueSpans``).
    """
    spans_of = CueSpans() if spans_of is None else spans_of
    folded = normalise_for_matching(doc.text)
    voices = _Voices(doc.get("quotes"))
    notes = inserted_notes(doc.text, doc.body)
    spans: list[Span] = []
    for block in doc.body:
        for start, end, term in lexicons.find_tuples(doc.text, block.start, block.end, folded):
            referent = None
            if term.referent is not None:
                if _refers(term, doc, lexicons, folded, start):
                    referent = term.referent
                elif term.category == "label":
                    continue
            elif term.category == "label":
                continue  # a blocker term ("civil war"): stops a shorter match, never reported
            around = voices.around(start, end)
            inserted_by = next((by for s, e, by in notes if s <= start and end <= e), None) \
                if notes else None
            if around is not None and not inserted_by:
                voice, speaker = "quoted", around.attrs.get("speaker")
            else:
                voice, speaker = "outlet", None
            spans.append(spans_of.span(start, end, term, doc.text[start:end], voice, speaker,
                                       referent, inserted_by))
    return spans


@register_extractor("cues", order=300)
class CueMatcher:
    """Matches every lexicon term in one pass; voice comes from the ``quotes`` spans."""

    name: ClassVar[str] = "cues"
    requires: ClassVar[tuple[str, ...]] = ("body", "sentences", "quotes")
    assigns: ClassVar[str] = "cues"
    findings: ClassVar[bool] = True

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config
        self.lexicons = lexicon_set_for(config)  # loads and validates the packs up front
        self.spans_of = CueSpans()

    def __call__(self, doc: Document) -> list[Span]:
        return find_cues(doc, self.lexicons, self.spans_of)
