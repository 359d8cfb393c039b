"""The cue matcher: offsets, inflection, quotes, voice, referents, user packs end to end."""
from __future__ import annotations

import json
from datetime import date

import pytest

from framing.analysis import analyze
from framing.cli import main
from framing.document import ArticleMeta, Document
from framing.pipeline import AnalysisConfig, Pipeline

from conftest import FIXTURES

STAGES = ("junk", "layout", "body", "sentences", "quotes", "scare_quotes", "cues")
PACK = """[meta]
name = "my-pack"
version = "0.1.0"
language = "en"
source = "a test"
licence = "CC0-1.0"

[[terms]]
id = "junta"
patterns = ["junta"]
category = "loaded-term"
rationale = "Calls a government a military clique."
neutral = "government"
"""


def run(text: str, published: date | None = None, **config) -> Document:
    doc = Document(text=text, meta=ArticleMeta(id="t", outlet="o", source="t.txt", published=published))
    return Pipeline.from_config(AnalysisConfig(extractors=STAGES, **config))(doc)


def cues(doc: Document) -> list[tuple[str, str, str]]:
    return [(doc.text_of(s), s.label, s.attrs["voice"]) for s in doc.get("cues")]


def test_offsets_point_into_the_original_with_curly_and_straight_apostrophes():
    text = ("Almaty in January 2022.\n\nTokayev called it an attempted coup d’état. Others "
            "said it was a coup d'etat. The coups failed and troops from the CSTO crushed protests.")
    doc = run(text)
    found = cues(doc)
    for span in doc.get("cues"):
        assert doc.text[span.start:span.end] == doc.text_of(span)
    texts = [t for t, _, _ in found]
    assert "attempted coup d’état" in texts and "coup d'etat" in texts and "coups" in texts
    assert "crushed" in texts and "protests" in texts


def test_same_term_outlet_voice_versus_quoted_official():
    doc = run('Unrest in Almaty, January 2022.\n\nThe regime ignored the coup claims in Almaty. '
              '"It was a coup against the state," Kassym-Jomart Tokayev said in Almaty.')
    coups = [s for s in doc.get("cues") if doc.text_of(s) == "coup"]
    assert [(s.attrs["voice"], s.attrs["speaker"]) for s in coups] == [
        ("outlet", None), ("quoted", "Kassym-Jomart Tokayev")]
    assert "Kassym-Jomart Tokayev's word" in coups[1].attrs["explanation"]
    assert "own voice" in coups[0].attrs["explanation"]


def test_finding_attrs_follow_the_shared_convention():
    doc = run("Protests in Almaty, January 2022.\n\nCSTO peacekeeping forces arrived in Almaty.")
    (span,) = [s for s in doc.get("cues") if s.label == "loaded-term"]
    attrs = span.attrs
    assert attrs["term"] == "csto-peacekeepers" and attrs["lexicon"] == "russia-central-asia"
    assert attrs["referent"] == "event:csto-deployment-2022" and attrs["loaded"] is True
    assert attrs["neutral"] and attrs["rationale"] and attrs["explanation"]
    assert set(attrs) >= {"voice", "speaker", "term", "lexicon", "rationale", "neutral",
                          "referent", "explanation", "loaded"}


def test_neutral_labels_need_the_event_to_have_happened_and_context():
    before = run("There were wars and conflicts. The crisis in Kazakhstan hurt exports.",
                 published=date(2016, 3, 18))
    assert [t for t, c, _ in cues(before) if c == "label"] == []
    after = run("The war in Ukraine hurt trade. He declared war on corruption.",
                published=date(2022, 11, 19))
    labels = [(doc_text, s.attrs["referent"]) for s in after.get("cues")
              for doc_text in [after.text_of(s)] if s.label == "label"]
    assert labels == [("war", "event:ru-ukraine-war")]
    label = next(s for s in after.get("cues") if s.label == "label")
    assert label.attrs["loaded"] is False


def test_cue_in_an_inserted_note_keeps_outlet_voice_and_names_the_reprinter():
    doc = run("Riots in Almaty, January 2022.\n\nThe EU condemned arrests. (In Russia, nobody "
              "minded the terrorist attacks on police officers. - approx. InoSMI) The EU "
              "said nothing more.")
    (span,) = [s for s in doc.get("cues") if doc.text_of(s) == "terrorist attacks"]
    assert span.attrs["voice"] == "outlet" and span.attrs["inserted_by"] == "InoSMI"
    assert "InoSMI" in span.attrs["explanation"]


