"""The facts extractor's fast scans find exactly what the plain patterns find."""
from __future__ import annotations

import re
import string
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.document import Span
from framing.facts.dates import BARE_DATE_PATTERN, DATE_PATTERN, find_dates
from framing.facts.entities import (_FOLDS_TO, _SEPARATOR, CAPITALISED_RUN, CandidateScan, encode_span,
                                    first_char_guard, load_gazetteer, parse_gazetteer, trie_alternation,
                                    word_start_alternation, word_start_finder)
from framing.facts.extract import FIGURE_FINDER, paragraph_of_sentences
from framing.facts.numbers import _WORD_NUMBERS, NUMBER_PATTERN, VAGUE


def test_folds_to_lists_every_non_ascii_character_case_folding_matches_to_an_ascii_letter():
    folding = {chr(cp) for cp in range(sys.maxunicode + 1) if not chr(cp).isascii()
               and any(re.fullmatch(a, chr(cp), re.IGNORECASE) for a in string.ascii_lowercase)}
    assert folding == set(_FOLDS_TO)


def test_case_insensitive_guard_admits_the_kelvin_sign():
    guard = re.compile(first_char_guard("k", ignore_case=True) + "kazakh", re.IGNORECASE)
    assert guard.match("\u212aazakh")


_PHRASES = ["Tokayev", "Kassym-Jomart Tokayev", "Kazakh", "Kazakhstan", "K", "A B", "'Ndrangheta",
            "’Ndrangheta", "Nur-Sultan", "Astana", "EU", "U.S."]


def _guarded_alternation(phrases: list[str]) -> re.Pattern[str]:
    """The names pattern as it was: a first-character guard and the lookbehind, then the trie."""
    return re.compile(first_char_guard(p[0] for p in phrases) + r"(?<![\w-])(?:"
                      + trie_alternation(phrases) + r")(?![\w-])")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PHRASES + ["-", " ", "x", "s", ".", "\n", "Kaz"]), max_size=14))
def test_word_start_alternation_matches_as_the_guarded_trie(pieces):
    text = "".join(pieces)
    new = re.compile(word_start_alternation(_PHRASES) + r"(?![\w-])")
    old = _guarded_alternation(_PHRASES)
    for start in (0, 1, 3):
        assert [m.span() for m in new.finditer(text, start)] == [m.span() for m in old.finditer(text, start)]


def test_the_packaged_names_pattern_opens_with_a_character_set():
    # re's fast skip to a possible first character needs the pattern to open with one.
    names = load_gazetteer().name_pattern
    assert names is not None and names.pattern.startswith("(?:A")


# The capitalised-run rule as it was before its words became atomic groups (the reference).
_BACKTRACKING_RUN = re.compile(
    r"(?=[A-Z])(?<![\w-])(?:[A-Z][\w'’.-]*[a-z][\w'’-]*)"
    r"(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’-]*[a-z][\w'’-]*)+")


@pytest.mark.parametrize("text", [
    "Talks in New York City went on. Then Nursultan Nazarbayev spoke in Astana.",
    "U.S. President Joe Biden met St. Petersburg officials and McDonald's Corp staff.",
    "The Bank of Finland and Jawaharlal Nehru University; Jr. Smith-Jones ran.",
    "A.B. Cd Ef. Gh.ij Kl-mn O'Neil D’Arcy the Hague Court of Justice",
])
def test_atomic_capitalised_run_finds_what_the_backtracking_rule_found(text):
    assert [m.span() for m in CAPITALISED_RUN.finditer(text)] == \
        [m.span() for m in _BACKTRACKING_RUN.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="AaBbZz.'’- \n", max_size=40))
def test_atomic_capitalised_run_on_random_text(text):
    assert [m.span() for m in CAPITALISED_RUN.finditer(text)] == \
        [m.span() for m in _BACKTRACKING_RUN.finditer(text)]


