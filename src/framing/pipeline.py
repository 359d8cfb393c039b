"""Extractors as small registered components, and the pipeline that runs them.

An extractor declares the span keys it ``requires`` and the one key it
``assigns``; :class:`Pipeline` checks the wiring before any document runs
(as spaCy does), calls each extractor, and stores what it returns. Extractors
never mutate the document themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, ClassVar, Protocol, runtime_checkable

from .document import Document, Span
from .errors import PipelineError


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings every component may read; part of each result's provenance."""

    lexicon_paths: tuple[Path, ...] = ()
    use_default_lexicons: bool = True
    jobs: int = 1
    max_file_bytes: int = 20_000_000
    encoding: str = "utf-8"
    extractors: tuple[str, ...] | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"lexicon_paths": [str(p) for p in self.lexicon_paths],
                "use_default_lexicons": self.use_default_lexicons,
                "max_file_bytes": self.max_file_bytes, "encoding": self.encoding,
                "extractors": list(self.extractors) if self.extractors else None,
                "options": dict(self.options)}


@runtime_checkable
class Extractor(Protocol):
    """One job over a document: read some span keys, return spans for one key."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[str]
    #: True when the spans are framing findings (category, voice, explanation).
    findings: ClassVar[bool]

    def __call__(self, doc: Document) -> list[Span]: ...


ExtractorFactory = Callable[[AnalysisConfig], Extractor]
#: The order of a key's spans: ``(start, end, label)``, the tuple made in C (~115 spans an article).
_SPAN_ORDER = attrgetter("start", "end", "label")

#: name -> (factory, position). Position orders the default pipeline.
_REGISTRY: dict[str, tuple[ExtractorFactory, int]] = {}


def register_extractor(name: str, order: int) -> Callable[[ExtractorFactory], ExtractorFactory]:
    """Register a factory ``config -> extractor`` under ``name``.

    ``order`` places it in the default pipeline (cleaning 0-99, segmentation
    100-199, voice 200-299, cues 300-499, facts 500-699, measures 700+).
    """
    def decorate(factory: ExtractorFactory) -> ExtractorFactory:
        if name in _REGISTRY and _REGISTRY[name][0] is not factory:
            raise PipelineError(f"extractor {name!r} is registered twice")
        _REGISTRY[name] = (factory, order)
        return factory
    return decorate


def registered_extractors() -> list[str]:
    """Names of all registered extractors in default pipeline order."""
    _import_components()
    return [name for name, _ in sorted(_REGISTRY.items(), key=lambda kv: (kv[1][1], kv[0]))]


Measure = Callable[[Document], dict[str, Any]]
#: name -> (measure, span keys it reads). Measures run after every extractor.
_MEASURES: dict[str, tuple[Measure, tuple[str, ...]]] = {}


def register_measure(name: str, requires: tuple[str, ...] = ()) -> Callable[[Measure], Measure]:
    """Register ``doc -> dict`` whose result is stored as ``doc.metrics[name]``.

    Measures are whole-document numbers (readability, a sourcing summary), not
    spans; they run once all extractors have, in registration order.
    """
    def decorate(measure: Measure) -> Measure:
        _MEASURES[name] = (measure, tuple(requires))
        return measure
    return decorate


def _import_components() -> None:
    # Importing the component modules runs their @register_extractor decorators.
    from . import components  # noqa: F401


class Pipeline:
    """Runs extractors in order after checking that each one's inputs exist."""

    def __init__(self, extractors: list[Extractor],
                 measures: list[tuple[str, Measure]] | None = None) -> None:
        available: set[str] = set()
        for ext in extractors:
            missing = [key for key in ext.requires if key not in available]
            if missing:
                raise PipelineError(
                    f"extractor {ext.name!r} requires span keys {missing} that no earlier "
                    "extractor assigns; add the extractor that assigns them before it")
            available.add(ext.assigns)
        self.extractors = extractors
        self.measures = list(measures or [])

    @classmethod
    def from_config(cls, config: AnalysisConfig) -> "Pipeline":
        _import_components()  # an explicit list must see the full registry too
        names = list(config.extractors) if config.extractors else registered_extractors()
        unknown = [n for n in names if n not in _REGISTRY]
        if unknown:
            raise PipelineError(f"unknown extractors {unknown}; known: {registered_extractors()}")
        extractors = [_REGISTRY[n][0](config) for n in names]
        # A measure runs when the chosen extractors provide every key it reads.
        available = {e.assigns for e in extractors}
        measures = [(name, fn) for name, (fn, needs) in _MEASURES.items() if set(needs) <= available]
        return cls(extractors, measures)

    @property
    def finding_keys(self) -> list[str]:
        return [e.assigns for e in self.extractors if e.findings]

    def __call__(self, doc: Document) -> Document:
        for ext in self.extractors:
            spans = ext(doc)
            doc.spans[ext.assigns] = sorted(spans, key=_SPAN_ORDER)
        for name, measure in self.measures:
            doc.metrics[name] = measure(doc)
        return doc
