"""`framing search`: concordance lines over the stored sentences (FTS5, or LIKE without it)."""
from __future__ import annotations

from pathlib import Path

import pytest

import framing
from framing import store
from framing.cli import main
from framing.store import format_concordance, save_store, search_store

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_store(framing.analyze(FIXTURE), tmp_path_factory.mktemp("s") / "c.sqlite")


def test_every_use_of_coup_with_outlet_and_offsets(db: Path) -> None:
    result = search_store(db, "coup")
    # Hand count over the fixture files: 4 in alpha (title, two sentences, "Coup-plotters"), 1 in beta.
    assert [(l.outlet, l.match) for l in result.lines] == [
        ("alpha", "coup"), ("alpha", "coup"), ("alpha", "Coup"), ("alpha", "coup"), ("beta", "coup")]
    texts = {d.id: d.text for d in framing.analyze(FIXTURE).documents}
    for line in result.lines:
        assert texts[line.article_id][line.start:line.end] == line.match
    assert result.lines[4].left.endswith("described the events as a ")
    assert result.lines[4].right.startswith(" attempt, a claim")


def test_whole_words_phrases_prefixes_and_outlet_filter(db: Path) -> None:
    assert search_store(db, "protest").lines == ()          # only "protests", "protested"
    assert [l.match for l in search_store(db, "protest*").lines] == ["Protests", "protested", "protests"]
    assert [l.match for l in search_store(db, "attempted coup").lines] == ["attempted coup"] * 2
    assert [l.outlet for l in search_store(db, "coup", outlet="beta").lines] == ["beta"]
    assert len(search_store(db, "coup", limit=2).lines) == 2


def test_like_fallback_finds_the_same_lines(db: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "fts5_available", lambda: False)
    path = save_store(framing.analyze(FIXTURE), tmp_path / "c.sqlite")
    monkeypatch.undo()
    fallback = search_store(path, "coup")
    assert fallback.method == "like"
    assert search_store(db, "coup").method == "fts5"
    assert [l.to_dict() for l in fallback.lines] == [l.to_dict() for l in search_store(db, "coup").lines]


def test_kwic_columns_line_up(db: Path) -> None:
    text = format_concordance(search_store(db, "coup"), width=30)
    lines = text.splitlines()
    assert len(lines) == 5
    assert {line.index("[") for line in lines} == {30}


def test_cli_search_prints_lines_and_explains_an_empty_term(db: Path, capsys) -> None:
    assert main(["search", "coup", "--store", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.count("[coup]") + out.count("[Coup]") == 5 and "beta-1" in out
    assert main(["search", "!!!", "--store", str(db)]) == 1
    assert "no words" in capsys.readouterr().err


def test_cli_search_with_corpus_builds_the_store_then_reuses_it(tmp_path: Path, capsys) -> None:
    store_path = tmp_path / "c.sqlite"
    args = ["search", "coup", "--corpus", str(FIXTURE), "--store", str(store_path), "--json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "created" in captured.err
    assert len(__import__("json").loads(captured.out)["lines"]) == 5
    assert main(args) == 0
    assert "reused" in capsys.readouterr().err


@pytest.mark.parametrize("term", ['"; DROP TABLE sentences; --', "coup OR protests", "NEAR(coup)",
                                  "coup*plotters", "^coup", "'coup'"])
def test_fts_syntax_in_a_term_is_taken_as_words(db: Path, term: str) -> None:
    result = search_store(db, term)  # never an SQLite syntax error
    for line in result.lines:
        assert line.match.lower().startswith(("coup", "near"))
    assert [l.match for l in search_store(db, "'coup'").lines] == ["coup", "coup", "Coup", "coup", "coup"]
