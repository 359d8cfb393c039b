"""Reliability indicators per outlet: pure functions over an analysis result.

Each indicator is a breakdown, not a score: a list of points ("2 of 3 articles carry a
byline"), each with the evidence behind it (finding spans with offsets, or the manifest
field it came from). The report links every point to that evidence. What the indicators
mean, and what they do not, is stated once in :data:`STATEMENT` and printed with them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from .document import Document, Span
from .profiles import body_words, counted_findings
from .results import AnalysisResult

STATEMENT = (
    "These indicators describe how each outlet's articles in this corpus are written and "
    "sourced: whether they say who wrote them and when, whether they name the people they "
    "rely on, whether their facts agree with other outlets' accounts of the same facts, and "
    "how much loaded or evaluative wording they use in their own voice. Every point links to "
    "the passages it counts. They do NOT say whether an outlet is truthful, biased or "
    "trustworthy in general: they cover only the articles given, the lexicons used (which "
    "miss wording they do not list and can flag a word used neutrally), and the facts the "
    "tool could extract. A conflict means outlets disagree, not which one is wrong. Read the "
    "evidence before drawing a conclusion, and compare like with like (news with news, "
    "opinion with opinion).")

#: Cue categories counted as non-neutral language in the outlet's own voice.
LOADED_CATEGORIES = ("loaded-term", "name-calling", "evaluative", "emotive-verb")
#: Sourcing labels and cue categories counted as unnamed attribution.
UNNAMED_SOURCE_LABELS = ("anonymous-source", "vague-attribution")
NAMED_SOURCE_LABELS = ("named-source",)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing a point rests on: a span of an article, or a manifest field."""

    article_id: str
    key: str
    category: str
    text: str
    start: int | None = None
    end: int | None = None
    #: What the span is evidence of, when the category does not say it (e.g. which fact).
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article_id, "key": self.key, "category": self.category,
                "text": self.text, "start": self.start, "end": self.end, "note": self.note}


@dataclass(frozen=True, slots=True)
class Point:
    """One line of a breakdown. ``status``: yes, partial, no, n/a, unavailable, or info
    (a figure given for information, with no line between met and not met)."""

    name: str
    statement: str
    status: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "statement": self.statement, "status": self.status,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One of the four breakdowns. ``value`` is a headline figure in ``unit`` (or None)."""

    name: str
    title: str
    summary: str
    value: float | None
    unit: str
    points: tuple[Point, ...]
    available: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "summary": self.summary,
                "value": self.value, "unit": self.unit, "available": self.available,
                "points": [p.to_dict() for p in self.points]}


@dataclass(frozen=True, slots=True)
class OutletIndicators:
    outlet: str
    outlet_name: str
    articles: tuple[str, ...]
    words: int
    indicators: tuple[Indicator, ...]

    def indicator(self, name: str) -> Indicator:
        for ind in self.indicators:
            if ind.name == name:
                return ind
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "outlet_name": self.outlet_name,
                "articles": list(self.articles), "words": self.words,
                "indicators": {i.name: i.to_dict() for i in self.indicators}}


@dataclass(frozen=True)
class IndicatorReport:
    outlets: tuple[OutletIndicators, ...]
    statement: str = STATEMENT
    notes: tuple[str, ...] = field(default=())

    def outlet(self, outlet_id: str) -> OutletIndicators:
        for o in self.outlets:
            if o.outlet == outlet_id:
                return o
        raise KeyError(outlet_id)

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "notes": list(self.notes),
                "outlets": [o.to_dict() for o in self.outlets]}


#: A function giving, per outlet id, the facts evidence: (agreeing, conflicting) evidence lists.
FactAgreement = Callable[[AnalysisResult], dict[str, tuple[list[Evidence], list[Evidence]]] | None]


def fact_agreement_from_section(result: AnalysisResult
                                ) -> dict[str, tuple[list[Evidence], list[Evidence]]] | None:
    """Per outlet, its mentions of shared facts that agree, and those that conflict.

    Reads the ``facts`` section's JSON form. A mention counts as conflicting when any
    outlet pair of that fact involving this outlet is judged a conflict; otherwise, in a
    fact stated by two or more outlets, it agrees. Single-source facts are not counted.
    """
    section = result.sections.get("facts")
    if section is None:
        return None
    per_outlet: dict[str, tuple[list[Evidence], list[Evidence]]] = {}
    for fact in section.to_dict().get("facts", []):
        if fact.get("status") not in ("agree", "conflict") or len(fact.get("outlets", [])) < 2:
            continue
        conflicting = {o for pair in fact.get("pairs", []) if pair.get("relation") == "conflict"
                       for o in pair.get("outlets", [])}
        for m in fact.get("mentions", []):
            relation = "conflict" if m["outlet"] in conflicting else "agree"
            ev = Evidence(m["article"], "facts", relation, m["text"], m["start"], m["end"],
                          note=str(fact.get("description") or fact["id"]))
            agree, conflict = per_outlet.setdefault(m["outlet"], ([], []))
            (conflict if relation == "conflict" else agree).append(ev)
    return per_outlet


def count_words(doc: Document) -> int:
    """Words in the kept body (title, headings, paragraphs), counted as the profiles count them."""
    return body_words(doc)


def body_findings(doc: Document, key: str) -> list[Span]:
    """Spans under ``key`` that start inside the kept body (the profiles' counting rule)."""
    return [span for _, span in counted_findings(doc, (key,))]


def outlet_documents(result: AnalysisResult) -> dict[str, list[Document]]:
    """Documents grouped by outlet, in the order outlets first appear in the corpus."""
    groups: dict[str, list[Document]] = {}
    for doc in result.documents:
        groups.setdefault(doc.meta.outlet, []).append(doc)
    return groups


def span_evidence(doc: Document, key: str, span: Span) -> Evidence:
    return Evidence(doc.id, key, span.label, doc.text_of(span), span.start, span.end)


def _status(hits: int, total: int) -> str:
    if total == 0:
        return "n/a"
    return "yes" if hits == total else "no" if hits == 0 else "partial"


def _of(hits: int, total: int, noun: str) -> str:
    """``"2 of 3 articles"``; the noun agrees with the total ("1 of 1 article")."""
    return f"{hits} of {total} {noun}{'' if total == 1 else 's'}"


#: Words a byline may add to an outlet's name and still name no person ("Vestnik Kavkaza staff").
_BYLINE_FILLER = frozenset({"by", "from", "the", "staff", "editors", "editorial", "desk", "news",
                            "newsroom", "team", "board", "agency", "service", "report", "reports"})
_WORDS = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORDS.findall(text)]


