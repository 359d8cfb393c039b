"""Sourcing: named and anonymous sources, inserted notes and reprint markers against hand labels."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from framing.document import ArticleMeta, Document, Span
from framing.pipeline import AnalysisConfig, Pipeline
from framing.sourcing import SourcingExtractor, editorial_note_spans, reprint_marker_spans

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "sourcing"
LABELS = tomllib.loads((FIXTURES / "labels.toml").read_text(encoding="utf-8"))
BASE = ("junk", "layout", "body", "sentences")


def analysed(text: str, extra: dict[str, list[Span]] | None = None, author: str | None = None) -> Document:
    """Run cleaning and sentences, add hand-made spans (e.g. quotes), then sourcing and measures."""
    doc = Document(text=text, meta=ArticleMeta(id="t", outlet="o", source="t.txt", author=author))
    Pipeline.from_config(AnalysisConfig(extractors=BASE))(doc)
    doc.spans.update(extra or {})
    return Pipeline.from_config(AnalysisConfig(extractors=BASE + ("sourcing",)))(doc)


def fixture_doc(name: str) -> Document:
    text = (FIXTURES / LABELS[name]["file"]).read_text(encoding="utf-8")
    return analysed(text)


@pytest.mark.parametrize("name", ["news_sources", "reprint_note", "heldout_wire"])
def test_findings_match_hand_labels(name: str) -> None:
    doc = fixture_doc(name)
    found = {(s.label, doc.text_of(s)): s for s in doc.get("sourcing")}
    expected = LABELS[name]["findings"]
    for item in expected:
        key = (item["category"], item["text"])
        assert key in found, f"missing {key}; found {sorted(found)}"
        for attr in ("speaker", "role", "inserted_by"):
            if attr in item:
                assert found[key].attrs[attr] == item[attr], (key, attr)
    # No finding beyond the labels: precision matters as much as recall.
    assert len(found) == len(expected), sorted(set(found) - {(i["category"], i["text"]) for i in expected})


def test_every_finding_has_shared_attributes_and_exact_offsets() -> None:
    for name in ("news_sources", "reprint_note", "heldout_wire"):
        doc = fixture_doc(name)
        for span in doc.get("sourcing"):
            assert span.attrs["voice"] == "outlet"
            assert "speaker" in span.attrs
            assert len(span.attrs["explanation"]) > 20
            assert doc.text[span.start:span.end].strip() == doc.text[span.start:span.end]


def test_summary_counts_sources_and_attributed_sentences() -> None:
    doc = fixture_doc("news_sources")
    summary = doc.metrics["sourcing"]
    labels = LABELS["news_sources"]
    assert summary["byline"] is labels["byline"]
    assert summary["byline_text"] == "By Jane Doe"
    assert summary["named_speakers"] == sorted(labels["named_speakers"])
    assert summary["named_sources"] == 3 and summary["named_citations"] == 4
    assert summary["anonymous_citations"] == 2
    assert summary["sentences"] == labels["body_sentences"]
    assert summary["attributed_sentences"] == labels["attributed_sentences"]
    assert summary["attributed_share"] == pytest.approx(6 / 8, abs=1e-3)


def test_reprint_summary_names_who_inserted_notes() -> None:
    summary = fixture_doc("reprint_note").metrics["sourcing"]
    assert summary["inserted_by"] == ["InoSMI", "the editors", "the translator"]
    assert summary["editorial_notes"] == 3 and summary["reprint_markers"] == 2
    assert summary["named_sources"] == 0


def test_group_attribution_is_left_to_the_lexicons() -> None:
    doc = analysed("Experts say the deal is fragile. Observers believe prices will rise.\n")
    assert doc.get("sourcing") == []


def test_pronouns_are_not_sources_but_count_as_attributed() -> None:
    doc = analysed("Prices rose sharply in May, he said. The plan will be reviewed.\n")
    assert doc.get("sourcing") == []
    assert doc.metrics["sourcing"]["attributed_sentences"] == 1


def test_role_without_name_is_anonymous_and_the_expert_refers_back() -> None:
    text = ("The talks were hard, the deputy foreign minister of Norway said. According to economist "
            "Lars Holm, trade will grow. The expert is sure that prices will fall.\n")
    doc = analysed(text)
    by_text = {doc.text_of(s): s for s in doc.get("sourcing")}
    assert by_text["the deputy foreign minister of Norway"].label == "anonymous-source"
    assert by_text["economist Lars Holm"].attrs["speaker"] == "Lars Holm"
    assert by_text["The expert"].label == "named-source"
    assert by_text["The expert"].attrs["speaker"] == "Lars Holm"
    assert by_text["The expert"].attrs["resolved_from"] == "expert"


def test_quotes_spans_add_speakers_and_attributed_sentences() -> None:
    text = 'Aid will come soon. "We are ready to help," Minister Anna Berg told a briefing in Oslo.\n'
    speaker_start = text.index("Minister")
    quote = Span(text.index('"'), text.index('," ') + 1, "direct",
                 {"speaker": "Anna Berg", "speaker_start": speaker_start,
                  "speaker_end": speaker_start + len("Minister Anna Berg")})
    doc = analysed(text, {"quotes": [quote]})
    named = [s for s in doc.get("sourcing") if s.label == "named-source"]
    assert [(doc.text_of(s), s.attrs["speaker"], s.attrs["role"]) for s in named] == \
        [("Minister Anna Berg", "Anna Berg", "Minister")]
    assert doc.metrics["sourcing"]["used_quotes"] is True
    assert doc.metrics["sourcing"]["attributed_sentences"] == 1


def test_vague_attribution_cues_count_in_the_summary() -> None:
    text = "Many believe the plan will fail. The plan was announced in May.\n"
    cue = Span(0, 12, "vague-attribution", {"voice": "outlet"})
    doc = analysed(text, {"cues": [cue]})
    assert doc.metrics["sourcing"]["vague_attributions"] == 1
    assert doc.metrics["sourcing"]["attributed_sentences"] == 1


@pytest.mark.parametrize("text, by", [
    ("It grew (this is wrong - approx. transl.) fast.", "transl"),
    ("It grew [Editor's note: figures from 2020] fast.", "the editors"),
    ("It grew (translator's note: literally 'swelled') fast.", "the translator"),
    ("It grew fast (the data is old - note by RIA).", "RIA"),
])
def test_editorial_note_forms(text: str, by: str) -> None:
    spans = editorial_note_spans(text)
    assert len(spans) == 1 and spans[0].attrs["inserted_by"] == by
    assert text[spans[0].start] in "([" and text[spans[0].end - 1] in ")]"


@pytest.mark.parametrize("text, by", [
    ("Prices rose.\nEditor's note : the figures are provisional.\n", "the editors"),
    ("Prices rose. From the editors: the figures are provisional.\n", "the editors"),
    ("Prices rose.\nNOTE FROM THE EDITOR:  the figures are provisional.\n", "the editors"),
    ("Prices rose.\nTranslator’s note: literally 'swelled'.\n", "the translator"),
])
def test_editorial_note_lines(text: str, by: str) -> None:
    """A note heading a line or following a sentence runs to the end of the line."""
    spans = editorial_note_spans(text)
    assert len(spans) == 1 and spans[0].attrs["inserted_by"] == by
    assert text[spans[0].end] == "\n" and text[spans[0].start - 1] in "\n "


def test_no_note_without_a_head_and_colon() -> None:
    assert editorial_note_spans("The editor noted the figures.\nA note on method follows.\n") == []


def test_a_parenthesis_is_not_a_note() -> None:
    assert editorial_note_spans("The Caspian Pipeline Consortium (CPC) - approx. length 1,500 km.") == []
    assert editorial_note_spans("Oil (40% of revenue) is exported.") == []


@pytest.mark.parametrize("line", ["Originally published in Le Monde on 3 May.",
                                  "This article first appeared in The Diplomat.",
                                  "Republished with permission of the author",
                                  "Translated from French by Anna Berg"])
def test_reprint_marker_lines(line: str) -> None:
    text = f"Some article text here.\n{line}\n"
    spans = reprint_marker_spans(text)
    assert [text[s.start:s.end] for s in spans] == [line]


def test_a_sentence_about_publishing_is_not_a_marker() -> None:
    assert reprint_marker_spans("The report was originally published in secret, officials said.\n") == []


def test_extractor_is_deterministic_and_does_not_mutate() -> None:
    doc = fixture_doc("news_sources")
    before = {k: list(v) for k, v in doc.spans.items()}
    extractor = SourcingExtractor(AnalysisConfig())
    assert extractor(doc) == extractor(doc)
    assert doc.spans == before


@pytest.mark.parametrize("speaker", ["Often", "Central Asian", "Most observers"])
def test_a_quotation_speaker_that_is_not_a_person_is_not_a_source(speaker: str) -> None:
    text = f"Calm returned. {speaker} described it as a turning point for the region.\n"
    start = text.index(speaker)
    quote = Span(text.index("a turning"), len(text) - 2, "reported",
                 {"speaker": speaker, "speaker_start": start, "speaker_end": start + len(speaker)})
    doc = analysed(text, {"quotes": [quote]})
    assert [s for s in doc.get("sourcing") if s.label == "named-source"] == []


@pytest.mark.parametrize("name", ["news_sources", "reprint_note", "heldout_wire"])
def test_hand_labels_hold_with_the_full_default_pipeline(name: str) -> None:
    """With quotations and cues in play, the sourcing findings stay the labelled ones."""
    text = (FIXTURES / LABELS[name]["file"]).read_text(encoding="utf-8")
    doc = Pipeline.from_config(AnalysisConfig())(
        Document(text=text, meta=ArticleMeta(id="t", outlet="o", source="t.txt")))
    found = sorted((s.label, doc.text_of(s)) for s in doc.get("sourcing"))
    assert found == sorted((i["category"], i["text"]) for i in LABELS[name]["findings"])
    if name == "news_sources":
        assert doc.metrics["sourcing"]["attributed_sentences"] == LABELS[name]["attributed_sentences"]


def test_overlapping_candidates_keep_the_longest() -> None:
    from framing.sourcing import Attribution, select_attributions

    a = Attribution(10, 20, "A", None, False)
    longer = Attribution(5, 30, "B", "role", False)
    apart = Attribution(40, 45, "C", None, False)
    touching = Attribution(30, 35, "D", None, False)
    assert select_attributions([a, apart, longer, touching]) == [longer, touching, apart]


@pytest.mark.parametrize("sentence, label, text, speaker, role", [
    ("Kremlin spokesman Dmitry Peskov told reporters the talks were useful.",
     "named-source", "Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", "Kremlin spokesman"),
    ('"We will not back down," said Anna Smith, a spokeswoman for the ministry.',
     "named-source", "Anna Smith, a spokeswoman for the ministry", "Anna Smith", "spokeswoman for the ministry"),
    ("Dr. Lena Ortiz, an economist at Harvard, said inflation would fall.",
     "named-source", "Dr. Lena Ortiz, an economist at Harvard", "Lena Ortiz", "economist at Harvard"),
    ("A government source, speaking on condition of anonymity, said the deal was done.",
     "anonymous-source", "A government source", None, None),
    ("Sources close to the Kremlin said the president was furious.",
     "anonymous-source", "Sources close to the Kremlin", None, None),
    ("The president's spokesman said nothing about the new border rules today.",
     "anonymous-source", "The president's spokesman", None, "president's spokesman"),
])
def test_common_attribution_forms(sentence: str, label: str, text: str, speaker: str | None,
                                  role: str | None) -> None:
    doc = analysed(f"Trade talks resumed on Monday in the capital.\n\n{sentence}\n")
    found = [(s.label, doc.text_of(s), s.attrs["speaker"], s.attrs["role"]) for s in doc.get("sourcing")]
    assert found == [(label, text, speaker, role)]


def test_a_named_organisation_is_a_named_source_of_kind_organisation() -> None:
    doc = analysed("Trade talks resumed on Monday in the capital.\n\n"
                   "The Health Ministry said 164 people had died in the unrest.\n")
    [span] = doc.get("sourcing")
    assert (doc.text_of(span), span.label, span.attrs["source_kind"]) == \
        ("Health Ministry", "named-source", "organisation")
    assert doc.metrics["sourcing"]["named_organisations"] == ["Health Ministry"]


@pytest.mark.parametrize("sentence, expected", [
    ("Two senior Norwegian officials said the border would reopen soon.", ["Two senior Norwegian officials"]),
    ("Two people who asked not to be named said the border would reopen.",
     ["Two people who asked not to be named"]),
    ("Many experts said the border would reopen soon enough.", []),  # a vague group: the lexicons' job
])
def test_anonymous_groups(sentence: str, expected: list[str]) -> None:
    doc = analysed(f"Trade talks resumed on Monday in the capital.\n\n{sentence}\n")
    assert [doc.text_of(s) for s in doc.get("sourcing") if s.label == "anonymous-source"] == expected


@pytest.mark.parametrize("sentence, text, speaker", [
    ("At least 238 people died, according to the prosecutor general's office.",
     "prosecutor general's office", "prosecutor general's office"),
    ("According to the health ministry, 4,500 people were injured in the unrest.",
     "health ministry", "health ministry"),
    ("The interior ministry said that 9,900 people had been detained.", "interior ministry", "interior ministry"),
])
def test_an_organisation_named_in_lower_case_is_an_organisational_source(sentence, text, speaker) -> None:
    doc = analysed(f"Trade talks resumed on Monday in the capital.\n\n{sentence}\n")
    found = [(s.label, doc.text_of(s), s.attrs["speaker"], s.attrs["source_kind"]) for s in doc.get("sourcing")]
    assert found == [("named-source", text, speaker, "organisation")]


@pytest.mark.parametrize("sentence, name, role", [
    ("The Minister of Foreign Affairs Mukhtar Tileuberdi said the talks went well.",
     "Mukhtar Tileuberdi", "Minister of Foreign Affairs"),
    ("President of Kazakhstan Nursultan Nazarbayev said the talks went well.",
     "Nursultan Nazarbayev", "President of Kazakhstan"),
])
def test_a_several_word_place_after_of_belongs_to_the_role(sentence, name, role) -> None:
    doc = analysed(f"Trade talks resumed on Monday in the capital.\n\n{sentence}\n")
    assert [(s.attrs["speaker"], s.attrs["role"]) for s in doc.get("sourcing")] == [(name, role)]


@pytest.mark.parametrize("sentence, text, role", [
    ("The head of the customs committee, Aliya Nurova, told reporters that prices would rise.",
     "The head of the customs committee, Aliya Nurova", "head of the customs committee"),
    ("His deputy,\tÉmile Durand, said the talks went well.", "His deputy,\tÉmile Durand", "deputy"),
])
def test_a_name_in_apposition_to_a_role_is_a_named_source(sentence, text, role) -> None:
    doc = analysed(f"Trade talks resumed on Monday in the capital.\n\n{sentence}\n")
    assert [(doc.text_of(s), s.attrs["role"]) for s in doc.get("sourcing")] == [(text, role)]


def test_the_expert_refers_back_to_a_person_not_an_organisation() -> None:
    doc = analysed("Trade talks resumed on Monday in the capital.\n\n"
                   "Political analyst Aliya Nurova said prices would rise. The health ministry said "
                   "that 12 people were injured. The expert believes the talks will fail.\n")
    found = {doc.text_of(s): s.attrs["speaker"] for s in doc.get("sourcing")}
    assert found["The expert"] == "Aliya Nurova"


def test_sentences_overlapping_are_those_a_span_overlaps() -> None:
    """The measure finds the sentences with evidence span by span; each must be one a span overlaps."""
    import random

    from framing.sourcing import _sentences_overlapping
    rng = random.Random(7)
    for _ in range(200):
        bounds = sorted(rng.sample(range(100), 12))
        sentences = [(a, b) for a, b in zip(bounds[::2], bounds[1::2])] + [(bounds[-1], bounds[-1])]
        spans = [Span(a, a + rng.randrange(0, 15), "x") for a in rng.sample(range(100), 4)]
        expected = {i for i, (start, end) in enumerate(sentences)
                    if any(span.start < end and start < span.end for span in spans)}
        assert _sentences_overlapping([s for s, _ in sentences], [e for _, e in sentences], spans) == expected
