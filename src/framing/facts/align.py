"""The "facts" corpus stage: align fact mentions across outlets, judge them, find inconsistencies.

Alignment is blocked so its cost grows with the number of mentions, not its square:

* a date or number tied to an event goes to the block ``(event, slot, unit)`` — the date of
  the presidential election, the deaths in the January 2022 unrest. A block is one fact; no
  pairs are compared to build it;
* a number tied to no event goes to one block per content word of what it counts
  (``(%, export)``, ``(%, oil)``); only pairs inside a block are candidates, and a block larger
  than :data:`WINDOW` is cut by a sorted-neighbourhood window. A candidate pair is linked when
  what they count overlaps enough, helped by the TF-IDF similarity of their sentences
  (:mod:`.tfidf`, computed per candidate pair and only when it can decide the link) and the
  entities they share; linked mentions form a fact (union-find).

Judgement: two mentions are compatible when their intervals overlap (exact counts get ±5%,
so counts within about 10% agree; approximate ones are already ranges); for the date of a
multi-day event, two dates that both fall inside the event's known dates are compatible too.
A pair of outlets *conflicts* on a fact when any of their mentions are incompatible, otherwise
it *agrees*; a fact stated by one outlet is *single-source*.

Memory: the stage never holds a document, nor the corpus's mentions, nor a whole fact. Each
document gives a compact :class:`FactsRecord` (:func:`collect_facts`, where the document was
analysed: a worker process with ``--jobs N``); :func:`facts_stage` writes the mentions to a
temporary file (:class:`MentionSpool`; on a corpus small enough for its documents to stay in
memory, they stay in memory too) and keeps only numbers to group them: per mention its
offset, its value and the union-find parent, per block or event slot its mentions' numbers
(about 40 bytes a mention in all). Linking reads one block's mentions back at a time (a pair
two blocks share is taken in the first that pairs it, found from the blocks' positions, not
remembered); judging reads a fact's mentions back one at a time, twice (to judge them, then
to write them in listing order), and writes the fact as its analysis.json row on disk
(:class:`SpooledFactsSection`), keeping a sort key per fact. :func:`align_facts` works the
same way in memory, for the audit's few documents.
"""
from __future__ import annotations

import copy
import json
import pickle
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import partial
from itertools import chain, combinations, compress, repeat
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol, Sequence

from ..analysis import SPOOL_ABOVE, CorpusContext, register_corpus_stage, register_provenance
from ..corpus import Corpus
from ..document import Document, Span
from ..pipeline import AnalysisConfig
from ..results import EncodedRow, EncodedRowPieces, encode_compact
from ..spool import RecordFile
from .consistency import SOON_DAYS, document_inconsistencies, parse_date
from .entities import Event, Gazetteer
from .extract import gazetteer_for
from .numbers import trim_phrase
from .tfidf import SentenceTfidf, cosine_of

#: Exact counts are widened by this fraction each way before comparing (225 vs 238 agree).
COUNT_TOLERANCE = 0.05
#: Exact percentages are widened by this many points each way (differences up to 1 point agree).
PERCENT_POINTS = 0.5
#: Largest block compared pair by pair; bigger blocks use a sorted window of this size.
WINDOW = 40
#: Link threshold for numbers tied to no event (see :func:`link_score`).
LINK_THRESHOLD = 0.4
NUMERIC = {"number", "money", "percent"}
#: A fact row longer than this is streamed to analysis.json in pieces, not read whole: a fact
#: that many articles state grows with the corpus (~9 MB at 30,000 generated articles).
LARGE_ROW_BYTES = 1 << 20
#: A fact with at most this many mentions (about 1 KB of JSON each) has their JSON held in
#: memory while it is judged and written; a larger one writes it to a scratch file.
HELD_MENTIONS = 2_000
#: Array type of mention numbers: 4 bytes each (a corpus has fewer than 2**31 mentions), held
#: per mention by the event slots, the blocks and the union-find.
NUMBER = "i"
#: Span attributes a mention keeps: what the report quotes and what the rules read.
MENTION_ATTRS = ("voice", "speaker", "note", "explanation", "inserted_by", "aspect", "granularity",
                 "resolution", "counts")


@dataclass(frozen=True, slots=True)
class Mention:
    """One fact mention with everything the report needs to quote it (and no Document)."""

    index: int
    article: str
    outlet: str
    original_outlet: str | None
    kind: str                 # date, number, money, percent
    event: str | None
    slot: str
    unit: str | None
    low: float | date
    high: float | date | None
    approximate: bool
    value: str
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    entities: frozenset[str]
    counts_words: tuple[str, ...]
    attrs: dict[str, Any]
    article_events: frozenset[str] = frozenset()  # events the whole article names

    def to_dict(self) -> dict[str, Any]:
        attrs, low, high = self.attrs, self.low, self.high
        row = {"article": self.article, "outlet": self.outlet, "original_outlet": self.original_outlet,
               "kind": self.kind, "value": self.value,
               "low": low.isoformat() if isinstance(low, date) else low,
               "high": high.isoformat() if isinstance(high, date) else high,
               "unit": self.unit, "approximate": self.approximate, "text": self.text,
               "start": self.start, "end": self.end, "sentence": self.sentence,
               "sentence_start": self.sentence_start, "sentence_end": self.sentence_end,
               "voice": attrs.get("voice"), "speaker": attrs.get("speaker"), "note": attrs.get("note"),
               "explanation": attrs.get("explanation")}
        if attrs.get("inserted_by"):
            row["inserted_by"] = attrs["inserted_by"]
        return row


@dataclass(frozen=True)
class Fact:
    id: str
    event: str | None
    slot: str
    kind: str
    unit: str | None
    description: str
    status: str
    mentions: tuple[Mention, ...]
    pairs: tuple[dict[str, Any], ...]
    explanation: str

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.mentions})

    def to_dict(self) -> dict[str, Any]:
        return {**_fact_head(self.id, self, self.description, self.status, self.outlets,
                             self.explanation, self.pairs),
                "mentions": [m.to_dict() for m in self.mentions]}


