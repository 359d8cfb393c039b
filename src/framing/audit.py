"""Audit a new article (or a new outlet's articles) against an analysed corpus.

The new text goes through the same pipeline, with the same config as the corpus,
and is then placed against it:

* **percentiles**: for each finding category, the share of corpus articles whose rate
  (findings per 1,000 body words) is below the audited article's (ties count half);
* **nearest outlets**: distance between the article's cue profile and each outlet's;
* **labels**: the words it uses for known referents (events, actors) next to the words
  each corpus outlet uses for them;
* **facts**: the facts it states that agree or conflict with corpus facts, judged by the
  facts stage's own alignment (not re-implemented here);
* **sourcing**: named and anonymous sources, quotations and who is quoted.

The corpus comes from the SQLite store when the store is fresh (see :mod:`framing.store`):
only its per-article summaries are read, and whole documents only for the few corpus
articles whose facts could align with the audited ones, so the time and memory of an
audit do not grow with every stored document rebuilt.
Every figure keeps its evidence: findings carry offsets into the audited file.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import __version__
from .analysis import iter_analysed
from .corpus import HTML_SUFFIXES, TEXT_SUFFIXES, ArticleEntry, Corpus, Outlet, load_corpus
from .document import ArticleMeta, Document, Span
from .errors import FramingError, InputError, UsageError
from .pipeline import AnalysisConfig
from .results import AnalysisResult, SkippedArticle
from .profiles import counted_findings
from .store import (DEFAULT_STORE, ArticleSummary, CorpusSummary, fact_keys, summarise_article,
                    summarise_result, summary_or_analyse)

AUDIT_SCHEMA = "framing.audit/2"
#: Span keys whose findings are framing cues (the rest, e.g. sourcing, are reported apart).
CUE_KEYS = ("cues", "scare_quotes")
SOURCING_KEY = "sourcing"
QUOTES_KEY = "quotes"
AUDITED_OUTLET = "audited"
#: The span keys fact alignment reads of a document (its mentions and their sentences).
ALIGNED_KEYS = ("facts", "sentences")


# --- result objects ------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryPlacement:
    """One category's rate in the audited article and where it falls in the corpus."""

    key: str
    category: str
    count: int
    rate: float
    percentile: float
    corpus_median: float
    corpus_max: float

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "category": self.category, "count": self.count,
                "rate_per_1000_words": round(self.rate, 2), "percentile": round(self.percentile, 1),
                "corpus_median": round(self.corpus_median, 2), "corpus_max": round(self.corpus_max, 2)}


@dataclass(frozen=True)
class OutletDistance:
    outlet: str
    name: str
    distance: float
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "name": self.name, "distance": round(self.distance, 4),
                "articles": self.articles}


