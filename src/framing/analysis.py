"""The analysis stage: stream documents through the pipeline, then corpus stages.

Per-document work streams (and runs in worker processes with ``jobs > 1``);
corpus-level stages (profiles, label map, fact alignment) run once over the
analysed documents, in registration order. A corpus stage registered with a
collector has its per-document part done right after each document is analysed,
where it was analysed, and is then given the collected records. On a large corpus
the analysed documents, each made into its spool record and analysis.json line
where it was analysed, are kept on disk (:class:`~framing.spool.DocumentSpool`),
and so are the collected records: the main process appends bytes.
"""
from __future__ import annotations

import functools
import gc
import pickle
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol, Sequence

from tqdm import tqdm

from .corpus import ArticleEntry, Corpus, load_corpus
from .document import Document
from .errors import CorpusChangedError, FramingError
from .pipeline import AnalysisConfig, Pipeline
from .results import (AnalysisResult, Section, SkippedArticle, article_json, base_provenance,
                      ordered_findings)
from .spool import (DocumentDecoder, DocumentEncoder, DocumentSpool, EncodedDocuments, LineSpool,
                    RecordSpool, StoredDocument)

#: Above this many articles the analysed documents are spooled to disk (about 66 KiB of
#: memory per article otherwise); below it they stay in memory, read back for free.
SPOOL_ABOVE = 2_000
#: Chunks of articles queued per worker process: enough to keep it busy, not the corpus.
CHUNKS_PER_WORKER = 2


@dataclass(frozen=True)
class CorpusContext:
    """What a corpus stage reads: the corpus, its analysed documents, earlier sections."""

    corpus: Corpus
    documents: Sequence[Document]  # a tuple, or a DocumentSpool on a large corpus
    config: AnalysisConfig
    sections: dict[str, Section]


CorpusStage = Callable[..., Section]  # (context) or, with a collector, (context, records)
#: ``(doc, config) -> record``: what a corpus stage keeps of one analysed document.
Collector = Callable[[Document, AnalysisConfig], Any]


class RecordStore(Protocol):
    """Takes a corpus stage's records in corpus order, as they come (see ``take`` in
    :func:`register_corpus_stage`)."""

    def append(self, record: Any) -> None: ...


#: ``(corpus, config) -> store`` for a stage's records, made before any article is analysed.
RecordTaker = Callable[[Corpus, AnalysisConfig], RecordStore]
_CORPUS_STAGES: dict[str, tuple[CorpusStage, int]] = {}
_COLLECTORS: dict[str, Collector] = {}
_TAKERS: dict[str, RecordTaker] = {}
ProvenanceHook = Callable[[AnalysisConfig], dict[str, Any]]
_PROVENANCE_HOOKS: list[ProvenanceHook] = []


def register_corpus_stage(name: str, order: int, collect: Collector | None = None,
                          take: RecordTaker | None = None) -> Callable[[CorpusStage], CorpusStage]:
    """Register a corpus stage; its result is ``result.sections[name]``.

    Without ``collect`` the stage is ``stage(context) -> section``. With it, ``collect(doc,
    config)`` runs on each document right after it is analysed (in the worker process with
    ``--jobs N``) and returns a compact picklable record, and the stage is ``stage(context,
    records) -> section`` with the records of the analysed documents in corpus order, to be
    iterated once (they are on disk on a large corpus): the main process then never reads
    the documents back, and the per-document part of the stage runs in parallel.

    With ``take`` too, each record is handed, as it comes (while later articles are still
    being analysed), to the store ``take(corpus, config)`` made, and the stage is given that
    store instead of the records: what the store does with them (fact alignment numbers,
    stores and places its mentions) is then off the serial tail that follows the analysis.
    """
    if take is not None and collect is None:
        raise ValueError(f"corpus stage {name!r}: a record store needs a collector")

    def decorate(stage: CorpusStage) -> CorpusStage:
        _CORPUS_STAGES[name] = (stage, order)
        for registry, value in ((_COLLECTORS, collect), (_TAKERS, take)):
            if value is None:
                registry.pop(name, None)
            else:
                registry[name] = value  # type: ignore[assignment]
        return stage
    return decorate


