"""Gates: cheap whole-text tests that must never skip a sentence their pattern matches."""
import re

import pytest

from framing import sourcing, voice
from framing.gates import (NAMING_VERBS, SOURCING_VERBS, SPEECH_VERBS, CaselessPatterns, CaselessWords, Gate,
                           folded, literal_forms, trie, verb_gates)


@pytest.mark.parametrize("text", [
    "The Source said so.", "SOURCES close to", "a ſource", "İdentified by", "unıdentified",
    "no such word here", "K\u212a source",
])
def test_caseless_words_find_what_an_ignorecase_pattern_finds(text):
    words = CaselessWords("source", "identified")
    expected = sorted(m.start() for w in ("source", "identified")
                      for m in re.finditer(f"(?i:{w})", text))
    gate = Gate.caseless(words, text)
    assert gate.sentences_hit(list(range(len(text)))) == set(expected)
    assert words.occur_in(text) == bool(expected)


def test_folded_is_none_for_letters_lower_does_not_fold_like_re():
    assert folded("Editor's Note") == "editor's note"
    for letter in "İıſ":
        assert folded(f"x{letter}y") is None


def test_caseless_words_must_be_ascii():
    with pytest.raises(ValueError, match="ASCII"):
        CaselessWords("прим")


def test_sentences_hit_are_those_a_hit_starts_in():
    text = "He said it. Then nothing. She says so."
    starts = [0, 12, 26]
    gate = Gate.scan([re.compile(r"\s(?:said|says)\b")], text)
    assert gate.sentences_hit(starts) == {0, 2}


def test_last_end_is_the_furthest_hit_end_before_the_range_end_or_the_range_end():
    text = "Ann said and Bob says more, then Cy."
    gate = Gate.scan([re.compile(r"\s(?:said|says)\b")], text)
    assert gate.last_end(0, len(text)) == text.index("says") + 4
    assert gate.last_end(0, text.index("Bob")) == text.index("said") + 4
    assert gate.last_end(text.index("more"), len(text)) == len(text)  # no hit starts in range
    assert gate.last_end(0, text.index("says") + 2) == text.index("says") + 2  # never past the range


def test_starts_in_asks_whether_a_hit_starts_in_the_range():
    text = "Ann said and Bob says more."
    gate = Gate.scan([re.compile(r"\s(?:said|says)\b")], text)
    at = text.index(" said")
    assert gate.starts_in(at, at + 1) and gate.starts_in(0, len(text))
    assert not gate.starts_in(0, at) and not gate.starts_in(at + 1, text.index(" says"))


def test_trie_matches_the_same_words_as_the_flat_alternation():
    words = literal_forms("said|says|say|emphasi[sz]ed|labell?ed|pointed out")
    pattern = re.compile(rf"\b(?:{trie(words)})\b")
    for word in words:
        assert pattern.fullmatch(word)
    assert not pattern.fullmatch("sai")


@pytest.mark.parametrize("text", ["He SAID so", "she ſaid", "they said", "nothing"])
def test_caseless_patterns_match_where_ignorecase_does(text):
    patterns = CaselessPatterns(r"\s(?:said|says)\b")
    expected = [m.start() for m in re.finditer(r"\s(?:said|says)\b", text, re.IGNORECASE)]
    assert sorted(Gate.caseless(patterns, text).sentences_hit(list(range(len(text))))) == expected


def _clashes(words: list[str], before: str) -> list[tuple[str, str]]:
    """Pairs that would let a gate hit differ from the word a pattern matches at one place.

    A word followed by a non-word character inside a longer word ("point" in "point out")
    could end a pattern's verb elsewhere than the gate's; a word starting after one of the
    ``before`` characters inside a longer word ("think" in "does not think") would be
    swallowed by the gate's hit on the longer one.
    """
    found = []
    for long in words:
        for short in words:
            if long == short:
                continue
            if long.startswith(short) and not re.match(r"\w", long[len(short)]):
                found.append((short, long))
            for i, ch in enumerate(long[:-1]):
                if ch in before and re.match(rf"{re.escape(short)}\b", long[i + 1:]):
                    found.append((short, long))
    return found


def test_clashes_finds_both_kinds():
    assert _clashes(["point", "point out"], " ") == [("point", "point out")]
    assert _clashes(["think", "does not think"], " ") == [("think", "does not think")]


@pytest.mark.parametrize("module, name, extra, before", [
    # one gate scan for speech and naming verbs; the "-ing" forms are in _BEFORE_NAMING's trie
    (voice, "_SPEECH_VERBS", literal_forms(voice._NAMING_VERBS) + [
        "branding", "labelling", "labeling", "calling", "describing", "dubbing"], " "),
    (sourcing, "_VERBS", ["asked"], " ,\"”’'"),
])
def test_verb_gate_hits_are_the_verbs_the_patterns_match(module, name, extra, before):
    """Patterns ending in a verb stop at the last gate hit (Gate.last_end): sound only if
    every verb a pattern can match is a gate hit ending where the pattern's verb ends."""
    assert _clashes(literal_forms(getattr(module, name)) + extra, before) == []


def test_no_verb_of_one_list_ends_where_a_longer_verb_of_another_goes_on():
    """verb_gates finds the longest verb of all lists at a place: it must be each list's own."""
    every = literal_forms(SPEECH_VERBS) + literal_forms(NAMING_VERBS) + literal_forms(SOURCING_VERBS) + ["asked"]
    assert _clashes(sorted(set(every)), before="") == []


@pytest.mark.parametrize("text", [
    "He does not think so, she think.", "they SAID, 'Said' \"said ſaid", "İ said. He doesn't think; ,asked",
    "Points Out the is sure is Sure pointed out x", "Said. said\u00a0said\tsays, described as",
    "She has been called a hero, he is convinced, they referred to it.", "no verbs here",
])
def test_verb_gates_find_what_a_scan_of_each_list_alone_finds(text):
    def hits(gate: Gate) -> list[tuple[int, int]]:
        return list(zip(gate._hits, gate._last_ends))
    gates = verb_gates(text)
    speech = Gate.scan([re.compile(rf"\s(?:{trie(literal_forms(SPEECH_VERBS))})\b")], text)
    naming = Gate.scan([re.compile(rf"\s(?:{trie(literal_forms(NAMING_VERBS))})\b")], text)
    sourcing = Gate.scan([re.compile(rf"[\s,\"”’'](?:{trie(literal_forms(SOURCING_VERBS) + ['asked'])})\b",
                                     re.IGNORECASE)], text)
    assert (hits(gates.speech), hits(gates.naming), hits(gates.sourcing)) == \
        (hits(speech), hits(naming), hits(sourcing))


@pytest.mark.parametrize("text", ["Named, unnamed and NAMES", "an anonymous source", "İdentified namename", "none"])
def test_caseless_words_gate_finds_what_a_scan_per_word_finds(text):
    words = CaselessWords("name", "identified", "anonym")
    def hits(gate: Gate) -> list[tuple[int, int]]:
        return list(zip(gate._hits, gate._last_ends))
    assert hits(words.gate(text)) == hits(Gate.caseless(words, text))
    assert hits(Gate.of_literals(["name"], text.lower())) == hits(Gate.scan([re.compile("name")], text.lower()))
