"""The cross-source comparison report: a model built from the result, rendered by templates.

``build_report`` turns an :class:`AnalysisResult` into a :class:`ReportModel` of plain
values (highlight segments, chart SVGs, indicator breakdowns with evidence links);
``render_html`` and ``render_markdown`` only loop over that model in jinja2 templates
(``StrictUndefined``; HTML autoescaped, Markdown escaped by a ``finalize`` hook), so
nothing from the input reaches the output unescaped. ``write_report`` writes report.html,
report.md and analysis.json (and facts.csv when fact alignment exists) all or nothing.

A section another stage has not produced is reported as "not available", never faked.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import jinja2
from markupsafe import Markup

from . import __version__
from .charts import bar_chart, heatmap, scatter_plot, stacked_bar_chart
from .document import Document
from .highlight import (CATEGORY_COLOURS, Mark, Segment, build_marks, category_colour,
                        css_token, document_segments)
from .indicators import (Evidence, IndicatorReport, LOADED_CATEGORIES, body_findings,
                         compute_indicators, count_words, outlet_documents, rank_by_loaded_language)
from .output import write_files_atomically
from .results import AnalysisResult

REPORT_FILES = ("report.html", "report.md", "analysis.json")


# --- the model ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ArticleView:
    id: str
    anchor: str
    title: str
    outlet: str
    outlet_name: str
    published: str
    kind: str
    author: str | None
    original_outlet: str | None
    source: str
    words: int
    segments: tuple[Segment, ...]
    marks: tuple[Mark, ...]
    category_counts: tuple[tuple[str, int], ...]
    #: False when the article is beyond ``max_articles_shown``: listed with its figures,
    #: its highlighted text left out (``segments`` is empty).
    shown: bool = True
    #: True when ``title`` is the article's first sentence (no title in manifest or text).
    title_from_text: bool = False


@dataclass(frozen=True)
class OutletView:
    id: str
    name: str
    country: str | None
    articles: int
    kinds: str
    dates: str
    words: int


@dataclass(frozen=True)
class ProfileRow:
    outlet: str
    outlet_name: str
    words: int
    #: category -> (own-voice count, quoted count)
    counts: Mapping[str, tuple[int, int]]

    def own_rate(self, category: str) -> float:
        return 1000 * self.counts.get(category, (0, 0))[0] / self.words if self.words else 0.0


@dataclass(frozen=True)
class ProfileView:
    available: bool
    message: str
    categories: tuple[str, ...] = ()
    rows: tuple[ProfileRow, ...] = ()
    chart: Markup = Markup("")
    loaded_chart: Markup = Markup("")
    ranking: tuple[tuple[str, float], ...] = ()
    headline: str = ""


@dataclass(frozen=True)
class Unavailable:
    """A section whose stage has not run: the report says so in these words."""

    title: str
    message: str


@dataclass(frozen=True)
class EvidenceLink:
    href: str
    label: str
    text: str
    where: str


@dataclass(frozen=True)
class SimilarityView:
    available: bool
    message: str
    chart: Markup = Markup("")
    explained: tuple[float, ...] = ()
    points: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class LabelChip:
    """One word an outlet used for a referent, in one voice, with a link to its first use."""

    label: str
    category: str
    voice: str
    count: int
    href: str
    title: str


@dataclass(frozen=True)
class ReferentRow:
    referent: str
    name: str
    #: One tuple of chips per outlet, in the order of ``LabelMapView.outlets``.
    cells: tuple[tuple[LabelChip, ...], ...]


@dataclass(frozen=True)
class LabelMapView:
    outlets: tuple[str, ...]
    rows: tuple[ReferentRow, ...]


@dataclass(frozen=True)
class MentionView:
    """One outlet's statement of a fact, with the sentence it sits in."""

    outlet_name: str
    article: str
    href: str
    value: str
    before: str
    text: str
    after: str
    start: int
    end: int
    voice: str | None


@dataclass(frozen=True)
class FactView:
    id: str
    status: str
    description: str
    explanation: str
    outlets: tuple[str, ...]
    mentions: tuple[MentionView, ...]
    why: tuple[str, ...]


