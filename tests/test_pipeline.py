"""The extractor contract, checked over every registered extractor, and pipeline wiring."""
from __future__ import annotations

from typing import ClassVar

import pytest

from framing.corpus import load_corpus
from framing.document import ArticleMeta, Document, Span
from framing.errors import PipelineError
from framing.pipeline import AnalysisConfig, Extractor, Pipeline, registered_extractors

from conftest import FIXTURES, SEEDS

FINDING_ATTRS = {"voice", "speaker", "explanation"}


def sample_documents() -> list[Document]:
    docs = [entry.load() for entry in load_corpus(SEEDS).entries]
    docs.append(Document(text=(FIXTURES / "cleaning" / "generic_page.txt").read_text(encoding="utf-8"),
                         meta=ArticleMeta(id="generic", outlet="x", source="generic_page.txt")))
    docs.append(Document(text="x", meta=ArticleMeta(id="tiny", outlet="x", source="tiny")))
    return docs


@pytest.fixture(scope="module")
def prepared():
    """Each sample document run through the whole default pipeline, and the pipeline."""
    pipeline = Pipeline.from_config(AnalysisConfig())
    return pipeline, [pipeline(doc) for doc in sample_documents()]


@pytest.mark.parametrize("name", registered_extractors())
def test_extractor_contract(prepared, name):
    pipeline, docs = prepared
    extractor = next(e for e in pipeline.extractors if e.name == name)
    assert isinstance(extractor, Extractor)
    assert isinstance(extractor.assigns, str) and extractor.assigns
    for doc in docs:
        before = {k: list(v) for k, v in doc.spans.items()}
        first = extractor(doc)
        second = extractor(doc)
        assert doc.spans == before, f"{name} mutated the document"
        assert sorted(first, key=_key) == sorted(second, key=_key), f"{name} is not deterministic"
        assert sorted(first, key=_key) == doc.get(extractor.assigns)
        for span in first:
            assert isinstance(span, Span)
            assert 0 <= span.start <= span.end <= len(doc.text)
            if extractor.findings:
                assert span.end > span.start
                assert FINDING_ATTRS <= set(span.attrs), f"{name} finding lacks {FINDING_ATTRS}"
                assert span.attrs["voice"] in ("outlet", "quoted")
                assert span.attrs["explanation"]


def _key(span: Span):
    return (span.start, span.end, span.label)


def test_pipeline_refuses_missing_requirements():
    class NeedsQuotes:
        name: ClassVar[str] = "needs-quotes"
        requires: ClassVar[tuple[str, ...]] = ("quotes-that-nobody-assigns",)
        assigns: ClassVar[str] = "x"
        findings: ClassVar[bool] = False

        def __call__(self, doc):
            return []

    with pytest.raises(PipelineError, match="requires span keys"):
        Pipeline([NeedsQuotes()])


def test_unknown_extractor_name():
    with pytest.raises(PipelineError, match="unknown extractors"):
        Pipeline.from_config(AnalysisConfig(extractors=("no-such-thing",)))


def test_sentence_index_finds_containing_sentence(prepared):
    _, docs = prepared
    doc = docs[0]
    for i, sentence in enumerate(doc.sentences):
        assert doc.sentence_index(sentence.start) == i
        assert doc.sentence_index(sentence.end - 1) == i
    assert doc.sentence_index(0) is None or doc.sentences[0].start == 0
