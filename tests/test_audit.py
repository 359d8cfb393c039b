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