def register_provenance(hook: ProvenanceHook) -> ProvenanceHook:
    """Register a function adding provenance (e.g. lexicon versions and hashes)."""
    _PROVENANCE_HOOKS.append(hook)
    return hook


def _ordered_stages() -> list[tuple[str, CorpusStage]]:
    from . import components  # noqa: F401  (registers corpus stages too)

    return [(name, stage) for name, (stage, _) in
            sorted(_CORPUS_STAGES.items(), key=lambda kv: (kv[1][1], kv[0]))]


_FINDING_KEYS: tuple[AnalysisConfig, tuple[str, ...]] | None = None


def finding_keys_of(config: AnalysisConfig) -> tuple[str, ...]:
    """Span keys whose spans are findings in ``config``'s pipeline. Remembered for the last
    config only: collectors ask once per document, and building a pipeline is costly."""
    global _FINDING_KEYS
    if _FINDING_KEYS is None or _FINDING_KEYS[0] is not config:
        _FINDING_KEYS = (config, tuple(Pipeline.from_config(config).finding_keys))
    return _FINDING_KEYS[1]


@dataclass(frozen=True)
class ArticleWork:
    """What is made of each article where it is analysed, besides its document."""

    collectors: tuple[Collector, ...] = ()  # one record each, in corpus-stage order
    #: Send the document as a :class:`StoredDocument` with its analysis.json line: the
    #: worker does the encoding, the main process only stores or decodes it.
    encoded: bool = False
    spooled: bool = False  # the documents go to disk
    #: Per collector, whether its record is sent pickled: it goes to a :class:`RecordSpool`
    #: (a stage without a record store, on a spooled run), and is pickled where it was made,
    #: not in the main process. A record store takes the record itself: pickling it only to
    #: unpickle it at once (in one process with ``--jobs 1``) cost 0.1 s per 1,000 articles.
    pickled: tuple[bool, ...] = ()
    finding_keys: tuple[str, ...] = ()


class Analysed(NamedTuple):
    """One analysed article as the main process receives it."""

    document: Document | StoredDocument  # a StoredDocument when ``ArticleWork.encoded``
    records: tuple[Any, ...]  # one per collector; bytes where ``ArticleWork.pickled`` says so


class ArticleWorker:
    """Analyses articles and prepares what the main process keeps of each, so that the main
    process appends or decodes bytes instead of encoding documents."""

    def __init__(self, config: AnalysisConfig, work: ArticleWork,
                 pipeline: Pipeline | None = None) -> None:
        self.config, self.work = config, work
        self.pipeline = pipeline or Pipeline.from_config(config)
        self.encoder = (DocumentEncoder(functools.partial(_article_line, work.finding_keys))
                        if work.encoded else None)

    def __call__(self, entry: ArticleEntry) -> Analysed | SkippedArticle:
        item = analyse_entry(entry, self.pipeline, self.config)
        if isinstance(item, SkippedArticle):
            return item
        records = tuple(collect(item, self.config) for collect in self.work.collectors)
        if any(self.work.pickled):
            records = tuple(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) if pickled else r
                            for r, pickled in zip(records, self.work.pickled))
        return Analysed(item if self.encoder is None else self.encoder(item), records)


def _article_line(finding_keys: tuple[str, ...], doc: Document) -> str:
    return article_json(doc, ordered_findings(doc, finding_keys))


# One worker per worker process, built once by the pool initialiser.
_WORKER: ArticleWorker | None = None


def _init_worker(config: AnalysisConfig, work: ArticleWork) -> None:
    global _WORKER
    _WORKER = ArticleWorker(config, work)
    gc.freeze()  # the pipeline lives as long as the worker: keep collections off it


def _analyse_entries(entries: list[ArticleEntry]) -> list[Analysed | SkippedArticle]:
    assert _WORKER is not None
    return [_WORKER(entry) for entry in entries]