def _fact_head(fact_id: str, first: Mention | Fact, description: str, status: str, outlets: list[str],
               explanation: str, pairs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A fact's JSON but its mentions (the last key), which may be streamed after it;
    ``first`` gives the event, slot, kind and unit."""
    return {"id": fact_id, "event": first.event, "slot": first.slot, "kind": first.kind,
            "unit": first.unit, "description": description, "status": status,
            "outlets": outlets, "explanation": explanation, "pairs": list(pairs)}


def _summary(statuses: dict[str, int], facts: int, shared: int, mentions: int, candidate_pairs: int,
             inconsistencies: int) -> dict[str, Any]:
    """``facts["summary"]``; ``statuses`` in the order of the sorted facts."""
    return {"facts": facts, "shared": shared, **statuses, "mentions": mentions,
            "candidate_pairs": candidate_pairs, "inconsistencies": inconsistencies}


def _method(gazetteer: dict[str, Any]) -> dict[str, Any]:
    return {"count_tolerance": COUNT_TOLERANCE, "percent_points": PERCENT_POINTS,
            "window": WINDOW,
            "link_threshold": LINK_THRESHOLD, "soon_days": SOON_DAYS,
            "gazetteer": gazetteer,
            "rules": "counts agree within about 10% (each widened by 5%), percentages "
                     "within 1 point; approximate "
                     "quantities are ranges; dates of a multi-day event agree when both "
                     "fall inside the event's known dates"}


@dataclass(frozen=True)
class FactsSection:
    """``analysis.json["facts"]``: facts with status, outlet agreement matrix, inconsistencies."""

    facts: tuple[Fact, ...]
    matrix: tuple[dict[str, Any], ...]
    inconsistencies: tuple[dict[str, Any], ...]
    candidate_pairs: int
    mentions: int
    gazetteer: dict[str, Any] = field(default_factory=dict)

    def shared(self) -> list[Fact]:
        return [f for f in self.facts if len(f.outlets) >= 2]

    def to_dict(self) -> dict[str, Any]:
        statuses: dict[str, int] = defaultdict(int)
        for f in self.facts:
            statuses[f.status] += 1
        return {
            "summary": _summary(statuses, len(self.facts), len(self.shared()), self.mentions,
                                self.candidate_pairs, len(self.inconsistencies)),
            "method": _method(self.gazetteer),
            "facts": [f.to_dict() for f in self.facts],
            "agreement": list(self.matrix),
            "inconsistencies": list(self.inconsistencies),
        }


class SpooledFactsSection:
    """``analysis.json["facts"]`` with its facts and inconsistencies on disk, as encoded rows.

    The fact rows hold every mention with its sentence (about 11 KB of JSON per article on
    generated corpora): kept in memory until analysis.json was written, they made the
    stage's memory grow with the corpus. :meth:`iter_items` streams them to the writer in
    order; :meth:`to_dict` still builds the whole dict for the report, the store and the
    evaluation, which hold it only while they use it.
    """

    def __init__(self, facts: RecordFile, order: Sequence[int], head: dict[str, Any],
                 matrix: list[dict[str, Any]], inconsistencies: RecordFile) -> None:
        self._facts, self._order = facts, order
        self._head, self._matrix, self._inconsistencies = head, matrix, inconsistencies

    @staticmethod
    def _rows(records: RecordFile, order: Iterable[int]) -> Iterator[EncodedRow | EncodedRowPieces]:
        for i in order:
            if records.size(i) > LARGE_ROW_BYTES:
                yield EncodedRowPieces(partial(records.iter_text, i))
            else:
                yield EncodedRow(records[i].decode("utf-8"))

    def iter_items(self) -> Iterator[tuple[str, Any]]:
        yield from self._head.items()
        yield "facts", self._rows(self._facts, self._order)
        yield "agreement", self._matrix
        yield "inconsistencies", self._rows(self._inconsistencies, range(len(self._inconsistencies)))

    def to_dict(self) -> dict[str, Any]:
        """The whole section, fresh (a caller may change it without changing what is written)."""
        return {key: [json.loads(row.text() if isinstance(row, EncodedRowPieces) else row)
                      for row in value] if isinstance(value, Iterator)
                else copy.deepcopy(value) for key, value in self.iter_items()}


# ------------------------------------------------------------------ collecting mentions

def document_mentions(doc: Document, first_index: int = 0) -> list[Mention]:
    """One document's alignable mentions, numbered from ``first_index``."""
    article_events: set[str] = set()
    entities_by_sentence: dict[int, set[str]] = defaultdict(set)
    alignable: list[Span] = []
    for span in doc.get("facts"):
        label, a = span.label, span.attrs
        if label == "entity":
            if a.get("id"):
                entities_by_sentence[a["sentence"]].add(a["id"])
        elif label == "event":
            article_events.add(a["event"])
        elif (label == "date" and a.get("event") and a.get("slot") and a.get("low")) or \
                (label in NUMERIC and a.get("slot")):
            alignable.append(span)
    events = frozenset(article_events)
    text, meta = doc.text, doc.meta
    # Per sentence: its span, text and entities, shared by the sentence's mentions.
    sentences: dict[int, tuple[Span, str, frozenset[str]]] = {}
    mentions: list[Mention] = []
    for span in alignable:
        a = span.attrs
        if span.label == "date":
            low, high, unit, value = parse_date(a["low"]), parse_date(a["high"]), None, a.get("value")
        else:
            low, high, unit, value = a["low"], a["high"], a.get("unit"), a.get("display")
        index = a["sentence"]
        if index not in sentences:
            sentence = doc.sentences[index]
            sentences[index] = (sentence, text[sentence.start:sentence.end],
                                frozenset(entities_by_sentence[index]))
        sentence, sentence_text, entities = sentences[index]
        mentions.append(Mention(
            index=first_index + len(mentions), article=doc.id, outlet=meta.outlet,
            original_outlet=meta.original_outlet, kind=span.label, event=a.get("event"),
            slot=a["slot"], unit=unit, low=low, high=high,  # type: ignore[arg-type]
            approximate=bool(a.get("approximate")), value=str(value),
            text=text[span.start:span.end], start=span.start, end=span.end,
            sentence=sentence_text, sentence_start=sentence.start, sentence_end=sentence.end,
            entities=entities, counts_words=tuple(a.get("counts_words") or ()),
            attrs={k: a[k] for k in MENTION_ATTRS if k in a}, article_events=events))
    return mentions


#: A mention's fields after ``index``, as a plain tuple: what a record and the spool hold.
_mention_row = attrgetter(*(f.name for f in fields(Mention)[1:]))


class FactsRecord(NamedTuple):
    """What the facts stage keeps of one document: small and picklable, so it can be made
    where the document is (a worker process with ``--jobs N``) and the document dropped."""

    outlet: str
    mentions: tuple[tuple[Any, ...], ...]  # Mention fields after ``index``
    inconsistencies: tuple[dict[str, Any], ...]


class MentionStore(Protocol):
    """Mentions by number, appended in order: a list, or a :class:`MentionSpool`."""

    def append(self, mention: Mention) -> None: ...

    def __getitem__(self, index: int) -> Mention: ...

    def __len__(self) -> int: ...


class MentionSpool:
    """Mentions pickled to a temporary file: about 1.4 KB each in memory (sentence, entity
    sets, attributes), 8 bytes here."""

    def __init__(self) -> None:
        self._records = RecordFile("framing-mentions-")

    def append(self, mention: Mention) -> None:
        self._records.append(pickle.dumps(_mention_row(mention), protocol=pickle.HIGHEST_PROTOCOL))

    def __getitem__(self, index: int) -> Mention:
        return Mention(index, *pickle.loads(self._records[index]))

    def selected(self, flags: bytearray) -> Iterator[Mention]:
        """The mentions whose flag is set, in number order, the file read in blocks."""
        for index, (record, flag) in enumerate(zip(self._records, flags)):
            if flag:
                yield Mention(index, *pickle.loads(record))

    def __len__(self) -> int:
        return len(self._records)


def _selected(store: MentionStore, flags: bytearray) -> Iterator[Mention]:
    """``store``'s mentions whose flag is set, in number order: from a :class:`MentionSpool`,
    read in blocks rather than with one system call each."""
    if isinstance(store, MentionSpool):
        return store.selected(flags)
    return compress(store, flags)  # type: ignore[call-overload, no-any-return]


# ------------------------------------------------------------------ blocking and linking

def block_keys(m: Mention) -> list[tuple[Any, ...]]:
    """Blocking keys: the event slot when there is one, else one key per counted word."""
    if m.event is not None:
        return [("event", m.event, m.slot, m.kind if m.kind == "date" else m.unit)]
    return [("words", m.kind, m.unit, w) for w in m.counts_words]


def candidate_pairs(mentions: list[Mention], window: int = WINDOW) -> set[tuple[int, int]]:
    """Index pairs ``(low, high)`` of the candidate pairs (see :func:`iter_candidate_pairs`)."""
    return {(min(a.index, b.index), max(a.index, b.index))
            for a, b in iter_candidate_pairs(mentions, window)}


def iter_candidate_pairs(mentions: list[Mention], window: int = WINDOW
                         ) -> Iterator[tuple[Mention, Mention]]:
    """Each pair of event-less mentions (from different articles) sharing a block, once.

    A block holds the mentions sharing a key; one larger than ``window`` is sorted by value
    and each mention is paired only with the next ``window`` ones, so the number of pairs is
    at most ``keys x window x mentions``: linear in the corpus size.
    """
    by_index = {m.index: m for m in mentions}
    blocks = _Blocks(window)
    for m in mentions:
        if m.event is None:
            blocks.add(m)
    return blocks.pairs(by_index.__getitem__, lambda i: float(by_index[i].low))  # type: ignore[arg-type]


class _Member:
    """A mention loaded for its block, with what deciding its pairs asks of it, each read
    from the mention once per block rather than once per pair."""

    __slots__ = ("mention", "index", "article", "words", "entities", "single", "once", "earlier", "vector")

    def __init__(self, m: Mention, earlier: dict[str, tuple[int, int] | None]) -> None:
        self.mention, self.index, self.article, self.entities = m, m.index, m.article, m.entities
        self.words = frozenset(m.counts_words)
        self.single = len(m.counts_words) == 1  # counts one word: in one block only
        self.once = len(self.words) == len(m.counts_words)  # counts no word twice: in each of its blocks once
        #: Per word whose block came before this one: its first and last position there by
        #: value, or None when that block was small enough to pair every member.
        self.earlier = earlier
        #: Its sentence's TF-IDF vector, made when a pair first needs it (see :func:`_linked_members`).
        self.vector: dict[str, float] | None = None


class _Blocks:
    """The blocks of event-less mentions, as mention numbers, in the order their keys came.

    Two mentions counting several words alike share several blocks; their pair is yielded
    in the first block that pairs them, found from the blocks' memberships (and, for a
    block larger than the window, each member's positions in value order) rather than by
    remembering every pair yielded: that set, ~70 bytes per candidate pair, was the largest
    thing the facts stage held.
    """

    def __init__(self, window: int = WINDOW) -> None:
        self.window = window
        self.members: dict[tuple[Any, ...], array[int]] = {}
        self._number: dict[tuple[Any, ...], int] = {}
        # Per block larger than the window: its members by number, and their positions by value.
        self._positions: dict[tuple[Any, ...], tuple[array[int], array[int]]] = {}

    def add(self, m: Mention) -> None:
        for key in block_keys(m):
            members = self.members.get(key)
            if members is None:
                self._number[key] = len(self.members)
                members = self.members[key] = array(NUMBER)
            members.append(m.index)

    def pairs(self, load: Callable[[int], Mention], low: Callable[[int], float]
              ) -> Iterator[tuple[Mention, Mention]]:
        """Each candidate pair once, loading one block's mentions at a time by number."""
        return ((x.mention, y.mention) for batch in self.member_batches(load, low) for x, y in batch)

    def member_batches(self, load: Callable[[int], Mention], low: Callable[[int], float]
                       ) -> Iterator[list[tuple[_Member, _Member]]]:
        """:meth:`pairs`, each mention as its :class:`_Member` (made once per block), in lists:
        a small block's pairs, or in a large block each mention's with the window before it
        (held only that long), so that linking loops over lists, not a generator per pair."""
        for key, members in self.members.items():
            number = self._number[key]
            repeated: set[tuple[int, int]] = set()  # pairs of this block with a word counted twice
            if len(members) > self.window:
                ordered = sorted(members, key=lambda i: (low(i), i))
                by_number = sorted(zip(ordered, range(len(ordered))))
                self._positions[key] = (array(NUMBER, (i for i, _ in by_number)),
                                        array(NUMBER, (p for _, p in by_number)))
                recent: deque[_Member] = deque(maxlen=self.window)
                for i in ordered:
                    b = self._member(load(i), number)
                    yield self._first_met(zip(recent, repeat(b)), repeated)
                    recent.append(b)
            else:
                yield self._first_met(combinations([self._member(load(i), number) for i in members], 2),
                                      repeated)

    def _member(self, m: Mention, number: int) -> _Member:
        earlier: dict[str, tuple[int, int] | None] = {}
        for word in frozenset(m.counts_words):
            key = ("words", m.kind, m.unit, word)
            if self._number[key] < number:
                positions = self._positions.get(key)
                earlier[word] = None if positions is None else _places(*positions, m.index)
        return _Member(m, earlier)

    def _first_met(self, block_pairs: Iterable[tuple[_Member, _Member]], repeated: set[tuple[int, int]]
                   ) -> list[tuple[_Member, _Member]]:
        """The pairs of a block not met before: in an earlier block, or (``repeated``) in this one."""
        met = []
        paired_before = self._paired_before
        for x, y in block_pairs:
            if x.article == y.article:
                continue
            if not (x.single and y.once or y.single and x.once):  # else in one block, met once
                if x.earlier and y.earlier and paired_before(x, y):
                    continue
                if not (x.once and y.once):
                    a, b = x.index, y.index
                    pair = (a, b) if a < b else (b, a)
                    if pair in repeated:
                        continue
                    repeated.add(pair)
            met.append((x, y))
        return met

    def _paired_before(self, x: _Member, y: _Member) -> bool:
        """Whether the block of a word both count, before this one, paired them."""
        theirs = y.earlier
        for word, mine in x.earlier.items():
            if word not in theirs:
                continue
            other = theirs[word]
            # Positions of one mention are consecutive (same value, same number): ranges.
            if mine is None or other is None or \
                    other[0] - mine[1] <= self.window and mine[0] - other[1] <= self.window:
                return True
        return False


def _places(numbers: array[int], places: array[int], i: int) -> tuple[int, int]:
    """The first and last position of mention ``i`` in a sorted block (two when it counts a
    word twice)."""
    start = bisect_left(numbers, i)
    end = start
    while end + 1 < len(numbers) and numbers[end + 1] == i:
        end += 1
    return places[start], places[end]  # ascending: sorted by (number, position)


#: Weights of :func:`link_score`: what is counted, sentence similarity, shared actors.
WORDS_WEIGHT, COSINE_WEIGHT, ACTORS_WEIGHT = 0.5, 0.3, 0.2
#: A cosine can exceed 1 by a rounding error (a sentence with itself).
_MAX_COSINE = 1.0 + 1e-9


def _jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def link_score(a: Mention, b: Mention, cosine: float) -> float:
    """How likely two event-less numbers state the same fact (0-1).

    Half comes from what they count (Jaccard of content words), 0.3 from the TF-IDF cosine of
    their sentences, 0.2 from the named actors and places they share.
    """
    return WORDS_WEIGHT * _jaccard(set(a.counts_words), set(b.counts_words)) + \
        COSINE_WEIGHT * cosine + ACTORS_WEIGHT * _jaccard(a.entities, b.entities)


def _linked(a: Mention, b: Mention, tfidf: SentenceTfidf) -> bool:
    """``link_score(a, b, cosine) >= LINK_THRESHOLD``, computing the cosine only when it decides.

    The cosine lies in [0, 1]: when the other two terms reach the threshold without it, or
    cannot reach it even with 1, the answer is already known (for most candidate pairs).
    """
    return _linked_members(_Member(a, {}), _Member(b, {}), tfidf)


def _linked_members(x: _Member, y: _Member, tfidf: SentenceTfidf) -> bool:
    """:func:`_linked` of two block members; a member's sentence vector is made once, for its
    first pair that needs it (a member meets up to a window of others)."""
    # Each union's size from the intersection's, not a third set built per pair.
    shared = len(x.words & y.words)
    words_union = len(x.words) + len(y.words) - shared
    counted = WORDS_WEIGHT * (shared / words_union if words_union else 0.0)
    shared = len(x.entities & y.entities)
    actors_union = len(x.entities) + len(y.entities) - shared
    actors = ACTORS_WEIGHT * (shared / actors_union if actors_union else 0.0)
    if counted + actors >= LINK_THRESHOLD:
        return True
    if counted + COSINE_WEIGHT * _MAX_COSINE + actors < LINK_THRESHOLD:
        return False
    if x.vector is None:
        x.vector = tfidf.vector(x.mention.sentence)
    if y.vector is None:
        y.vector = tfidf.vector(y.mention.sentence)
    return counted + COSINE_WEIGHT * cosine_of(x.vector, y.vector) + actors >= LINK_THRESHOLD


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = array(NUMBER, range(n))  # 4 bytes a mention; a list of ints takes 36

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i


def _article_event_for(m: Mention, by_slot: dict[tuple[str, str | None], list[tuple[Any, ...]]]
                       ) -> tuple[Any, ...] | None:
    """The event fact an event-less casualty/troop count joins, if there is exactly one.

    "The Health Ministry said 164 people died." names no event in its paragraph; when the
    article names events elsewhere and exactly one of them has this quantity (deaths, troops)
    as a fact in the corpus, the count is about that event. Counts of other things (slots
    "unit:words", with a colon) never join this way.
    """
    if ":" in m.slot or not m.article_events:
        return None
    keys = [k for k in by_slot.get((m.slot, m.unit), ()) if k[1] in m.article_events]
    return keys[0] if len(keys) == 1 else None


EVENT_FROM = "the event the article names elsewhere"


class _Alignment:
    """Mentions grouped into facts, holding numbers in memory and the mentions in ``store``.

    :meth:`add` takes the corpus's mentions one document at a time and keeps, per mention,
    its offset in the store (a :class:`MentionSpool`), its value (to sort large blocks) and
    whether it names an event; per event slot, the numbers of its mentions; per term, the
    number of mention sentences holding it (the IDF). :meth:`groups` places the event-less
    mentions, links them block by block and yields each fact's mentions, read back.
    """

    def __init__(self, store: MentionStore) -> None:
        self.store = store
        self.events: dict[tuple[Any, ...], array[int]] = {}
        self.lows = array("d")
        self.eventless = bytearray()
        self.tfidf = SentenceTfidf()
        self.candidate_pairs = 0

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """One document's mentions (:class:`FactsRecord` rows), numbered on from the last."""
        sentences: dict[int, str] = {}
        for row in rows:
            m = Mention(len(self.store), *row)
            self.store.append(m)
            self.lows.append(float(m.low) if m.event is None else 0.0)  # type: ignore[arg-type]
            self.eventless.append(m.event is None)
            if m.event is not None:
                self.events.setdefault(block_keys(m)[0], array(NUMBER)).append(m.index)
            sentences.setdefault(m.sentence_start, m.sentence)
        for sentence in sentences.values():  # one IDF row per (article, sentence)
            self.tfidf.add(sentence)

    def _place_eventless(self) -> tuple[_Blocks, array[int]]:
        """Event-less mentions an article's event adopts join its group (in number order);
        the others are loose: their blocks, and their numbers."""
        by_slot: dict[tuple[str, str | None], list[tuple[Any, ...]]] = defaultdict(list)
        for key in self.events:
            by_slot[(key[2], key[3])].append(key)
        blocks = _Blocks()
        loose = array(NUMBER)
        for m in _selected(self.store, self.eventless):
            i = m.index
            home = _article_event_for(m, by_slot)
            if home is not None:
                self.events[home].append(i)
                continue
            loose.append(i)
            blocks.add(m)
        return blocks, loose

    def _link(self, blocks: _Blocks) -> _UnionFind:
        """Union-find of the loose mentions, over the candidate pairs of each block."""
        uf = _UnionFind(len(self.store))
        parent, tfidf = uf.parent, self.tfidf
        pairs = 0
        last, root_b = None, -1
        for batch in blocks.member_batches(self.store.__getitem__, self.lows.__getitem__):
            pairs += len(batch)
            for x, y in batch:
                # uf.find, inlined. A large block's batch pairs one ``y`` with a window of
                # others: its root is found once, and stays a root (only x's root is joined).
                if y is not last:
                    last, root_b = y, y.index
                    while parent[root_b] != root_b:
                        parent[root_b] = parent[parent[root_b]]
                        root_b = parent[root_b]
                root_a = x.index
                while parent[root_a] != root_a:
                    parent[root_a] = parent[parent[root_a]]
                    root_a = parent[root_a]
                if root_a != root_b and _linked_members(x, y, tfidf):  # already joined: nothing to decide
                    parent[root_a] = root_b
        self.candidate_pairs += pairs
        return uf

    def groups(self) -> Iterator[tuple[Sequence[int], str | None]]:
        """Each fact as its mentions' numbers, and the event whose group it is (which adopts
        the event-less ones in it): the event slots' groups first, then the linked components."""
        blocks, loose = self._place_eventless()
        uf = self._link(blocks)
        del blocks
        for key, members in self.events.items():
            yield members, key[1]
        components: dict[int, array[int]] = {}
        for i in loose:
            components.setdefault(uf.find(i), array(NUMBER)).append(i)
        del uf, loose
        for members in components.values():
            yield members, None

    def mention(self, i: int, event: str | None) -> Mention:
        """Mention ``i`` as a member of ``event``'s group."""
        m = self.store[i]
        if event is None or m.event is not None:
            return m
        return replace(m, event=event, attrs={**m.attrs, "event": event, "event_from": EVENT_FROM})

    def mentions(self, members: Sequence[int], event: str | None) -> Iterator[Mention]:
        return (self.mention(i, event) for i in members)


class _UniqueIds:
    """Two event-less facts may count the same words: the second id gets ``#2``, and so on."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = defaultdict(int)

    def __call__(self, fact_id: str) -> str:
        self.seen[fact_id] += 1
        return fact_id if self.seen[fact_id] == 1 else f"{fact_id}#{self.seen[fact_id]}"


# ------------------------------------------------------------------ judging

def _interval(m: Mention) -> tuple[float, float]:
    if isinstance(m.low, date):
        return float(m.low.toordinal()), float(m.high.toordinal())  # type: ignore[union-attr]
    low, high = float(m.low), float("inf") if m.high is None else float(m.high)
    if not m.approximate:
        if m.unit == "%":  # shares are rounded to a point at most: 81.3% and 81% agree, 77% does not
            low, high = low - PERCENT_POINTS, high + PERCENT_POINTS
        else:
            low, high = low * (1 - COUNT_TOLERANCE), high * (1 + COUNT_TOLERANCE)
    return low, high


def _is_day_start(m: Mention) -> bool:
    return m.attrs.get("aspect") == "start" and m.attrs.get("granularity") == "day"


def _within(m: Mention, event: Event) -> bool:
    low, high = _interval(m)
    return low <= event.end.toordinal() and event.start.toordinal() <= high


def compatible(a: Mention, b: Mention, event: Event | None = None) -> bool:
    """Same value within tolerance (see module docstring)."""
    if a.kind != b.kind or a.unit != b.unit:
        return False
    (al, ah), (bl, bh) = _interval(a), _interval(b)
    if al <= bh and bl <= ah:
        return True
    if a.kind == "date" and a.slot == "date" and event is not None and event.multi_day:
        if _is_day_start(a) and _is_day_start(b):
            return False  # two different start days are not both right
        return _within(a, event) and _within(b, event)
    return False


#: A summary's largest lower end and smallest upper end, each with its mention.
Bounds = tuple[tuple[float, Mention], tuple[float, Mention]]


class _Bounds:
    """:data:`Bounds` of mentions seen one at a time (ties go to the lower number)."""

    __slots__ = ("low", "high")

    def __init__(self) -> None:
        self.low: tuple[float, Mention] | None = None
        self.high: tuple[float, Mention] | None = None

    def add(self, m: Mention, interval: tuple[float, float]) -> None:
        # ``(low, -m.index) > (kept, -its index)`` (and ``<`` for the high end), without
        # making the tuples: the largest facts add most of the corpus's mentions here.
        low, high = interval
        kept = self.low
        if kept is None or low > kept[0] or (low == kept[0] and m.index < kept[1].index):
            self.low = (low, m)
        kept = self.high
        if kept is None or high < kept[0] or (high == kept[0] and m.index < kept[1].index):
            self.high = (high, m)

    def bounds(self) -> Bounds | None:
        return None if self.low is None or self.high is None else (self.low, self.high)


@dataclass(frozen=True)
class _Extremes:
    """One outlet's mentions of a fact, summarised so two outlets compare in O(1).

    Some pair of intervals fails to overlap exactly when one side's smallest upper end lies
    below the other side's largest lower end. For the date of a multi-day event, dates inside
    the event's known dates are compatible with each other, so only pairs with at least one
    date outside it can clash: ``outside`` summarises those. Two day-precise dates that both
    give the event's *start* ("protests began on January 2" / "... on January 4") get no such
    latitude: ``starts`` summarises those, and they must be the same day.
    """

    everything: Bounds | None
    outside: Bounds | None
    starts: Bounds | None = None

    def clash(self, other: "_Extremes") -> tuple[Mention, Mention] | None:
        if self.outside is self.everything and other.outside is other.everything:
            # No event window (see _ExtremesBuilder.build): one comparison decides, and
            # most outlet pairs of the largest facts are of this kind.
            return _bounds_clash(self.everything, other.everything)
        for mine, theirs in ((self.outside, other.everything), (self.everything, other.outside),
                             (self.starts, other.starts)):
            found = _bounds_clash(mine, theirs)
            if found is not None:
                return found
        return None


def _bounds_clash(mine: Bounds | None, theirs: Bounds | None) -> tuple[Mention, Mention] | None:
    """The two mentions whose intervals do not overlap, if some of the two sides do not."""
    if mine is None or theirs is None:
        return None
    (my_low, my_low_m), (my_high, my_high_m) = mine
    (their_low, their_low_m), (their_high, their_high_m) = theirs
    if my_high < their_low:
        return my_high_m, their_low_m
    if their_high < my_low:
        return my_low_m, their_high_m
    return None


class _ExtremesBuilder:
    """:class:`_Extremes` of mentions seen one at a time: a fact's mentions are read back
    from disk one by one, and the largest facts hold a good part of the corpus's."""

    def __init__(self, window: Event | None) -> None:
        self.window = window
        self.everything, self.outside, self.starts = _Bounds(), _Bounds(), _Bounds()

    def add(self, m: Mention) -> None:
        interval = _interval(m)
        self.everything.add(m, interval)
        if self.window is not None:
            if not _within(m, self.window):
                self.outside.add(m, interval)
            if _is_day_start(m):
                self.starts.add(m, interval)

    def build(self) -> _Extremes:
        everything = self.everything.bounds()
        if self.window is None:  # no event dates to fall inside: every mention is "outside"
            return _Extremes(everything, everything)
        return _Extremes(everything, self.outside.bounds(), self.starts.bounds())


def _estimated_year(m: Mention) -> bool:
    """A date whose year was guessed from a publication date known only roughly."""
    return m.kind == "date" and m.approximate and m.attrs.get("resolution") == "inferred-year"


class _Verdict(NamedTuple):
    """A fact judged, without its mentions (which may be on disk)."""

    id: str
    first: Mention
    description: str
    status: str
    outlets: list[str]
    pairs: tuple[dict[str, Any], ...]
    explanation: str


def _listing_key(m: Mention) -> tuple[str, str, int]:
    """The order of a fact's mentions in analysis.json."""
    return m.outlet, m.article, m.start


def judge(group: list[Mention], gazetteer: Gazetteer, names: Mapping[str, str] | None = None) -> Fact:
    """Status and per-outlet-pair relation of one fact; ``names``: outlet id -> the name its
    explanation gives (the id where none is given)."""
    v = _verdict(group, gazetteer, names or {})
    return Fact(v.id, v.first.event, v.first.slot, v.first.kind, v.first.unit, v.description,
                v.status, tuple(sorted(group, key=_listing_key)), v.pairs, v.explanation)


def _verdict(mentions: Iterable[Mention], gazetteer: Gazetteer, names: Mapping[str, str]) -> _Verdict:
    """:func:`judge` reading the mentions once, one at a time, keeping a few per outlet."""
    def named(outlet: str) -> str:
        return names.get(outlet, outlet)

    remaining = iter(mentions)
    first = next(remaining)
    event = gazetteer.events.get(first.event) if first.event else None
    window = event if (first.kind == "date" and first.slot == "date" and event is not None
                       and event.multi_day) else None
    builders: dict[str, _ExtremesBuilder] = {}
    seen_values: dict[str, set[str]] = {}
    for m in chain((first,), remaining):
        builder = builders.get(m.outlet)
        if builder is None:
            builder = builders[m.outlet] = _ExtremesBuilder(window)
            seen_values[m.outlet] = set()
        builder.add(m)
        seen_values[m.outlet].add(m.value)
    summaries = {outlet: builder.build() for outlet, builder in builders.items()}
    values = {outlet: ", ".join(sorted(vs)) for outlet, vs in seen_values.items()}
    outlets = sorted(builders)
    stated = {outlet: f"{named(outlet)} ({values[outlet]})" for outlet in outlets}
    pairs = []
    for a, b in combinations(outlets, 2):
        clash = summaries[a].clash(summaries[b])
        relation = "conflict" if clash else "agree"
        if clash:
            x, y = clash
            if x.outlet != a:
                x, y = y, x
            why = f"{named(a)} says '{x.text}' ({x.value}) but {named(b)} says '{y.text}' ({y.value})"
            if _is_day_start(x) and _is_day_start(y):
                why += " as the day it began"
            estimated = [m for m in (x, y) if _estimated_year(m)]
            if estimated:
                why += "".join(f" (the year of {named(m.outlet)}'s '{m.text}' was inferred from an approximate "
                               "publication date, so this conflict may come from that estimate)"
                               for m in estimated)
        else:
            why = f"{stated[a]} and {stated[b]} are compatible"
        pairs.append({"outlets": [a, b], "relation": relation, "why": why})
    status = ("single-source" if len(outlets) < 2 else
              "conflict" if any(p["relation"] == "conflict" for p in pairs) else "agree")
    description = describe(first, event, gazetteer)
    explanation = {
        "single-source": f"Only {named(first.outlet)} states {description}.",
        "agree": f"{len(outlets)} outlets state {description} and their values are compatible.",
        "conflict": f"Outlets state {description} with incompatible values: "
                    + "; ".join(p["why"] for p in pairs if p["relation"] == "conflict") + ".",
    }[status]
    fact_id = (f"{first.event}/{first.slot}" if first.event else
               f"{first.kind}/{first.unit or 'count'}/{'-'.join(first.counts_words)}")
    return _Verdict(fact_id, first, description, status, outlets, tuple(pairs), explanation)


def describe(m: Mention, event: Event | None, gazetteer: Gazetteer) -> str:
    """A phrase a student can read: 'the date of the January 2022 unrest in Kazakhstan'."""
    if m.kind == "date" and event is not None:
        return f"the {m.slot.replace('-', ' ')} of {event.description}"
    quantity = next((q for q in gazetteer.quantities if q.id == m.slot), None)
    what = quantity.label if quantity else trim_phrase(str(m.attrs.get("counts") or "")) \
        or " ".join(m.counts_words) or m.slot
    unit = f" ({m.unit})" if m.unit else ""
    return f"{what}{unit}" + (f" in {event.description}" if event else "")


# ------------------------------------------------------------------ agreement matrix

def agreement_matrix(facts: Iterable[Fact | _Verdict], outlets: Iterable[str]) -> list[dict[str, Any]]:
    """Per pair of outlets: facts both state, and how many of those agree or conflict."""
    cells = {tuple(p): {"outlets": list(p), "shared": 0, "agree": 0, "conflict": 0}
             for p in combinations(sorted(outlets), 2)}
    for fact in facts:
        for pair in fact.pairs:
            cell = cells.setdefault(tuple(pair["outlets"]), {"outlets": pair["outlets"], "shared": 0,
                                                             "agree": 0, "conflict": 0})
            cell["shared"] += 1
            cell[pair["relation"]] += 1
    return list(cells.values())


#: Facts are listed conflicts first, then agreements, then single-source facts.
STATUSES = ("conflict", "agree", "single-source")
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUSES)}
#: Where a judged fact goes in the listing: status rank, minus its outlets, id; its row number.
FactKey = tuple[int, int, str, int]