def byline_names_outlet(byline: str, outlet_names: Iterable[str]) -> bool:
    """True when ``byline`` names only an outlet ("By Vestnik Kavkaza"), not a person.

    The byline up to its first comma or separator (a date often follows), without
    filler words ("by", "staff", "desk"), must be exactly an outlet's name or id; a
    name's parenthesised part is left out (it may hold a person's name).
    """
    head = _words(re.split(r"[,|\u2013\u2014;]| - ", byline, maxsplit=1)[0])
    left = [w for w in head if w not in _BYLINE_FILLER]
    if not left:
        return False
    for name in outlet_names:
        for form in (name, re.sub(r"\(.*?\)", " ", name)):
            words = [w for w in _words(form) if w not in _BYLINE_FILLER]
            if words and words == left:
                return True
    return False


def transparency(docs: Sequence[Document], outlet_names: dict[str, str]) -> Indicator:
    """Byline, date, the original named for reprints, inserted editorial notes marked.

    A byline that names only the outlet ("By Vestnik Kavkaza") does not count as a named
    author: it says who published the article, not who wrote it, so a reader cannot weigh
    the writer. Its evidence is still shown, marked as such.
    """
    byline_ev, outlet_only, dated_ev, exact = [], [], [], 0
    for doc in docs:
        spans = [s for s in doc.get("layout") if s.label == "byline"]
        outlets = [outlet_names.get(doc.meta.outlet, doc.meta.outlet), doc.meta.outlet]
        if doc.meta.original_outlet:
            outlets += [outlet_names.get(doc.meta.original_outlet, doc.meta.original_outlet),
                        doc.meta.original_outlet]
        manifest_author = Evidence(doc.id, "meta", "author", f"author (manifest): {doc.meta.author}")
        if spans and byline_names_outlet(doc.text_of(spans[0]), outlets):
            if doc.meta.author:
                byline_ev.append(manifest_author)
            else:
                ev = span_evidence(doc, "layout", spans[0])
                outlet_only.append(Evidence(ev.article_id, ev.key, ev.category, ev.text, ev.start,
                                            ev.end, note="byline names the outlet, not a person"))
        elif spans:
            byline_ev.append(span_evidence(doc, "layout", spans[0]))
        elif doc.meta.author:
            byline_ev.append(manifest_author)
        if doc.meta.published:
            exact += doc.meta.date_precision == "day"
            dated_ev.append(Evidence(doc.id, "meta", "published",
                                     f"published {doc.meta.published.isoformat()} "
                                     f"({doc.meta.date_precision})"))
    n = len(docs)
    dated_status = _status(len(dated_ev), n)
    if dated_status == "yes" and exact < n:
        dated_status = "partial"
    points = [
        Point("byline", f"author named in {_of(len(byline_ev), n, 'article')}"
              + (f"; {len(outlet_only)} byline{'s' if len(outlet_only) > 1 else ''} "
                 f"name{'' if len(outlet_only) > 1 else 's'} the outlet, not a person"
                 if outlet_only else ""),
              _status(len(byline_ev), n), tuple(byline_ev + outlet_only)),
        Point("dated", f"publication date given for {_of(len(dated_ev), n, 'article')}"
              + (f" ({n - exact} only approximately)" if dated_ev and exact < len(dated_ev) else ""),
              dated_status, tuple(dated_ev)),
    ]
    reprints = [d for d in docs if d.meta.kind == "reprint" or d.meta.original_outlet]
    if reprints:
        named_ev = []
        named = sum(1 for d in reprints if d.meta.original_outlet)
        for doc in reprints:
            if not doc.meta.original_outlet:
                continue
            name = outlet_names.get(doc.meta.original_outlet, doc.meta.original_outlet)
            at = doc.text.find(name)
            if at >= 0:
                named_ev.append(Evidence(doc.id, "text", "original-named", name, at, at + len(name)))
            else:
                named_ev.append(Evidence(doc.id, "meta", "original_outlet",
                                         f"original outlet (manifest only): {name}"))
        named_ev += [span_evidence(d, "sourcing", sp) for d in reprints for sp in d.get("sourcing")
                     if sp.label == "reprint-marker"]
        in_text = len({e.article_id for e in named_ev if e.key != "meta"})
        points.append(Point(
            "reprint-source", f"original outlet named for {_of(named, len(reprints), 'reprint')} "
            f"({in_text} marked as a reprint in the text itself)", _status(named, len(reprints)),
            tuple(named_ev)))
    else:
        points.append(Point("reprint-source", "no reprints from this outlet", "n/a"))
    notes = [span_evidence(doc, "sourcing", span) for doc in docs for span in doc.get("sourcing")
             if span.label == "editorial-note"]
    if notes:
        points.append(Point("editorial-notes", f"{len(notes)} passage(s) inserted by the publisher "
                            "are marked as its own notes", "yes", tuple(notes)))
    else:
        points.append(Point("editorial-notes", "no inserted editorial notes found", "n/a"))
    scored = [p for p in points if p.status in ("yes", "partial", "no")]
    value = (sum({"yes": 1.0, "partial": 0.5, "no": 0.0}[p.status] for p in scored) / len(scored)
             if scored else None)
    met = sum(p.status == "yes" for p in scored)
    return Indicator("transparency", "Transparency",
                     f"{met} of {len(scored)} applicable points fully met", value, "share", tuple(points))


