"""Corpus loading: manifest, folder, CSV, JSONL, single files, and their errors."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from framing.corpus import ArticleEntry, CorpusWarning, TableRows, load_corpus, outlet_from_filename
from framing.errors import CorpusChangedError, InputError, ManifestError

from conftest import SEEDS

ARTICLE = "Officials met on Monday. They agreed on a plan.\n"


def write_manifest(folder, body: str) -> None:
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "corpus.toml").write_text(body, encoding="utf-8")


def test_seed_manifest_is_complete():
    corpus = load_corpus(SEEDS)
    assert len(corpus) == 5
    assert set(corpus.outlets) >= {"vestnik-kavkaza", "caliber-az", "ilna", "vpk-name", "unknown"}
    reprint = next(e.meta for e in corpus.entries if e.meta.kind == "reprint")
    assert reprint.original_outlet == "atlantico"
    assert reprint.author == "Eugène Berg"
    caliber = next(e.meta for e in corpus.entries if e.meta.outlet == "caliber-az")
    assert caliber.published == date(2022, 11, 19) and caliber.date_precision == "day"


def test_folder_without_manifest_warns_and_uses_file_names(tmp_path):
    (tmp_path / "bbc_2022-01-05.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "rt_2022-01-06.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.warns(CorpusWarning, match="outlet taken from each file name"):
        corpus = load_corpus(tmp_path)
    assert [e.meta.outlet for e in corpus.entries] == ["bbc", "rt"]


def test_outlet_from_filename():
    assert outlet_from_filename(SEEDS / "000_055fc83c80fa9db7.txt") == "000"
    assert outlet_from_filename(SEEDS / "reuters--x.txt") == "reuters"


def test_csv_and_jsonl(tmp_path):
    csv_path = tmp_path / "c.csv"
    csv_path.write_text('id,outlet,title,date,text\n1,bbc,T,2022-01-05,"A sentence. Another."\n',
                        encoding="utf-8")
    corpus = load_corpus(csv_path)
    meta = corpus.entries[0].meta
    assert (meta.id, meta.outlet, meta.published) == ("1", "bbc", date(2022, 1, 5))
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text(json.dumps({"outlet": "rt", "text": "Hello there. Bye.", "date": "2022-02"}) + "\n",
                     encoding="utf-8")
    meta = load_corpus(jsonl).entries[0].meta
    assert meta.outlet == "rt" and meta.date_precision == "month"


@pytest.mark.parametrize("body, message", [
    ('[[articles]]\nfile = "missing.txt"\noutlet = "x"\n', "not found next to the manifest"),
    ('[[articles]]\nfile = "a.txt"\n', "missing required key 'outlet'"),
    ('[[articles]]\nfile = "a.txt"\noutlet = 3\n', "'outlet' must be a non-empty string"),
    ('[[articles]]\nfile = "a.txt"\noutlet = "x"\npublished = "last week"\n', "published must be a date"),
    ('[[articles]]\nfile = "a.txt"\noutlet = "x"\npublised = 2022-01-01\n', "unknown keys ['publised']"),
    ('[[articles]]\nfile = "a.txt"\noutlet = "x"\nkind = "rumour"\n', "kind 'rumour'"),
    ('[[outlets]]\nid = "y"\n[[articles]]\nfile = "a.txt"\noutlet = "x"\n', "not listed under [[outlets]]"),
    ('[[articles]]\nfile = "a.txt"\noutlet = "x"\n[[articles]]\nfile = "a.txt"\noutlet = "x"\n',
     "duplicate article id 'a'"),
    ('articles = [\n', "invalid TOML"),
    ('[corpus]\nname = "x"\n', "no [[articles]] entries"),
])
def test_malformed_manifest_names_the_problem(tmp_path, body, message):
    write_manifest(tmp_path, body)
    with pytest.raises(ManifestError) as info:
        load_corpus(tmp_path)
    assert message in str(info.value)
    assert "corpus.toml" in str(info.value)


@pytest.mark.parametrize("rows, message", [
    ('outlet,text\nbbc,\n', "row 2: missing text"),
    ('text\nHello.\n', "missing outlet"),
    ('outlet,text,date\nbbc,Hi.,yesterday\n', "published must be a date"),
])
def test_bad_csv_rows(tmp_path, rows, message):
    path = tmp_path / "c.csv"
    path.write_text(rows, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_corpus(path)


def test_bad_jsonl_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"outlet": "a", "text": "ok."}\n{not json}\n', encoding="utf-8")
    with pytest.raises(ManifestError, match="line 2: invalid JSON"):
        load_corpus(path)


def test_unsupported_and_missing_paths(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load_corpus(tmp_path / "nope")
    odd = tmp_path / "x.pdf"
    odd.write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unsupported input type .pdf"):
        load_corpus(odd)


def test_jsonl_rows_keep_no_text_and_read_it_back_exactly(tmp_path):
    rows = [{"outlet": "a", "text": "Caf\u00e9 one.\nSecond line."}, {"outlet": "b", "body": "Two \u2028 x."},
            {"outlet": "c", "text": "", "content": "Three."}]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    path = tmp_path / "c.jsonl"
    # a byte order mark, a CRLF line, an empty line and an old-Mac "\r" line ending
    path.write_bytes("\ufeff".encode() + (lines[0] + "\r\n\n" + lines[1] + "\r" + lines[2] + "\n").encode())
    corpus = load_corpus(path)
    assert all(e.inline_text is None and e.row is not None for e in corpus.entries)
    assert [e.load().text for e in corpus.entries] == ["Caf\u00e9 one.\nSecond line.", "Two \u2028 x.", "Three."]
    assert [e.meta.source.rsplit(" ", 1)[1] for e in corpus.entries] == ["1", "3", "4"]


def test_a_jsonl_file_changed_after_loading_is_an_error_not_a_wrong_text(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"outlet": "a", "text": "One."}\n', encoding="utf-8")
    entry = load_corpus(path).entries[0]
    path.write_text('{"outlet": "a", "title": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="file changed"):
        entry.load()


def test_a_row_changed_to_another_valid_row_is_caught_not_analysed(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"outlet": "a", "text": "One."}\n{"outlet": "b", "text": "Two."}\n', encoding="utf-8")
    entries = load_corpus(path).entries
    path.write_text('{"outlet": "a", "text": "Uno."}\n{"outlet": "b", "text": "Two."}\n', encoding="utf-8")
    with pytest.raises(CorpusChangedError, match="file changed after it was loaded"):
        entries[0].load()
    assert entries[1].load().text == "Two."  # the rows that did not change still read


def test_a_skip_bad_run_stops_on_a_changed_table_instead_of_skipping_it(tmp_path):
    from framing.analysis import analyse_entry
    from framing.pipeline import AnalysisConfig, Pipeline

    path = tmp_path / "c.jsonl"
    path.write_text('{"outlet": "a", "text": "One."}\n', encoding="utf-8")
    entry = load_corpus(path).entries[0]
    path.write_text('{"outlet": "a", "text": "Two words."}\n', encoding="utf-8")
    config = AnalysisConfig(options={"skip_bad": True})
    with pytest.raises(CorpusChangedError, match="line 1"):
        analyse_entry(entry, Pipeline.from_config(config), config)


def test_jsonl_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"outlet": "a", "text": "ok."}\n{"outlet": "a", "text": "caf\xe9"}\n')
    with pytest.raises(ManifestError, match="not UTF-8 \\(bad byte at 59\\)"):
        load_corpus(path)


def test_a_jsonl_corpus_holds_numbers_per_row_and_reads_metadata_back(tmp_path):
    rows = [{"id": 7, "outlet": " a ", "title": "T", "published": "2022-01", "text": "One."},
            {"outlet": "b", "kind": "opinion", "url": "u", "text": "<p>Two.</p>"}]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert isinstance(corpus.entries, TableRows) and len(corpus.entries) == 2
    first, second = corpus.entries
    assert (first.meta.id, first.meta.outlet, first.meta.title, first.meta.date_precision) == ("7", "a", "T", "month")
    assert (second.meta.id, second.meta.kind, second.meta.url, second.meta.text_format) == \
        ("c-2", "opinion", "u", "html")
    assert corpus.entries[-1].meta == second.meta and first.load().meta == first.meta
    assert [e.meta.id for e in corpus.entries[::-1]] == ["c-2", "7"]
    with pytest.raises(IndexError):
        corpus.entries[2]


def test_given_metadata_wins_over_the_rows(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"outlet": "a", "text": "One."}\n', encoding="utf-8")
    entry = load_corpus(path).entries[0]
    renamed = ArticleEntry(replace(entry.meta, outlet="z"), row=entry.row)
    assert renamed.meta.outlet == renamed.load().meta.outlet == "z"
    with pytest.raises(TypeError, match="needs its metadata"):
        ArticleEntry()
