"""The result of analysing a corpus: documents with spans, corpus-level sections,
and the provenance that makes every figure reproducible.

``AnalysisResult.to_dict()`` is the JSON written to ``analysis.json``
(schema ``framing.analysis/1``).
"""
from __future__ import annotations

import functools
import gc
import json
import platform
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Generic, Iterable, Iterator, Mapping, Protocol, Sequence, TypeVar

from . import __version__
from .corpus import Corpus
from .document import Document, Span
from .pipeline import AnalysisConfig

SCHEMA = "framing.analysis/1"
_T = TypeVar("_T")
#: Span keys written per article besides findings (findings are listed once, flattened).
ARTICLE_SPAN_KEYS = ("junk", "layout", "body", "sentences")


class EncodedRow(str):
    """A table row a section has already written as compact JSON (``json.dumps(row,
    ensure_ascii=False)`` exactly): streamed into analysis.json as it is."""


@dataclass(frozen=True)
class EncodedRowPieces:
    """A row already encoded as compact JSON that is too large to hold at once (a fact
    that a large share of a big corpus mentions): its text, read in pieces when iterated."""

    pieces: Callable[[], Iterator[str]]

    def __iter__(self) -> Iterator[str]:
        return self.pieces()

    def text(self) -> str:
        return "".join(self.pieces())


class Section(Protocol):
    """A corpus-level result (profiles, label map, facts) that serialises itself."""

    def to_dict(self) -> Any: ...