def test_a_sentence_outside_every_paragraph_keeps_the_paragraph_before_it():
    blocks = [Span(0, 10, "body"), Span(20, 30, "body")]
    sentences = [Span(0, 4, "sentence"), Span(5, 9, "sentence"), Span(12, 15, "sentence"),
                 Span(20, 25, "sentence")]
    assert paragraph_of_sentences(blocks, sentences) == [0, 0, 0, 1]
    assert paragraph_of_sentences([], sentences) == [-1, -1, -1, -1]


@pytest.mark.parametrize("text, value", [
    ("The vote will be held on November 20.", "2022-11-20"),      # a future cue: this year's
    ("The vote was held on November 20.", "2021-11-20"),          # no cue: the last one
    ("The vote will be held on November 20, 2019.", "2019-11-20"),  # a year: cues do not matter
])
def test_future_cues_decide_the_year_of_a_month_without_one(text, value):
    found = find_dates(text, 0, len(text), date(2022, 11, 10))
    assert [d.value for d in found] == [value]


# Date and number phrases built from the words the patterns look for, to compare the patterns
# (whose alternatives open with first-character guards) with the same patterns without them.
_TOKENS = ["January", "Jan.", "Sept", "May", "mid", "Mid-", "early", "late", "this", "next", "Last",
           "past", "coming", "today", "Tomorrow", "yesterday", "Sunday", "week", "year", "1990s", "2022",
           "20", "3rd", "29", "and", "-", "–", ",", "of", "the", "a", "few", "hundred", "dozens", "tens",
           "thousands", "two", "Three", "fifty", "a dozen", "$", "US$", "€", "5", "1,200", "8.6", "%",
           "percent", "billion", "people", "killed", "ſeven", "\u212aazakh", "İn"]
_DATE_ALTERNATIVE_GUARDS = ["(?=[tTyY])", "(?=[JFMASOND])", "(?=\\d)", "(?=[eEmMlLJFMASOND])",
                            "(?=[eEmMlL])", "(?=[eEmMlL12])", "(?=[tTnNlLcCpP])"]


_VAGUE_GUARD = first_char_guard((w[0] for w in VAGUE), ignore_case=True)
_WORD_GUARD = first_char_guard((w[0] for w in _WORD_NUMBERS), ignore_case=True)


def _without(pattern: re.Pattern[str], guards: list[str]) -> re.Pattern[str]:
    text = pattern.pattern
    for guard in guards:
        assert guard in text
        text = text.replace(guard, "")
    return re.compile(text, pattern.flags)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=12), st.lists(st.sampled_from([" ", "  ", "\n", ""]),
                                                                 min_size=12, max_size=12))
def test_guarded_date_and_number_patterns_match_as_the_unguarded_ones(tokens, gaps):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    for pattern, guards in ((DATE_PATTERN.pattern, _DATE_ALTERNATIVE_GUARDS),
                            (NUMBER_PATTERN.pattern, ["(?=[\\dU$€£])", _VAGUE_GUARD, _WORD_GUARD])):
        reference = _without(pattern, guards)
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in reference.finditer(text)]


def _found(matches) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS + ["A", "Ukraine", "US", "ago", "x", "(", "“", "."]), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ".", ",", "\u00a0", "é"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_candidate_scans_find_what_the_patterns_find(tokens, gaps, start, length):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    end = min(len(text), start + length)
    for scan in (DATE_PATTERN, BARE_DATE_PATTERN, NUMBER_PATTERN):
        assert _found(scan.finditer(text)) == _found(scan.pattern.finditer(text))
        assert _found(scan.finditer(text, start, end)) == _found(scan.pattern.finditer(text, start, end))


@pytest.mark.parametrize("text", ["Tomorrow, November 20 and 21", "in the early 1990s, two dozen",
                                  "1,200 and 5", "x5 May 2022", "US$5 billion", "tens of thousands.",
                                  "thıs week, ſeven days", "a\u00a0dozen, A  few hundred", "£5 and ٣٠ people",
                                  "“Early 2022”, TODAY"])
def test_candidate_scans_find_what_the_patterns_find_in_examples(text):
    for scan in (DATE_PATTERN, BARE_DATE_PATTERN, NUMBER_PATTERN):
        for start in range(len(text) + 1):
            assert _found(scan.finditer(text, start)) == _found(scan.pattern.finditer(text, start))


