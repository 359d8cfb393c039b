"""A disk-backed sequence of analysed documents, so memory stays bounded as the corpus grows.

An analysed article holds about 120 spans; kept in memory, a corpus of 100,000 articles
needs gigabytes. :class:`DocumentSpool` writes each document, as it is analysed, to an
anonymous temporary file (plain tuples, pickled) and reads it back when asked: by index,
or streamed in order. Attribute mappings that many spans share (a lexicon term's
rationale, a sentence's block) are kept once, in memory, and referred to by number.
A document is encoded where it was analysed (:class:`DocumentEncoder`, in the worker
process with ``--jobs N``), so the main process only appends bytes (:meth:`DocumentSpool.add`).
:class:`RecordSpool` keeps a corpus stage's per-article records on disk the same way.
"""
from __future__ import annotations

import codecs
import os
import pickle
import tempfile
import weakref
from array import array
from operator import attrgetter
from types import MappingProxyType
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence, TypeVar, overload

from .document import Document, Span, frozen_attrs

_T = TypeVar("_T")


class LazySequence(Sequence[_T]):
    """A read-only sequence whose items are made when asked for, from their position
    (:meth:`_item`): the spools' and the corpus's shared indexing, so that slices, negative
    indexes and bounds behave as a list's."""

    def _item(self, index: int) -> _T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._item(index % size)

#: Shared attribute mappings kept in memory at most; later new ones are stored per document.
SHARED_ATTRS_MAX = 20_000
#: Records read per system call when streaming.
_READ_BLOCK = 1 << 20


_new = object.__new__
_set_start, _set_end = Span.start.__set__, Span.end.__set__  # type: ignore[attr-defined]
_set_label, _set_attrs = Span.label.__set__, Span.attrs.__set__  # type: ignore[attr-defined]
_get_start, _get_end = attrgetter("start"), attrgetter("end")
_get_label, _get_attrs = attrgetter("label"), attrgetter("attrs")


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


def _close_all(files: list[IO[bytes]]) -> None:
    for file in files:
        file.close()


class StoredDocument(NamedTuple):
    """One document as the spool stores it, made where the document was analysed (a worker
    process of ``--jobs N``), so that the main process only appends bytes."""

    table: str  # the :class:`DocumentEncoder` whose attribute table ``record`` refers to
    new_shared: tuple[dict[str, Any], ...]  # mappings that entered that table with this document
    record: bytes
    line: bytes | None  # the document's analysis.json line, when the encoder makes them


class DocumentEncoder:
    """Turns documents into :class:`StoredDocument` records, in the process that analysed them.

    Attribute mappings that many spans share are sent once, when they enter this encoder's
    table, and referred to by number afterwards: the spool keeps one table per encoder, so
    records stay small although a worker cannot refer to the main process's mappings.
    """

    def __init__(self, line: Callable[[Document], str] | None = None) -> None:
        self.table = f"{os.getpid()}-{id(self)}"
        self._line = line
        self._shared_index: dict[int, int] = {}  # id(mapping) -> index; _shared keeps it alive
        self._shared: list[Mapping[str, Any]] = []
        self._seen_once: dict[int, Mapping[str, Any]] = {}

    def __call__(self, doc: Document) -> StoredDocument:
        own: list[dict[str, Any]] = []  # attributes stored with this document only
        new: list[dict[str, Any]] = []
        columns = []
        shared_ref = self._shared_index.get
        for key, spans in doc.spans.items():
            attrs = list(map(_get_attrs, spans))
            # Most spans' mappings are in the table already: looked up in C, and only the
            # others (None) given to _attrs_ref, in order. That is what calling it for every
            # span gives: the table only grows, and _attrs_ref looks in it first.
            refs = list(map(shared_ref, map(id, attrs)))
            if None in refs:
                for i, ref in enumerate(refs):
                    if ref is None:
                        refs[i] = self._attrs_ref(attrs[i], own, new)
            columns.append((key, list(map(_get_start, spans)), list(map(_get_end, spans)),
                            list(map(_get_label, spans)), refs))
        record = pickle.dumps((doc.text, doc.meta, columns, own, doc.metrics),
                              protocol=pickle.HIGHEST_PROTOCOL)
        line = None if self._line is None else self._line(doc).encode("utf-8")
        return StoredDocument(self.table, tuple(new), record, line)

    def _attrs_ref(self, attrs: Mapping[str, Any], own: list[dict[str, Any]],
                   new: list[dict[str, Any]]) -> int:
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
            new.append(dict(attrs))
            return ref
        if len(self._seen_once) >= SHARED_ATTRS_MAX:
            self._seen_once.clear()
        self._seen_once[id(attrs)] = attrs  # kept, so that its id is not reused meanwhile
        own.append(dict(attrs))
        return -len(own)


