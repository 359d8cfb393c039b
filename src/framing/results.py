"""The result of analysing a corpus: documents with spans, corpus-level sections,
and the provenance that makes every figure reproducible.

``AnalysisResult.to_dict()`` is the JSON written to ``analysis.json``
(schema ``framing.analysis/1``).
"""
from __future__ import annotations

import platform
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol

from . import __version__
from .corpus import Corpus
from .document import Document, Span
from .pipeline import AnalysisConfig

SCHEMA = "framing.analysis/1"
#: Span keys written per article besides findings (findings are listed once, flattened).
ARTICLE_SPAN_KEYS = ("junk", "layout", "body", "sentences")


class Section(Protocol):
    """A corpus-level result (profiles, label map, facts) that serialises itself."""

    def to_dict(self) -> Any: ...


@dataclass(frozen=True)
class SkippedArticle:
    id: str
    source: str
    error: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "error": self.error}


@dataclass(frozen=True)
class AnalysisResult:
    corpus: Corpus
    documents: tuple[Document, ...]
    finding_keys: tuple[str, ...]
    config: AnalysisConfig
    sections: Mapping[str, Section] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    skipped: tuple[SkippedArticle, ...] = ()

    def document(self, article_id: str) -> Document:
        for doc in self.documents:
            if doc.id == article_id:
                return doc
        raise KeyError(article_id)

    def findings(self, doc: Document) -> list[tuple[str, Span]]:
        """Every finding span of ``doc`` as ``(span key, span)`` in document order."""
        pairs = [(key, span) for key in self.finding_keys for span in doc.get(key)]
        return sorted(pairs, key=lambda kv: (kv[1].start, kv[1].end))

    def section(self, name: str) -> Any:
        return self.sections[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "provenance": dict(self.provenance),
            "corpus": {**self.corpus.to_dict(), "articles": len(self.documents)},
            "articles": [article_to_dict(doc, self.findings(doc)) for doc in self.documents],
            **{name: section.to_dict() for name, section in self.sections.items()},
            "skipped": [s.to_dict() for s in self.skipped],
        }


def finding_to_dict(key: str, span: Span, text: str) -> dict[str, Any]:
    return {"key": key, "category": span.label, "text": text[span.start:span.end],
            "start": span.start, "end": span.end, **dict(span.attrs)}


def article_to_dict(doc: Document, findings: list[tuple[str, Span]]) -> dict[str, Any]:
    other_keys = [k for k in doc.spans if k not in ARTICLE_SPAN_KEYS and k not in {f for f, _ in findings}]
    return {
        **doc.meta.to_dict(),
        "characters": len(doc.text),
        "metrics": dict(doc.metrics),
        **{key: [s.to_dict(doc.text) for s in doc.get(key)] for key in ARTICLE_SPAN_KEYS},
        "findings": [finding_to_dict(k, s, doc.text) for k, s in findings],
        "spans": {k: [s.to_dict(doc.text) for s in doc.get(k)] for k in sorted(other_keys)},
    }


def base_provenance(config: AnalysisConfig) -> dict[str, Any]:
    return {"framing_version": __version__, "python": platform.python_version(),
            "config": config.to_dict()}
