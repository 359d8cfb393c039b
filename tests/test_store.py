"""The SQLite store: a faithful round trip, freshness detection, atomic writes."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import framing
from framing import store
from framing.corpus import load_corpus
from framing.pipeline import AnalysisConfig
from framing.store import StoreError, is_fresh, load_or_analyse, load_store, save_store

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store"


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE, target)
    return target


def test_round_trip_keeps_every_article_span_and_section(corpus_copy: Path, tmp_path: Path) -> None:
    result = framing.analyze(corpus_copy)
    path = save_store(result, tmp_path / "c.sqlite")
    loaded = load_store(path)
    assert loaded.to_dict()["articles"] == result.to_dict()["articles"]
    assert loaded.to_dict().keys() == result.to_dict().keys()
    assert [d.id for d in loaded.documents] == ["alpha-1", "beta-1"]
    assert loaded.corpus.outlets["beta"].name == "Beta Daily"
    doc = loaded.document("beta-1")
    assert all(doc.text_of(s) == result.document("beta-1").text_of(s) for s in doc.sentences)


def test_a_spooled_result_stores_the_same_sections(corpus_copy: Path, tmp_path: Path) -> None:
    """Above the spool threshold the facts section lives on disk as encoded rows and goes
    into the store row by row, without its dict tree; it reads back equal all the same."""
    result = framing.analyze(corpus_copy, spool_above=0)
    assert any(hasattr(s, "iter_items") for s in result.sections.values())
    stored = load_store(save_store(result, tmp_path / "c.sqlite"))
    for name, section in result.sections.items():
        assert stored.sections[name].to_dict() == json.loads(json.dumps(section.to_dict())), name


def test_sentence_rows_point_into_the_original_text(corpus_copy: Path, tmp_path: Path) -> None:
    result = framing.analyze(corpus_copy)
    path = save_store(result, tmp_path / "c.sqlite")
    con = sqlite3.connect(path)
    rows = con.execute('SELECT article_id, start, "end", text FROM sentences').fetchall()
    con.close()
    assert len(rows) == sum(len(d.sentences) for d in result.documents)
    for article_id, start, end, text in rows:
        assert result.document(article_id).text[start:end] == text


def test_a_store_is_built_with_its_indexes_and_a_plain_journal(corpus_copy: Path, tmp_path: Path) -> None:
    """The indexes are made after the rows and the build runs without a journal; what is left
    on disk is an ordinary database with both indexes, readable by any SQLite."""
    path = save_store(framing.analyze(corpus_copy), tmp_path / "c.sqlite")
    con = sqlite3.connect(path)
    indexes = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    mode = con.execute("PRAGMA journal_mode").fetchone()[0]
    plan = " ".join(str(row) for row in con.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM findings WHERE article_id = 'alpha-1'"))
    con.close()
    assert {"findings_by_article", "sentences_by_article"} <= indexes
    assert mode == "delete"
    assert "findings_by_article" in plan
    assert not list(tmp_path.glob(".c.sqlite.*"))


def test_reused_when_fresh_and_rebuilt_when_a_file_changes(corpus_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    assert load_or_analyse(corpus_copy, store=path).status == "created"
    assert load_or_analyse(corpus_copy, store=path).status == "reused"
    article = corpus_copy / "beta_1.txt"
    article.write_text(article.read_text() + "\nA new closing sentence was added later.\n")
    corpus = framing.corpus.load_corpus(corpus_copy)
    assert not is_fresh(path, corpus, AnalysisConfig())
    again = load_or_analyse(corpus_copy, store=path)
    assert again.status == "rebuilt"
    assert "A new closing sentence" in again.result.document("beta-1").text


def test_a_different_config_or_an_edited_lexicon_makes_the_store_stale(corpus_copy: Path,
                                                                      tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    pack = tmp_path / "pack.toml"
    pack.write_bytes((Path(framing.__file__).parent / "lexicons" / "general.toml").read_bytes())
    config = AnalysisConfig(lexicon_paths=(pack,), use_default_lexicons=False)
    load_or_analyse(corpus_copy, config, store=path)
    corpus = framing.corpus.load_corpus(corpus_copy)
    assert is_fresh(path, corpus, config)
    assert not is_fresh(path, corpus, AnalysisConfig())
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert not is_fresh(path, corpus, config)


def test_failed_write_leaves_the_old_store_untouched(corpus_copy: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.sqlite"
    result = framing.analyze(corpus_copy)
    save_store(result, path)
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(store, "_write", explode)
    with pytest.raises(framing.errors.OutputError):
        save_store(result, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "c.sqlite"
    bogus.write_text("not a database at all, just text\n")
    with pytest.raises(StoreError, match="not a framing store"):
        load_store(bogus)
    with pytest.raises(StoreError, match="no store here"):
        load_store(tmp_path / "missing.sqlite")


def test_report_writes_a_store_that_audit_reuses(corpus_copy: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """`framing report` saves the store with the report; `framing audit` right after reuses it."""
    from framing.cli import main

    out = tmp_path / "reports"
    assert main(["-q", "report", str(corpus_copy), "--out", str(out)]) == 0
    written = out / "corpus.sqlite"
    assert written.is_file()
    cli_config = AnalysisConfig(options={"skip_bad": False})  # what the CLI passes by default
    assert is_fresh(written, load_corpus(corpus_copy), cli_config)
    # the same corpus spelled another way (relative, trailing slash) is the same corpus
    monkeypatch.chdir(tmp_path)
    assert is_fresh(written, load_corpus("corpus/"), cli_config)
    article = tmp_path / "new.txt"
    article.write_text("Officials said the talks in Astana went well, experts say.\n", "utf-8")
    capsys.readouterr()
    assert main(["audit", str(article), "--corpus", "corpus", "--store", str(written),
                 "--out", str(tmp_path / "audit")]) == 0
    assert "store " + str(written) + ": reused" in capsys.readouterr().err
    # another config is not fresh: the store would be rebuilt, not reused
    assert not is_fresh(written, load_corpus(corpus_copy),
                        AnalysisConfig(use_default_lexicons=False, options={"skip_bad": False},
                                       lexicon_paths=(FIXTURE.parent / "report" / "lexicon.toml",)))


def test_report_without_store(corpus_copy: Path, tmp_path: Path) -> None:
    from framing.cli import main

    assert main(["-q", "report", str(corpus_copy), "--out", str(tmp_path / "r"), "--no-store"]) == 0
    assert not (tmp_path / "r" / "corpus.sqlite").exists()


def _plain(doc) -> tuple:
    return (doc.id, doc.text, {key: [(s.start, s.end, s.label, dict(s.attrs)) for s in spans]
                               for key, spans in doc.spans.items()})


def test_the_summary_read_back_equals_the_summary_of_the_result(corpus_copy: Path,
                                                                tmp_path: Path) -> None:
    result = framing.analyze(corpus_copy)
    path = save_store(result, tmp_path / "corpus.sqlite")
    stored, in_memory = store.read_summary(path), store.summarise_result(result)
    assert stored.articles == in_memory.articles and len(stored.articles) == 2
    assert any(a.counts for a in stored.articles) and any(a.fact_keys for a in stored.articles)
    assert (stored.name, dict(stored.outlets), stored.finding_keys) == \
        (in_memory.name, dict(in_memory.outlets), in_memory.finding_keys)
    last, first = result.documents[1], result.documents[0]
    assert [_plain(d) for d in stored.documents([last.id, first.id])] == \
        [_plain(d) for d in in_memory.documents([last.id, first.id])] == [_plain(first), _plain(last)]
    assert stored.article_with_text(last.text) == last.id
    assert stored.article_with_text("not an article") is None
    [facts_only] = store.read_summary(path).documents([first.id], ("facts",))
    assert set(facts_only.spans) == {"facts"} and facts_only.get("facts") == first.get("facts")


def test_store_chunks_stream_a_store_that_loads_and_leave_no_temporary(corpus_copy: Path,
                                                                        tmp_path: Path) -> None:
    import tempfile

    result = framing.analyze(corpus_copy)
    before = set(Path(tempfile.gettempdir()).glob(".framing-store.*"))
    chunks = list(store.store_chunks(result, size=4096))
    assert len(chunks) > 1 and all(isinstance(c, bytes) for c in chunks)
    assert set(Path(tempfile.gettempdir()).glob(".framing-store.*")) == before
    path = tmp_path / "streamed.sqlite"
    path.write_bytes(b"".join(chunks))
    assert load_store(path).to_dict()["articles"] == result.to_dict()["articles"]


def test_a_section_goes_into_its_cell_in_pieces_as_the_text_it_encodes(tmp_path: Path) -> None:
    """Sections are written through blob I/O in blocks (here 7 bytes, cutting characters of
    several bytes apart); the cell is TEXT and reads back as the JSON the rows make."""
    from framing.results import EncodedRow, EncodedRowPieces

    class Streamed:
        def iter_items(self):
            yield "unit", "per 1,000 words \u2014 \u00e9"
            yield "rows", iter([EncodedRow('{"a": "\u041a\u0440\u0435\u043c\u043b\u044c"}'),
                                EncodedRowPieces(lambda: iter(['{"b": ', '"\U0001F600"}'])), {"c": [1, 2.5]}])
            yield "empty", []

    con = sqlite3.connect(tmp_path / "s.sqlite")
    con.execute("CREATE TABLE sections (name TEXT PRIMARY KEY, json TEXT NOT NULL)")
    store._insert_section(con, "streamed", Streamed(), block=7)
    store._insert_section(con, "plain", store.StoredSection({"x": "\u00e9"}), block=7)
    rows = dict(con.execute("SELECT name, json FROM sections"))
    kinds = {kind for (kind,) in con.execute("SELECT typeof(json) FROM sections")}
    assert kinds == {"text"}
    assert json.loads(rows["streamed"]) == {"unit": "per 1,000 words \u2014 \u00e9",
                                            "rows": [{"a": "\u041a\u0440\u0435\u043c\u043b\u044c"},
                                                     {"b": "\U0001F600"}, {"c": [1, 2.5]}], "empty": []}
    assert rows["plain"] == '{"x": "\u00e9"}'
