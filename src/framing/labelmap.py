"""The label map: for each referent (an event or actor), which words each outlet used for it.

Lexicon terms carry a ``referent`` id (``event:kz-jan-2022``, ``event:ru-ukraine-war``,
``actor:west`` ...), so "unrest", "riots", "attempted coup" and "Bloody January" all
point at the same event. The label map groups every such span in the kept body by
referent, outlet, term and voice, and keeps each use as evidence (article, offsets,
text, speaker), so "outlet X calls it a coup" links to the sentences that do.
The outlet's own voice and quoted speech are kept apart: quoting a government that
says "riots" is not the same as saying it.
"""
from __future__ import annotations

import pickle
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Sequence

from .analysis import SPOOL_ABOVE, CorpusContext, register_corpus_stage
from .corpus import Corpus
from .document import Document, Span
from .pipeline import AnalysisConfig
from .profiles import counted_findings
from .spool import LazySequence, RecordFile


@dataclass(frozen=True, slots=True)
class LabelUse:
    """One use of a label: where it is and who says it."""

    article: str
    start: int
    end: int
    text: str
    speaker: str | None
    inserted_by: str | None = None  # a reprinter's inserted note ("approx. InoSMI"), not the author

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text,
                "speaker": self.speaker, "inserted_by": self.inserted_by}


@dataclass(frozen=True, slots=True)
class LabelRow:
    """How often one outlet called one referent by one term, in one voice."""

    referent: str
    outlet: str
    outlet_name: str
    term: str
    label: str  # the commonest wording, lowercased ("riots")
    lexicon: str | None
    category: str
    voice: str
    uses: Sequence[LabelUse]  # a tuple, or SpooledUses on a large corpus

    @property
    def count(self) -> int:
        return len(self.uses)

    @property
    def forms(self) -> dict[str, int]:
        """Each wording (lowercased) and how often it was used, commonest first."""
        return _forms(self.uses)

    def to_dict(self) -> dict[str, Any]:
        uses = tuple(self.uses)  # read once: on a large corpus they are on disk (SpooledUses)
        return {"referent": self.referent, "outlet": self.outlet, "outlet_name": self.outlet_name,
                "label": self.label, "term": self.term, "lexicon": self.lexicon,
                "category": self.category, "voice": self.voice, "count": len(uses),
                "forms": _forms(uses), "articles": sorted({u.article for u in uses}),
                "evidence": [u.to_dict() for u in uses]}


