"""Sentence splitting: abbreviations, initials, money, quotes and glued full stops."""
from __future__ import annotations

import nupunkt
import pytest
from hypothesis import given, settings, strategies as st

from framing.sentences import (_END_MARK, _GLUED_STOP, _is_glued_cut, _starts_and_glued_cuts, glued_boundaries,
                               split_sentences)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_glued_full_stop_is_split():
    text = "The deal is worth $ 1 billion.Kazakhstan's exports grew."
    assert sentences(text) == ["The deal is worth $ 1 billion.", "Kazakhstan's exports grew."]


def test_glued_full_stop_after_lowercase_word():
    text = "There are serious risks.Kazakhstan's leaders know it."
    assert sentences(text) == ["There are serious risks.", "Kazakhstan's leaders know it."]


@pytest.mark.parametrize("text", [
    "Experts share their forecasts with Caliber.Az today.",
    "Mr.Smith arrived.",
    "The U.S. and NATO are watching.",
    "Exports rose by 8.6% last year.",
])
def test_no_false_glued_split(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("Dr. Vaishali Krishna is an Assistant Professor. She wrote a note.",
     ["Dr. Vaishali Krishna is an Assistant Professor.", "She wrote a note."]),
    ("Mr. J. R. Smith met Gen. Ivanov on Monday. They talked.",
     ["Mr. J. R. Smith met Gen. Ivanov on Monday.", "They talked."]),
    ("A total of 26 projects worth almost $ 1 billion. In addition, 84 more.",
     ["A total of 26 projects worth almost $ 1 billion.", "In addition, 84 more."]),
    ("\u201cWe will overcome all challenges,\u201d Nazarbayev said. The vote is on Sunday.",
     ["\u201cWe will overcome all challenges,\u201d Nazarbayev said.", "The vote is on Sunday."]),
])
def test_abbreviations_initials_money_quotes(text, expected):
    assert sentences(text) == expected


def test_offsets_point_into_the_original():
    text = "  First one.  Second one!\nThird one?  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third one?"]


def test_split_inside_a_range_keeps_absolute_offsets():
    text = "HEADER\nAlpha beta. Gamma delta.\nFOOTER"
    start = text.index("Alpha")
    end = text.index("\nFOOTER")
    spans = split_sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == ["Alpha beta.", "Gamma delta."]


def test_glued_boundaries_skip_abbreviations():
    assert glued_boundaries("Dr.Smith and Mrs.Jones") == []


@pytest.mark.parametrize("text, cuts", [
    ("risks.Kazakhstan's leaders met.", [6]),
    ("It rose 5%.Prices fell.", [11]),
    ("He said “no”.Then left.", [13]),
    ("Mr.Smith arrived.", []),        # an abbreviation before the stop
    ("See e.g.Example cases.", []),
    ("It ended.The end.", [9]),
    ("A.Bc is short.", []),           # needs three letters after the capital
    ("x .Word here.", []),            # a space before the stop
])
def test_glued_boundaries(text, cuts):
    assert glued_boundaries(text) == cuts


# Sentence starts are nupunkt's own, though most sentences never reach it (plain ends such
# as "said. The" are decided without it): the pieces below mix plain ends with everything
# that makes an end doubtful, and each text must split exactly as plain nupunkt splits it.
_WORDS = ["said.Kazakhstan", "risks.Then", "Mr.Smith", "5%.Prices", "said", "Smith", "war", "equal", "approx", "civil", "ill", "it", "Vaishali", "a",
          "Mr", "U.S", "e.g", "No", "IV", "A", "iv", "x", "2022", "6", "1", "(a)", "InoSMI)",
          "tension", "Kazakhstan", "abcdefghijklmnopqrstuvwxyzabcdefgh", "déjà", "naïve",
          "123", "2022", "1930s", "Bake", "Dear", "Acres", "The", "CSTO)", "values\""]
_ENDS = [".", ". ", "? ", "! ", ".\" ", ".\u201d ", "?\u201d ", ".' ", ".) ", "... ", ". . . ",
         "\u2026 ", "?! ", "! ? ", ", ", " ", "  ", "\n", "\n\n", ". \n", ".\t", ". -- ", ":",
         ".\"", ".\u201d)", ". ", "; ", ", ", ".\" )", "?\u201d"]
_STARTS = ["", "\u201c", "\"", "(", "'", "A. ", "IV. ", "1. "]
_piece = st.tuples(st.sampled_from(_STARTS), st.sampled_from(_WORDS), st.sampled_from(_ENDS))
_texts = st.lists(_piece, max_size=14).map(lambda parts: "".join(a + b + c for a, b, c in parts))


def _nupunkt_starts(text: str) -> list[int]:
    return [s for s, _ in nupunkt.load("default").span_tokenize(text)] or [0]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_texts)
def test_sentence_starts_are_nupunkts(text):
    starts, glued = _starts_and_glued_cuts(text)
    assert starts == _nupunkt_starts(text)
    assert glued == [m.end() for m in _GLUED_STOP.finditer(text) if _is_glued_cut(text, m.end())]


@pytest.mark.parametrize("text", [
    "It was said. The end came. Then it rained.",        # plain ends only: no nupunkt call
    "He is equal. A draw. It ended.",                   # "equal" is a nupunkt abbreviation
    "The war was civil. It ended.", "Chapter one.\nii. The list. It went on.",
    "They met Mr. Smith. Then Dr. Jones.", "It rose in 2022. The end. On January 6. The vote.",
    "Is it war? The end! Yes? \u201cNo.\u201d Then. \u201cAnd.\u201d It ended.",
    "He said \"go.\" The end.\" And then.\u201d More.", "Tension. A. Smith came. IV. Next.",
    "It ended in 2022. The war. On May 13. \"Then\" came 12. Bake. In 1930s. Now.\n12. The list.",
    "It ended.\" Then came the end.\u201d", "They left. \"We stay,\" he said. (Then) more.\"",
])
def test_sentence_starts_examples(text):
    assert _starts_and_glued_cuts(text)[0] == _nupunkt_starts(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=".?!\u2026 \n\t\"'’”»)(;:@{[]}*-,aZ5é_\u00a0", max_size=40))
def test_end_marks_are_nupunkts_candidates_and_glued_stops(text):
    context = nupunkt.load("default")._lang_vars.period_context_pattern
    marks = list(_END_MARK.finditer(text))
    assert [m.start() for m in marks if m.group("glued") is None] == [m.start() for m in context.finditer(text)]
    assert [m.end() for m in marks if m.group("glued") is not None] == [m.end() for m in _GLUED_STOP.finditer(text)]
