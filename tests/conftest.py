"""Shared test helpers: paths to the seeds and fixtures, and an analysed-seeds fixture."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def seeds_result():
    """The seeds analysed once per test session (analysis is deterministic)."""
    import framing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return framing.analyze(SEEDS)
