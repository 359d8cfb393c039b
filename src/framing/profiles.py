"""Per-outlet and per-article profiles: finding rates per 1,000 words, every figure with its evidence.

A rate is ``count / words * 1000`` where ``words`` are the words of the kept body
(title, headings and paragraphs; junk excluded) and ``count`` the findings that
start inside the kept body. Each rate row lists the findings behind it, so any
number in a report can be traced to the text: in Python as ``FindingRef`` (article
id, span key, start, end), in analysis.json as ``[article index, finding index]``
into the ``articles`` list and that article's ``findings``.
Rates are given by category, by voice, by category and voice, by span key and by
kind: a framing "cue", a "neutral-label" (a plain name such as "protests", kept for
the label map, lexicon ``loaded = false``) or "sourcing". The unit totals
``cues_per_1000`` and ``own_voice_cues_per_1000`` count cues only, so neutral names
and source citations do not inflate how loaded an outlet's language looks.
The sourcing and readability measures are summed or averaged alongside.
"""
from __future__ import annotations

import bisect
import functools
import gc
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, ParamSpec, Sequence, TypeVar

from .analysis import CorpusContext, register_corpus_stage
from .document import Document, Span
from .pipeline import Pipeline
from .readability import count_words
from .results import ordered_findings

PER_WORDS = 1000
P = ParamSpec("P")
T = TypeVar("T")
#: The dimensions a rate is broken down by, and how a finding gives its value.
DIMENSIONS = ("category", "voice", "category_voice", "key", "kind")
#: Keys whose findings describe sourcing and transparency rather than wording.
SOURCING_KEYS = frozenset({"sourcing"})


def finding_kind(key: str, span: Span) -> str:
    """"cue" (framing wording), "neutral-label" (a plain name kept for the label map) or "sourcing"."""
    if key in SOURCING_KEYS:
        return "sourcing"
    return "neutral-label" if span.attrs.get("loaded") is False else "cue"


def without_cycle_collection(function: Callable[P, T]) -> Callable[P, T]:
    """Run ``function`` with Python's cyclic garbage collector paused.

    Profiles create millions of small objects (a reference per finding per row) while
    the whole analysed corpus is in memory; every collection the allocations trigger
    walks that corpus, which made the stage grow faster than the corpus (1.2 ms per
    article at 2,000 articles, 0.35 ms with collection paused). Nothing built here forms
    a reference cycle, so reference counting frees it all the same.
    """
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return wrapper


@dataclass(frozen=True, slots=True)
class FindingRef:
    """Where one counted finding is: its article, key and offsets in the original file, and
    its place in analysis.json (``articles[article_index]["findings"][finding_index]``)."""

    article: str
    key: str
    category: str
    start: int
    end: int
    article_index: int
    finding_index: int

    def to_dict(self) -> list[int]:
        """The compact JSON reference ``[article index, finding index]``: a finding is
        counted in up to ten rate rows, so rows point at it instead of repeating it."""
        return [self.article_index, self.finding_index]


@dataclass(frozen=True, slots=True)
class RateRow:
    """One figure: ``count`` findings with ``dimension == value`` per ``words`` words."""

    level: str  # "outlet" or "article"
    outlet: str
    article: str | None
    dimension: str
    value: str
    count: int
    words: int
    findings: tuple[FindingRef, ...]

    @property
    def per_1000(self) -> float | None:
        return round(self.count / self.words * PER_WORDS, 3) if self.words else None

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "outlet": self.outlet, "article": self.article,
                "dimension": self.dimension, "value": self.value, "count": self.count,
                "words": self.words, "per_1000": self.per_1000,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class UnitProfile:
    """Totals for one outlet or one article (flat: one row of a table)."""

    level: str
    outlet: str
    outlet_name: str
    article: str | None
    articles: int
    words: int
    findings: int
    cues: int
    own_voice_cues: int
    readability: Mapping[str, float | None]
    sourcing: Mapping[str, Any]

    @property
    def per_1000(self) -> float | None:
        return _rate(self.findings, self.words)

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "outlet": self.outlet, "outlet_name": self.outlet_name,
                "article": self.article, "articles": self.articles, "words": self.words,
                "findings": self.findings, "findings_per_1000": self.per_1000,
                "cues": self.cues, "cues_per_1000": _rate(self.cues, self.words),
                "own_voice_cues": self.own_voice_cues,
                "own_voice_cues_per_1000": _rate(self.own_voice_cues, self.words),
                **{f"readability_{k}": v for k, v in self.readability.items()},
                **{f"sourcing_{k}": v for k, v in self.sourcing.items()}}


@dataclass(frozen=True)
class Profiles:
    """The ``profiles`` section: unit totals and rate rows (long format, one figure per row)."""

    units: tuple[UnitProfile, ...]
    rates: tuple[RateRow, ...]

    def rate(self, outlet: str, dimension: str, value: str, article: str | None = None) -> RateRow | None:
        level = "article" if article else "outlet"
        return next((r for r in self.rates if r.level == level and r.outlet == outlet
                     and r.article == article and r.dimension == dimension and r.value == value), None)

    def unit(self, outlet: str, article: str | None = None) -> UnitProfile:
        level = "article" if article else "outlet"
        return next(u for u in self.units if u.level == level and u.outlet == outlet and u.article == article)

    @without_cycle_collection
    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": f"findings per {PER_WORDS:,} words of kept body",
            "scope": "findings that start inside the kept body (title, headings, paragraphs); "
                     "words counted over the same text",
            "outlets": [u.to_dict() for u in self.units if u.level == "outlet"],
            "articles": [u.to_dict() for u in self.units if u.level == "article"],
            "finding_refs": "each rate row's findings are [article index, finding index] pairs: "
                            "articles[article index].findings[finding index] in this file",
            "rates": [r.to_dict() for r in self.rates],
        }