def analyse_entry(entry: ArticleEntry, pipeline: Pipeline,
                  config: AnalysisConfig) -> Document | SkippedArticle:
    """One article through the pipeline; with ``skip_bad`` a bad file is recorded, not fatal."""
    try:
        return pipeline(entry.load(config.max_file_bytes, config.encoding))
    except CorpusChangedError:
        raise
    except FramingError as exc:
        if config.options.get("skip_bad"):
            return SkippedArticle(entry.meta.id, entry.meta.source, str(exc))
        raise


def iter_analysed(corpus: Corpus, config: AnalysisConfig,
                  progress: bool = False) -> Iterator[Document | SkippedArticle]:
    """Analysed documents in corpus order, streamed; parallel when ``config.jobs > 1``."""
    for item in _iter_worked(corpus, config, ArticleWork(), progress):
        yield item if isinstance(item, SkippedArticle) else item.document  # type: ignore[misc]


def _iter_worked(corpus: Corpus, config: AnalysisConfig, work: ArticleWork, progress: bool = False,
                 pipeline: Pipeline | None = None) -> Iterator[Analysed | SkippedArticle]:
    """Each article's :class:`Analysed` (or why it was skipped) in corpus order; parallel when
    ``config.jobs > 1``."""
    entries: Iterable[ArticleEntry] = corpus.entries
    # disable=None: tqdm shows the bar only on a terminal.
    bar = tqdm(total=len(corpus), desc="analysing", unit="article", disable=None if progress else True,
               leave=False)
    try:
        if config.jobs > 1 and len(corpus) > 1:
            chunk = max(1, min(64, len(corpus) // (config.jobs * 4) or 1))
            for item in _analyse_in_pool(entries, config, chunk, work):
                bar.update()
                yield item
        else:
            worker = ArticleWorker(config, work, pipeline)
            for entry in entries:
                item = worker(entry)
                bar.update()
                yield item
    finally:
        bar.close()


def _analyse_in_pool(entries: Iterable[ArticleEntry], config: AnalysisConfig, chunk: int,
                     work: ArticleWork = ArticleWork()) -> Iterator[Analysed | SkippedArticle]:
    """Results in corpus order with at most ``CHUNKS_PER_WORKER`` chunks queued per worker.

    ``Executor.map`` would submit the whole corpus at once and hold every finished
    document it has not yet handed back; this keeps the work in flight bounded.
    """
    pending: deque[Future[list[Analysed | SkippedArticle]]] = deque()
    remaining = iter(entries)
    chunks = iter(lambda: list(islice(remaining, chunk)), [])  # lists of up to ``chunk``
    with ProcessPoolExecutor(max_workers=config.jobs, initializer=_init_worker,
                             initargs=(config, work)) as pool:
        try:
            for batch in chunks:
                pending.append(pool.submit(_analyse_entries, batch))
                if len(pending) >= config.jobs * CHUNKS_PER_WORKER:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:  # an error or an abandoned generator: drop queued work
                future.cancel()


def run_corpus_stages(context: CorpusContext,
                      records: Mapping[str, Iterable[Any]] | None = None) -> dict[str, Section]:
    """Every corpus stage in order; a stage with a collector is given its ``records``."""
    records = records or {}
    for name, stage in _ordered_stages():
        if name in records:
            context.sections[name] = stage(context, records[name])
        else:
            context.sections[name] = stage(context)
    return context.sections


def collect_provenance(config: AnalysisConfig) -> dict[str, Any]:
    """Package version, config and every registered hook's additions (lexicon hashes)."""
    from . import components  # noqa: F401  (registers provenance hooks too)

    provenance = base_provenance(config)
    for hook in _PROVENANCE_HOOKS:
        provenance.update(hook(config))
    return provenance


def analyze(source: str | Path | Corpus, config: AnalysisConfig | None = None, *,
            progress: bool = False, spool_above: int = SPOOL_ABOVE) -> AnalysisResult:
    """Analyse a corpus (a path or a loaded :class:`Corpus`) and return the result.

    With more than ``spool_above`` articles, ``result.documents`` is a
    :class:`DocumentSpool` (on disk, read back on demand) instead of a tuple, and the
    corpus stages' records are kept on disk too.
    """
    config = config or AnalysisConfig()
    corpus = source if isinstance(source, Corpus) else load_corpus(source)
    pipeline = Pipeline.from_config(config)  # checks the wiring before any work
    finding_keys = tuple(pipeline.finding_keys)
    spooled = len(corpus) > spool_above
    collecting = [name for name, _ in _ordered_stages() if name in _COLLECTORS]
    # With --jobs N every document is encoded in its worker: the main process decodes it,
    # three times faster than unpickling a Document, and its analysis.json line is ready.
    work = ArticleWork(tuple(_COLLECTORS[name] for name in collecting),
                       encoded=spooled or (config.jobs > 1 and len(corpus) > 1), spooled=spooled,
                       pickled=tuple(spooled and name not in _TAKERS for name in collecting),
                       finding_keys=finding_keys)
    kept = _Kept(work, {name: _TAKERS[name](corpus, config) for name in collecting if name in _TAKERS},
                 collecting)
    skipped = []
    # Objects that live for the whole run (modules, lexicons, the articles analysed so far)
    # are frozen out of the garbage collector's reach: every full collection walks all
    # tracked objects, so with the corpus in memory each article's collections cost more
    # as the corpus grew (~20% of the CPU at 1,000 articles). Unfrozen at the end, so any
    # garbage cycle frozen by the way is still collected later.
    gc.freeze()
    try:
        for item in _iter_worked(corpus, config, work, progress, pipeline):
            if isinstance(item, SkippedArticle):
                skipped.append(item)
                continue
            kept.add(item)
            gc.freeze()
        documents = kept.documents()
        context = CorpusContext(corpus, documents, config, {})
        sections = run_corpus_stages(context, kept.records)
    finally:
        gc.unfreeze()
        kept.close_records()
    provenance = collect_provenance(config)
    return AnalysisResult(corpus=corpus, documents=documents,
                          finding_keys=finding_keys, config=config,
                          sections=sections, provenance=provenance, skipped=tuple(skipped))


class _Kept:
    """What the main process keeps of the analysed articles: their documents (on disk when
    spooled), their analysis.json lines when made in the workers, each corpus stage's records."""

    def __init__(self, work: ArticleWork, taken: dict[str, RecordStore], collecting: list[str]) -> None:
        """``taken``: the stores of the stages that take their records as they come."""
        self._spool = DocumentSpool() if work.spooled else None
        self._documents: list[Document] = []
        self._decoder = DocumentDecoder() if work.encoded and not work.spooled else None
        self._lines = LineSpool() if self._decoder is not None else None
        self._pickled = work.pickled or (False,) * len(collecting)
        self.records: dict[str, list[Any] | RecordStore] = {
            name: taken[name] if name in taken else RecordSpool() if work.spooled else []
            for name in collecting}

    def add(self, item: Analysed) -> None:
        if self._spool is not None:
            self._spool.add(item.document)  # type: ignore[arg-type]
        elif self._decoder is not None and self._lines is not None:
            stored: StoredDocument = item.document  # type: ignore[assignment]
            self._documents.append(self._decoder(stored))
            self._lines.append(stored.line)  # type: ignore[arg-type]
        else:
            self._documents.append(item.document)  # type: ignore[arg-type]
        for store, record, pickled in zip(self.records.values(), item.records, self._pickled):
            if pickled:
                store.append_pickled(record)  # type: ignore[union-attr]
            else:
                store.append(record)

    def documents(self) -> Sequence[Document]:
        if self._spool is not None:
            return self._spool
        if self._lines is not None:
            return EncodedDocuments(self._documents, self._lines)
        return tuple(self._documents)

    def close_records(self) -> None:
        """Remove the records' temporary files: each stage has read its records."""
        for store in self.records.values():
            if isinstance(store, RecordSpool):
                store.close()