@pytest.mark.parametrize("words, quantity", [
    (["people", "killed"], "deaths"),
    (["Soldiers", "were", "Killed"], "deaths"),          # the first listed quantity wins
    (["the", "death", "toll"], "deaths"),                # a two-word phrase
    (["death", "the", "toll"], None),
    (["held", "in", "custody"], None),                   # three words: never looked up
    (["military", "personnel"], "troops"),
    (["protesters"], None),
    ([], None),
])
def test_quantity_of_finds_the_first_listed_quantity_named(words, quantity):
    assert load_gazetteer().quantity_of(words) == quantity


_TRIGGER_TOKENS = ["protests", "Protests", "mass", "protest", "the", "vote", "votes", "CSTO", "troops",
                   "coup", "d'etat", "d’etat", "handed", "over", "power", "re-elected", "war", "in",
                   "Ukraine", "went", "to", "polls", "x", "(", "“", ".", "ſnap", "election", "\u212aazakh",
                   "crisis", "İn"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TRIGGER_TOKENS), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ",", "\u00a0", "\u2009", "\x1c", "é"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_trigger_scan_finds_what_the_trigger_pattern_finds(tokens, gaps, start, length):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    end = min(len(text), start + length)
    gaz = load_gazetteer()
    plain, plain_text = gaz.trigger_scan(text)
    expected = [m.span() for m in plain.finditer(plain_text, start, end)]
    encoded = encode_span(text, start, end)
    scan, scanned = gaz.trigger_scan(text, encoded)
    found = scan.scan(scanned, encoded) if isinstance(scan, CandidateScan) \
        else scan.finditer(scanned, start, end)
    assert [m.span() for m in found] == expected


def test_lower_case_keeps_what_the_ignorecase_trigger_pattern_sees():
    """Outside _FOLDS_TO, matching the trigger pattern with IGNORECASE is matching it in the
    lower-cased text: one character each, the same word characters, hyphens and spaces, and
    a character lower-cases to a letter exactly when IGNORECASE matches it to that letter."""
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp) not in _FOLDS_TO)
    lowered = every.lower()
    assert len(lowered) == len(every)
    for cls in (r"[\w-]", r"\s"):
        assert [m.start() for m in re.finditer(cls, every)] == [m.start() for m in re.finditer(cls, lowered)]
    for letter in string.ascii_lowercase + "'’":
        assert [m.start() for m in re.finditer(re.escape(letter), every, re.IGNORECASE)] == \
            [m.start() for m in re.finditer(re.escape(letter), lowered)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS + ["A", "ago", "x", "(", "“", "."]), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ".", ",", "\u00a0", "é"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_candidate_scans_share_one_encoding(tokens, gaps, start, length):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    encoded = encode_span(text, start, start + length)
    for scan in (DATE_PATTERN, BARE_DATE_PATTERN, NUMBER_PATTERN):
        assert _found(scan.scan(text, encoded)) == \
            _found(scan.pattern.finditer(text, start, start + length))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS + _TRIGGER_TOKENS), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ".", ",", "\u00a0", "é"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_scans_given_the_word_starts_of_several_find_what_the_patterns_find(tokens, gaps, start, length):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    gaz = load_gazetteer()
    finder = word_start_finder([*DATE_PATTERN.start_phrases, *NUMBER_PATTERN.start_phrases,
                                *gaz.trigger_candidates.start_phrases, *gaz.name_start_phrases])
    encoded = encode_span(text, start, start + length)
    starts = [m.start() + 1 for m in finder.finditer(encoded.lowered)]
    for scan in (DATE_PATTERN, NUMBER_PATTERN, gaz.trigger_candidates):
        figures = [m.start() for m in scan._finder.finditer(encoded.encoded)] if scan._finder else []
        assert _found(scan.scan(text, encoded, starts + figures)) == \
            _found(scan.pattern.finditer(text, start, start + length))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS + ["A", "Ukraine", "US", "ago", "x", "(", "“", ".", "$5", "U$"]),
                max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ".", ",", "\u00a0", "é", "$", "_"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_the_figure_finder_finds_what_every_scans_finder_finds(tokens, gaps, start, length):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    encoded = encode_span(text, start, start + length)
    figures = [m.start() for m in FIGURE_FINDER.finditer(encoded.encoded)]
    for scan in (DATE_PATTERN, BARE_DATE_PATTERN, NUMBER_PATTERN):
        assert {m.start() for m in scan._finder.finditer(encoded.encoded)} <= set(figures)
        words = [m.start() + 1 for m in scan._starts.finditer(encoded.lowered)] if scan._starts else []
        assert _found(scan.scan(text, encoded, figures + words)) == \
            _found(scan.pattern.finditer(text, start, start + length))