def _rate(count: int, words: int) -> float | None:
    return round(count / words * PER_WORDS, 3) if words else None


def body_words(doc: Document) -> int:
    return sum(count_words(doc.text_of(s)) for s in doc.body)


def counted_findings(doc: Document, finding_keys: Sequence[str]) -> list[tuple[str, Span]]:
    """Findings of ``doc`` that start inside a kept body span, in document order."""
    body = doc.body
    starts = [s.start for s in body]
    kept = []
    for key in finding_keys:
        for span in doc.get(key):
            i = bisect.bisect_right(starts, span.start) - 1
            if i >= 0 and body[i].start <= span.start < body[i].end:
                kept.append((key, span))
    return sorted(kept, key=lambda kv: (kv[1].start, kv[1].end))


def _values(key: str, span: Span) -> dict[str, str]:
    voice = str(span.attrs.get("voice") or "unknown")
    return {"category": span.label, "voice": voice, "category_voice": f"{span.label}/{voice}", "key": key,
            "kind": finding_kind(key, span)}


_SUMMED_SOURCING = ("named_citations", "anonymous_citations", "vague_attributions", "editorial_notes",
                    "reprint_markers", "sentences", "attributed_sentences")
_READABILITY = ("flesch_reading_ease", "flesch_kincaid_grade", "mean_sentence_length")


def _readability(docs: Sequence[Document]) -> dict[str, float | None]:
    """Mean of the articles' scores (articles without a score are left out)."""
    result: dict[str, float | None] = {}
    for name in _READABILITY:
        values = [d.metrics.get("readability", {}).get(name) for d in docs]
        values = [v for v in values if v is not None]
        result[name] = round(sum(values) / len(values), 2) if values else None
    return result


def _sourcing(docs: Sequence[Document]) -> dict[str, Any]:
    summaries = [d.metrics["sourcing"] for d in docs if "sourcing" in d.metrics]
    if not summaries:
        return {}
    totals: dict[str, Any] = {k: sum(s.get(k, 0) for s in summaries) for k in _SUMMED_SOURCING}
    totals["named_sources"] = len({name for s in summaries for name in s.get("named_speakers", [])})
    totals["attributed_share"] = (round(totals["attributed_sentences"] / totals["sentences"], 3)
                                  if totals["sentences"] else None)
    totals["bylined_articles"] = sum(1 for s in summaries if s.get("byline"))
    return totals


def _cue_counts(refs: Sequence[tuple[dict[str, str], FindingRef]]) -> tuple[int, int]:
    """Framing cues (not sourcing, not neutral labels): all, and those in the outlet's own voice."""
    cues = [values for values, _ in refs if values["kind"] == "cue"]
    return len(cues), sum(1 for values in cues if values["voice"] == "outlet")


def _rate_rows(level: str, outlet: str, article: str | None, words: int,
               refs: Iterable[tuple[dict[str, str], FindingRef]]) -> list[RateRow]:
    grouped: dict[tuple[str, str], list[FindingRef]] = defaultdict(list)
    for values, ref in refs:
        for dimension in DIMENSIONS:
            grouped[(dimension, values[dimension])].append(ref)
    return [RateRow(level, outlet, article, dimension, value, len(found), words, tuple(found))
            for (dimension, value), found in sorted(grouped.items())]


@without_cycle_collection
def build_profiles(documents: Sequence[Document], finding_keys: Sequence[str],
                   outlet_names: Mapping[str, str] | None = None) -> Profiles:
    """Profiles of every outlet and article from analysed documents (a pure function)."""
    outlet_names = outlet_names or {}
    units: list[UnitProfile] = []
    rates: list[RateRow] = []
    by_outlet: dict[str, list[Document]] = defaultdict(list)
    outlet_refs: dict[str, list[tuple[dict[str, str], FindingRef]]] = defaultdict(list)
    article_units: list[UnitProfile] = []
    for article_index, doc in enumerate(documents):
        outlet = doc.meta.outlet
        by_outlet[outlet].append(doc)
        words = body_words(doc)
        position = {id(s): i for i, (_, s) in enumerate(ordered_findings(doc, finding_keys))}
        refs = [(_values(key, s),
                 FindingRef(doc.id, key, s.label, s.start, s.end, article_index, position[id(s)]))
                for key, s in counted_findings(doc, finding_keys)]
        outlet_refs[outlet].extend(refs)
        article_units.append(UnitProfile("article", outlet, outlet_names.get(outlet, outlet), doc.id, 1,
                                         words, len(refs), *_cue_counts(refs),
                                         _readability([doc]), _sourcing([doc])))
        rates.extend(_rate_rows("article", outlet, doc.id, words, refs))
    outlet_rates: list[RateRow] = []
    for outlet, docs in by_outlet.items():
        words = sum(u.words for u in article_units if u.outlet == outlet)
        units.append(UnitProfile("outlet", outlet, outlet_names.get(outlet, outlet), None, len(docs),
                                 words, len(outlet_refs[outlet]), *_cue_counts(outlet_refs[outlet]),
                                 _readability(docs), _sourcing(docs)))
        outlet_rates.extend(_rate_rows("outlet", outlet, None, words, outlet_refs[outlet]))
    return Profiles(tuple(units + article_units), tuple(outlet_rates + rates))


def finding_keys_for(context: CorpusContext) -> list[str]:
    """Span keys whose spans are findings in this run's pipeline."""
    return Pipeline.from_config(context.config).finding_keys


@register_corpus_stage("profiles", order=100)
def profiles_stage(context: CorpusContext) -> Profiles:
    names = {o.id: o.name for o in context.corpus.outlets.values()}
    return build_profiles(context.documents, finding_keys_for(context), names)