def _fact_order(fact: Fact) -> tuple[int, int, str]:
    return STATUS_ORDER[fact.status], -len(fact.outlets), fact.id


def _judged(alignment: _Alignment, gazetteer: Gazetteer, names: Mapping[str, str]) -> Iterator[Fact]:
    unique = _UniqueIds()
    for group in alignment.groups():
        fact = judge(list(alignment.mentions(*group)), gazetteer, names)
        yield replace(fact, id=unique(fact.id))


def _record(doc: Document, gazetteer: Gazetteer) -> FactsRecord:
    return FactsRecord(doc.meta.outlet, tuple(map(_mention_row, document_mentions(doc))),
                       tuple(document_inconsistencies(doc, gazetteer)))


def align_facts(documents: Iterable[Document], gazetteer: Gazetteer,
                names: Mapping[str, str] | None = None) -> FactsSection:
    """Align, judge and check the fact mentions of analysed documents, in memory
    (``names``: outlet id -> the name explanations give).

    ``documents`` is read once, in order (it may be read back from disk one at a time);
    only mention records and inconsistencies are kept from it. For a few documents (the
    audit's): the corpus stage is :func:`facts_stage`.
    """
    alignment = _Alignment([])
    inconsistencies: list[dict[str, Any]] = []
    outlets: set[str] = set()
    for record in (_record(doc, gazetteer) for doc in documents):
        alignment.add(record.mentions)
        inconsistencies.extend(record.inconsistencies)
        outlets.add(record.outlet)
    facts = sorted(_judged(alignment, gazetteer, names or {}), key=_fact_order)
    return FactsSection(tuple(facts), tuple(agreement_matrix(facts, sorted(outlets))),
                        tuple(inconsistencies), alignment.candidate_pairs, len(alignment.store),
                        gazetteer.provenance())