def ordered_findings(doc: Document, finding_keys: Sequence[str]) -> list[tuple[str, Span]]:
    """``(span key, span)`` of every finding in document order: the order of an article's
    ``findings`` list in analysis.json, which compact references index into."""
    pairs = [(key, span) for key in finding_keys for span in doc.get(key)]
    return sorted(pairs, key=lambda kv: (kv[1].start, kv[1].end))


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
    documents: Sequence[Document]  # a tuple, or a DocumentSpool on a large corpus
    finding_keys: tuple[str, ...]
    config: AnalysisConfig
    sections: Mapping[str, Section] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    skipped: tuple[SkippedArticle, ...] = ()

    def document(self, article_id: str) -> Document:
        return self.documents[self._positions[article_id]]

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        """Article id -> index (the first, should two share an id): on a spooled corpus a
        search would read every document back."""
        positions: dict[str, int] = {}
        for i, entry_id in enumerate(doc.id for doc in self.documents):
            positions.setdefault(entry_id, i)
        return positions

    def findings(self, doc: Document) -> list[tuple[str, Span]]:
        """Every finding span of ``doc`` as ``(span key, span)`` in document order."""
        return ordered_findings(doc, self.finding_keys)

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

    def iter_json(self) -> "JsonText":
        """``to_dict()`` as JSON text in pieces, an iterator of str (``next(iter_json())`` is
        its opening); bytes from ``iter_json().iter_bytes()`` (what :mod:`framing.output` writes).

        Parses to exactly ``to_dict()`` but never holds the whole tree or string:
        on a large corpus that tree is many times the size of the text. Each
        article is one compact line (the C encoder; indenting is 3x slower).
        """
        return JsonText(self)

    def _article_lines(self) -> Iterator[str] | Iterator[bytes]:
        """Each article's line: as UTF-8 when a spool encoded it as it was analysed, so it
        is not decoded only to be encoded again."""
        if getattr(self.documents, "has_encoded", False):
            return self.documents.iter_encoded_bytes()  # type: ignore[attr-defined, no-any-return]
        return (article_json(doc, self.findings(doc)) for doc in self.documents)

    def _json_pieces(self) -> Iterator[str | bytes]:

        def dump(value: Any) -> str:  # indented, nested one level into the top object
            return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n ")

        def dump_section(section: Section, size: int = 1 << 16) -> Iterator[str]:
            # A section is an object of tables: each table row goes on one line through the C
            # encoder (the indenting encoder is pure Python, ~15x slower, and spreads a
            # [article, finding] pair over four lines), in ~64 KB pieces, never whole. A
            # section with ``iter_items`` gives its tables as iterators: not built at all.
            iter_items = getattr(section, "iter_items", None)
            if iter_items is None:
                value = section.to_dict()
                if not isinstance(value, dict):
                    yield from dump_large(value, size)
                    return
                items: Iterable[tuple[str, Any]] = value.items()
            else:
                items = iter_items()
            buffer: list[str] = ["{"]
            filled = 0
            empty = True
            for key, item in items:
                buffer.append(("\n  " if empty else ",\n  ") + json.dumps(key) + ": ")
                empty = False
                if isinstance(item, (list, Iterator)):
                    rows = 0
                    for row in item:
                        pieces = (row,) if type(row) is EncodedRow else row if type(
                            row) is EncodedRowPieces else (encode_compact(row),)
                        buffer.append("[\n   " if rows == 0 else ",\n   ")
                        rows += 1
                        for piece in pieces:
                            buffer.append(piece)
                            filled += len(piece)
                            if filled >= size:
                                yield "".join(buffer)
                                buffer, filled = [], 0
                    buffer.append("\n  ]" if rows else "[]")
                else:
                    buffer.append(json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  "))
            buffer.append("}" if empty else "\n }")
            yield "".join(buffer)

        def dump_large(value: Any, size: int = 1 << 16) -> Iterator[str]:
            # A section can be tens of MB of JSON: encode it in ~64 KB pieces, never whole.
            buffer: list[str] = []
            filled = 0
            for piece in json.JSONEncoder(ensure_ascii=False, indent=1).iterencode(value):
                buffer.append(piece.replace("\n", "\n "))
                filled += len(piece)
                if filled >= size:
                    yield "".join(buffer)
                    buffer, filled = [], 0
            yield "".join(buffer)

        yield "{\n"
        yield f' "schema": {dump(SCHEMA)},\n'
        yield f' "provenance": {dump(dict(self.provenance))},\n'
        yield f' "corpus": {dump({**self.corpus.to_dict(), "articles": len(self.documents)})},\n'
        yield ' "articles": ['
        yield from _article_items(self._article_lines())
        yield "\n ]" if self.documents else "]"
        for name, section in self.sections.items():
            if name not in ("schema", "provenance", "corpus", "articles", "skipped"):
                yield f",\n {json.dumps(name)}: "
                yield from dump_section(section)
        yield f',\n "skipped": {dump([s.to_dict() for s in self.skipped])}\n}}\n'


def _article_items(lines: Iterator[str] | Iterator[bytes]) -> Iterator[str | bytes]:
    """The ``"articles"`` array's items: each line apart from its separator, so that no
    line (50 KB of JSON) is copied to join them."""
    separator = "\n  "
    for line in lines:
        yield separator
        yield line
        separator = ",\n  "


class JsonText:
    """A result's analysis.json in pieces (:meth:`AnalysisResult.iter_json`).

    An iterator of str; :meth:`iter_bytes` gives UTF-8 for a file, taking the article
    lines made in the workers (``--jobs N``) or spooled as the bytes they are, not decoded
    only to be encoded again (0.29 -> 0.25 CPU s writing 1,000 articles with ``--jobs 2``).
    The cyclic garbage collector is paused while each piece is made (not while the caller
    writes it): nothing here forms a cycle, and the collections the allocations triggered
    walked the whole in-memory corpus (0.98 -> 0.76 CPU s for 1,000 articles).
    """

    __slots__ = ("result", "_text")

    def __init__(self, result: AnalysisResult) -> None:
        self.result = result
        self._text: Iterator[str] | None = None

    def __iter__(self) -> "JsonText":
        return self

    def __next__(self) -> str:
        if self._text is None:
            self._text = (piece if type(piece) is str else piece.decode("utf-8")  # type: ignore[union-attr]
                          for piece in _without_collections(self.result._json_pieces()))
        return next(self._text)

    def iter_bytes(self) -> Iterator[bytes]:
        """The whole text anew, as UTF-8."""
        for piece in _without_collections(self.result._json_pieces()):
            yield piece if type(piece) is bytes else piece.encode("utf-8")  # type: ignore[union-attr]


def _without_collections(pieces: Iterator[_T]) -> Iterator[_T]:
    """``pieces``, each made with the cyclic garbage collector paused."""
    enabled = gc.isenabled()
    try:
        while True:
            # Plain calls, not a context manager: allocating one with the collector back
            # on would start the collection that the pause put off, once per piece.
            gc.disable()
            piece = next(pieces, None)
            if enabled:
                gc.enable()
            if piece is None:
                return
            yield piece
    finally:
        if enabled:
            gc.enable()


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


encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def compact_encoder(sort_keys: bool = False,
                    default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False, sort_keys=..., default=...).encode``, set up once:
    that method makes its C encoder (this same ``c_make_encoder`` call) anew on every call,
    which costs as much as encoding a span's few attributes. Without the check for circular
    references: what is encoded here (span attributes, article metadata and metrics,
    section rows) holds plain values only."""
    make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
    if make is None:  # no C accelerator: the ordinary encoder
        return json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, default=default).encode
    chunks = make(None, default or json.JSONEncoder().default, encode_string, None, ": ", ", ",
                  sort_keys, False, True)
    return lambda value: "".join(chunks(value, 0))


#: ``json.dumps(value, ensure_ascii=False)`` of plain values, without its per-call set-up.
encode_compact = compact_encoder()
_SPAN_FIELDS = frozenset({"start", "end", "label", "text"})
_FINDING_FIELDS = frozenset({"key", "category", "text", "start", "end"})


#: The tail of attributes that override a fixed field: such a row is built as a dict instead.
_CLASH = "\0clash"


class AttrsMemo(Generic[_T]):
    """``compute(attrs)``, done once per attribute mapping, keyed by the mapping's identity.

    Spans share a few attribute mappings (see :func:`framing.document.frozen_attrs`), so
    writers that turn attributes into text (analysis.json, the store) encode each shared
    one once. ``table`` is a plain dict, so a loop over spans looks a value up without a
    Python call (``table.get(id(attrs))``) and calls :meth:`learn` only on a miss. A
    mapping is remembered the second time it comes (the many that one span has alone
    would fill the bounded table first), with the value made the first time, and kept,
    so that its id is not reused while it is remembered.
    """

    def __init__(self, compute: Callable[[Mapping[str, Any]], _T], limit: int = 20_000) -> None:
        self.table: dict[int, _T] = {}
        self._compute = compute
        self._limit = limit
        self._kept: list[Mapping[str, Any]] = []
        self._seen_once: dict[int, tuple[Mapping[str, Any], _T]] = {}

    def __call__(self, attrs: Mapping[str, Any]) -> _T:
        value = self.table.get(id(attrs))
        return self.learn(attrs) if value is None else value

    def learn(self, attrs: Mapping[str, Any]) -> _T:
        """The value for ``attrs``, which is not in ``table``."""
        key = id(attrs)
        seen = self._seen_once.pop(key, None)
        if seen is not None and seen[0] is attrs:
            value = seen[1]
            if len(self._kept) < self._limit:
                self._kept.append(attrs)
                self.table[key] = value
                return value
        else:
            value = self._compute(attrs)
        if len(self._seen_once) >= self._limit:
            self._seen_once.clear()
        self._seen_once[key] = (attrs, value)
        return value


def _attrs_tails(attrs: Mapping[str, Any]) -> tuple[str, str]:
    """The attributes as the end of a span's JSON object (``', "block": "title"}'``), as a
    span's and as a finding's: ``_CLASH`` where they override one of its fixed fields."""
    encoded = encode_compact(plain_dict(attrs))
    tail = "}" if encoded == "{}" else ", " + encoded[1:]
    return (tail if _SPAN_FIELDS.isdisjoint(attrs) else _CLASH,
            tail if _FINDING_FIELDS.isdisjoint(attrs) else _CLASH)


def plain_dict(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A dict the C encoder takes: a span's read-only mapping copies its dict in one call,
    six times faster than ``dict(attrs)`` reading it key by key."""
    return attrs.copy() if isinstance(attrs, (dict, MappingProxyType)) else dict(attrs)


