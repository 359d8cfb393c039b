"""The analysis stage: a few chunks of articles in flight with --jobs N; two-phase corpus stages."""
from __future__ import annotations

import warnings
from concurrent.futures import Future
from typing import Any

import pytest

import framing.analysis as analysis
import framing.components  # noqa: F401  (the built-in corpus stages, before the tests copy them)
from framing.pipeline import AnalysisConfig


class CountingPool:
    """Runs each chunk at once and counts the articles submitted but not yet handed back."""

    def __init__(self, **_: Any) -> None:
        self.outstanding = self.peak = 0

    def __enter__(self) -> "CountingPool":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def submit(self, function: Any, batch: list[int]) -> Future:
        pool = self

        class Counted(Future):
            def result(self, timeout: float | None = None) -> Any:
                pool.outstanding -= len(batch)
                return super().result(timeout)

        self.outstanding += len(batch)
        self.peak = max(self.peak, self.outstanding)
        future = Counted()
        future.set_result([f"done {n}" for n in batch])
        return future


def test_the_pool_keeps_a_few_chunks_in_flight_not_the_corpus(monkeypatch) -> None:
    pool = CountingPool()
    monkeypatch.setattr(analysis, "ProcessPoolExecutor", lambda **kw: pool)
    results = list(analysis._analyse_in_pool(range(1000), AnalysisConfig(jobs=2), chunk=10))
    assert results == [f"done {n}" for n in range(1000)]  # corpus order
    assert pool.peak <= 2 * analysis.CHUNKS_PER_WORKER * 10
    assert pool.outstanding == 0


def test_analyze_hands_frozen_objects_back_to_the_collector(tmp_path) -> None:
    """analyze() freezes long-lived objects for speed; none may stay frozen after it, even on error."""
    import gc

    from framing.errors import FramingError

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "wire_a.txt").write_text("The minister said the talks went well.\n", encoding="utf-8")
    assert gc.get_freeze_count() == 0
    analysis.analyze(folder)
    assert gc.get_freeze_count() == 0
    (folder / "wire_b.txt").write_bytes(b"")  # an empty article stops the run
    with pytest.raises(FramingError):
        analysis.analyze(folder)
    assert gc.get_freeze_count() == 0


def _length_record(doc: Any, config: AnalysisConfig) -> tuple[str, int]:
    return doc.id, len(doc.text)


class _Lengths:
    """A custom two-phase corpus stage's section: what it was given, in order."""

    def __init__(self, records: list[tuple[str, int]]) -> None:
        self.records = records

    def to_dict(self) -> list[list[Any]]:
        return [list(r) for r in self.records]


def _bad_and_good_articles(folder) -> None:
    folder.mkdir()
    (folder / "wire_a.txt").write_text("The minister said the talks went well.\n", encoding="utf-8")
    (folder / "wire_b.txt").write_bytes(b"")  # skipped with skip_bad
    (folder / "daily_c.txt").write_text("Protesters gathered in the square on Monday.\n", encoding="utf-8")



@pytest.mark.parametrize("jobs, spool_above", [(1, 2_000), (2, 2_000), (1, 0), (2, 0)])
def test_a_collecting_stage_gets_one_record_per_analysed_article_in_corpus_order(
        tmp_path, monkeypatch, jobs: int, spool_above: int) -> None:
    monkeypatch.setattr(analysis, "_CORPUS_STAGES", dict(analysis._CORPUS_STAGES))
    monkeypatch.setattr(analysis, "_COLLECTORS", dict(analysis._COLLECTORS))
    given = []

    @analysis.register_corpus_stage("lengths", order=900, collect=_length_record)
    def lengths_stage(context: analysis.CorpusContext, records: Any) -> _Lengths:
        given.append(records)
        return _Lengths(list(records))

    _bad_and_good_articles(tmp_path / "corpus")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analysis.analyze(tmp_path / "corpus", AnalysisConfig(jobs=jobs, options={"skip_bad": True}),
                                  spool_above=spool_above)
    assert [s.id for s in result.skipped] == ["wire_b"]
    assert result.sections["lengths"].records == [(d.id, len(d.text)) for d in result.documents]
    assert len(result.sections["lengths"].records) == 2
    assert isinstance(given[0], list if spool_above else analysis.RecordSpool)


