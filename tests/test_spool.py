"""DocumentSpool: analysed documents on disk, read back exactly; analysis.json the same either way."""
from __future__ import annotations

import gc
import os
import pickle
import warnings
from datetime import date

import pytest

from conftest import SEEDS
from framing import spool as spool_module
from framing.analysis import analyze
from framing.document import ArticleMeta, Document, Span
from framing.pipeline import AnalysisConfig
from framing.spool import DocumentDecoder, DocumentEncoder, DocumentSpool, EncodedDocuments, LineSpool, RecordSpool


def _same(a: Document, b: Document) -> bool:
    return (a.text, a.meta, a.spans, a.metrics) == (b.text, b.meta, b.spans, b.metrics)


def _small_doc(i: int) -> Document:
    meta = ArticleMeta(id=f"d{i}", outlet="o", source="s", published=date(2022, 1, i + 1))
    doc = Document(text=f"Text number {i}.", meta=meta)
    doc.spans["sentences"] = [Span(0, 5 + i % 3, "sentence", {"block": "paragraph"})]
    doc.spans["facts"] = [Span(0, 4, "number", {"candidates": ["a", "b"], "value": i})]
    doc.metrics["m"] = {"n": i, "share": 0.5, "names": ["x"]}
    return doc


def test_round_trip_of_analysed_documents_with_every_span_key(seeds_result) -> None:
    docs = list(seeds_result.documents)
    keys = {key for doc in docs for key in doc.spans}
    assert {"junk", "body", "sentences", "quotes", "cues", "sourcing", "facts"} <= keys
    with DocumentSpool() as spool:
        spool.extend(docs)
        assert len(spool) == len(docs)
        assert all(_same(a, b) for a, b in zip(spool, docs, strict=True))
        assert all(_same(spool[i], docs[i]) for i in range(len(docs)))
        spans = sum(len(v) for doc in docs for v in doc.spans.values())
        assert 0 < sum(map(len, spool._decoder._tables)) < spans / 4  # recurring attribute mappings, kept once
        back = spool[0]
        assert all(type(s) is Span for spans in back.spans.values() for s in spans)
        assert back.sentence_of(back.sentences[0]) == back.sentences[0]


def test_index_slice_negative_index_and_out_of_range() -> None:
    docs = [_small_doc(i) for i in range(5)]
    with DocumentSpool() as spool:
        spool.extend(docs)
        assert spool[-1].id == "d4" and [d.id for d in spool[1:4:2]] == ["d1", "d3"]
        with pytest.raises(IndexError):
            spool[5]
        with pytest.raises(IndexError):
            spool[-6]


def test_appending_after_reading_and_iterating_in_many_blocks(monkeypatch) -> None:
    monkeypatch.setattr(spool_module, "_READ_BLOCK", 1)  # one record per read
    with DocumentSpool() as spool:
        spool.append(_small_doc(0))
        assert spool[0].id == "d0"
        spool.extend(_small_doc(i) for i in range(1, 4))
        assert [d.id for d in spool] == ["d0", "d1", "d2", "d3"]
        assert all(_same(a, _small_doc(i)) for i, a in enumerate(spool))


def test_attributes_beyond_the_shared_table_are_stored_per_document(monkeypatch) -> None:
    monkeypatch.setattr(spool_module, "SHARED_ATTRS_MAX", 1)
    docs = [_small_doc(i) for i in range(3)]
    with DocumentSpool() as spool:
        spool.extend(docs)
        assert all(_same(a, b) for a, b in zip(spool, docs))


def test_the_file_is_released_on_close_and_when_collected() -> None:
    spool = DocumentSpool()
    spool.append(_small_doc(0))
    fd = spool._records._file.fileno()
    assert os.fstat(fd).st_nlink == 0  # no name on disk: nothing to leave behind
    spool.close()
    assert spool.closed and "closed" in repr(spool)
    collected = DocumentSpool()
    handle = collected._records._file
    del collected
    gc.collect()
    assert handle.closed


