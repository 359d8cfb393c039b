"""The analysis stage: stream documents through the pipeline, then corpus stages.

Per-document work streams (and runs in worker processes with ``jobs > 1``);
corpus-level stages (profiles, label map, fact alignment) run once over the
analysed documents, in registration order. On a large corpus the analysed
documents are kept on disk (:class:`~framing.spool.DocumentSpool`), not in
memory, so a corpus stage should iterate ``context.documents`` once and keep
only compact records.
"""
from __future__ import annotations

import gc
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from tqdm import tqdm

from .corpus import ArticleEntry, Corpus, load_corpus
from .document import Document
from .errors import FramingError
from .pipeline import AnalysisConfig, Pipeline
from .results import (AnalysisResult, Section, SkippedArticle, article_json, base_provenance,
                      ordered_findings)
from .spool import DocumentSpool

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


CorpusStage = Callable[[CorpusContext], Section]
_CORPUS_STAGES: dict[str, tuple[CorpusStage, int]] = {}
ProvenanceHook = Callable[[AnalysisConfig], dict[str, Any]]
_PROVENANCE_HOOKS: list[ProvenanceHook] = []


def register_corpus_stage(name: str, order: int,
                          collect: Callable[[Document, AnalysisConfig], Any] | None = None
                          ) -> Callable[[Callable[..., Section]], Callable[..., Section]]:
    """Register ``context -> section``; its result is ``result.sections[name]``."""
    def decorate(stage: Callable[..., Section]) -> Callable[..., Section]:
        if collect is None:
            _CORPUS_STAGES[name] = (stage, order)
        else:
            # THROW-AWAY SHIM (perf-factsmem), until the "parallel" branch's two-phase corpus
            # stages: ``stage(context, records)`` with ``collect(doc, config)`` run here, in order.
            _CORPUS_STAGES[name] = (lambda context: stage(
                context, (collect(doc, context.config) for doc in context.documents)), order)
        return stage
    return decorate


def register_provenance(hook: ProvenanceHook) -> ProvenanceHook:
    """Register a function adding provenance (e.g. lexicon versions and hashes)."""
    _PROVENANCE_HOOKS.append(hook)
    return hook


# One pipeline per worker process, built once by the pool initialiser.
_WORKER_PIPELINE: Pipeline | None = None
_WORKER_CONFIG: AnalysisConfig | None = None


def _init_worker(config: AnalysisConfig) -> None:
    global _WORKER_PIPELINE, _WORKER_CONFIG
    _WORKER_PIPELINE, _WORKER_CONFIG = Pipeline.from_config(config), config
    gc.freeze()  # the pipeline lives as long as the worker: keep collections off it


def _analyse_entries(entries: list[ArticleEntry]) -> list[Document | SkippedArticle]:
    assert _WORKER_PIPELINE is not None and _WORKER_CONFIG is not None
    return [analyse_entry(entry, _WORKER_PIPELINE, _WORKER_CONFIG) for entry in entries]


def analyse_entry(entry: ArticleEntry, pipeline: Pipeline,
                  config: AnalysisConfig) -> Document | SkippedArticle:
    """One article through the pipeline; with ``skip_bad`` a bad file is recorded, not fatal."""
    try:
        return pipeline(entry.load(config.max_file_bytes, config.encoding))
    except FramingError as exc:
        if config.options.get("skip_bad"):
            return SkippedArticle(entry.meta.id, entry.meta.source, str(exc))
        raise


def iter_analysed(corpus: Corpus, config: AnalysisConfig,
                  progress: bool = False) -> Iterator[Document | SkippedArticle]:
    """Analysed documents in corpus order, streamed; parallel when ``config.jobs > 1``."""
    entries: Iterable[ArticleEntry] = corpus.entries
    # disable=None: tqdm shows the bar only on a terminal.
    bar = tqdm(total=len(corpus), desc="analysing", unit="article", disable=None if progress else True,
               leave=False)
    try:
        if config.jobs > 1 and len(corpus) > 1:
            chunk = max(1, min(64, len(corpus) // (config.jobs * 4) or 1))
            for item in _analyse_in_pool(entries, config, chunk):
                bar.update()
                yield item
        else:
            pipeline = Pipeline.from_config(config)
            for entry in entries:
                item = analyse_entry(entry, pipeline, config)
                bar.update()
                yield item
    finally:
        bar.close()


def _analyse_in_pool(entries: Iterable[ArticleEntry], config: AnalysisConfig,
                     chunk: int) -> Iterator[Document | SkippedArticle]:
    """Results in corpus order with at most ``CHUNKS_PER_WORKER`` chunks queued per worker.

    ``Executor.map`` would submit the whole corpus at once and hold every finished
    document it has not yet handed back; this keeps the work in flight bounded.
    """
    pending: deque[Future[list[Document | SkippedArticle]]] = deque()
    remaining = iter(entries)
    chunks = iter(lambda: list(islice(remaining, chunk)), [])  # lists of up to ``chunk``
    with ProcessPoolExecutor(max_workers=config.jobs, initializer=_init_worker,
                             initargs=(config,)) as pool:
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


def run_corpus_stages(context: CorpusContext) -> dict[str, Section]:
    from . import components  # noqa: F401  (registers corpus stages too)

    for name, (stage, _) in sorted(_CORPUS_STAGES.items(), key=lambda kv: (kv[1][1], kv[0])):
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
    :class:`DocumentSpool` (on disk, read back on demand) instead of a tuple.
    """
    config = config or AnalysisConfig()
    corpus = source if isinstance(source, Corpus) else load_corpus(source)
    pipeline = Pipeline.from_config(config)  # checks the wiring before any work
    finding_keys = tuple(pipeline.finding_keys)
    kept: list[Document] | DocumentSpool = (
        DocumentSpool(encode=lambda doc: article_json(doc, ordered_findings(doc, finding_keys)))
        if len(corpus) > spool_above else [])
    skipped = []
    # Objects that live for the whole run (modules, lexicons, the articles analysed so far)
    # are frozen out of the garbage collector's reach: every full collection walks all
    # tracked objects, so with the corpus in memory each article's collections cost more
    # as the corpus grew (~20% of the CPU at 1,000 articles). Unfrozen at the end, so any
    # garbage cycle frozen by the way is still collected later.
    gc.freeze()
    try:
        for item in iter_analysed(corpus, config, progress):
            if isinstance(item, SkippedArticle):
                skipped.append(item)
            else:
                kept.append(item)
                gc.freeze()
        documents = kept if isinstance(kept, DocumentSpool) else tuple(kept)
        context = CorpusContext(corpus, documents, config, {})
        sections = run_corpus_stages(context)
    finally:
        gc.unfreeze()
    provenance = collect_provenance(config)
    return AnalysisResult(corpus=corpus, documents=documents,
                          finding_keys=finding_keys, config=config,
                          sections=sections, provenance=provenance, skipped=tuple(skipped))