class _Taken:
    """A record store that notes when each record came (before or after the analysis ended)."""

    def __init__(self, corpus: Any, config: AnalysisConfig) -> None:
        self.records: list[tuple[str, int]] = []
        self.corpus_size = len(corpus)

    def append(self, record: tuple[str, int]) -> None:
        self.records.append(record)


@pytest.mark.parametrize("jobs, spool_above", [(1, 2_000), (2, 2_000), (1, 0), (2, 0)])
def test_a_stage_with_a_record_store_takes_them_as_they_come_in_corpus_order(
        tmp_path, monkeypatch, jobs: int, spool_above: int) -> None:
    monkeypatch.setattr(analysis, "_CORPUS_STAGES", dict(analysis._CORPUS_STAGES))
    monkeypatch.setattr(analysis, "_COLLECTORS", dict(analysis._COLLECTORS))
    monkeypatch.setattr(analysis, "_TAKERS", dict(analysis._TAKERS))
    taken_before_stages = []
    run_stages = analysis.run_corpus_stages

    def noting_run(context: analysis.CorpusContext, records: Any = None) -> Any:
        taken_before_stages.append(list(records["lengths"].records))
        return run_stages(context, records)

    monkeypatch.setattr(analysis, "run_corpus_stages", noting_run)

    @analysis.register_corpus_stage("lengths", order=900, collect=_length_record, take=_Taken)
    def lengths_stage(context: analysis.CorpusContext, records: Any) -> _Lengths:
        assert isinstance(records, _Taken) and records.corpus_size == 3
        return _Lengths(records.records)

    _bad_and_good_articles(tmp_path / "corpus")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analysis.analyze(tmp_path / "corpus", AnalysisConfig(jobs=jobs, options={"skip_bad": True}),
                                  spool_above=spool_above)
    expected = [(d.id, len(d.text)) for d in result.documents]
    assert taken_before_stages == [expected] and result.sections["lengths"].records == expected
    with pytest.raises(ValueError, match="needs a collector"):
        analysis.register_corpus_stage("nothing", order=901, take=_Taken)


def test_a_stage_without_a_collector_is_called_with_the_context_only(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(analysis, "_CORPUS_STAGES", dict(analysis._CORPUS_STAGES))
    monkeypatch.setattr(analysis, "_COLLECTORS", dict(analysis._COLLECTORS))

    @analysis.register_corpus_stage("ids", order=900)
    def ids_stage(context: analysis.CorpusContext) -> _Lengths:
        return _Lengths([(d.id, 0) for d in context.documents])

    _bad_and_good_articles(tmp_path / "corpus")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analysis.analyze(tmp_path / "corpus", AnalysisConfig(options={"skip_bad": True}))
    assert result.sections["ids"].records == [(d.id, 0) for d in result.documents]
    assert "ids" not in analysis._COLLECTORS


def test_with_jobs_the_documents_come_decoded_with_their_analysis_json_lines(seeds_result) -> None:
    from conftest import SEEDS
    from framing.spool import EncodedDocuments

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parallel = analysis.analyze(SEEDS, AnalysisConfig(jobs=2))
    assert isinstance(parallel.documents, EncodedDocuments) and parallel.documents.has_encoded
    assert parallel.documents == seeds_result.documents  # a tuple, equal document by document
    assert "".join(parallel.iter_json()) == "".join(seeds_result.iter_json())
    assert b"".join(parallel.iter_json().iter_bytes()) == "".join(seeds_result.iter_json()).encode()
