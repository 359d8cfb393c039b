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
import json
import pickle
from array import array
from collections import defaultdict
from dataclasses import dataclass, fields
from itertools import chain
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, ParamSpec, Sequence, TypeVar

from .analysis import SPOOL_ABOVE, CorpusContext, finding_keys_of, register_corpus_stage
from .corpus import Corpus
from .document import Document, Span
from .pipeline import AnalysisConfig
from .readability import count_words
from .results import EncodedRow, encode_string, ordered_findings
from .spool import LazySequence, RecordFile

PER_WORDS = 1000
P = ParamSpec("P")
T = TypeVar("T")
#: The dimensions a rate is broken down by, and how a finding gives its value.
DIMENSIONS = ("category", "voice", "category_voice", "key", "kind")
#: Keys whose findings describe sourcing and transparency rather than wording.
SOURCING_KEYS = frozenset({"sourcing"})
#: A counted finding's reference ``[article index, finding index]`` held as one int,
#: ``article index * _STRIDE + finding index``: ints sort as the pairs do (an article has far
#: fewer findings than this) and cost no list each.
_STRIDE = 1 << 32


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
class FindingValues:
    """What a counted finding gives each dimension; shared by every finding that gives the same."""

    key: str
    category: str
    values: tuple[str, ...]  # one per DIMENSIONS entry

    @functools.cached_property
    def rows(self) -> tuple[tuple[str, str], ...]:
        """``(dimension, value)`` of each rate row a finding with these values is counted in."""
        return tuple(zip(DIMENSIONS, self.values))


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What the profiles keep of one article. Its unit and rate rows are derived when asked
    for or written, so a large corpus is not held in memory as row and reference objects."""

    index: int  # the article's place in analysis.json's ``articles``
    id: str
    outlet: str
    words: int
    #: Four ints per counted finding: finding index, index into ``Profiles.values``, start, end.
    findings: array
    cues: int
    own_voice_cues: int
    readability: dict[str, float | None]
    sourcing: tuple[Any, ...]  # the values of ``_sourcing``'s dict, in _SOURCING_FIELDS order

    def refs(self) -> Iterator[tuple[int, int, int, int]]:
        """``(finding index, values index, start, end)`` of each counted finding."""
        items = self.findings
        return zip(items[0::4], items[1::4], items[2::4], items[3::4])


_ARTICLE_FIELDS = tuple(f.name for f in fields(ArticleRecord))


class ArticleRecords(LazySequence[ArticleRecord]):
    """Article records pickled to a temporary file as they come, read back by number or in
    order: about 1.3 KB each in memory (findings, scores, sourcing), 8 bytes here. For a
    corpus whose documents are spooled too (see ``framing.analysis.SPOOL_ABOVE``)."""

    def __init__(self) -> None:
        self._records = RecordFile("framing-profiles-")

    def append(self, record: ArticleRecord) -> None:
        fields = tuple(getattr(record, name) for name in _ARTICLE_FIELDS)
        self._records.append(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL))

    def __len__(self) -> int:
        return len(self._records)

    def _item(self, index: int) -> ArticleRecord:
        return ArticleRecord(*pickle.loads(self._records[index]))

    def __iter__(self) -> Iterator[ArticleRecord]:
        for data in self._records:
            yield ArticleRecord(*pickle.loads(data))


@dataclass(frozen=True)
class Profiles:
    """The ``profiles`` section: unit totals and rate rows (long format, one figure per row).

    Holds one compact record per article and the outlet totals; ``units``, ``rates`` and the
    JSON rows are derived from them, the JSON rows streamed (:meth:`iter_items`).
    """

    outlet_units: tuple[UnitProfile, ...]
    articles: Sequence[ArticleRecord]  # a tuple, or ArticleRecords on a large corpus
    values: tuple[FindingValues, ...]
    outlet_articles: Mapping[str, Sequence[int]]  # outlet -> positions in ``articles``
    outlet_names: Mapping[str, str]

    @functools.cached_property
    def units(self) -> tuple[UnitProfile, ...]:
        return self.outlet_units + tuple(self._article_unit(a) for a in self.articles)

    @functools.cached_property
    def rates(self) -> tuple[RateRow, ...]:
        by_index = {a.index: a for a in self.articles}
        return tuple(RateRow(level, outlet, article, dimension, value, len(refs), words,
                             tuple(self._finding_ref(by_index[a], f)
                                   for a, f in (divmod(ref, _STRIDE) for ref in refs)))
                     for level, outlet, article, words, dimension, value, refs, _ in self._rate_groups())

    def rate(self, outlet: str, dimension: str, value: str, article: str | None = None) -> RateRow | None:
        level = "article" if article else "outlet"
        return next((r for r in self.rates if r.level == level and r.outlet == outlet
                     and r.article == article and r.dimension == dimension and r.value == value), None)

    def unit(self, outlet: str, article: str | None = None) -> UnitProfile:
        level = "article" if article else "outlet"
        return next(u for u in self.units if u.level == level and u.outlet == outlet and u.article == article)

    def _article_unit(self, record: ArticleRecord) -> UnitProfile:
        sourcing = dict(zip(_SOURCING_FIELDS, record.sourcing))
        return UnitProfile("article", record.outlet, self.outlet_names.get(record.outlet, record.outlet),
                           record.id, 1, record.words, len(record.findings) // 4, record.cues,
                           record.own_voice_cues, record.readability, sourcing)

    def _finding_ref(self, record: ArticleRecord, finding_index: int) -> FindingRef:
        for index, values, start, end in record.refs():
            if index == finding_index:
                found = self.values[values]
                return FindingRef(record.id, found.key, found.category, start, end, record.index, index)
        raise KeyError(finding_index)

    def _rate_groups(self, encoded: bool = False) -> Iterator[tuple[str, str, str | None, int, str, str,
                                                                   list[int], dict[int, str]]]:
        """``(level, outlet, article, words, dimension, value, refs, texts)`` of every rate row:
        outlets first, then articles, each sorted by dimension and value. ``refs`` are the
        row's findings as ``article index * _STRIDE + finding index``; ``texts`` (filled only
        when ``encoded``) maps each ref of the outlet or article to its JSON ``[a, f]``."""
        for outlet, positions in self.outlet_articles.items():
            records = [self.articles[p] for p in positions]
            words = sum(r.words for r in records)
            rows, texts = self._grouped(records, encoded)
            for dimension, value, refs in rows:
                yield "outlet", outlet, None, words, dimension, value, refs, texts
        for record in self.articles:
            rows, texts = self._grouped((record,), encoded)
            for dimension, value, refs in rows:
                yield "article", record.outlet, record.id, record.words, dimension, value, refs, texts

    def _grouped(self, records: Iterable[ArticleRecord],
                 encoded: bool) -> tuple[list[tuple[str, str, list[int]]], dict[int, str]]:
        """Rate rows of some articles: findings grouped by their values first (one group per
        lexicon term and voice, say), then each group added to the rows its values name; a row
        fed by several groups is put back in finding order, the order the findings came in.
        With ``encoded``, also each finding's JSON reference, made once for the five rows a
        finding is counted in (formatting them per row was most of writing the rates)."""
        by_values: dict[int, list[int]] = defaultdict(list)
        texts: dict[int, str] = {}
        for record in records:
            article, items = record.index, record.findings
            base = article * _STRIDE
            for index, found in zip(items[0::4], items[1::4]):
                by_values[found].append(base + index)
                if encoded:
                    texts[base + index] = f"[{article}, {index}]"
        rows: dict[tuple[str, str], list[list[int]]] = defaultdict(list)
        for found, refs in by_values.items():
            for row in self.values[found].rows:
                rows[row].append(refs)
        return ([(dimension, value, parts[0] if len(parts) == 1 else sorted(chain.from_iterable(parts)))
                 for (dimension, value), parts in sorted(rows.items())], texts)

    def _rate_rows_json(self) -> Iterator[EncodedRow]:
        """Each rate row as ``json.dumps(row, ensure_ascii=False)`` writes it, from pieces:
        there are about 25 rows per article, and a dict per row through the encoder was a
        third of the time writing analysis.json took. The fields an outlet's or article's
        rows share are encoded once for them, and each dimension and value once."""
        encoded: dict[str, str] = {}
        unit = head = None
        for level, outlet, article, words, dimension, value, refs, texts in self._rate_groups(encoded=True):
            if unit != (outlet, article):
                unit = (outlet, article)
                head = (f'{{"level": "{level}", "outlet": {encode_string(outlet)}, '
                        f'"article": {"null" if article is None else encode_string(article)}, "dimension": ')
            per_1000 = _rate(len(refs), words)
            yield EncodedRow(
                f'{head}{encoded.get(dimension) or encoded.setdefault(dimension, encode_string(dimension))}, '
                f'"value": {encoded.get(value) or encoded.setdefault(value, encode_string(value))}, '
                f'"count": {len(refs)}, "words": {words}, '
                f'"per_1000": {"null" if per_1000 is None else repr(per_1000)}, '
                f'"findings": [{", ".join(map(texts.__getitem__, refs))}]}}')

    def iter_items(self) -> Iterator[tuple[str, Any]]:
        """``to_dict().items()`` with each table given as an iterator of rows, so that
        analysis.json is written without building the section (about 30% of the file)."""
        yield "unit", f"findings per {PER_WORDS:,} words of kept body"
        yield "scope", ("findings that start inside the kept body (title, headings, paragraphs); "
                        "words counted over the same text")
        yield "outlets", (u.to_dict() for u in self.outlet_units)
        yield "articles", (self._article_unit(a).to_dict() for a in self.articles)
        yield "finding_refs", ("each rate row's findings are [article index, finding index] pairs: "
                               "articles[article index].findings[finding index] in this file")
        yield "rates", self._rate_rows_json()

    @without_cycle_collection
    def to_dict(self) -> dict[str, Any]:
        return {key: value if isinstance(value, str) else [json.loads(row) if isinstance(row, EncodedRow) else row
                                                           for row in value]
                for key, value in self.iter_items()}


def _rate(count: int, words: int) -> float | None:
    return round(count / words * PER_WORDS, 3) if words else None


def body_words(doc: Document) -> int:
    """Words of the kept body. The paragraphs' words are the readability measure's
    ``words`` when it ran (the same words of the same paragraphs): counting them again
    was most of what collecting an article's profile cost."""
    measured = doc.metrics.get("readability", {}).get("words")
    if measured is None:
        return sum(count_words(doc.text_of(s)) for s in doc.body)
    return measured + sum(count_words(doc.text_of(s)) for s in doc.body if s.label != "paragraph")