def sourcing(docs: Sequence[Document], available: bool) -> Indicator:
    """Named against anonymous or vague attribution; quotations with a named speaker."""
    if not available:
        return Indicator("sourcing", "Sourcing", "not available: no sourcing extractor has run "
                         "in this analysis", None, "share", (), available=False)
    named = [span_evidence(d, "sourcing", s) for d in docs for s in body_findings(d, "sourcing")
             if s.label in NAMED_SOURCE_LABELS]
    unnamed = [span_evidence(d, key, s) for d in docs for key in ("sourcing", "cues")
               for s in body_findings(d, key) if s.label in UNNAMED_SOURCE_LABELS]
    total = len(named) + len(unnamed)
    share = len(named) / total if total else None
    points = [
        Point("named", f"{len(named)} citation(s) of a named source", "yes" if named else "no",
              tuple(named)),
        Point("unnamed", f"{len(unnamed)} anonymous or vague attribution(s)",
              "no" if unnamed else "yes", tuple(unnamed)),
    ]
    quotes = [(d, s) for d in docs for s in d.get("quotes")]
    if any("quotes" in d.spans for d in docs):
        with_speaker = [span_evidence(d, "quotes", s) for d, s in quotes if s.attrs.get("speaker")]
        without = [span_evidence(d, "quotes", s) for d, s in quotes if not s.attrs.get("speaker")]
        points.append(Point("quote-speakers", "speaker identified for "
                            f"{_of(len(with_speaker), len(quotes), 'quotation')}", _status(len(with_speaker), len(quotes)),
                            tuple(with_speaker + without)))
    stats = [d.metrics["sourcing"] for d in docs if isinstance(d.metrics.get("sourcing"), dict)]
    if stats:
        attributed = sum(int(x.get("attributed_sentences", 0)) for x in stats)
        sentences = sum(int(x.get("sentences", 0)) for x in stats)
        share_text = f" ({attributed / sentences:.0%})" if sentences else ""
        points.append(Point("attributed-share", f"{_of(attributed, sentences, 'sentence')}{share_text} "
                            # no share is "enough" (news and opinion differ): a figure, not a verdict
                            "attribute what they say to a source", "n/a" if not sentences else "info",
                            tuple(named + unnamed)))
    summary = (f"{len(named)} of {total} attributions name their source" if total
               else "no attributions found")
    return Indicator("sourcing", "Sourcing", summary, share, "share", tuple(points))