@dataclass(frozen=True)
class FactsView:
    summary: Mapping[str, Any]
    shared: tuple[FactView, ...]
    single: tuple[FactView, ...]
    inconsistencies: tuple[tuple[MentionView, str], ...]
    matrix_chart: Markup
    matrix_rows: tuple[tuple[str, str, int, int, int], ...]
    rules: str


@dataclass(frozen=True)
class GlanceItem:
    """One question a reader brings, answered in a sentence that links to its section."""

    question: str
    answer: str
    href: str


@dataclass(frozen=True)
class ReportModel:
    title: str
    corpus_name: str
    topic: str | None
    version: str
    outlets: tuple[OutletView, ...]
    articles: tuple[ArticleView, ...]
    profile: ProfileView
    similarity: SimilarityView
    indicators: IndicatorReport
    sections: Mapping[str, Any]
    unavailable: Mapping[str, Unavailable]
    provenance: Mapping[str, Any]
    lexicons: tuple[dict[str, Any], ...]
    facts: FactsView | None
    label_map: LabelMapView | None
    glance: tuple[GlanceItem, ...]
    #: How many articles show their highlighted text (the rest are listed with figures).
    articles_shown: int
    #: Outlet rows of the profiles section (sourcing totals, readability), as its JSON gives them.
    outlet_profiles: tuple[Mapping[str, Any], ...]
    skipped: tuple[Any, ...]
    warnings: tuple[str, ...]
    category_colours: Mapping[str, str]
    evidence_links: Callable[[Sequence[Evidence]], list[EvidenceLink]] = field(repr=False)
    outlet_names: Mapping[str, str] = field(default_factory=dict)


# --- building the model --------------------------------------------------------------------

def _date_text(doc: Document) -> str:
    if doc.meta.published is None:
        return "undated"
    text = doc.meta.published.isoformat()
    if doc.meta.date_precision == "month":
        text = text[:7]
    elif doc.meta.date_precision == "year":
        text = text[:4]
    return text + (" (approx.)" if doc.meta.date_precision == "approximate" else "")


#: How long a first sentence standing in for a missing title may be, in characters.
TITLE_FROM_TEXT_CHARS = 80