class DocumentDecoder:
    """The other side of :class:`DocumentEncoder`: keeps each encoder's table of shared
    attribute mappings (fed by the records as they come, in order) and rebuilds documents."""

    def __init__(self) -> None:
        self._tables: list[list[Mapping[str, Any]]] = []
        self._table_numbers: dict[str, int] = {}

    def register(self, stored: StoredDocument) -> int:
        """Take in the mappings ``stored`` adds to its encoder's table; return the table's number."""
        number = self._table_numbers.get(stored.table)
        if number is None:
            number = self._table_numbers[stored.table] = len(self._tables)
            self._tables.append([])
        if stored.new_shared:
            self._tables[number].extend(frozen_attrs(attrs) for attrs in stored.new_shared)
        return number

    def decode(self, record: bytes | memoryview, table: int) -> Document:
        text, meta, columns, own, metrics = pickle.loads(record)
        shared = self._tables[table]
        # A document's own mappings were each the first of its content where it was encoded
        # (frozen_attrs shared the equal ones there): made read-only as they are, not looked
        # up to be shared again, which was half of decoding.
        own_attrs = list(map(MappingProxyType, own))
        spans = {key: [_restore_span(s, e, label, shared[ref] if ref >= 0 else own_attrs[-1 - ref])
                       for s, e, label, ref in zip(starts, ends, labels, refs)]
                 for key, starts, ends, labels, refs in columns}
        return Document(text=text, meta=meta, spans=spans, metrics=metrics)

    def __call__(self, stored: StoredDocument) -> Document:
        return self.decode(stored.record, self.register(stored))


class LineSpool:
    """Documents' analysis.json lines in an anonymous temporary file, made where each document
    was analysed: writing analysis.json then copies them instead of encoding every document."""

    def __init__(self, directory: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="framing-spool-json-", dir=directory)
        self._count = 0
        self._at_end = True  # False once read: the next line is appended at the end
        self._close = weakref.finalize(self, _close_all, [self._file])

    def append(self, line: bytes) -> None:
        if not self._at_end:  # a seek flushes the buffer: not once per line
            self._file.seek(0, os.SEEK_END)
            self._at_end = True
        self._file.write(line)
        self._file.write(b"\n")
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        """The lines in order (JSON escapes every newline inside a string, so a line is
        exactly one document's)."""
        for line in self.iter_bytes():
            yield line.decode("utf-8")

    def iter_bytes(self) -> Iterator[bytes]:
        """The lines in order as UTF-8, as they are written to a file: not decoded to be
        encoded again."""
        self._file.flush()
        self._at_end = False
        self._file.seek(0)
        for line in self._file:
            yield line[:-1]

    def close(self) -> None:
        self._close()


class EncodedDocuments(tuple):  # type: ignore[type-arg]
    """Analysed documents held in memory (a tuple) with the analysis.json line each was given
    where it was analysed (a worker process of ``--jobs N``), read back like a
    :class:`DocumentSpool`'s (:meth:`iter_encoded_bytes`)."""

    _lines: LineSpool

    def __new__(cls, documents: Sequence[Document], lines: LineSpool) -> "EncodedDocuments":
        if len(lines) != len(documents):
            raise ValueError(f"{len(documents)} documents but {len(lines)} analysis.json lines")
        self = super().__new__(cls, documents)
        self._lines = lines
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))  # the lines live in this process's temporary file only

    has_encoded = True

    def iter_encoded_bytes(self) -> Iterator[bytes]:
        return self._lines.iter_bytes()


class DocumentSpool(LazySequence[Document]):
    """An append-only ``Sequence[Document]`` stored in a temporary file.

    The file has no name on disk (it is unlinked at once), so it disappears when the
    spool is closed, collected, or the process ends, even on a crash.
    """

    def __init__(self, directory: str | None = None,
                 encode: Callable[[Document], str] | None = None) -> None:
        """``encode``, when given, turns each appended document into its analysis.json line,
        kept in a second temporary file, which spares writing analysis.json a read and an
        encoding of every document (:meth:`iter_encoded_bytes`). Documents added already encoded
        (:meth:`add`) bring their line with them."""
        self._records = RecordFile("framing-spool-", directory)
        self._encoder = DocumentEncoder(encode)
        self._decoder = DocumentDecoder()
        self._lines = LineSpool(directory) if encode is not None else None
        self._directory = directory
        self._record_tables = array("I")  # record i's attribute table, in self._decoder

    # --- writing ----------------------------------------------------------------------

    def append(self, doc: Document) -> None:
        self.add(self._encoder(doc))

    def extend(self, docs: Iterator[Document] | Sequence[Document]) -> None:
        for doc in docs:
            self.append(doc)

    def add(self, stored: StoredDocument) -> None:
        """Append a document encoded elsewhere (:class:`DocumentEncoder`)."""
        self._record_tables.append(self._decoder.register(stored))
        self._records.append(stored.record)
        if stored.line is not None:
            if self._lines is None:
                self._lines = LineSpool(self._directory)
            self._lines.append(stored.line)

    # --- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._records)

    def _item(self, index: int) -> Document:
        return self._decoder.decode(self._records[index], self._record_tables[index])

    def __iter__(self) -> Iterator[Document]:
        """Documents in order, read in blocks of about a megabyte."""
        for record, table in zip(self._records, self._record_tables):
            yield self._decoder.decode(record, table)

    @property
    def has_encoded(self) -> bool:
        """Whether every document has its analysis.json line (an empty spool made with ``encode``
        has them all)."""
        return self._lines is not None and len(self._lines) == len(self)

    def iter_encoded_bytes(self) -> Iterator[bytes]:
        """Each document's analysis.json line, in order, as UTF-8."""
        return self._encoded_lines().iter_bytes()

    def _encoded_lines(self) -> LineSpool:
        if self._lines is None or not self.has_encoded:
            raise ValueError("this spool's documents were not all given their analysis.json line")
        return self._lines

    @property
    def closed(self) -> bool:
        return self._records.closed

    def close(self) -> None:
        """Release the files (they have no name, so this removes them)."""
        self._records.close()
        if self._lines is not None:
            self._lines.close()

    def __enter__(self) -> "DocumentSpool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<DocumentSpool of {len(self)} documents{' (closed)' if self.closed else ''}>"