#: Attribute tails for every analysis.json this process writes.
_TAILS = AttrsMemo(_attrs_tails)


def _add_spans(out: list[str], spans: Sequence[Span], text: str) -> None:
    """Append ``json.dumps([s.to_dict(text) for s in spans], ensure_ascii=False)`` to ``out``
    in pieces, each span one f-string: no dict per span, and no join but the article's."""
    if not spans:
        out.append("[]")
        return
    tails, sep = _TAILS.table, "["
    for span in spans:
        attrs = span.attrs
        tail = (tails.get(id(attrs)) or _TAILS.learn(attrs))[0]
        if tail is _CLASH:  # an attribute overrides a fixed field: let the encoder merge them
            out.append(sep + encode_compact(span.to_dict(text)))
        else:
            out.append(f'{sep}{{"start": {span.start}, "end": {span.end}, "label": '
                       f'{encode_string(span.label)}, "text": {encode_string(text[span.start:span.end])}{tail}')
        sep = ", "
    out.append("]")


def _add_findings(out: list[str], findings: list[tuple[str, Span]], text: str) -> None:
    """Append ``json.dumps([finding_to_dict(...) ...], ensure_ascii=False)`` to ``out``."""
    if not findings:
        out.append("[]")
        return
    tails, sep = _TAILS.table, "["
    for key, span in findings:
        attrs = span.attrs
        tail = (tails.get(id(attrs)) or _TAILS.learn(attrs))[1]
        if tail is _CLASH:
            out.append(sep + encode_compact(finding_to_dict(key, span, text)))
        else:
            out.append(f'{sep}{{"key": {encode_string(key)}, "category": {encode_string(span.label)}, '
                       f'"text": {encode_string(text[span.start:span.end])}, "start": {span.start}, '
                       f'"end": {span.end}{tail}')
        sep = ", "
    out.append("]")


def article_json(doc: Document, findings: list[tuple[str, Span]]) -> str:
    """``article_to_dict`` as one line of JSON, exactly as ``json.dumps(..., ensure_ascii=False)``
    writes it, but with each span written from a few pieces: an article has about 120 spans,
    and building a dict for each was most of the time analysis.json took. The pieces are
    joined once, for the whole line."""
    text = doc.text
    finding_keys = {f for f, _ in findings}
    other_keys = sorted(k for k in doc.spans if k not in ARTICLE_SPAN_KEYS and k not in finding_keys)
    head = encode_compact({**doc.meta.to_dict(), "characters": len(text), "metrics": dict(doc.metrics)})
    out = [head[:-1]]
    for key in ARTICLE_SPAN_KEYS:
        out.append(f", {encode_string(key)}: ")
        _add_spans(out, doc.get(key), text)
    out.append(', "findings": ')
    _add_findings(out, findings, text)
    out.append(', "spans": {')
    for i, key in enumerate(other_keys):
        out.append(f"{', ' if i else ''}{encode_string(key)}: ")
        _add_spans(out, doc.get(key), text)
    out.append("}}")
    return "".join(out)


def base_provenance(config: AnalysisConfig) -> dict[str, Any]:
    return {"framing_version": __version__, "python": platform.python_version(),
            "config": config.to_dict()}