def counted_findings(doc: Document, finding_keys: Sequence[str]) -> list[tuple[str, Span]]:
    """Findings of ``doc`` that start inside a kept body span, in document order."""
    return [(key, span) for _, key, span in _counted_with_index(doc, finding_keys)]


def _counted_with_index(doc: Document, finding_keys: Sequence[str]) -> list[tuple[int, str, Span]]:
    """Counted findings with their index among all of the article's findings (its place in
    analysis.json's ``findings``). Both orders are one stable sort by offsets, so the counted
    ones keep their relative order."""
    body = doc.body
    starts = [s.start for s in body]
    counted = []
    for index, (key, span) in enumerate(ordered_findings(doc, finding_keys)):
        i = bisect.bisect_right(starts, span.start) - 1
        if i >= 0 and span.start < body[i].end:
            counted.append((index, key, span))
    return counted


_SUMMED_SOURCING = ("named_citations", "anonymous_citations", "vague_attributions", "editorial_notes",
                    "reprint_markers", "sentences", "attributed_sentences")
_SOURCING_FIELDS = (*_SUMMED_SOURCING, "named_sources", "attributed_share", "bylined_articles")
_READABILITY = ("flesch_reading_ease", "flesch_kincaid_grade", "mean_sentence_length")


def _mean(values: Sequence[float]) -> float | None:
    return _mean_of(sum(values), len(values))