class RecordSpool:
    """A corpus stage's per-article records (see ``framing.analysis.register_corpus_stage``)
    pickled to an anonymous temporary file as they come, and read back in order: on a large
    corpus, holding one record per article would make memory grow with it."""

    def __init__(self, directory: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="framing-records-", dir=directory)
        self._count = 0
        self._close = weakref.finalize(self, _close_all, [self._file])

    def append(self, record: Any) -> None:
        self.append_pickled(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def append_pickled(self, data: bytes) -> None:
        """Append a record pickled elsewhere (by a worker process)."""
        self._file.write(data)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Any]:
        """The records in order; appending while iterating is not supported."""
        self._file.seek(0)
        try:
            for _ in range(self._count):
                yield pickle.load(self._file)
        finally:
            self._file.seek(0, os.SEEK_END)

    def close(self) -> None:
        """Release the file (it has no name, so this removes it)."""
        self._close()


class RecordFile:
    """Byte records appended to an anonymous temporary file and read back by number.

    The file has no name on disk, so it disappears when it is closed, collected, or the
    process ends. In memory: 8 bytes per record (its offset).
    """

    def __init__(self, prefix: str, directory: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix=prefix, dir=directory)
        self._offsets = array("q", [0])  # record i is bytes offsets[i]:offsets[i + 1]
        self._unflushed = False
        self._close = weakref.finalize(self, self._file.close)

    def append(self, record: bytes) -> None:
        self._file.write(record)
        self._offsets.append(self._offsets[-1] + len(record))
        self._unflushed = True

    def append_pieces(self, pieces: Iterable[bytes]) -> None:
        """One record written piece by piece, never whole in memory."""
        size = 0
        for piece in pieces:
            self._file.write(piece)
            size += len(piece)
        self._offsets.append(self._offsets[-1] + size)
        self._unflushed = True

    def clear(self) -> None:
        """Forget every record, and the file's bytes, to be filled again."""
        self._file.seek(0)
        self._file.truncate()
        self._offsets = array("q", [0])
        self._unflushed = False

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> bytes:
        self._flush()
        start, end = self._offsets[index], self._offsets[index + 1]
        return os.pread(self._file.fileno(), end - start, start)

    def __iter__(self) -> Iterator[memoryview]:
        """The records in order, read in blocks of about :data:`_READ_BLOCK` bytes."""
        offsets, count, i = self._offsets, len(self), 0
        self._flush()
        while i < count:
            j = i + 1
            while j < count and offsets[j + 1] - offsets[i] <= _READ_BLOCK:
                j += 1
            base = offsets[i]
            block = memoryview(os.pread(self._file.fileno(), offsets[j] - base, base))
            for k in range(i, j):
                yield block[offsets[k] - base:offsets[k + 1] - base]
            i = j

    @property
    def closed(self) -> bool:
        return not self._close.alive

    def close(self) -> None:
        """Release the file (it has no name, so this removes it)."""
        self._close()

    def size(self, index: int) -> int:
        """Record ``index``'s length in bytes."""
        return self._offsets[index + 1] - self._offsets[index]

    def iter_text(self, index: int) -> Iterator[str]:
        """Record ``index`` decoded from UTF-8 :data:`_READ_BLOCK` bytes at a time, never
        whole in memory."""
        self._flush()
        block = _READ_BLOCK
        decoder = codecs.getincrementaldecoder("utf-8")()
        position, end = self._offsets[index], self._offsets[index + 1]
        while position < end:
            data = os.pread(self._file.fileno(), min(block, end - position), position)
            position += len(data)
            yield decoder.decode(data, final=position >= end)

    def _flush(self) -> None:
        if self._unflushed:
            self._file.flush()
            self._unflushed = False
