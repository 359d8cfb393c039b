"""Shared test helpers: paths to the seeds and fixtures, and an analysed-seeds fixture."""
from __future__ import annotations

import warnings
from datetime import date
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


def one_sentence_doc(text: str, published: date | None, precision: str = "day"):
    """A document whose whole text is one kept paragraph and one sentence (for extractor tests)."""
    from framing.document import ArticleMeta, Document, Span

    meta = ArticleMeta(id="t", outlet="o", source="t.txt", published=published,
                       date_precision=precision)
    doc = Document(text=text, meta=meta)
    doc.spans["body"] = [Span(0, len(text), "paragraph")]
    doc.spans["sentences"] = [Span(0, len(text), "sentence", {"block": "paragraph"})]
    return doc