def _mean_of(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _sourcing_totals(summaries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    if not summaries:
        return {}
    totals: dict[str, Any] = {k: sum(s.get(k, 0) for s in summaries) for k in _SUMMED_SOURCING}
    totals["named_sources"] = len({name for s in summaries for name in s.get("named_speakers", [])})
    totals["attributed_share"] = (round(totals["attributed_sentences"] / totals["sentences"], 3)
                                  if totals["sentences"] else None)
    totals["bylined_articles"] = sum(1 for s in summaries if s.get("byline"))
    return totals


class _OutletTotals:
    """An outlet's running totals, added to one article at a time (articles are not kept)."""

    def __init__(self) -> None:
        self.positions = array("q")
        self.words = self.findings = self.cues = self.own_voice_cues = 0
        #: Per score: the sum (added in article order, as ``sum`` adds) and count of its values.
        self.readability: dict[str, list[float]] = {name: [0, 0] for name in _READABILITY}
        self.summed: dict[str, Any] = dict.fromkeys(_SUMMED_SOURCING, 0)
        self.named: set[str] = set()
        self.summaries = self.bylined = 0

    def add(self, record: ArticleRecord, position: int, collected: ProfileRecord) -> None:
        self.positions.append(position)
        self.words += record.words
        self.findings += len(record.findings) // 4
        self.cues += record.cues
        self.own_voice_cues += record.own_voice_cues
        for kept, value in zip(self.readability.values(), collected.readability):
            if value is not None:
                kept[0] += value
                kept[1] += 1
        if collected.sourcing:
            self.summaries += 1
            for key, value in zip(_SUMMED_SOURCING, collected.sourcing):
                self.summed[key] += value
            self.named.update(collected.named_speakers)
            self.bylined += collected.sourcing[-1]

    def sourcing(self) -> dict[str, Any]:
        """What ``_sourcing_totals`` gives over all the outlet's summaries."""
        if not self.summaries:
            return {}
        totals = dict(self.summed)
        totals["named_sources"] = len(self.named)
        totals["attributed_share"] = (round(totals["attributed_sentences"] / totals["sentences"], 3)
                                      if totals["sentences"] else None)
        totals["bylined_articles"] = self.bylined
        return totals

    def unit(self, outlet: str, name: str) -> UnitProfile:
        return UnitProfile("outlet", outlet, name, None, len(self.positions), self.words, self.findings,
                           self.cues, self.own_voice_cues,
                           {n: _mean_of(*v) for n, v in self.readability.items()}, self.sourcing())


class ProfileRecord(NamedTuple):
    """What the profiles keep of one analysed article, made where it was analysed (see
    ``register_corpus_stage``): its counted findings refer to its own signature list, as
    the corpus-wide table of finding values is only built in the main process."""

    id: str
    outlet: str
    words: int
    #: ``(key, category, voice, kind)`` of its counted findings, each once, in order of first use.
    signatures: tuple[tuple[str, str, str, str], ...]
    #: Four ints per counted finding: finding index, index into ``signatures``, start, end.
    findings: array
    cues: int
    own_voice_cues: int
    readability: tuple[float | None, ...]  # its scores, in _READABILITY order
    sourcing: tuple[Any, ...]  # ``_sourcing_totals`` of its summary (the values); () without one
    named_speakers: tuple[str, ...]


def profile_record(doc: Document, finding_keys: Sequence[str]) -> ProfileRecord:
    """The compact record :func:`profiles_from_records` builds the profiles from."""
    signatures: dict[tuple[str, str, str, str], int] = {}
    found_at: list[int] = []  # made an array at the end: extending one per finding cost more
    cues = own = 0
    for finding_index, key, span in _counted_with_index(doc, finding_keys):
        voice = str(span.attrs.get("voice") or "unknown")
        kind = finding_kind(key, span)
        found = signatures.setdefault((key, span.label, voice, kind), len(signatures))
        found_at += finding_index, found, span.start, span.end
        if kind == "cue":
            cues += 1
            own += voice == "outlet"
    readability = doc.metrics.get("readability", {})
    summary = doc.metrics.get("sourcing")
    sourcing = tuple(_sourcing_totals([summary]).values()) if summary is not None else ()
    named = tuple(summary.get("named_speakers", [])) if summary is not None else ()
    return ProfileRecord(doc.id, doc.meta.outlet, body_words(doc), tuple(signatures), array("q", found_at),
                         cues, own, tuple(readability.get(name) for name in _READABILITY), sourcing, named)


def collect_profile(doc: Document, config: AnalysisConfig) -> ProfileRecord:
    """The profiles' collector: runs on each document where it was analysed."""
    return profile_record(doc, finding_keys_of(config))


def _article_record(index: int, collected: ProfileRecord,
                    values_index: dict[tuple[str, str, str, str], int],
                    values: list[FindingValues]) -> ArticleRecord:
    """``collected`` with its findings pointing into the corpus-wide ``values`` table."""
    findings = array("q", collected.findings)
    if collected.signatures:
        table = []
        for signature in collected.signatures:
            found = values_index.get(signature)
            if found is None:
                found = values_index[signature] = len(values)
                key, label, voice, kind = signature
                values.append(FindingValues(key, label, (label, voice, f"{label}/{voice}", key, kind)))
            table.append(found)
        findings[1::4] = array("q", [table[i] for i in findings[1::4]])
    scores = {name: _mean([value] if value is not None else [])
              for name, value in zip(_READABILITY, collected.readability)}
    return ArticleRecord(index, collected.id, collected.outlet, collected.words, findings, collected.cues,
                         collected.own_voice_cues, scores, collected.sourcing)


class ProfilesIntake:
    """The profiles' records taken in one at a time, in corpus order (as they come, see
    ``register_corpus_stage``): each article's record kept, its outlet's totals added up."""

    def __init__(self, outlet_names: Mapping[str, str] | None = None, spooled: bool = False) -> None:
        """``spooled``: the article records are kept on disk (:class:`ArticleRecords`)."""
        self.outlet_names = dict(outlet_names or {})
        self.articles: list[ArticleRecord] | ArticleRecords = ArticleRecords() if spooled else []
        self.outlets: dict[str, _OutletTotals] = {}
        self.values_index: dict[tuple[str, str, str, str], int] = {}
        self.values: list[FindingValues] = []

    def append(self, collected: ProfileRecord) -> None:
        position = len(self.articles)
        record = _article_record(position, collected, self.values_index, self.values)
        self.outlets.setdefault(record.outlet, _OutletTotals()).add(record, position, collected)
        self.articles.append(record)

    def profiles(self) -> Profiles:
        names = self.outlet_names
        units = tuple(totals.unit(outlet, names.get(outlet, outlet)) for outlet, totals in self.outlets.items())
        articles = self.articles
        return Profiles(units, articles if isinstance(articles, ArticleRecords) else tuple(articles),
                        tuple(self.values), {outlet: totals.positions for outlet, totals in self.outlets.items()},
                        names)


@without_cycle_collection
def profiles_from_records(records: Iterable[ProfileRecord],
                          outlet_names: Mapping[str, str] | None = None,
                          spooled: bool = False) -> Profiles:
    """Profiles of every outlet and article from their records, in corpus order (read once);
    ``spooled``: the article records are kept on disk (:class:`ArticleRecords`)."""
    intake = ProfilesIntake(outlet_names, spooled)
    for collected in records:
        intake.append(collected)
    return intake.profiles()


def build_profiles(documents: Iterable[Document], finding_keys: Sequence[str],
                   outlet_names: Mapping[str, str] | None = None) -> Profiles:
    """Profiles of every outlet and article from analysed documents (a pure function)."""
    return profiles_from_records((profile_record(doc, finding_keys) for doc in documents), outlet_names)


def take_profiles(corpus: Corpus, config: AnalysisConfig) -> ProfilesIntake:
    return ProfilesIntake(corpus.outlet_names(), spooled=len(corpus) > SPOOL_ABOVE)


@register_corpus_stage("profiles", order=100, collect=collect_profile, take=take_profiles)
def profiles_stage(context: CorpusContext, intake: ProfilesIntake) -> Profiles:
    """Corpus stage: the profiles of the records ``intake`` took in as they came."""
    return intake.profiles()