def article_title(doc: Document) -> tuple[str, bool]:
    """The article's title, and whether it was taken from its first sentence.

    The manifest title, else the title cleaning found in the text, else the first
    sentence of the body (cut at a word boundary to about 80 characters, ending in "…"),
    else the id. A reader sees a headline-like line rather than "saenko-2023".
    """
    if doc.meta.title:
        return doc.meta.title, False
    titles = [s for s in doc.get("layout") if s.label == "title"]
    if titles:
        return " ".join(doc.text_of(titles[0]).split()), False
    first = next((s for s in doc.sentences if s.attrs.get("block") not in ("title", "heading")), None)
    if first is None:
        return doc.id, False
    text = " ".join(doc.text_of(first).split())
    if len(text) > TITLE_FROM_TEXT_CHARS:
        cut = text.rfind(" ", 0, TITLE_FROM_TEXT_CHARS)
        text = text[:cut if cut > TITLE_FROM_TEXT_CHARS // 2 else TITLE_FROM_TEXT_CHARS].rstrip(" ,;:") + "…"
    return text, True


def relative_source(source: str, root: Path) -> str:
    """The article's file relative to the corpus folder (reports should not leak home paths)."""
    try:
        return Path(source).resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return Path(source).name or source


def lexicon_rows(provenance: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The lexicon packs used (name, version, licence, terms, hash), without local paths."""
    packs = provenance.get("lexicons")
    if not isinstance(packs, list):
        return ()
    keep = ("name", "version", "language", "licence", "terms", "sha256", "source")
    return tuple({k: pack.get(k) for k in keep} for pack in packs if isinstance(pack, Mapping))


def article_anchor(article_id: str) -> str:
    return f"art-{css_token(article_id)}"


def position_href(article_id: str, offset: int) -> str:
    """Link to a place in an article's text (a segment starts there)."""
    return f"#{article_anchor(article_id)}-at{offset}"


def build_article(result: AnalysisResult, doc: Document, outlet_names: Mapping[str, str],
                  anchors: Sequence[int] = (), shown: bool = True) -> ArticleView:
    marks = build_marks(doc, result.findings(doc))
    counts = Counter(m.category for m in marks)
    original = doc.meta.original_outlet
    title, title_from_text = article_title(doc)
    return ArticleView(
        id=doc.id, anchor=article_anchor(doc.id), title=title, title_from_text=title_from_text,
        shown=shown,
        outlet=doc.meta.outlet, outlet_name=outlet_names.get(doc.meta.outlet, doc.meta.outlet),
        published=_date_text(doc), kind=doc.meta.kind, author=doc.meta.author,
        original_outlet=outlet_names.get(original, original) if original else None,
        source=relative_source(doc.meta.source, result.corpus.root), words=count_words(doc),
        segments=tuple(document_segments(doc, marks, anchors)) if shown else (), marks=tuple(marks),
        category_counts=tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))


def build_outlets(result: AnalysisResult) -> tuple[OutletView, ...]:
    views = []
    names = {o.id: o for o in result.corpus.outlets.values()}
    for outlet, docs in outlet_documents(result).items():
        dates = sorted(_date_text(d) for d in docs)
        kinds = Counter(d.meta.kind for d in docs)
        info = names.get(outlet)
        views.append(OutletView(
            id=outlet, name=info.name if info else outlet, country=info.country if info else None,
            articles=len(docs), kinds=", ".join(f"{k} ×{n}" if n > 1 else k for k, n in sorted(kinds.items())),
            dates=dates[0] if len(set(dates)) == 1 else f"{dates[0]} – {dates[-1]}",
            words=sum(count_words(d) for d in docs)))
    return tuple(views)


#: Span keys whose findings make up the framing profile (sourcing has its own section).
PROFILE_KEYS = ("cues", "scare_quotes")
#: Neutral names recorded for the label map; shown there, not counted as framing cues.
NOT_PROFILED = ("label",)


def build_profile(result: AnalysisResult, indicators: IndicatorReport,
                  outlet_names: Mapping[str, str]) -> ProfileView:
    """Cue categories per outlet, own voice against quoted, per 1,000 words of kept body."""
    if not any("cues" in d.spans for d in result.documents):
        return ProfileView(False, "Not available: no lexicon cues were extracted in this analysis "
                                  "(the cue extractor is not installed or did not run).")
    rows, categories = [], Counter()
    for outlet, docs in outlet_documents(result).items():
        counts: dict[str, list[int]] = {}
        for doc in docs:
            for key in PROFILE_KEYS:
                for span in body_findings(doc, key):
                    if span.label in NOT_PROFILED:
                        continue
                    pair = counts.setdefault(span.label, [0, 0])
                    pair[0 if span.attrs.get("voice", "outlet") == "outlet" else 1] += 1
                    categories[span.label] += 1
        rows.append(ProfileRow(outlet, outlet_names.get(outlet, outlet),
                               sum(count_words(d) for d in docs),
                               {k: (v[0], v[1]) for k, v in counts.items()}))
    ordered = tuple(sorted(categories, key=lambda c: (-categories[c], c)))
    chart = stacked_bar_chart(
        [(r.outlet_name, [r.own_rate(c) for c in ordered]) for r in rows], ordered,
        "All framing cues in the outlet's own voice, per 1,000 words, by category",
        [category_colour(c) for c in ordered])
    ranking = tuple(rank_by_loaded_language(indicators))
    loaded_chart = bar_chart([(outlet_names.get(o, o), v) for o, v in ranking],
                             "Loaded and evaluative language in the outlet's own voice, per 1,000 words",
                             colour=category_colour("name-calling"))
    if ranking and ranking[0][1] > 0:
        top, rate = ranking[0]
        headline = (f"{outlet_names.get(top, top)} uses the most loaded or evaluative language in its "
                    f"own voice: {rate:.1f} cues per 1,000 words ({', '.join(LOADED_CATEGORIES)}; "
                    "quotations of other people not counted).")
    else:
        headline = "No outlet uses loaded or evaluative terms from the lexicons in its own voice."
    return ProfileView(True, "", ordered, tuple(rows), chart, loaded_chart, ranking, headline)


def build_similarity(result: AnalysisResult, outlet_names: Mapping[str, str]) -> SimilarityView:
    """Outlets placed by their cue profiles (CueVectorizer, then PCA to two dimensions)."""
    groups = outlet_documents(result)
    if len(groups) < 3:
        return SimilarityView(False, f"Not drawn: a map needs at least 3 outlets, this corpus has "
                                     f"{len(groups)}.")
    try:
        from .vectorizer import CueVectorizer  # type: ignore[attr-defined]
    except ImportError:
        return SimilarityView(False, "Not available: the cue vectorizer (framing.vectorizer) is not "
                                     "part of this version.")
    import numpy as np
    from sklearn.decomposition import PCA

    docs = list(result.documents)
    vectorizer = CueVectorizer(features="category_voice", keys=PROFILE_KEYS, config=result.config)
    matrix = np.asarray(vectorizer.fit_transform(docs), dtype=float)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    keep = [i for i, n in enumerate(names) if n.split("/")[0] not in NOT_PROFILED]
    matrix = matrix[:, keep] if keep else np.zeros((len(docs), 0))
    outlets = list(groups)
    rows = np.vstack([matrix[[i for i, d in enumerate(docs) if d.meta.outlet == o]].mean(axis=0)
                      for o in outlets])
    if rows.shape[1] == 0 or np.allclose(rows, rows[0]):
        return SimilarityView(False, "Not drawn: every outlet has the same cue profile (or none), "
                                     "so there is nothing to separate.")
    pca = PCA(n_components=2, random_state=0)
    coords = pca.fit_transform(rows)
    points = tuple((outlet_names.get(o, o), float(x), float(y)) for o, (x, y) in zip(outlets, coords))
    explained = tuple(float(v) for v in pca.explained_variance_ratio_)
    chart = scatter_plot(points, "Outlets by framing-cue profile (PCA of cue rates by category and voice)",
                         f"component 1 ({explained[0]:.0%} of variance)",
                         f"component 2 ({explained[1]:.0%} of variance)")
    return SimilarityView(True, "", chart, explained, points)


def _evidence_linker(articles: Sequence[ArticleView]) -> Callable[[Sequence[Evidence]], list[EvidenceLink]]:
    by_span = {(a.id, m.start, m.end, m.category): m for a in articles for m in a.marks}
    anchors = {a.id: a for a in articles}
    positions = {a.id: {seg.start for seg in a.segments if seg.anchored} for a in articles}

    def link(evidence: Sequence[Evidence]) -> list[EvidenceLink]:
        links = []
        for ev in evidence:
            article = anchors.get(ev.article_id)
            mark = by_span.get((ev.article_id, ev.start, ev.end, ev.category))
            if article and not article.shown:
                href = f"#{article.anchor}"  # its text is not on the page: link to its entry
            elif mark:
                href = f"#{mark.anchor}"
            elif article and ev.start is not None and ev.start in positions.get(ev.article_id, ()):
                href = position_href(ev.article_id, ev.start)
            else:
                href = f"#{article.anchor}" if article else ""
            where = (f"{ev.article_id} [{ev.start}:{ev.end}]" if ev.start is not None
                     else f"{ev.article_id} ({ev.key})")
            label = f"{ev.article_id} #{mark.number}" if mark else where
            text = f"{ev.note}: {ev.text}" if ev.note else ev.text
            links.append(EvidenceLink(href, label, text, where))
        return links
    return link


#: The label map's first row: the question readers ask first.
FIRST_REFERENTS = ("event:kz-jan-2022", "actor:protesters", "event:csto-deployment-2022")


def written_form(label: str, uses: Sequence[Mapping[str, Any]], docs: Mapping[str, Document]) -> str:
    """``label`` as the outlet wrote it ("West", "Bloody January"), from a use that does not
    start a sentence (where a capital letter says nothing); else ``label`` as recorded."""
    for use in uses:
        text = " ".join(str(use.get("text", "")).split())
        doc = docs.get(use.get("article"))
        if doc is None or text.casefold() != label.casefold():
            continue
        i = doc.sentence_index(use["start"])
        if i is not None and doc.sentences[i].start != use["start"]:
            return text
    return label


def build_label_map(result: AnalysisResult, outlet_names: Mapping[str, str],
                    articles: Sequence[ArticleView]) -> LabelMapView | None:
    """Referents down, outlets across; each cell the words that outlet used, own voice first."""
    if "label_map" not in result.sections:
        return None
    data = result.sections["label_map"].to_dict()
    marks = {(a.id, m.start, m.end): m for a in articles for m in a.marks}
    docs = {d.id: d for d in result.documents}
    hidden = {a.id for a in articles if not a.shown}
    outlets = list(outlet_documents(result))
    cells: dict[tuple[str, str], list[LabelChip]] = {}
    for row in data.get("labels", []):
        uses = row.get("evidence") or []
        first = uses[0] if uses else None
        mark = marks.get((first["article"], first["start"], first["end"])) if first else None
        href = (f"#{mark.anchor}" if mark else position_href(first["article"], first["start"])
                if first else "")
        if first and first["article"] in hidden:
            href = f"#{article_anchor(first['article'])}"
        quotes = "; ".join(f"“{u['text']}” ({u['article']} [{u['start']}:{u['end']}]"
                           + (f", said by {u['speaker']})" if u.get("speaker") else ")") for u in uses[:5])
        label = written_form(str(row["label"]), uses, docs)
        chip = LabelChip(label, str(row.get("category", "label")),
                         str(row.get("voice", "outlet")), int(row.get("count", len(uses))), href,
                         f"{row.get('category')} · {row.get('voice')} voice · {quotes}")
        cells.setdefault((row["referent"], row["outlet"]), []).append(chip)
    described = {r["referent"]: r.get("description") or r["referent"] for r in data.get("referents", [])}
    referents = list(described)
    referents.sort(key=lambda r: (FIRST_REFERENTS.index(r) if r in FIRST_REFERENTS else len(FIRST_REFERENTS), r))
    rows = []
    for ref in referents:
        row_cells = tuple(tuple(sorted(cells.get((ref, o), []),
                                       key=lambda c: (c.voice != "outlet", -c.count, c.label)))
                          for o in outlets)
        rows.append(ReferentRow(ref, described[ref], row_cells))
    return LabelMapView(tuple(outlet_names.get(o, o) for o in outlets), tuple(rows))


def fact_anchor_offsets(result: AnalysisResult) -> dict[str, set[int]]:
    """Per article, the offsets of fact mentions the report links to."""
    offsets: dict[str, set[int]] = {}
    if "facts" in result.sections:
        data = result.sections["facts"].to_dict()
        for fact in data.get("facts", []):
            for m in fact.get("mentions", []):
                offsets.setdefault(m["article"], set()).add(m["start"])
        for item in data.get("inconsistencies", []):
            offsets.setdefault(item["article"], set()).add(item["start"])
    return offsets


def _mention_view(m: Mapping[str, Any], outlet_names: Mapping[str, str],
                  hidden: frozenset[str] = frozenset()) -> MentionView:
    sentence, s0 = m.get("sentence") or m["text"], m.get("sentence_start", m["start"])
    a, b = m["start"] - s0, m["end"] - s0
    if not (0 <= a <= b <= len(sentence)) or sentence[a:b] != m["text"]:
        sentence, a, b = m["text"], 0, len(m["text"])
    return MentionView(outlet_names.get(m["outlet"], m["outlet"]), m["article"],
                       f"#{article_anchor(m['article'])}" if m["article"] in hidden
                       else position_href(m["article"], m["start"]), str(m.get("value", "")),
                       sentence[:a], sentence[a:b], sentence[b:], m["start"], m["end"], m.get("voice"))


def build_facts(result: AnalysisResult, outlet_names: Mapping[str, str],
                hidden: frozenset[str] = frozenset()) -> FactsView | None:
    """Shared facts, single-source facts, inconsistencies and the agreement matrix."""
    if "facts" not in result.sections:
        return None
    data = result.sections["facts"].to_dict()
    views = []
    for fact in data.get("facts", []):
        views.append(FactView(
            id=fact["id"], status=fact["status"], description=fact.get("description") or fact["id"],
            explanation=fact.get("explanation", ""),
            outlets=tuple(outlet_names.get(o, o) for o in fact.get("outlets", [])),
            mentions=tuple(_mention_view(m, outlet_names, hidden) for m in fact.get("mentions", [])),
            why=tuple(p.get("why", "") for p in fact.get("pairs", []) if p.get("relation") == "conflict")))
    shared = tuple(v for v in views if len(v.outlets) >= 2)
    single = tuple(v for v in views if len(v.outlets) < 2)
    inconsistencies = tuple((_mention_view(item, outlet_names, hidden), item.get("explanation", ""))
                            for item in data.get("inconsistencies", []))
    outlets = list(outlet_documents(result))
    index = {o: i for i, o in enumerate(outlets)}
    grid: list[list[float | None]] = [[None] * len(outlets) for _ in outlets]
    rows = []
    for cell in data.get("agreement", []):
        a, b = cell["outlets"]
        if cell.get("shared"):
            share = cell["agree"] / cell["shared"]
            if a in index and b in index:
                grid[index[a]][index[b]] = grid[index[b]][index[a]] = share
            rows.append((outlet_names.get(a, a), outlet_names.get(b, b), cell["shared"],
                         cell["agree"], cell["conflict"]))
    labels = [outlet_names.get(o, o) for o in outlets]
    chart = heatmap(grid, labels, labels, "Share of shared facts on which two outlets agree",
                    percent=True)
    rules = str(data.get("method", {}).get("rules", ""))
    return FactsView(data.get("summary", {}), shared, single, inconsistencies, chart, tuple(rows), rules)


#: Articles whose highlighted text the HTML report shows by default (the rest are listed).
MAX_ARTICLES_SHOWN = 50


def build_report(result: AnalysisResult, title: str | None = None,
                 max_articles_shown: int | None = MAX_ARTICLES_SHOWN) -> ReportModel:
    """The report model. Only the first ``max_articles_shown`` articles (corpus order; None
    or 0 = all) carry their highlighted text; the others are listed with their figures.

    The report's sections each read every document (grouped by outlet, most of them), so
    documents kept on disk (a large corpus, :class:`~framing.spool.DocumentSpool`) are read
    back once here and held while the model is built, not read again by every section.
    """
    if not isinstance(result.documents, tuple):
        result = replace(result, documents=tuple(result.documents))
    outlet_names = result.corpus.outlet_names()
    for doc in result.documents:
        outlet_names.setdefault(doc.meta.outlet, doc.meta.outlet)
    anchors = fact_anchor_offsets(result)
    limit = max_articles_shown or len(result.documents)
    articles = tuple(build_article(result, d, outlet_names, sorted(anchors.get(d.id, ())),
                                   shown=i < limit)
                     for i, d in enumerate(result.documents))
    hidden = frozenset(a.id for a in articles if not a.shown)
    indicators = compute_indicators(result)
    unavailable = {name: Unavailable(title_, message) for name, (title_, message) in {
        "profiles": ("Sourcing and readability profiles", "Not available: the profiles stage has "
                     "not run in this analysis."),
        "label_map": ("Label map", "Not available: the label map stage has not run in this "
                      "analysis, so the report cannot show how each outlet names the events."),
        "facts": ("Shared facts", "Not available: fact extraction and alignment have not run in "
                  "this analysis, so the report cannot say which facts agree or conflict."),
    }.items() if name not in result.sections}
    profile = build_profile(result, indicators, outlet_names)
    facts = build_facts(result, outlet_names, hidden)
    label_map = build_label_map(result, outlet_names, articles)
    return ReportModel(
        title=title or f"How outlets frame it: {result.corpus.name}",
        corpus_name=result.corpus.name, topic=result.corpus.topic,
        version=__version__, outlets=build_outlets(result), articles=articles,
        profile=profile, glance=build_glance(profile, label_map, facts),
        articles_shown=sum(a.shown for a in articles),
        similarity=build_similarity(result, outlet_names), indicators=indicators,
        sections=dict(result.sections), unavailable=unavailable,
        provenance={k: v for k, v in result.provenance.items() if k not in ("lexicons", "gazetteer")},
        lexicons=lexicon_rows(result.provenance), facts=facts, label_map=label_map,
        outlet_profiles=tuple(result.sections["profiles"].to_dict().get("outlets", ()))
        if "profiles" in result.sections else (), skipped=tuple(result.skipped),
        warnings=tuple(result.corpus.warnings), category_colours=dict(CATEGORY_COLOURS),
        evidence_links=_evidence_linker(articles), outlet_names=outlet_names)


def build_glance(profile: ProfileView, label_map: LabelMapView | None,
                 facts: FactsView | None) -> tuple[GlanceItem, ...]:
    """The three questions the report must answer at once, each from its own section."""
    items = [GlanceItem("Who uses the most loaded language in its own voice?",
                        profile.headline if profile.available else profile.message, "#profile")]
    if label_map is None:
        items.append(GlanceItem("How does each outlet name the January 2022 events?",
                                "Not available: the label map stage has not run.", "#label-map"))
    else:
        row = next((r for r in label_map.rows if r.referent == FIRST_REFERENTS[0]), None)
        named, silent = [], []
        for outlet, cell in zip(label_map.outlets, row.cells if row else ((),) * len(label_map.outlets)):
            own = [f"“{c.label}”" + (f" ×{c.count}" if c.count > 1 else "") for c in cell if c.voice == "outlet"]
            quoted = [f"“{c.label}”" for c in cell if c.voice != "outlet"]
            if own or quoted:
                named.append(f"{outlet}: {', '.join(own) if own else 'only in quotations'}"
                             + (f" (quotes {', '.join(quoted)})" if quoted else ""))
            else:
                silent.append(outlet)
        answer = "; ".join(named) if named else "No outlet uses a listed name for them."
        if silent:
            answer += f". Not named by: {', '.join(silent)}."
        items.append(GlanceItem("How does each outlet name the January 2022 events?", answer, "#label-map"))
    if facts is None:
        items.append(GlanceItem("Which facts conflict, and where?",
                                "Not available: fact alignment has not run.", "#facts"))
    else:
        conflicts = [(i, f) for i, f in enumerate(facts.shared, start=1) if f.status == "conflict"]
        if conflicts:
            i, _ = conflicts[0]
            parts = [f"{f.description} ("
                     + " vs ".join(f"{mv.outlet_name}: “{mv.text}”"
                                   + (f" = {mv.value}" if mv.value and mv.value != mv.text else "")
                                   for mv in f.mentions) + ")"
                     for _, f in conflicts]
            answer = f"{len(conflicts)} of {len(facts.shared)} shared facts conflict: " + "; ".join(parts) + "."
            items.append(GlanceItem("Which facts conflict, and where?", answer, f"#fact-{i}"))
        else:
            items.append(GlanceItem("Which facts conflict, and where?",
                                    f"None of the {len(facts.shared)} facts stated by two or more "
                                    "outlets conflict.", "#facts"))
    return tuple(items)


# --- rendering ---------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
#: An ampersand that would start a character reference; a lone "&" is left readable.
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")


def markdown_escape(value: Any) -> str:
    """Make ``value`` inert in Markdown: no markup, no raw HTML, no table breaks, one line."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = _WHITESPACE.sub(" ", str(value))  # one line; edge spaces kept (they join pieces)
    text = _MD_ENTITY.sub("&amp;", text)
    return _MD_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;"}.get(m.group(1), "\\" + m.group(1)), text)


#: How a point's status reads in the report.
STATUS_WORDS = {"yes": "met", "partial": "partly met", "no": "not met", "n/a": "not applicable",
                "info": "for information",
                "unavailable": "not available"}
STATUS_SYMBOLS = {"yes": "✓", "partial": "◐", "no": "✗", "n/a": "–", "unavailable": "?", "info": "·"}


_QUOTE_CHARS = "\"'“”‘’«»"


def quoted(text: Any) -> str:
    """``text`` in curly quotes, unless it already is a quotation (no doubled quote marks)."""
    text = str(text)
    if len(text) > 1 and text[0] in _QUOTE_CHARS and text[-1] in _QUOTE_CHARS:
        return text
    return f"“{text}”"


def _json_pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)


def template_environment(markdown: bool = False) -> jinja2.Environment:
    """The jinja2 environment every framing output renders with (report, audit, lesson).

    HTML templates are autoescaped; Markdown ones escape every value through
    :func:`markdown_escape`. Both use ``StrictUndefined`` and the shared filters.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("framing", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=not markdown,
        finalize=markdown_escape if markdown else None,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        extensions=["jinja2.ext.loopcontrols"])
    env.filters["pct"] = lambda v: "–" if v is None else f"{v:.0%}"
    env.filters["num"] = lambda v, d=1: "–" if v is None else f"{v:.{d}f}"
    env.filters["status_word"] = lambda s: STATUS_WORDS.get(s, s)
    env.filters["status_symbol"] = lambda s: STATUS_SYMBOLS.get(s, s)
    env.filters["css"] = css_token
    env.filters["json"] = _json_pretty
    env.filters["md"] = markdown_escape
    env.filters["quoted"] = quoted
    env.globals["category_colour"] = category_colour
    return env


def base_css(category_colours: Mapping[str, str] | None = None) -> str:
    """The report's stylesheet (shared with other HTML outputs): inline it in a <style>."""
    template = template_environment(markdown=False).get_template("_style.css.j2")
    return template.render(category_colours=category_colours or CATEGORY_COLOURS)


def render_html(model: ReportModel) -> str:
    return template_environment(markdown=False).get_template("report.html.j2").render(
        m=model, css=Markup(base_css(model.category_colours)))


def render_markdown(model: ReportModel) -> str:
    return template_environment(markdown=True).get_template("report.md.j2").render(m=model)


#: The analysed corpus store written beside the report (what ``framing audit`` reads by default).
STORE_FILE = "corpus.sqlite"


def report_files(result: AnalysisResult, title: str | None = None, *, store: bool = False,
                 max_articles_shown: int | None = MAX_ARTICLES_SHOWN) -> dict[str, Any]:
    """Every output file's name and content; nothing is written here.

    With ``store``, also ``corpus.sqlite``: the analysed corpus (see :mod:`framing.store`),
    fingerprinted with the corpus and config the result came from, so ``framing audit
    --corpus`` with the same corpus and options reuses it instead of analysing again.
    """
    model = build_report(result, title, max_articles_shown)
    files: dict[str, Any] = {"report.html": render_html(model), "report.md": render_markdown(model),
                             # chunks, written as they come: never the whole JSON in memory
                             "analysis.json": result.iter_json()}
    if "facts" in result.sections:
        from .facts.table import facts_to_csv

        files["facts.csv"] = facts_to_csv(result.sections["facts"])
    if store:
        from .store import store_chunks

        files[STORE_FILE] = store_chunks(result)
    return files


def write_report(result: AnalysisResult, out_dir: str | Path, title: str | None = None, *,
                 store: bool = False, max_articles_shown: int | None = MAX_ARTICLES_SHOWN) -> list[Path]:
    """Write the report files (and with ``store`` the corpus store) into ``out_dir``, all or nothing."""
    return write_files_atomically(Path(out_dir), report_files(
        result, title, store=store, max_articles_shown=max_articles_shown))
