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