def test_neutral_wire_fixture_yields_few_and_no_loaded_findings():
    result = analyze(FIXTURES / "cues" / "neutral_wire.txt")
    findings = result.findings(result.documents[0])
    cue_findings = [s for key, s in findings if key in ("cues", "scare_quotes")]
    assert len(cue_findings) <= 3
    assert not [s for s in cue_findings if s.attrs.get("loaded")]
    partisan = analyze(FIXTURES / "cues" / "partisan_state.txt")
    assert len(partisan.documents[0].get("cues")) >= 5 * max(1, len(cue_findings))


def test_user_pack_end_to_end_through_the_cli(tmp_path):
    pack = tmp_path / "my-pack.toml"
    pack.write_text(PACK, encoding="utf-8")
    article = tmp_path / "outlet_article.txt"
    article.write_text("The junta met.\n\nThe junta and the collective West argued again today.\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "analyze", str(article), "--out", str(out), "--lexicon", str(pack)]) == 0
    data = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    findings = data["articles"][0]["findings"]
    assert {(f["text"], f["lexicon"]) for f in findings if f["key"] == "cues"} >= {
        ("junta", "my-pack"), ("collective West", "russia-central-asia")}
    names = [lex["name"] for lex in data["provenance"]["lexicons"]]
    assert names[-1] == "my-pack" and all(len(lex["sha256"]) == 64 for lex in data["provenance"]["lexicons"])

    only = tmp_path / "only"
    assert main(["-q", "analyze", str(article), "--out", str(only), "--lexicon", str(pack),
                 "--no-default-lexicons"]) == 0
    data = json.loads((only / "analysis.json").read_text(encoding="utf-8"))
    assert {f["lexicon"] for f in data["articles"][0]["findings"] if f["key"] == "cues"} == {"my-pack"}


def test_bad_user_pack_is_one_line_and_exit_1(tmp_path, capsys):
    pack = tmp_path / "broken.toml"
    pack.write_text(PACK.replace('patterns = ["junta"]', 'regex = "junta(("'), encoding="utf-8")
    article = tmp_path / "outlet_article.txt"
    article.write_text("The junta met.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "analyze", str(article), "--out", str(out), "--lexicon", str(pack)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "E103" in err[0] and "broken.toml" in err[0] and "'junta'" in err[0]
    assert not out.exists()


@pytest.mark.parametrize("text", ["", "x", "“", '"unclosed', "coup " * 2000])
def test_odd_texts_do_not_break_matching(text):
    doc = run(text or " ")
    for span in doc.get("cues"):
        assert 0 <= span.start < span.end <= len(doc.text)


def test_an_edited_pack_is_reloaded(tmp_path):
    from framing.cues import lexicon_set_for

    pack = tmp_path / "my-pack.toml"
    pack.write_text(PACK, encoding="utf-8")
    config = AnalysisConfig(lexicon_paths=(pack,), use_default_lexicons=False)
    assert [t.id for t in lexicon_set_for(config).terms] == ["junta"]
    pack.write_text(PACK.replace('id = "junta"', 'id = "junta-2"') + "\n", encoding="utf-8")
    assert [t.id for t in lexicon_set_for(config).terms] == ["junta-2"]


def test_label_context_is_the_sentence_or_the_one_before_for_a_definite_label():
    doc = run("Riots broke out in Almaty in January 2022.\n\nSources say agents organised the chaos. "
              "Earlier, Kazakhstan traded with Europe. Such grants brought chaos to Kiev in 2014.",
              published=date(2022, 3, 1))
    labels = [(doc.text_of(s), s.attrs["referent"]) for s in doc.get("cues") if s.label == "label"]
    assert labels == [("chaos", "event:kz-jan-2022")]


def test_no_default_lexicons_without_a_pack_is_a_usage_error(tmp_path, capsys):
    article = tmp_path / "outlet_article.txt"
    article.write_text("The junta met.\n", encoding="utf-8")
    assert main(["-q", "analyze", str(article), "--out", str(tmp_path / "o"),
                 "--no-default-lexicons"]) == 2
    assert "--lexicon FILE" in capsys.readouterr().err


@pytest.mark.parametrize("sentence", [
    "Under the amended constitution, a president may serve a single seven-year term.",
    "Citizens may vote at any polling station in their district.",
    "No one may hold the office twice.",
    "Candidates may only register after collecting signatures.",
    "Under the law, deputies may not be re-elected more than twice.",
])
def test_permission_may_is_not_a_hedge(sentence):
    doc = run("Title\n\n" + sentence)
    assert [t for t, label, _ in cues(doc) if label == "hedge"] == []


@pytest.mark.parametrize("sentence, hedges", [
    ("The talks may fail, and prices might rise.", ["may", "might"]),
    ("The president may be planning an early vote.", ["may"]),
    ("The unrest may have been organised from abroad.", ["may"]),
    ("He might serve as a go-between, an official said.", ["might"]),
])
def test_epistemic_may_and_might_stay_hedges(sentence, hedges):
    doc = run("Title\n\n" + sentence)
    assert [t for t, label, _ in cues(doc) if label == "hedge"] == hedges


def _referents(doc: Document) -> list[tuple[str, str | None]]:
    return [(doc.text_of(s), s.attrs["referent"]) for s in doc.get("cues")]


@pytest.mark.parametrize("sentence, found", [
    ("A year after the January events in Almaty, families still wait for answers.",
     "the January events"),
    ("Tokayev spoke about the January 2022 events.", "the January 2022 events"),
    ("Kazakhstan has not forgotten January's events.", "January's events"),
])
def test_the_january_events_label_the_unrest_in_kazakh_context(sentence, found):
    doc = run("Title\n\n" + sentence, published=date(2023, 1, 5))
    assert (found, "event:kz-jan-2022") in _referents(doc)


@pytest.mark.parametrize("sentence", [
    "Egyptians still debate the January events of 2011 in Cairo.",
    "Markets recovered after the January events on Wall Street.",
])
def test_the_january_events_need_more_context_than_the_month_itself(sentence):
    doc = run("Title\n\n" + sentence, published=date(2023, 1, 5))
    assert all(ref != "event:kz-jan-2022" for _, ref in _referents(doc))


def test_a_headline_takes_its_context_from_the_first_sentence_too():
    # A headline is elliptical: what it names is said in the sentence that follows it.
    text = ("Statement on the anniversary of the January events\n\n"
            "One year ago our country faced an act of terrorist aggression by armed bandits.")
    assert ("the January events", "event:kz-jan-2022") in _referents(run(text, published=date(2023, 1, 5)))
    other = ("Statement on the anniversary of the January events\n\n"
             "One year ago the markets fell sharply.")
    assert all(ref is None for _, ref in _referents(run(other, published=date(2023, 1, 5))))


def test_a_repeated_finding_shares_the_attributes_of_the_first():
    # the pipeline's matcher makes the spans of every document it is given (CueSpans)
    pipeline = Pipeline.from_config(AnalysisConfig(extractors=STAGES))
    texts = ["The regime crushed the protest in the capital.\n\nCritics say the regime lied about it.",
             "Again the regime crushed them in the square.\n\nThe Regime said: “the regime is strong”."]
    docs = [pipeline(Document(text=t, meta=ArticleMeta(id=str(i), outlet="o", source="t.txt")))
            for i, t in enumerate(texts)]
    found = [s for doc in docs for s in doc.get("cues") if doc.text_of(s) == "regime"]
    outlet = [s for s in found if s.attrs["voice"] == "outlet"]
    assert len(outlet) >= 2 and all(s.attrs is outlet[0].attrs for s in outlet)
    quoted = [s for s in found if s.attrs["voice"] == "quoted"]
    assert quoted and quoted[0].attrs is not outlet[0].attrs
    capital = next(s for doc in docs for s in doc.get("cues") if doc.text_of(s) == "Regime")
    assert "“Regime”" in capital.attrs["explanation"]
    alone = run(texts[1])  # a fresh matcher builds the same attributes
    assert [dict(s.attrs) for s in alone.get("cues")] == [dict(s.attrs) for s in docs[1].get("cues")]


def test_unnamed_officials_are_a_vague_attribution_but_officials_named_before_are_not():
    doc = run("Officials said 200 people were detained. U.S. officials said the troops would leave. "
              "Western diplomats say the deal is fragile. The officials said they had met twice. "
              "A senior official said the talks went well.")
    vague = [t for t, label, _ in cues(doc) if label == "vague-attribution"]
    assert vague == ["Officials said", "officials said", "Western diplomats say"]