@dataclass(frozen=True)
class LabelComparison:
    """The words the audited article and each corpus outlet use for one referent."""

    referent: str
    audited: tuple[str, ...]
    by_outlet: Mapping[str, tuple[str, ...]]
    #: Labels the audited article uses that no corpus outlet uses for this referent.
    new_labels: tuple[str, ...]
    #: Corpus outlets that use at least one of the audited article's labels.
    shared_with: tuple[str, ...]
    evidence: tuple[Mapping[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"referent": self.referent, "audited": list(self.audited),
                "by_outlet": {k: list(v) for k, v in self.by_outlet.items()},
                "new_labels": list(self.new_labels), "shared_with": list(self.shared_with),
                "evidence": [dict(e) for e in self.evidence]}


@dataclass(frozen=True)
class FactCheck:
    """One fact the audited article states, judged against the corpus mentions of it."""

    status: str
    text: str
    start: int
    end: int
    kind: str
    value: Any
    corpus: tuple[Mapping[str, Any], ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "text": self.text, "start": self.start, "end": self.end,
                "kind": self.kind, "value": self.value, "corpus": [dict(c) for c in self.corpus],
                "explanation": self.explanation}


@dataclass(frozen=True)
class SourcingSummary:
    """The sourcing module's own per-article summary, plus the quotations it rests on.

    ``summary`` is ``doc.metrics["sourcing"]`` exactly as :mod:`framing.sourcing` computes
    it for corpus articles (named and anonymous citations, vague attribution, attributed
    sentences, byline, inserted notes), or None when that measure did not run. The
    quotation counts and the inserted notes (with offsets, for evidence) come from spans.
    """

    summary: Mapping[str, Any] | None
    quotes_direct: int
    quotes_reported: int
    quotes_with_named_speaker: int
    speakers: tuple[str, ...]
    inserted_notes: tuple[Mapping[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        total = self.quotes_direct + self.quotes_reported
        return {"summary": dict(self.summary) if self.summary is not None else None,
                "quotes_direct": self.quotes_direct,
                "quotes_reported": self.quotes_reported,
                "quotes_with_named_speaker": self.quotes_with_named_speaker,
                "named_speaker_share": round(self.quotes_with_named_speaker / total, 3) if total else None,
                "speakers": list(self.speakers), "inserted_notes": [dict(n) for n in self.inserted_notes]}


@dataclass(frozen=True)
class ArticleAudit:
    id: str
    source: str
    outlet: str
    title: str | None
    words: int
    categories: tuple[CategoryPlacement, ...]
    nearest_outlets: tuple[OutletDistance, ...]
    labels: tuple[LabelComparison, ...]
    facts: tuple[FactCheck, ...]
    sourcing: SourcingSummary
    findings: tuple[Mapping[str, Any], ...]
    notes: tuple[str, ...] = ()

    def category(self, name: str) -> CategoryPlacement | None:
        return next((c for c in self.categories if c.category == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "outlet": self.outlet, "title": self.title,
                "words": self.words, "categories": [c.to_dict() for c in self.categories],
                "nearest_outlets": [d.to_dict() for d in self.nearest_outlets],
                "labels": [l.to_dict() for l in self.labels],
                "facts": [f.to_dict() for f in self.facts],
                "sourcing": self.sourcing.to_dict(),
                "findings": [dict(f) for f in self.findings], "notes": list(self.notes)}


@dataclass(frozen=True)
class Breach:
    """A ``--fail-above`` threshold an audited article exceeds."""

    article_id: str
    category: str
    rate: float
    limit: float

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "category": self.category,
                "rate_per_1000_words": round(self.rate, 2), "limit": self.limit}

    def describe(self) -> str:
        return (f"{self.article_id}: {self.category} {self.rate:.1f} per 1,000 words is above "
                f"the limit {self.limit:g}")


@dataclass(frozen=True)
class AuditResult:
    corpus_name: str
    corpus_articles: int
    corpus_outlets: int
    outlets: Mapping[str, str]
    store: str | None
    store_status: str | None
    articles: tuple[ArticleAudit, ...]
    breaches: tuple[Breach, ...]
    thresholds: Mapping[str, float]
    provenance: Mapping[str, Any]
    skipped: tuple[SkippedArticle, ...] = ()
    profile_method: str = ""

    @property
    def schema(self) -> str:
        return AUDIT_SCHEMA

    @property
    def failed(self) -> bool:
        return bool(self.breaches)

    def article(self, article_id: str) -> ArticleAudit:
        return next(a for a in self.articles if a.id == article_id)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": AUDIT_SCHEMA, "provenance": dict(self.provenance),
                "corpus": {"name": self.corpus_name, "articles": self.corpus_articles,
                           "outlets_with_articles": self.corpus_outlets,
                           "outlets": dict(self.outlets), "store": self.store,
                           "store_status": self.store_status},
                "profile_method": self.profile_method,
                "thresholds": dict(self.thresholds),
                "breaches": [b.to_dict() for b in self.breaches],
                "articles": [a.to_dict() for a in self.articles],
                "skipped": [s.to_dict() for s in self.skipped]}


# --- pure measures -------------------------------------------------------------------------

def percentile_rank(value: float, population: Sequence[float]) -> float:
    """Share of ``population`` below ``value``, ties counting half, in percent (0-100)."""
    if not population:
        return float("nan")
    below = sum(1 for v in population if v < value)
    equal = sum(1 for v in population if v == value)
    return 100.0 * (below + 0.5 * equal) / len(population)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def category_counts(summary: ArticleSummary) -> Counter[tuple[str, str]]:
    """An article summary's counted findings per (span key, category), voices summed."""
    counts: Counter[tuple[str, str]] = Counter()
    for (key, category, _), n in summary.counts.items():
        counts[(key, category)] += n
    return counts


def rate(count: int, words: int) -> float:
    """Findings per 1,000 body words (0 for an empty body)."""
    return 1000.0 * count / words if words else 0.0


# --- audit ---------------------------------------------------------------------------------

def load_audited(paths: Sequence[str | Path], outlet: str | None = None,
                 published: date | None = None) -> Corpus:
    """The articles to audit: files (.txt, .html) or a corpus (folder, manifest, table).

    ``published`` dates loose files, so relative dates ("tomorrow") resolve as in the corpus.
    """
    if not paths:
        raise UsageError("give at least one ARTICLE to audit")
    entries: list[ArticleEntry] = []
    outlets: dict[str, Outlet] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", str(path))
        suffix = path.suffix.lower()
        if path.is_file() and suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
            name = outlet or AUDITED_OUTLET
            meta = ArticleMeta(id=path.stem, outlet=name, source=str(path), published=published,
                               text_format="html" if suffix in HTML_SUFFIXES else "text")
            entries.append(ArticleEntry(meta=meta, path=path))
            outlets.setdefault(name, Outlet(id=name, name=name))
        else:
            sub = load_corpus(path)
            for entry in sub.entries:
                meta = entry.meta
                if outlet:
                    meta = ArticleMeta(**{**_meta_fields(meta), "outlet": outlet})
                entries.append(entry.with_meta(meta))
                outlets.setdefault(meta.outlet, sub.outlets.get(meta.outlet) or Outlet(meta.outlet, meta.outlet))
    ids = Counter(e.meta.id for e in entries)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise UsageError(f"two audited articles share the id {duplicates[0]!r}; rename one file")
    return Corpus(name="audited", root=Path("."), outlets=outlets, entries=tuple(entries))


def _meta_fields(meta: ArticleMeta) -> dict[str, Any]:
    return {name: getattr(meta, name) for name in ArticleMeta.__dataclass_fields__}


def parse_thresholds(items: Iterable[str]) -> dict[str, float]:
    """``["loaded-term=5", "hedge=12.5"]`` -> ``{"loaded-term": 5.0, "hedge": 12.5}``."""
    thresholds: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            limit = float(value)
        except ValueError:
            limit = float("nan")
        if not sep or not name.strip() or math.isnan(limit) or limit < 0:
            raise UsageError(f"--fail-above expects CATEGORY=RATE (a rate per 1,000 words, "
                             f"e.g. loaded-term=5), got {item!r}")
        thresholds[name.strip()] = limit
    return thresholds


def audit(paths: Sequence[str | Path], corpus: str | Path | AnalysisResult, *,
          outlet: str | None = None, published: date | None = None,
          config: AnalysisConfig | None = None,
          store: str | Path | None = DEFAULT_STORE, fail_above: Mapping[str, float] | None = None,
          progress: bool = False) -> AuditResult:
    """Audit the articles at ``paths`` against ``corpus`` and return an :class:`AuditResult`.

    ``corpus`` is a path (analysed, or read from ``store`` when the store is fresh for
    it; ``store=None`` never touches a store) or an already analysed result.
    ``fail_above`` maps a category to a rate per 1,000 words; exceeding it is a breach.
    """
    thresholds = dict(fail_above or {})
    store_path, status = None, None
    if isinstance(corpus, AnalysisResult):
        reference = summarise_result(corpus)
    elif store is None:
        from .analysis import analyze
        reference = summarise_result(analyze(corpus, config, progress=progress))
    else:
        reference, stored_at, status = summary_or_analyse(corpus, config, store, progress=progress)
        store_path = str(stored_at)
    audited_corpus = load_audited(paths, outlet, published)
    documents, skipped = [], []
    for item in iter_analysed(audited_corpus, reference.config, progress):
        (skipped if isinstance(item, SkippedArticle) else documents).append(item)
    clash = {d.id for d in documents} & {a.id for a in reference.articles}
    if clash:
        raise UsageError(f"audited article {sorted(clash)[0]!r} has the id of a corpus article; "
                         "audit a file that is not in the corpus, or rename it")
    for doc in documents:
        same = reference.article_with_text(doc.text)
        if same is not None:
            raise UsageError(f"{doc.meta.source} is corpus article {same!r}; it "
                             "would be compared with itself. Audit a text that is not in the corpus")
    return audit_documents(documents, reference, thresholds=thresholds, store_path=store_path,
                           store_status=status, skipped=tuple(skipped))


def audit_documents(documents: Sequence[Document], reference: AnalysisResult | CorpusSummary, *,
                    thresholds: Mapping[str, float] | None = None, store_path: str | None = None,
                    store_status: str | None = None,
                    skipped: tuple[SkippedArticle, ...] = ()) -> AuditResult:
    """Place already analysed ``documents`` against the analysed ``reference`` corpus
    (an in-memory result, or the summary of a stored one)."""
    if isinstance(reference, AnalysisResult):
        reference = summarise_result(reference)
    thresholds = dict(thresholds or {})
    keys = reference.finding_keys
    corpus_rows = reference.articles
    if not corpus_rows:
        raise FramingError("the corpus has no analysed articles to compare with", reference.name)
    corpus_counts = [category_counts(a) for a in corpus_rows]
    audited_rows = {d.id: summarise_article(d, keys) for d in documents}
    audited_counts = {i: category_counts(a) for i, a in audited_rows.items()}
    categories = sorted(set().union(*corpus_counts, *audited_counts.values()))
    # each category's corpus rates, in corpus order (one pass over the summaries)
    populations = {kc: [rate(counts.get(kc, 0), a.words) for a, counts in zip(corpus_rows, corpus_counts)]
                   for kc in categories}
    profile = NearestOutlets(reference)
    fact_checks = judge_facts(documents, reference)
    corpus_labels = outlet_labels(corpus_rows)
    audits = []
    for doc in documents:
        words = audited_rows[doc.id].words
        placements = []
        for key, category in categories:
            population = populations[(key, category)]
            value = rate(audited_counts[doc.id].get((key, category), 0), words)
            placements.append(CategoryPlacement(
                key, category, audited_counts[doc.id].get((key, category), 0), value,
                percentile_rank(value, population), _median(population), max(population)))
        notes = []
        if words < 150:
            notes.append(f"only {words} body words: rates per 1,000 words are unstable")
        if not any(k in keys for k in CUE_KEYS):
            notes.append("no cue extractor ran (no 'cues' or 'scare_quotes' findings); "
                         "percentiles cover only the findings that exist")
        audits.append(ArticleAudit(
            id=doc.id, source=doc.meta.source, outlet=doc.meta.outlet,
            title=_title(doc), words=words, categories=tuple(placements),
            nearest_outlets=profile.rank(audited_rows[doc.id]),
            labels=compare_labels(doc, corpus_labels),
            facts=tuple(fact_checks.get(doc.id, ())),
            sourcing=summarise_sourcing(doc),
            findings=tuple(_finding_dict(k, s, doc) for k, s in counted_findings(doc, tuple(keys))),
            notes=tuple(notes)))
    breaches = tuple(
        Breach(a.id, name, c.rate, limit)
        for a in audits for name, limit in thresholds.items()
        for c in [_combined(a, name)] if c is not None and c.rate > limit)
    unknown = [name for name in thresholds if name not in {c for _, c in categories}]
    if unknown:
        known = sorted({c for _, c in categories})
        raise UsageError(f"--fail-above names unknown categories {unknown}; known: {known}")
    provenance = {**dict(reference.provenance), "audit_framing_version": __version__}
    return AuditResult(corpus_name=reference.name, corpus_articles=len(corpus_rows),
                       corpus_outlets=len({a.outlet for a in corpus_rows}),
                       outlets=dict(reference.outlets), store=store_path, store_status=store_status,
                       articles=tuple(audits), breaches=breaches, thresholds=thresholds,
                       provenance=provenance, skipped=skipped, profile_method=profile.method)


def _combined(audit_: ArticleAudit, category: str) -> CategoryPlacement | None:
    """A category's placement summed over span keys (a category may come from two keys)."""
    rows = [c for c in audit_.categories if c.category == category]
    if not rows:
        return None
    count = sum(c.count for c in rows)
    return CategoryPlacement(rows[0].key, category, count, rate(count, audit_.words),
                             rows[0].percentile, rows[0].corpus_median, rows[0].corpus_max)


def _finding_dict(key: str, span: Span, doc: Document, width: int = 70) -> dict[str, Any]:
    """The shared finding form plus ``context``: the words around it in its sentence."""
    sentence = doc.sentence_of(span)
    lo, hi = (sentence.start, sentence.end) if sentence else (span.start, span.end)
    before = doc.text[max(lo, span.start - width):span.start]
    after = doc.text[span.end:min(hi, span.end + width)]
    return {"key": key, "category": span.label, "text": doc.text_of(span),
            "start": span.start, "end": span.end, **dict(span.attrs),
            "context": {"before": " ".join(before.split()), "space_before": before[-1:].isspace(),
                        "after": " ".join(after.split()), "space_after": after[:1].isspace()}}


def _title(doc: Document) -> str | None:
    if doc.meta.title:
        return doc.meta.title
    title = next((s for s in doc.get("layout") if s.label == "title"), None)
    return " ".join(doc.text_of(title).split()) if title else None


# --- nearest outlets -----------------------------------------------------------------------

class NearestOutlets:
    """Ranks corpus outlets by the distance of their cue profile to an article's.

    Profiles are :class:`~framing.vectorizer.CueVectorizer` rates per 1,000 words by
    category and voice (a loaded term in the outlet's own voice is another habit than
    quoting one), over the cue keys only: sourcing is reported on its own. An outlet's
    profile pools its articles weighted by their words, so one long article does not
    count for more than its words. Rates are square-rooted before the Euclidean
    distance, so one very frequent category does not decide alone.
    """

    method = ("euclidean distance between square-rooted CueVectorizer rates per 1,000 words "
              "(features: category and voice; cue findings only)")

    def __init__(self, reference: CorpusSummary) -> None:
        keys = tuple(k for k in reference.finding_keys if k in CUE_KEYS)
        self.names = dict(reference.outlets)
        self.articles: Counter[str] = Counter(a.outlet for a in reference.articles)
        self.features: list[str] = []
        self.outlets: dict[str, list[float]] = {}
        self.keys = keys
        counted = [cue_features(a, keys) for a in reference.articles]
        self.features = sorted(set().union(*counted))
        if not self.features:
            return
        pooled: dict[str, list[float]] = {}
        pooled_words: Counter[str] = Counter()
        for article, counts in zip(reference.articles, counted):
            acc = pooled.setdefault(article.outlet, [0.0] * len(self.features))
            for j, value in enumerate(self._rates(counts, article.words)):
                acc[j] += value * article.words
            pooled_words[article.outlet] += article.words
        self.outlets = {o: [math.sqrt(v / pooled_words[o]) if pooled_words[o] else 0.0 for v in acc]
                        for o, acc in pooled.items()}

    def _rates(self, counts: Mapping[str, int], words: int) -> list[float]:
        """Rates per 1,000 words over the fitted features, as CueVectorizer computes them."""
        if not words:
            return [0.0] * len(self.features)
        return [counts[f] / words * 1000 if f in counts else 0.0 for f in self.features]

    def rank(self, summary: ArticleSummary) -> tuple[OutletDistance, ...]:
        if not self.features:
            return ()
        vector = [math.sqrt(v) for v in self._rates(cue_features(summary, self.keys), summary.words)]
        ranked = sorted((_distance(vector, v), o) for o, v in self.outlets.items())
        return tuple(OutletDistance(o, self.names.get(o, o), d, self.articles[o]) for d, o in ranked)


def cue_features(summary: ArticleSummary, keys: Sequence[str]) -> Counter[str]:
    """Counted cue findings per CueVectorizer "category_voice" feature (``loaded-term/outlet``)."""
    features: Counter[str] = Counter()
    for (key, category, voice), n in summary.counts.items():
        if key in keys:
            features[f"{category}/{voice or 'unknown'}"] += n
    return features


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


# --- labels for referents ------------------------------------------------------------------

@dataclass(frozen=True)
class OutletLabel:
    """One corpus outlet's label for a referent: its commonest wording of one lexicon term."""

    outlet: str
    term: str
    label: str


def outlet_labels(articles: Iterable[ArticleSummary]) -> dict[str, list[OutletLabel]]:
    """Per referent, each outlet's labels in its own voice, as the label map's rows give them
    (one per outlet and term; the label is the commonest wording, ties alphabetical)."""
    forms: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for article in articles:
        for referent, term, form in article.labels:
            forms[(referent, article.outlet, term)][form] += 1
    labels: dict[str, list[OutletLabel]] = defaultdict(list)
    for (referent, outlet, term), counts in forms.items():
        label = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        labels[referent].append(OutletLabel(outlet, term, label))
    return dict(labels)


def compare_labels(doc: Document, corpus: Mapping[str, Sequence[OutletLabel]]
                   ) -> tuple[LabelComparison, ...]:
    """The article's own words for each referent next to each corpus outlet's own words.

    The article's side comes from the label map (:func:`framing.labelmap.build_label_map`),
    the corpus's from :func:`outlet_labels`, in the outlet's voice only: a label inside a
    quotation is the speaker's choice. Labels are matched by lexicon term, so "riots" and
    "Riots" are one label.
    """
    from .labelmap import build_label_map

    mine = [r for r in build_label_map([doc]).rows if r.voice == "outlet"]
    comparisons = []
    for referent in sorted({r.referent for r in mine}):
        rows = [r for r in mine if r.referent == referent]
        theirs = corpus.get(referent, ())
        by_outlet: dict[str, list[str]] = defaultdict(list)
        for row in theirs:
            by_outlet[row.outlet].append(row.label)
        corpus_terms = {r.term for r in theirs}
        my_terms = {r.term for r in rows}
        comparisons.append(LabelComparison(
            referent=referent, audited=tuple(sorted({r.label for r in rows})),
            by_outlet={o: tuple(sorted(set(labels))) for o, labels in sorted(by_outlet.items())},
            new_labels=tuple(sorted({r.label for r in rows if r.term not in corpus_terms})),
            shared_with=tuple(sorted({r.outlet for r in theirs if r.term in my_terms})),
            evidence=tuple({"text": u.text, "start": u.start, "end": u.end, "category": r.category,
                            "term": r.term} for r in rows for u in r.uses)))
    return tuple(comparisons)


# --- sourcing ------------------------------------------------------------------------------

def summarise_sourcing(doc: Document) -> SourcingSummary:
    """The sourcing module's summary of ``doc`` (not recomputed here) and its quotations."""
    summary = doc.metrics.get(SOURCING_KEY)
    quotes = doc.get(QUOTES_KEY)
    speakers = sorted({str(q.attrs["speaker"]) for q in quotes if q.attrs.get("speaker")})
    notes = [{"text": doc.text_of(span), "start": span.start, "end": span.end,
              "inserted_by": span.attrs["inserted_by"], "category": span.label}
             for span in doc.get(SOURCING_KEY) if span.attrs.get("inserted_by")]
    return SourcingSummary(
        summary=summary if isinstance(summary, Mapping) else None,
        quotes_direct=sum(1 for q in quotes if q.label == "direct"),
        quotes_reported=sum(1 for q in quotes if q.label == "reported"),
        quotes_with_named_speaker=sum(1 for q in quotes if q.attrs.get("speaker")),
        speakers=tuple(speakers), inserted_notes=tuple(notes))


# --- facts ---------------------------------------------------------------------------------

def judge_facts(documents: Sequence[Document], reference: CorpusSummary
                ) -> dict[str, list[FactCheck]]:
    """Facts each audited document states that the corpus also states: agree or conflict.

    The facts stage aligns corpus and audited mentions together (:func:`align_facts`);
    each group holding an audited mention and a corpus mention is judged with the
    stage's own :func:`compatible` rule, audited mention against each corpus mention.
    """
    from .facts.align import align_facts, compatible, describe
    from .facts.extract import gazetteer_for

    if not any(d.get("facts") for d in documents):
        return {}
    gazetteer = gazetteer_for(reference.config)
    audited = {d.id for d in documents}
    # Only corpus articles sharing a blocking key (event slot, counted word) with an audited
    # mention can be aligned with it: align those, not the whole corpus again.
    # The summaries hold each article's keys, so only the related documents are read back.
    audited_keys = frozenset().union(*(fact_keys(d) for d in documents))
    related = [a.id for a in reference.articles if a.fact_keys & audited_keys]
    section = align_facts(chain(reference.documents(related, ALIGNED_KEYS), documents), gazetteer)
    checks: dict[str, list[FactCheck]] = defaultdict(list)
    for fact in section.facts:
        ours = [m for m in fact.mentions if m.article in audited]
        theirs = [m for m in fact.mentions if m.article not in audited]
        if not ours or not theirs:
            continue
        event = gazetteer.events.get(fact.event) if fact.event else None
        for mine in ours:
            clashes = [m for m in theirs if not compatible(mine, m, event)]
            shown = clashes or theirs  # so a shown mention is compatible when none clashes
            what = describe(mine, event, gazetteer)
            values = "; ".join(f"{m.outlet} says '{m.text}' ({m.value})" for m in shown)
            if clashes:
                explanation = (f"This article gives '{mine.text}' ({mine.value}) for {what}, "
                               f"which does not fit the corpus: {values}.")
            else:
                explanation = f"This article's '{mine.text}' for {what} agrees with the corpus: {values}."
            checks[mine.article].append(FactCheck(
                status="conflict" if clashes else "agree", text=mine.text, start=mine.start,
                end=mine.end, kind=mine.kind, value=mine.value,
                corpus=tuple({"outlet": m.outlet, "article_id": m.article, "text": m.text,
                              "start": m.start, "end": m.end, "value": m.value,
                              "compatible": not clashes} for m in shown),
                explanation=explanation))
    for items in checks.values():
        items.sort(key=lambda c: (c.status != "conflict", c.start))
    return dict(checks)


# --- rendering -----------------------------------------------------------------------------

def audit_files(result: AuditResult) -> dict[str, str]:
    """``audit.html``, ``audit.md`` and ``audit.json`` contents; nothing is written here."""
    import json

    from markupsafe import Markup

    from .report import base_css, template_environment

    html = template_environment(markdown=False).get_template("audit.html.j2").render(
        r=result, css=Markup(base_css()))
    markdown = template_environment(markdown=True).get_template("audit.md.j2").render(r=result)
    data = json.dumps(result.to_dict(), ensure_ascii=False, indent=1, default=str) + "\n"
    return {"audit.html": html, "audit.md": markdown, "audit.json": data}


def write_audit(result: AuditResult, out_dir: str | Path) -> list[Path]:
    """Write the audit report files into ``out_dir``, all or nothing."""
    from .output import write_files_atomically

    return write_files_atomically(Path(out_dir), audit_files(result))