def factual_agreement(outlet: str, facts: dict[str, tuple[list[Evidence], list[Evidence]]] | None
                      ) -> Indicator:
    """Agree against conflict among the facts this outlet shares with others."""
    if facts is None:
        return Indicator("factual-agreement", "Factual agreement", "not available: fact alignment "
                         "has not run in this analysis", None, "share", (), available=False)
    agree, conflict = facts.get(outlet, ([], []))
    total = len(agree) + len(conflict)
    points = (
        Point("agree", f"{len(agree)} shared fact mention(s) agree with other outlets",
              "yes" if agree else "n/a", tuple(agree)),
        Point("conflict", f"{len(conflict)} shared fact mention(s) conflict with other outlets",
              "no" if conflict else "yes" if total else "n/a", tuple(conflict)),
    )
    summary = (f"{len(agree)} of {total} shared fact mentions agree" if total
               else "no facts shared with other outlets")
    return Indicator("factual-agreement", "Factual agreement", summary,
                     len(agree) / total if total else None, "share", points)


def language_neutrality(docs: Sequence[Document], words: int, available: bool) -> Indicator:
    """Loaded and evaluative cues per 1,000 words in the outlet's own voice."""
    if not available:
        return Indicator("language-neutrality", "Language neutrality", "not available: no lexicon "
                         "cues were extracted in this analysis", None, "per 1,000 words", (),
                         available=False)
    points = []
    total = 0
    for category in LOADED_CATEGORIES:
        ev = [span_evidence(d, "cues", s) for d in docs for s in body_findings(d, "cues")
              if s.label == category and s.attrs.get("voice", "outlet") == "outlet"]
        total += len(ev)
        rate = 1000 * len(ev) / words if words else 0.0
        points.append(Point(category, f"{len(ev)} {category} cue(s) in its own voice "
                            f"({rate:.1f} per 1,000 words)", "yes" if not ev else "no", tuple(ev)))
    quoted = sum(1 for d in docs for s in body_findings(d, "cues")
                 if s.label in LOADED_CATEGORIES and s.attrs.get("voice") == "quoted")
    rate = 1000 * total / words if words else None
    summary = (f"{total} loaded or evaluative cue(s) in its own voice in {words:,} words"
               + (f"; {quoted} more inside quotations (not counted)" if quoted else ""))
    return Indicator("language-neutrality", "Language neutrality", summary, rate,
                     "per 1,000 words", tuple(points))


def compute_indicators(result: AnalysisResult,
                       facts: FactAgreement | None = None) -> IndicatorReport:
    """The four breakdowns for every outlet in the result."""
    outlet_names = result.corpus.outlet_names()
    has_sourcing = any("sourcing" in d.spans for d in result.documents)
    has_cues = any("cues" in d.spans for d in result.documents)
    fact_map = (facts or fact_agreement_from_section)(result)
    outlets = []
    for outlet, docs in outlet_documents(result).items():
        words = sum(count_words(d) for d in docs)
        outlets.append(OutletIndicators(
            outlet=outlet, outlet_name=outlet_names.get(outlet, outlet),
            articles=tuple(d.id for d in docs), words=words,
            indicators=(transparency(docs, outlet_names), sourcing(docs, has_sourcing),
                        factual_agreement(outlet, fact_map),
                        language_neutrality(docs, words, has_cues))))
    return IndicatorReport(tuple(outlets))


def rank_by_loaded_language(report: IndicatorReport) -> list[tuple[str, float]]:
    """Outlets by loaded cues per 1,000 words in their own voice, most loaded first."""
    rows = [(o.outlet, o.indicator("language-neutrality").value) for o in report.outlets]
    return sorted(((o, v) for o, v in rows if v is not None), key=lambda kv: (-kv[1], kv[0]))


def iter_evidence(report: IndicatorReport) -> Iterable[Evidence]:
    for outlet in report.outlets:
        for ind in outlet.indicators:
            for point in ind.points:
                yield from point.evidence
