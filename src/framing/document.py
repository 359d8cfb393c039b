"""The document model: the original text, exactly as read, plus spans over it.

Every annotation in framing is a :class:`Span` with character offsets into
``Document.text``. Cleaning marks junk; it never rewrites the text, so any
finding can be located in the user's own file.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Mapping


# Spans with equal attributes share one read-only mapping: most spans repeat a few
# attribute sets (a sentence's block, a term's rationale), and on a large corpus the
# copies were a quarter of the analysed corpus in memory. Bounded: cleared when full.
_SHARED_ATTRS: dict[tuple[Any, ...], Mapping[str, Any]] = {}
#: The same mappings by identity (held here, so an id is not reused while listed): a caller
#: that builds one mapping for many spans (a block's sentences) pays for one lookup each.
_SHARED_BY_ID: dict[int, Mapping[str, Any]] = {}
_SHARED_ATTRS_MAX = 50_000
_SHAREABLE = frozenset((str, int, float, bool, type(None)))
_NO_ATTRS: Mapping[str, Any] = MappingProxyType({})


def frozen_attrs(attrs: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``attrs``, shared with earlier spans whose attributes are equal
    (a mapping this function returned is returned as it is)."""
    if not attrs:
        return _NO_ATTRS
    if type(attrs) is MappingProxyType and _SHARED_BY_ID.get(id(attrs)) is attrs:
        return attrs
    values = tuple(attrs.values())
    types = tuple(map(type, values))
    if not _SHAREABLE.issuperset(types):
        return MappingProxyType(dict(attrs))
    # Flat tuples of names, values and types: no (name, value) pair to build per attribute.
    # The types (and a float's repr) are part of the key, so that True and 1, or 0.0 and
    # -0.0, which Python holds equal, stay apart.
    key = (tuple(attrs), values, types, tuple(map(repr, values)) if float in types else None)
    shared = _SHARED_ATTRS.get(key)
    if shared is None:
        if len(_SHARED_ATTRS) >= _SHARED_ATTRS_MAX:
            _SHARED_ATTRS.clear()
            _SHARED_BY_ID.clear()
        shared = _SHARED_ATTRS[key] = MappingProxyType(dict(attrs))
        _SHARED_BY_ID[id(shared)] = shared
    return shared


@dataclass(frozen=True, slots=True, init=False)
class Span:
    """A labelled range ``text[start:end]`` with read-only attributes."""

    start: int
    end: int
    label: str
    attrs: Mapping[str, Any] = field(default_factory=dict)

    # Written out rather than generated with a __post_init__, and setting the slots through
    # their own setters (below the class; frozen refuses plain assignment), which skips
    # object.__setattr__'s lookup by name: the pipeline creates a span for every sentence
    # and finding, so creating one is a measurable share of the run.
    def __init__(self, start: int, end: int, label: str,
                 attrs: Mapping[str, Any] = _NO_ATTRS) -> None:
        if not 0 <= start <= end:
            raise ValueError(f"span offsets out of order: ({start}, {end})")
        _set_start(self, start)
        _set_end(self, end)
        _set_label(self, label)
        _set_attrs(self, frozen_attrs(attrs))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A mappingproxy cannot be pickled; --jobs N sends spans between processes.
        return (Span, (self.start, self.end, self.label, dict(self.attrs)))

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self, text: str) -> dict[str, Any]:
        """JSON form: the offsets, the label, the exact text and the attributes."""
        return {"start": self.start, "end": self.end, "label": self.label,
                "text": text[self.start:self.end], **dict(self.attrs)}


_set_start, _set_end, _set_label, _set_attrs = (
    getattr(Span, name).__set__ for name in ("start", "end", "label", "attrs"))


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What the manifest (or the file name) says about one article."""

    id: str
    outlet: str
    source: str
    title: str | None = None
    author: str | None = None
    published: date | None = None
    date_precision: str = "day"
    language: str = "en"
    kind: str = "news"
    url: str | None = None
    original_outlet: str | None = None
    note: str | None = None
    text_format: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "outlet": self.outlet, "source": self.source,
            "title": self.title, "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "date_precision": self.date_precision, "language": self.language,
            "kind": self.kind, "url": self.url, "original_outlet": self.original_outlet,
            "note": self.note, "text_format": self.text_format,
        }


@dataclass(slots=True)
class Document:
    """One article: original text, metadata, spans grouped by key, and metrics.

    Extractors never mutate a document; the pipeline stores what they return
    under their ``assigns`` key. ``metrics`` holds whole-document numbers
    (readability) that are not spans.
    """

    text: str
    meta: ArticleMeta
    spans: dict[str, list[Span]] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    _sentence_starts: tuple[int, list[int]] | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def get(self, key: str) -> list[Span]:
        """Spans under ``key`` in document order; empty when nothing assigned it."""
        return self.spans.get(key, [])

    def text_of(self, span: Span) -> str:
        return self.text[span.start:span.end]

    @property
    def sentences(self) -> list[Span]:
        return self.get("sentences")

    @property
    def body(self) -> list[Span]:
        return self.get("body")

    def body_text(self) -> str:
        """The kept paragraphs joined by blank lines (for whole-text measures only)."""
        return "\n\n".join(self.text_of(s) for s in self.body)

    def sentence_index(self, offset: int) -> int | None:
        """Index of the sentence that contains ``offset``, or None (O(log n))."""
        sentences = self.sentences
        if self._sentence_starts is None or self._sentence_starts[0] != id(sentences):
            self._sentence_starts = (id(sentences), [s.start for s in sentences])
        starts = self._sentence_starts[1]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and sentences[i].start <= offset < sentences[i].end:
            return i
        return None

    def sentence_of(self, span: Span) -> Span | None:
        i = self.sentence_index(span.start)
        return None if i is None else self.sentences[i]