def _forms(uses: Iterable[LabelUse]) -> dict[str, int]:
    counts = Counter(" ".join(u.text.lower().split()) for u in uses)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class LabelMap:
    """The ``label_map`` section: one row per (referent, outlet, term, voice)."""

    rows: tuple[LabelRow, ...]
    #: referent id -> description, from the lexicon packs that define the referents.
    descriptions: Mapping[str, str] = field(default_factory=dict)

    @property
    def referents(self) -> list[str]:
        return sorted({r.referent for r in self.rows})

    def for_referent(self, referent: str, voice: str | None = None) -> dict[str, list[tuple[str, int]]]:
        """``outlet -> [(label, count), ...]`` for one referent, commonest first."""
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for row in self.rows:
            if row.referent == referent and (voice is None or row.voice == voice):
                table[row.outlet][row.label] += row.count
        return {outlet: counts.most_common() for outlet, counts in table.items()}

    def iter_items(self) -> Iterator[tuple[str, Any]]:
        """``to_dict().items()`` with the label rows (every use as evidence) given one at a
        time, so that analysis.json is written without building them all."""
        by_referent: dict[str, list[LabelRow]] = defaultdict(list)
        for row in self.rows:
            by_referent[row.referent].append(row)
        summary = [{"referent": referent, "description": self.descriptions.get(referent),
                    "outlets": sorted({r.outlet for r in rows}), "labels": sorted({r.label for r in rows}),
                    "uses": sum(r.count for r in rows)}
                   for referent, rows in sorted(by_referent.items())]
        yield "referents", summary
        yield "labels", (r.to_dict() for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {key: list(value) for key, value in self.iter_items()}


class UseSpool:
    """Label uses pickled to a temporary file as they come: about 250 bytes each in memory
    (the use, its text and speaker), 16 here (its offset, and its number in a row's list)."""

    def __init__(self) -> None:
        self._records = RecordFile("framing-label-uses-")

    def append(self, use: tuple[Any, ...]) -> int:
        """Store a use given as its :class:`LabelUse` fields; its number."""
        self._records.append(pickle.dumps(use, protocol=pickle.HIGHEST_PROTOCOL))
        return len(self._records) - 1

    def __getitem__(self, number: int) -> LabelUse:
        return LabelUse(*pickle.loads(self._records[number]))


class SpooledUses(LazySequence[LabelUse]):
    """One label row's uses, as numbers into a :class:`UseSpool`, read back when asked."""

    def __init__(self, spool: UseSpool, numbers: array[int]) -> None:
        self._spool, self._numbers = spool, numbers

    def __len__(self) -> int:
        return len(self._numbers)

    def _item(self, index: int) -> LabelUse:
        return self._spool[self._numbers[index]]

    def __iter__(self) -> Iterator[LabelUse]:
        return map(self._spool.__getitem__, self._numbers)


def referent_spans(doc: Document) -> list[tuple[str, Span]]:
    """Spans in the kept body (any key) that name a referent."""
    keys = [k for k, spans in doc.spans.items() if any(s.attrs.get("referent") for s in spans)]
    return [(k, s) for k, s in counted_findings(doc, keys) if s.attrs.get("referent")]


class LabelRecord(NamedTuple):
    """What the label map keeps of one analysed article, made where it was analysed (see
    ``register_corpus_stage``): each use as ``(referent, term, voice, lexicon, category,
    start, end, text, speaker, inserted_by)``."""

    id: str
    outlet: str
    uses: tuple[tuple[Any, ...], ...]


def label_record(doc: Document) -> LabelRecord:
    """The compact record :func:`label_map_from_records` groups."""
    uses = []
    for _, span in referent_spans(doc):
        attrs = span.attrs
        text = doc.text_of(span)
        uses.append((str(attrs["referent"]), str(attrs.get("term") or text.lower()),
                     str(attrs.get("voice") or "unknown"), attrs.get("lexicon"), span.label,
                     span.start, span.end, text, attrs.get("speaker"), attrs.get("inserted_by")))
    return LabelRecord(doc.id, doc.meta.outlet, tuple(uses))


def collect_labels(doc: Document, config: AnalysisConfig) -> LabelRecord:
    """The label map's collector: runs on each document where it was analysed."""
    return label_record(doc)


class LabelIntake:
    """The label map's records taken in one at a time, in corpus order (as they come, see
    ``register_corpus_stage``): each use grouped by referent, outlet, term and voice."""

    def __init__(self, outlet_names: Mapping[str, str] | None = None, spooled: bool = False) -> None:
        """``spooled``: the uses are kept on disk (:class:`UseSpool`), each row holding their numbers."""
        self.outlet_names = dict(outlet_names or {})
        self._spool = UseSpool() if spooled else None
        self._grouped: dict[tuple[str, str, str, str], tuple[str | None, str, list[LabelUse] | array[int]]] = {}
        self._outlet_order: dict[str, int] = {}

    def append(self, record: LabelRecord) -> None:
        spool, grouped = self._spool, self._grouped
        self._outlet_order.setdefault(record.outlet, len(self._outlet_order))
        for referent, term, voice, lexicon, category, start, end, text, speaker, inserted_by in record.uses:
            group = grouped.get((referent, record.outlet, term, voice))
            if group is None:
                group = grouped[(referent, record.outlet, term, voice)] = (
                    lexicon, category, [] if spool is None else array("q"))
            use = (record.id, start, end, text, speaker, inserted_by)
            group[2].append(LabelUse(*use) if spool is None else spool.append(use))  # type: ignore[arg-type]

    def label_map(self, descriptions: Mapping[str, str] | None = None) -> LabelMap:
        """The rows, a row's lexicon and category its first use's."""
        rows = []
        for (referent, outlet, term, voice), (lexicon, category, uses) in self._grouped.items():
            row = LabelRow(referent, outlet, self.outlet_names.get(outlet, outlet), term, "", lexicon, category,
                           voice, tuple(uses) if self._spool is None else SpooledUses(self._spool, uses))  # type: ignore[arg-type]
            rows.append(replace(row, label=next(iter(row.forms))))
        order = self._outlet_order
        rows.sort(key=lambda r: (r.referent, order[r.outlet], -r.count, r.label, r.voice))
        return LabelMap(tuple(rows), dict(descriptions or {}))


def label_map_from_records(records: Iterable[LabelRecord], outlet_names: Mapping[str, str] | None = None,
                           descriptions: Mapping[str, str] | None = None,
                           spooled: bool = False) -> LabelMap:
    """Group every use by referent, outlet, term and voice (records in corpus order, read once);
    ``spooled``: the uses are kept on disk (see :class:`LabelIntake`)."""
    intake = LabelIntake(outlet_names, spooled)
    for record in records:
        intake.append(record)
    return intake.label_map(descriptions)


def build_label_map(documents: Iterable[Document], outlet_names: Mapping[str, str] | None = None,
                    descriptions: Mapping[str, str] | None = None) -> LabelMap:
    """Group every referent-bearing span by referent, outlet, term and voice (a pure function)."""
    return label_map_from_records((label_record(doc) for doc in documents), outlet_names, descriptions)


def take_labels(corpus: Corpus, config: AnalysisConfig) -> LabelIntake:
    return LabelIntake(corpus.outlet_names(), spooled=len(corpus) > SPOOL_ABOVE)


@register_corpus_stage("label_map", order=110, collect=collect_labels, take=take_labels)
def label_map_stage(context: CorpusContext, intake: LabelIntake) -> LabelMap:
    """Corpus stage: the label map of the records ``intake`` took in as they came."""
    return intake.label_map(referent_descriptions(context.config))


def referent_descriptions(config: AnalysisConfig) -> dict[str, str]:
    """Descriptions of the referents the run's lexicon packs define (none without packs)."""
    from .errors import LexiconError
    from .lexicon import load_lexicon_set

    try:
        lexicons = load_lexicon_set(config.lexicon_paths, config.use_default_lexicons)
    except LexiconError:
        return {}  # no packs at all (e.g. --no-default-lexicons): labels, if any, came from elsewhere
    return {ref_id: ref.description for ref_id, ref in lexicons.referents.items()}
