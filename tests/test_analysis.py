"""The analysis stage: with --jobs N only a few chunks of articles are in flight at a time."""
from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import framing.analysis as analysis
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

    import pytest

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