def collect_facts(doc: Document, config: AnalysisConfig) -> FactsRecord:
    """The facts stage's work on one document (where it was analysed): its mentions and
    inconsistencies, so the stage itself never reads a document."""
    return _record(doc, gazetteer_for(config))


def _encoded(row: dict[str, Any]) -> bytes:
    return encode_compact(row).encode("utf-8")


class FactsIntake:
    """The facts stage's records, taken in as they come (while later articles are still
    being analysed, see ``register_corpus_stage``): the mentions numbered, stored and placed
    in their event slots, the IDF counted, the inconsistencies written as their rows."""

    def __init__(self, spooled: bool) -> None:
        """``spooled``: the mentions go to disk (:class:`MentionSpool`). A corpus small enough
        for its documents to stay in memory keeps its mentions there too: reading them back
        from disk costs more than they weigh beside the documents."""
        self.alignment = _Alignment(MentionSpool() if spooled else [])
        self.inconsistencies = RecordFile("framing-inconsistencies-")
        self.outlets: set[str] = set()

    def append(self, record: FactsRecord) -> None:
        self.alignment.add(record.mentions)
        for item in record.inconsistencies:
            self.inconsistencies.append(_encoded(item))
        self.outlets.add(record.outlet)


def take_facts(corpus: Corpus, config: AnalysisConfig) -> FactsIntake:
    return FactsIntake(spooled=len(corpus) > SPOOL_ABOVE)