def _word_starts_of_each(phrases: list[list[str]], lowered: bytes) -> list[int]:
    """Where the finders of each phrase list, one pass each (as the scans had them), match."""
    found: set[int] = set()
    for group in phrases:
        trie = trie_alternation(group, encoded=True).encode("ascii")
        found.update(m.end() for m in re.finditer(_SEPARATOR + b"(?=(?:" + trie + b"))", lowered))
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS + _TRIGGER_TOKENS + ["protesters", "the Kremlin", "the West",
                                                             "Rioters", "a", "mid", "middle", "tens"]),
                max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ".", ",", "\u00a0", "é", "_"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_one_word_start_trie_finds_what_the_tries_of_each_scan_found(tokens, gaps, start, length):
    # One trie of every scan's phrases, shorter phrases standing for longer ones they start,
    # matches after the same separators as one finder per scan.
    text = "".join(t + g for t, g in zip(tokens, gaps))
    gaz = load_gazetteer()
    groups = [list(DATE_PATTERN.start_phrases), list(NUMBER_PATTERN.start_phrases),
              list(gaz.trigger_candidates.start_phrases), list(gaz.name_start_phrases)]
    lowered = encode_span(text, start, start + length).lowered
    finder = word_start_finder([p for group in groups for p in group])
    assert [m.end() for m in finder.finditer(lowered)] == _word_starts_of_each(groups, lowered)


_NAME_TOKENS = ["the Kremlin", "the West", "the", "Kremlin", "protesters", "protestors", "rioters",
                "Rioters", "demonstrators", "Tokayev", "Kassym-Jomart Tokayev", "Kazakhstan",
                "Moscow", "the Kremlin's", "EU", "x", "West"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NAME_TOKENS), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "", "-", ".", ",", "\u00a0", "é", "_", "ſ"]),
                min_size=14, max_size=14),
       st.integers(0, 12), st.integers(0, 80))
def test_names_scanned_in_two_parts_are_what_the_names_pattern_finds(tokens, gaps, start, length):
    text = "".join(t + g for t, g in zip(tokens, gaps))
    gaz = load_gazetteer()
    encoded = encode_span(text, start, start + length)
    finder = word_start_finder(gaz.name_start_phrases)
    words = [m.end() for m in finder.finditer(encoded.lowered)]
    expected = [m.span() for m in gaz.name_pattern.finditer(text, start, start + length)]
    assert [m.span() for m in gaz.scan_names(text, encoded, words)] == expected
    assert [m.span() for m in gaz.scan_names(text, encoded, None)] == expected


def test_names_merge_rescans_capitals_inside_a_lower_case_match():
    # "the Kremlin" wins over "Kremlin" inside it, and the capital scan must not skip the
    # name that starts inside its own "Kremlin" match.
    gaz = parse_gazetteer({"meta": {"name": "t", "version": "1"},
                           "actors": [{"id": "actor:a", "aliases": ["the Kremlin", "Kremlin Moscow"]},
                                      {"id": "actor:b", "aliases": ["Moscow Times", "Times"]}]}, "t")
    text = "So the Kremlin Moscow Times said."
    encoded = encode_span(text)
    words = [m.end() for m in word_start_finder(gaz.name_start_phrases).finditer(encoded.lowered)]
    found = [m.group() for m in gaz.scan_names(text, encoded, words)]
    assert found == [m.group() for m in gaz.name_pattern.finditer(text)] == ["the Kremlin", "Moscow Times"]
