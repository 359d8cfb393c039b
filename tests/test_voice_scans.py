"""The cheaper scans of voice.py find exactly what the plain patterns they replace find."""
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import voice
from framing.gates import verb_gates

# Words that start, extend or end the subject-verb patterns, and some that do not.
_VOCABULARY = (
    "The the most Many some his her several political Western Russian Kazakh Foreign "
    "experts expert observer ministers president officials spokeswoman ministry press kremlin "
    "He he She they We Aliya Nurova Andrei Kazantsev of Human Rights Watch Dr. O'Neil al-Farabi "
    "has also later repeatedly then said says say think thinks believe told tells noted claims "
    "described called calls referred to as that on Monday reporters a an critics, while he"
).split()
_SEPARATORS = [" ", " ", " ", ", ", "  ", "\n", " - ", '" ', "-", "'", "."]

_texts = st.lists(st.tuples(st.sampled_from(_VOCABULARY), st.sampled_from(_SEPARATORS)),
                  max_size=24).map(lambda pairs: "".join(w + s for w, s in pairs))


def _plain_matches(verbs: str, takes_that: bool, sentence: str, stop: int) -> list[tuple]:
    """What one look-behind pattern, searched again from each match's end, finds."""
    pattern = re.compile(rf"(?<![\w-]){voice._SUBJECT}{voice._APPOSITION}{voice._AUX}\s+(?P<verb>{verbs})\b")
    found, pos = [], 0
    while (m := pattern.search(sentence, pos, stop)) is not None:
        that = voice._THAT.match(sentence, m.end()) if takes_that else None
        end = m.end() if that is None else that.end()
        found.append((m.span("subj"), m.groupdict(), end, that is not None))
        pos = end
    return found


@settings(max_examples=400, deadline=None)
@given(_texts, st.integers(min_value=0, max_value=400))
def test_subject_verb_matches_are_those_of_the_look_behind_pattern(sentence, stop):
    stop = min(stop, len(sentence))
    for pattern, verbs in ((voice._REPORTED, voice._SPEECH_VERBS), (voice._NAMING, voice._NAMING_VERBS)):
        found = [(m.span("subj"), m.groupdict(), end, has_that)
                 for m, end, has_that in voice._subject_verb_matches(pattern, sentence, stop)]
        assert found == _plain_matches(verbs, pattern.takes_that, sentence, stop)


def test_subject_starts_admit_every_word_a_subject_can_start_with():
    """_SUBJECT_STARTS must hold wherever _SUBJECT matches, or a subject would be missed."""
    determiners = {"the", "most", "many", "some", "this", "his", "her", "several"}
    words = set(re.findall(r"[a-z]+", voice._ROLE + voice._PRONOUN)) | determiners
    starts = re.compile(voice._SUBJECT_STARTS)
    subject = re.compile(voice._SUBJECT)
    for word in sorted(words):
        if subject.match(f"{word} ") or subject.match(f"{word} experts "):
            assert starts.match(word), word


@given(st.text(alphabet="ab \"“”«»„'\n", max_size=60))
def test_quote_marks_are_where_a_scan_for_them_finds_them(text):
    assert voice._quote_marks(text) == [m.start() for m in re.finditer(r'["“”«»„]', text)]


@given(st.text(alphabet="ab-' .,\n’", max_size=40), st.integers(0, 10), st.integers(0, 40))
def test_more_than_scare_words_is_a_count_of_words(text, start, end):
    many = voice._MORE_THAN_SCARE_WORDS.search(text, start, end) is not None
    assert many == (len(voice._WORDS.findall(text, start, end)) > voice.SCARE_MAX_WORDS)