@pytest.mark.parametrize("jobs", [1, 2])
def test_analysis_json_is_identical_with_the_spool_forced_on(seeds_result, jobs: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spooled = analyze(SEEDS, AnalysisConfig(jobs=jobs), spool_above=0)
    assert isinstance(spooled.documents, DocumentSpool)
    assert isinstance(seeds_result.documents, tuple)
    assert "".join(spooled.iter_json()) == "".join(seeds_result.iter_json())
    expected = "".join(seeds_result.iter_json()).encode("utf-8")
    assert b"".join(spooled.iter_json().iter_bytes()) == expected  # the lines as spooled bytes
    assert b"".join(seeds_result.iter_json().iter_bytes()) == expected
    first = seeds_result.documents[0]
    assert _same(spooled.document(first.id), first)


def test_encoded_lines_come_back_in_order_even_when_appending_after_reading() -> None:
    with DocumentSpool(encode=lambda doc: f'{{"id": "{doc.id}", "note": "a\\nb"}}') as spool:
        spool.extend(_small_doc(i) for i in range(3))
        assert spool.has_encoded
        assert [line[:12] for line in spool.iter_encoded_bytes()] == [b'{"id": "d0",', b'{"id": "d1",',
                                                                       b'{"id": "d2",']
        spool.append(_small_doc(3))
        assert len(list(spool.iter_encoded_bytes())) == 4
    with DocumentSpool() as plain:
        assert not plain.has_encoded
        with pytest.raises(ValueError):
            next(plain.iter_encoded_bytes())


def test_documents_encoded_by_several_encoders_keep_their_own_attribute_tables(seeds_result) -> None:
    """Each worker process of --jobs N encodes with its own table; the spool keeps them apart."""
    docs = list(seeds_result.documents)
    first, second = DocumentEncoder(), DocumentEncoder()
    with DocumentSpool() as spool:
        for i, doc in enumerate(docs):
            spool.add((first if i % 2 else second)(doc))
        assert all(_same(a, b) for a, b in zip(spool, docs, strict=True))
        assert len(spool._decoder._tables) == 2
    decoder, encoder = DocumentDecoder(), DocumentEncoder()  # a decoder sees all its encoder's records
    assert all(_same(decoder(encoder(doc)), doc) for doc in docs)


def test_records_come_back_in_order_whether_pickled_here_or_elsewhere() -> None:
    records = RecordSpool()
    records.append(("a", 1))
    records.append_pickled(pickle.dumps(["b", [2, 3]]))
    records.append({"c": None})
    assert len(records) == 3
    assert list(records) == [("a", 1), ["b", [2, 3]], {"c": None}]
    assert list(records) == [("a", 1), ["b", [2, 3]], {"c": None}]
    records.close()


def test_encoded_documents_are_a_tuple_that_brings_its_lines() -> None:
    docs = [_small_doc(i) for i in range(2)]
    lines = LineSpool()
    lines.append(b'{"id": "d0"}')
    with pytest.raises(ValueError):
        EncodedDocuments(docs, lines)
    lines.append(b'{"id": "d1"}')
    encoded = EncodedDocuments(docs, lines)
    assert encoded == tuple(docs) and encoded.has_encoded
    assert list(encoded.iter_encoded_bytes()) == [b'{"id": "d0"}', b'{"id": "d1"}']
    assert type(pickle.loads(pickle.dumps(encoded))) is tuple


def test_lazy_sequences_index_as_a_list_does():
    from framing.spool import LazySequence

    class Squares(LazySequence[int]):
        def __len__(self) -> int:
            return 5

        def _item(self, index: int) -> int:
            assert 0 <= index < 5  # negative indexes are turned into positions before
            return index * index

    squares, listed = Squares(), [i * i for i in range(5)]
    assert [squares[i] for i in range(-5, 5)] == [listed[i] for i in range(-5, 5)]
    assert squares[1:4] == listed[1:4] and squares[::-2] == listed[::-2] and squares[7:] == []
    assert list(squares) == listed and 9 in squares and squares.index(16) == 4
    for bad in (5, -6):
        with pytest.raises(IndexError, match="Squares index out of range"):
            squares[bad]


def test_the_encoder_gives_the_records_of_one_lookup_per_span(seeds_result) -> None:
    """Mappings looked up in the table for a whole column at once, the others given to
    ``_attrs_ref`` afterwards, make the records that calling it span by span made."""

    class SpanBySpan(DocumentEncoder):
        def __call__(self, doc: Document) -> spool_module.StoredDocument:
            own: list = []
            new: list = []
            columns = []
            for key, spans in doc.spans.items():
                refs = [self._attrs_ref(span.attrs, own, new) for span in spans]
                columns.append((key, [s.start for s in spans], [s.end for s in spans],
                                [s.label for s in spans], refs))
            record = pickle.dumps((doc.text, doc.meta, columns, own, doc.metrics),
                                  protocol=pickle.HIGHEST_PROTOCOL)
            return spool_module.StoredDocument(self.table, tuple(new), record, None)

    docs = list(seeds_result.documents) * 3  # again: mappings seen once before enter the table
    fast, slow = DocumentEncoder(), SpanBySpan()
    for doc in docs:
        a, b = fast(doc), slow(doc)
        assert (a.new_shared, a.record) == (b.new_shared, b.record)
    assert fast._shared and len(fast._shared) == len(slow._shared)


def test_lines_appended_after_a_read_go_at_the_end() -> None:
    lines = LineSpool()
    lines.append(b"one")
    lines.append(b"two")
    reading = lines.iter_bytes()
    assert next(reading) == b"one"  # left part-way: the file is not at its end
    lines.append(b"three")
    assert list(lines.iter_bytes()) == [b"one", b"two", b"three"]
    lines.append(b"four")
    assert list(lines) == ["one", "two", "three", "four"] and len(lines) == 4