@register_corpus_stage("facts", order=500, collect=collect_facts, take=take_facts)
def facts_stage(context: CorpusContext, intake: FactsIntake) -> SpooledFactsSection:
    """Corpus stage: ``analysis.json["facts"]``, from each document's :class:`FactsRecord`,
    taken in by ``intake`` as they came.

    As :func:`align_facts`, with the mentions, the judged facts and the inconsistencies on
    disk: in memory, a few numbers per mention and a sort key per fact.
    """
    gazetteer = gazetteer_for(context.config)
    alignment, inconsistencies, outlets = intake.alignment, intake.inconsistencies, intake.outlets
    rows = RecordFile("framing-facts-")
    keys: list[FactKey] = []
    # No outlet pair lies outside the corpus's outlets: counted in judged order, not listed, alike.
    matrix = agreement_matrix(_spool_facts(alignment, gazetteer, context.corpus.outlet_names(), rows, keys),
                              sorted(outlets))
    keys.sort()
    statuses: dict[str, int] = defaultdict(int)
    for rank, *_ in keys:
        statuses[STATUSES[rank]] += 1
    summary = _summary(statuses, len(keys), sum(1 for key in keys if -key[1] >= 2),
                       len(alignment.store), alignment.candidate_pairs, len(inconsistencies))
    return SpooledFactsSection(rows, array("q", (key[3] for key in keys)),
                               {"summary": summary, "method": _method(gazetteer.provenance())},
                               matrix, inconsistencies)