def test_re_whitespace_is_what_str_strip_strips():
    """_may_end_in_speech_verb strips with ``str.rstrip`` what _BEFORE_QUOTE skips as ``\\s``."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]


_BEFORE_WORDS = ("said", "unsaid", "says", "pointed out", "out", "is sure", "clearly", "that", "to be", "be",
                 "the said", "Said", "put it", "it", "X", "told", "tells", "describe")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_BEFORE_WORDS), st.sampled_from([" ", "", ":", ", ", " :\n", ",  "])),
                max_size=6).map(lambda pairs: "".join(w + s for w, s in pairs)))
def test_may_end_in_speech_verb_holds_wherever_before_quote_matches(before):
    if voice._BEFORE_QUOTE.search(before):
        assert voice._may_end_in_speech_verb(before)


_AFTER_WORDS = ("said", "Said", "says", "he", "Abishev", "has", "also", "pointed out", "the", "minister",
                "told", "tells", "unsaid", "a", "reporters")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_AFTER_WORDS),
                          st.sampled_from([" ", ", ", ",", ".", "\n", " - ", "—", '"', "? ", "  "])),
                max_size=12).map(lambda pairs: "".join(w + s for w, s in pairs)),
       st.integers(0, 30))
def test_attribution_after_is_after_quote_matched_where_it_can_match(text, end):
    end = min(end, len(text))
    found = voice._attribution_after(text, end, verb_gates(text).speech)
    plain = voice._AFTER_QUOTE.match(text[end:end + 200])
    assert (found and (found.span(), found.groupdict())) == (plain and (plain.span(), plain.groupdict()))


_NAMING_WORDS = ("described", "Described", "calling", "it", "them", "her", "as", "a", "Putin", "the", "west",
                 "referred to", "so-called", "labelled", "dubs", "hero", "as\n")
_SPEECH_NOUN_WORDS = ("order", "orders", "words", "wordss", "call", "the", "recall", "warning", "to", "that",
                      "of", "said", "X")
_ROLE_WORDS = ("the", "The", "one", "a", "several", "political", "Western", "Kazakh", "experts", "expert",
               "spokesman", "spokesperson", "ministry", "kremlin", "press", "witnesses", "media", "Aliya",
               "said", "critics", "authorities", "x")


@pytest.mark.parametrize("pattern, endings, words, separators", [
    (voice._BEFORE_NAMING, voice._BEFORE_NAMING_ENDINGS, _NAMING_WORDS, (" ", "", "  ", ", ", "\n")),
    (voice._SPEECH_NOUN_BEFORE, voice._SPEECH_NOUN_ENDINGS, _SPEECH_NOUN_WORDS, (" ", "", "  ", "\n", " \n", ",")),
    (voice._ROLE_AT_END, voice._ROLE_ENDINGS, _ROLE_WORDS, (" ", "", "  ", "\n", ", ")),
], ids=["before-naming", "speech-noun-before", "role-at-end"])
@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_last_word_gate_holds_wherever_its_end_anchored_pattern_matches(pattern, endings, words, separators, data):
    """A pattern anchored at the end is tried only when the text's last word is one of its
    endings: wherever it matches, that test passes."""
    before = data.draw(st.lists(st.tuples(st.sampled_from(words), st.sampled_from(separators)), max_size=8)
                       .map(lambda pairs: "".join(w + s for w, s in pairs)))
    if pattern.search(before):
        assert endings.end(before.rstrip())


@given(st.lists(st.sampled_from(["so-called", "So-Called", "ſo-called", "so", "-", "called", " ", "\n", "d", "D"]),
                max_size=6).map("".join))
def test_ends_so_called_is_so_called_searched(before):
    assert voice._ends_so_called(before) == bool(voice._SO_CALLED.search(before))


def test_role_endings_are_the_last_words_of_role():
    """Every noun _ROLE can end in is one of _ROLE_ENDINGS, in both numbers where it has two."""
    assert voice._ROLE.endswith("(?:" + "|".join(voice._ROLE_NOUNS) + ")")
    for noun in voice._ROLE_NOUNS:
        for form in [noun[:-2], noun[:-2] + "s"] if noun.endswith("s?") else [noun]:
            assert voice._ROLE_AT_END.search(f"the {form}"), form
            assert form in voice._ROLE_ENDINGS.endings, form


@given(st.text(alphabet="aAdDsStTmMeEhHpPıİſ- .'\n", max_size=30)
       | st.lists(st.sampled_from(["Media", "DATA", "him", "Spokesperson", "spokesmen", "the", "plan", " ",
                                   "İ", "ſtudy", "STUDIES", "x"]), max_size=6).map("".join))
def test_names_source_is_source_noun_searched(phrase):
    assert voice._names_source(phrase) == bool(voice._SOURCE_NOUN.search(phrase))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab A'‘’\".!?\n-", max_size=60), st.integers(0, 10), st.integers(0, 60))
def test_straight_single_quoted_finds_what_single_quoted_finds_without_curly_quotes(text, start, end):
    if "‘" in text[start:end]:
        return
    found = [(m.span(), m.group("inner")) for m in voice._STRAIGHT_SINGLE_QUOTED.finditer(text, start, end)]
    assert found == [(m.span(), m.group("inner")) for m in voice._SINGLE_QUOTED.finditer(text, start, end)]
