"""`framing audit`: placing a new article against an analysed corpus."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

import framing
from framing.audit import (AuditResult, audit, audit_documents, audit_files, parse_thresholds,
                           percentile_rank)
from framing.cli import main
from framing.corpus import ArticleEntry, Corpus, Outlet
from framing.document import ArticleMeta, Document, Span
from framing.errors import UsageError
from framing.pipeline import AnalysisConfig
from framing.results import AnalysisResult

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "audit"
SEEDS = ROOT / "seeds"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))


# --- pure measures on hand-built documents -------------------------------------------------

def test_percentile_rank_counts_ties_half() -> None:
    assert percentile_rank(5.0, [1.0, 2.0, 5.0, 9.0]) == pytest.approx(62.5)
    assert percentile_rank(0.0, [0.0, 0.0, 3.0, 4.0]) == pytest.approx(25.0)
    assert percentile_rank(10.0, [1.0, 2.0]) == 100.0


def _doc(doc_id: str, outlet: str, text: str, cues: list[tuple[str, str, dict]]) -> Document:
    """A document whose body is its whole text, with cue spans at the first match of each word."""
    spans = []
    for word, category, attrs in cues:
        start = text.index(word)
        spans.append(Span(start, start + len(word), category, {"voice": "outlet", **attrs}))
    return Document(text=text, meta=ArticleMeta(id=doc_id, outlet=outlet, source=f"{doc_id}.txt"),
                    spans={"body": [Span(0, len(text), "paragraph")],
                           "sentences": [Span(0, len(text), "sentence")], "cues": spans})


FILLER = " ".join(["word"] * 96)
CORPUS_DOCS = (
    _doc("loud-1", "loud", f"The regime crushed the riots, a disastrous coup. {FILLER}",
         [("regime", "loaded-term", {}), ("riots", "loaded-term", {"referent": "event:kz-jan-2022"}),
          ("disastrous", "evaluative", {}), ("coup", "loaded-term", {"referent": "event:kz-jan-2022"})]),
    _doc("calm-1", "calm", f"The government said the protests may end. {FILLER}",
         [("protests", "label", {"referent": "event:kz-jan-2022"}), ("may", "hedge", {})]),
    _doc("calm-2", "calm", f"Officials said the unrest might continue. {FILLER}",
         [("unrest", "label", {"referent": "event:kz-jan-2022"}), ("might", "hedge", {})]),
)


def _reference(docs: tuple[Document, ...] = CORPUS_DOCS) -> AnalysisResult:
    outlets = {o: Outlet(o, o.title()) for o in ("loud", "calm")}
    corpus = Corpus(name="hand-built", root=Path("."), outlets=outlets,
                    entries=tuple(ArticleEntry(d.meta) for d in docs))
    return AnalysisResult(corpus=corpus, documents=docs, finding_keys=("cues",),
                          config=AnalysisConfig())


def test_loud_article_is_placed_high_and_nearest_the_loud_outlet() -> None:
    new = _doc("new", "audited", f"Bandit riots and a brutal regime. {FILLER}",
               [("riots", "loaded-term", {"referent": "event:kz-jan-2022"}),
                ("regime", "loaded-term", {}), ("brutal", "evaluative", {})])
    result = audit_documents([new], _reference(), thresholds={"loaded-term": 5})
    placed = result.article("new")
    loaded = placed.category("loaded-term")
    assert loaded is not None and loaded.count == 2
    assert loaded.rate == pytest.approx(1000 * 2 / placed.words)
    # corpus loaded-term rates: loud 3/104 words, calm 0, calm 0 -> the new 2/102 is above two, below one
    assert loaded.percentile == pytest.approx(100 * 2 / 3)
    assert [d.outlet for d in placed.nearest_outlets] == ["loud", "calm"]
    [labels] = placed.labels
    assert labels.referent == "event:kz-jan-2022"
    assert labels.audited == ("riots",)
    assert labels.shared_with == ("loud",) and labels.new_labels == ()
    assert dict(labels.by_outlet) == {"calm": ("protests", "unrest"), "loud": ("coup", "riots")}
    assert [b.category for b in result.breaches] == ["loaded-term"]
    assert "above the limit 5" in result.breaches[0].describe()


def test_calm_article_is_nearest_the_calm_outlet_and_low_on_loaded_terms() -> None:
    new = _doc("new", "audited", f"Officials said the demonstrations may go on. {FILLER}",
               [("demonstrations", "label", {"referent": "event:kz-jan-2022"}), ("may", "hedge", {})])
    placed = audit_documents([new], _reference()).article("new")
    assert placed.nearest_outlets[0].outlet == "calm"
    assert placed.category("loaded-term").percentile < 50
    assert placed.labels[0].new_labels == ("demonstrations",)


def test_every_finding_keeps_offsets_into_the_audited_text() -> None:
    text = f"A disastrous plan. {FILLER}"
    new = _doc("new", "audited", text, [("disastrous", "evaluative", {})])
    [finding] = audit_documents([new], _reference()).article("new").findings
    assert text[finding["start"]:finding["end"]] == finding["text"] == "disastrous"
    assert finding["context"]["before"] == "A" and finding["context"]["space_before"]
    assert finding["context"]["after"].startswith("plan.") and finding["context"]["space_after"]


def test_thresholds_are_parsed_and_checked() -> None:
    assert parse_thresholds(["loaded-term=5", "hedge=12.5"]) == {"loaded-term": 5.0, "hedge": 12.5}
    for bad in ("loaded-term", "=3", "hedge=lots", "hedge=-1"):
        with pytest.raises(UsageError):
            parse_thresholds([bad])
    new = _doc("new", "audited", f"Calm. {FILLER}", [])
    with pytest.raises(UsageError, match="unknown categories"):
        audit_documents([new], _reference(), thresholds={"loaded-trem": 1})


def test_rendered_reports_carry_the_same_findings(tmp_path: Path) -> None:
    new = _doc("new", "audited", f"A <b>disastrous</b> plan. {FILLER}", [("disastrous", "evaluative", {})])
    files = audit_files(audit_documents([new], _reference()))
    assert json.loads(files["audit.json"])["articles"][0]["findings"][0]["text"] == "disastrous"
    assert "&lt;b&gt;" in files["audit.html"] and "<b>disastrous" not in files["audit.html"]
    assert "disastrous" in files["audit.md"] and "Nearest outlets" in files["audit.md"]


# --- the fixtures of fixtures/audit against the seed corpus (expectations in expected.toml) -----

@pytest.fixture(scope="module")
def seed_result() -> AnalysisResult:
    return framing.analyze(SEEDS)


@pytest.fixture(scope="module")
def fixture_audit(seed_result: AnalysisResult) -> AuditResult:
    names = ("reprint_style", "experts_style", "neutral_wire", "planted_fact")
    return audit([FIXTURES / f"{n}.txt" for n in names], seed_result)


@pytest.mark.parametrize("name", ["reprint_style", "experts_style"])
def test_an_article_in_one_outlets_style_is_nearest_that_outlet(fixture_audit: AuditResult,
                                                                 name: str) -> None:
    nearest = fixture_audit.article(name).nearest_outlets
    assert nearest[0].outlet == EXPECTED[name]["nearest_outlet"]
    assert len(nearest) == 5  # every outlet with articles is ranked


def test_neutral_wire_copy_sits_low_in_the_corpus(fixture_audit: AuditResult) -> None:
    wire = fixture_audit.article("neutral_wire")
    cue_rows = [c for c in wire.categories if c.key in ("cues", "scare_quotes") and c.category != "hedge"]
    assert {c.category for c in cue_rows} >= {"loaded-term", "evaluative", "scare-quote"}
    limit = EXPECTED["neutral_wire"]["max_cue_percentile"]
    assert all(c.percentile <= limit for c in cue_rows), [(c.category, c.percentile) for c in cue_rows]
    reprint = fixture_audit.article("reprint_style")
    assert reprint.category("loaded-term").percentile > 80
    assert reprint.category("scare-quote").percentile > 80


def test_neutral_wire_hedges_are_low_too(fixture_audit: AuditResult) -> None:
    hedge = fixture_audit.article("neutral_wire").category("hedge")
    assert hedge.percentile <= EXPECTED["neutral_wire"]["max_cue_percentile"]


def test_planted_facts_are_flagged_as_conflicts(fixture_audit: AuditResult) -> None:
    planted = fixture_audit.article("planted_fact")
    conflicts = {f.text for f in planted.facts if f.status == "conflict"}
    for text in EXPECTED["planted_fact"]["conflicts"]:
        assert text in conflicts
    assert any(t.startswith(expected.split()[0]) for t in conflicts
               for expected in EXPECTED["planted_fact"]["also_conflicting"])
    election = next(f for f in planted.facts if f.text == "November 27, 2022")
    assert {c["outlet"] for c in election.corpus} == {"caliber-az", "vpk-name"}
    text = (FIXTURES / "planted_fact.txt").read_text(encoding="utf-8")
    assert text[election.start:election.end] == election.text
    # The wire copy states the election date correctly: no conflict there.
    assert all(f.status != "conflict" for f in fixture_audit.article("neutral_wire").facts)


def test_labels_for_referents_are_compared_with_the_corpus(fixture_audit: AuditResult) -> None:
    labels = {l.referent: l for l in fixture_audit.article("reprint_style").labels}
    war = labels["event:ru-ukraine-war"]
    assert "special operation" in war.audited and "vpk-name" in war.shared_with
    assert "riots" in labels["event:kz-jan-2022"].audited


def test_cli_audit_fails_above_a_threshold_and_writes_reports(tmp_path: Path, capsys) -> None:
    store = tmp_path / "corpus.sqlite"
    article = str(FIXTURES / "reprint_style.txt")
    common = [article, "--corpus", str(SEEDS), "--store", str(store), "--out", str(tmp_path / "out")]
    assert main(["audit", *common, "--fail-above", "loaded-term=5"]) == 1
    err = capsys.readouterr().err
    assert "audit failed: reprint_style: loaded-term" in err and "above the limit 5" in err
    assert "store" in err and "created" in err
    assert main(["audit", *common, "--fail-above", "loaded-term=500"]) == 0
    assert "reused" in capsys.readouterr().err
    data = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert data["schema"] == "framing.audit/2" and data["breaches"] == []
    assert (tmp_path / "out" / "audit.html").is_file() and (tmp_path / "out" / "audit.md").is_file()
    assert main(["audit", *common, "--fail-above", "loaded-term"]) == 2


def test_a_new_outlet_folder_is_audited_article_by_article(seed_result: AnalysisResult) -> None:
    folder = ROOT / "fixtures" / "store"  # a two-article manifest stands in for a new outlet
    result = audit([folder], seed_result, outlet="newcomer")
    assert [a.id for a in result.articles] == ["alpha-1", "beta-1"]
    assert {a.outlet for a in result.articles} == {"newcomer"}


def test_auditing_a_corpus_article_is_refused(seed_result: AnalysisResult) -> None:
    with pytest.raises(UsageError, match="is corpus article 'caliber-2022-11-19'"):
        audit([SEEDS / "001_a846d8bc31b51c0a.txt"], seed_result)
    with pytest.raises(framing.errors.InputError, match="no such file"):
        audit([FIXTURES / "missing.txt"], seed_result)


def test_published_date_resolves_relative_dates_in_a_loose_file(seed_result: AnalysisResult,
                                                                tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Kazakhstan votes in a presidential election\n\nTomorrow, November 27, the "
                     "presidential election will be held in Kazakhstan, the commission said.\n",
                     encoding="utf-8")
    checked = audit([draft], seed_result, published=framing.corpus.parse_published("2022-11-26", "t")[0])
    [fact] = [f for f in checked.articles[0].facts if "November 27" in f.text]
    assert fact.status == "conflict"
    assert main(["audit", str(draft), "--corpus", str(SEEDS), "--no-store", "--out",
                 str(tmp_path / "o"), "--published", "2022-13-01"]) == 2


def test_sourcing_summary_is_the_sourcing_modules_own(fixture_audit: AuditResult) -> None:
    """Audit shows sourcing.py's per-article summary, not a second computation of it."""
    from framing.sourcing import summarise_sourcing as sourcing_summary

    audited_ids = {a.id for a in fixture_audit.articles}
    docs = [d for d in framing.analyze(FIXTURES).documents if d.id in audited_ids]
    assert len(docs) == 4
    for doc in docs:
        assert fixture_audit.article(doc.id).sourcing.summary == sourcing_summary(doc)
    reprint = fixture_audit.article("reprint_style").sourcing
    assert reprint.inserted_notes and reprint.inserted_notes[0]["inserted_by"] == "InoSMI"
    assert reprint.to_dict()["summary"]["inserted_by"] == ["InoSMI"]


def test_an_audit_through_the_store_equals_one_in_memory(seed_result: AnalysisResult,
                                                          tmp_path: Path) -> None:
    """The store's per-article summaries give the same audit as the analysed documents."""
    names = ("reprint_style", "neutral_wire", "planted_fact")
    paths = [FIXTURES / f"{n}.txt" for n in names]
    in_memory = audit(paths, seed_result).to_dict()
    store = tmp_path / "corpus.sqlite"
    created = audit(paths, SEEDS, store=store)
    reused = audit(paths, SEEDS, store=store)
    assert (created.store_status, reused.store_status) == ("created", "reused")
    for stored in (created.to_dict(), reused.to_dict()):
        for key in ("store", "store_status"):
            stored["corpus"].pop(key), in_memory["corpus"].pop(key, None)
        assert stored == in_memory
