"""A disk-backed sequence of analysed documents, so memory stays bounded as the corpus grows.

An analysed article holds about 120 spans; kept in memory, a corpus of 100,000 articles
needs gigabytes. :class:`DocumentSpool` writes each document, as it is analysed, to an
anonymous temporary file (plain tuples, pickled) and reads it back when asked: by index,
or streamed in order. Attribute mappings that many spans share (a lexicon term's
rationale, a sentence's block) are kept once, in memory, and referred to by number.
"""
from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from array import array
from typing import IO, Any, Callable, Iterator, Mapping, Sequence, overload

from .document import Document, Span, frozen_attrs

#: Shared attribute mappings kept in memory at most; later new ones are stored per document.
SHARED_ATTRS_MAX = 20_000
#: Records read per system call when streaming.
_READ_BLOCK = 1 << 20


_new = object.__new__
_set_start, _set_end = Span.start.__set__, Span.end.__set__  # type: ignore[attr-defined]
_set_label, _set_attrs = Span.label.__set__, Span.attrs.__set__  # type: ignore[attr-defined]


def _restore_span(start: int, end: int, label: str, attrs: Mapping[str, Any]) -> Span:
    """A span exactly as it was stored, without ``Span.__init__``'s work: its offsets were
    checked and its attributes frozen when it was first made. Three times faster, and a
    large corpus is read back once per corpus stage."""
    span = _new(Span)
    _set_start(span, start)
    _set_end(span, end)
    _set_label(span, label)
    _set_attrs(span, attrs)
    return span


def _close_all(*files: IO[bytes] | None) -> None:
    for file in files:
        if file is not None:
            file.close()


class DocumentSpool(Sequence[Document]):
    """An append-only ``Sequence[Document]`` stored in a temporary file.

    The file has no name on disk (it is unlinked at once), so it disappears when the
    spool is closed, collected, or the process ends, even on a crash.
    """

    def __init__(self, directory: str | None = None,
                 encode: Callable[[Document], str] | None = None) -> None:
        """``encode``, when given, turns each appended document into its analysis.json line,
        kept in a second temporary file: made while the workers of ``--jobs N`` are still
        analysing, it spares writing analysis.json a read and an encoding of every document
        after them (:meth:`iter_encoded`)."""
        self._file = tempfile.TemporaryFile(prefix="framing-spool-", dir=directory)
        self._encode_line = encode
        self._lines = (tempfile.TemporaryFile(prefix="framing-spool-json-", dir=directory)
                       if encode else None)
        self._offsets = array("q", [0])  # record i is bytes offsets[i]:offsets[i + 1]
        self._unflushed = False
        self._shared: list[Mapping[str, Any]] = []
        self._shared_index: dict[int, int] = {}  # id(mapping) -> index; _shared keeps it alive
        self._seen_once: dict[int, Mapping[str, Any]] = {}
        self._close = weakref.finalize(self, _close_all, self._file, self._lines)

    # --- writing ----------------------------------------------------------------------

    def append(self, doc: Document) -> None:
        record = pickle.dumps(self._encode(doc), protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(record)
        self._offsets.append(self._offsets[-1] + len(record))
        self._unflushed = True
        if self._lines is not None and self._encode_line is not None:
            self._lines.seek(0, os.SEEK_END)  # after an iter_encoded, append at the end
            self._lines.write(self._encode_line(doc).encode("utf-8") + b"\n")

    def extend(self, docs: Iterator[Document] | Sequence[Document]) -> None:
        for doc in docs:
            self.append(doc)

    def _encode(self, doc: Document) -> tuple[Any, ...]:
        own: list[dict[str, Any]] = []  # attributes stored with this document only
        columns = []
        for key, spans in doc.spans.items():
            refs = [self._attrs_ref(span.attrs, own) for span in spans]
            columns.append((key, [s.start for s in spans], [s.end for s in spans],
                            [s.label for s in spans], refs))
        return doc.text, doc.meta, columns, own, doc.metrics

    def _attrs_ref(self, attrs: Mapping[str, Any], own: list[dict[str, Any]]) -> int:
        """``>= 0``: an index into the shared table; ``< 0``: ``own[-1 - ref]``.

        A mapping enters the table the second time it is seen: most spans share a few
        mappings, but many (a fact's sentence number, a quote's speaker offsets) are one
        span's own, and letting those in first would fill the bounded table with them.
        """
        ref = self._shared_index.get(id(attrs))
        if ref is not None:
            return ref
        if self._seen_once.pop(id(attrs), None) is attrs and len(self._shared) < SHARED_ATTRS_MAX:
            ref = self._shared_index[id(attrs)] = len(self._shared)
            self._shared.append(attrs)
            return ref
        if len(self._seen_once) >= SHARED_ATTRS_MAX:
            self._seen_once.clear()
        self._seen_once[id(attrs)] = attrs  # kept, so that its id is not reused meanwhile
        own.append(dict(attrs))
        return -len(own)

    # --- reading ----------------------------------------------------------------------

    def _decode(self, record: bytes) -> Document:
        text, meta, columns, own, metrics = pickle.loads(record)
        shared = self._shared
        own_attrs = [frozen_attrs(a) for a in own]
        spans = {key: [_restore_span(s, e, label, shared[ref] if ref >= 0 else own_attrs[-1 - ref])
                       for s, e, label, ref in zip(starts, ends, labels, refs)]
                 for key, starts, ends, labels, refs in columns}
        return Document(text=text, meta=meta, spans=spans, metrics=metrics)

    def _read(self, start: int, end: int) -> bytes:
        if self._unflushed:
            self._file.flush()
            self._unflushed = False
        return os.pread(self._file.fileno(), end - start, start)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Document: ...
    @overload
    def __getitem__(self, index: slice) -> list[Document]: ...

    def __getitem__(self, index: int | slice) -> Document | list[Document]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("document index out of range")
        index %= size
        offsets = self._offsets
        return self._decode(self._read(offsets[index], offsets[index + 1]))

    def __iter__(self) -> Iterator[Document]:
        """Documents in order, read in blocks of about a megabyte."""
        offsets, count, i = self._offsets, len(self), 0
        while i < count:
            j = i + 1
            while j < count and offsets[j + 1] - offsets[i] <= _READ_BLOCK:
                j += 1
            block = memoryview(self._read(offsets[i], offsets[j]))
            base = offsets[i]
            for k in range(i, j):
                yield self._decode(block[offsets[k] - base:offsets[k + 1] - base])
            i = j

    @property
    def has_encoded(self) -> bool:
        return self._lines is not None

    def iter_encoded(self) -> Iterator[str]:
        """What ``encode`` made of each document, in order (one line each; JSON escapes
        every newline inside a string, so a line is exactly one document's)."""
        if self._lines is None:
            raise ValueError("this spool was made without an encode function")
        self._lines.flush()
        self._lines.seek(0)
        for line in self._lines:
            yield line[:-1].decode("utf-8")

    @property
    def closed(self) -> bool:
        return not self._close.alive

    def close(self) -> None:
        """Release the file (it has no name, so this removes it)."""
        self._close()

    def __enter__(self) -> "DocumentSpool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<DocumentSpool of {len(self)} documents{' (closed)' if self.closed else ''}>"