def _spool_facts(alignment: _Alignment, gazetteer: Gazetteer, names: Mapping[str, str],
                 rows: RecordFile, keys: list[FactKey]) -> Iterator[_Verdict]:
    """Each fact judged and written as its row, its key kept; passed on for the matrix.

    A fact's mentions are read back one at a time, judged, and each encoded as its JSON
    with its place in the listing noted; the row is then written from those in listing
    order. The JSON is held in memory unless the fact has more than :data:`HELD_MENTIONS`
    mentions: then it goes to a scratch file.
    """
    unique = _UniqueIds()
    scratch = RecordFile("framing-fact-mentions-")
    for members, event in alignment.groups():
        held = len(members) <= HELD_MENTIONS
        encoded: list[bytes] | RecordFile = [] if held else scratch
        if not held:
            scratch.clear()
        places: list[tuple[str, str, int, int]] = []
        verdict = _verdict(_noted(alignment.mentions(members, event), places, encoded), gazetteer, names)
        verdict = verdict._replace(id=unique(verdict.id))
        places.sort()
        keys.append((STATUS_ORDER[verdict.status], -len(verdict.outlets), verdict.id, len(rows)))
        rows.append_pieces(_fact_row(verdict, [encoded[place[3]] for place in places] if held
                                     else (scratch[place[3]] for place in places)))
        yield verdict


def _noted(mentions: Iterable[Mention], places: list[tuple[str, str, int, int]],
           encoded: list[bytes] | RecordFile) -> Iterator[Mention]:
    """The mentions, each appended to ``encoded`` as JSON and its listing key and number there
    noted in ``places`` on the way."""
    for position, m in enumerate(mentions):
        places.append((m.outlet, m.article, m.start, position))
        encoded.append(_encoded(m.to_dict()))
        yield m


def _fact_row(v: _Verdict, listed: Iterable[bytes]) -> Iterator[bytes]:
    """``_encoded(fact.to_dict())`` in pieces, from its mentions' JSON in listing order
    (a list of them is joined into one piece)."""
    head = encode_compact(_fact_head(v.id, v.first, v.description, v.status, v.outlets,
                                     v.explanation, v.pairs))
    yield (head[:-1] + ', "mentions": [').encode("utf-8")
    if isinstance(listed, list):
        yield b", ".join(listed)
    else:
        for n, mention in enumerate(listed):
            yield b", " + mention if n else mention
    yield b"]}"

@register_provenance
def gazetteer_provenance(config: AnalysisConfig) -> dict[str, Any]:
    return {"gazetteer": gazetteer_for(config).provenance()}
