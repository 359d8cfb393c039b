"""Lexicon packs: the packaged ones are valid, bad ones fail clearly, forms are inflected."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from framing.errors import LexiconError
from framing.lexicon import (KNOWN_CATEGORIES, LexiconSet, default_lexicon_paths, expand_pattern,
                             load_lexicon, load_lexicon_set, normalise_for_matching)

META = '[meta]\nname = "mini"\nversion = "0.1"\nlanguage = "en"\nsource = "test"\nlicence = "CC0-1.0"\n'
TERM = ('[[terms]]\nid = "junta"\npattern = "junta"\ncategory = "loaded-term"\n'
        'rationale = "Denies legitimacy."\n')


def write(tmp_path, body: str, name: str = "pack.toml"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_packaged_packs_load_and_every_term_explains_itself():
    paths = default_lexicon_paths()
    assert {p.stem for p in paths} >= {"general", "russia-central-asia"}
    for path in paths:
        lexicon = load_lexicon(path)
        assert lexicon.version and lexicon.licence and len(lexicon.sha256) == 64
        for term in lexicon.terms:
            assert term.category in KNOWN_CATEGORIES, term.key
            assert len(term.rationale) > 20, term.key
            assert term.forms or term.regexes, term.key


def test_label_terms_carry_referents_or_block():
    topic = load_lexicon(next(p for p in default_lexicon_paths() if p.stem == "russia-central-asia"))
    referents = {t.referent for t in topic.terms if t.referent}
    assert {"event:kz-jan-2022", "event:ru-ukraine-war", "event:csto-deployment-2022",
            "actor:west"} <= referents
    assert all(not t.loaded for t in topic.terms if t.category == "label")
    assert all(t.loaded for t in topic.terms if t.category == "loaded-term")


@pytest.mark.parametrize("pattern, inflect, expected", [
    ("coup", "noun", {"coup", "coups"}),
    ("crisis", "none", {"crisis"}),
    ("crush", "verb", {"crush", "crushes", "crushed", "crushing"}),
    ("lash out", "verb", {"lash out", "lashed out", "lashing out", "lashes out"}),
    ("special (military) operation", "none", {"special operation", "special military operation"}),
    ("[experts|analysts] say", "none", {"experts say", "analysts say"}),
    ("Anglo-Saxon", "none", {"Anglo-Saxon", "Anglo Saxon", "AngloSaxon"}),
])
def test_expand_pattern(pattern, inflect, expected):
    assert expand_pattern(pattern, inflect) == expected


def test_normalising_keeps_length_and_folds_quotes_dashes_accents():
    text = "coup d’état — “Anglo‑Saxons”"
    folded = normalise_for_matching(text)
    assert len(folded) == len(text)
    assert folded == "coup d'etat - \"Anglo-Saxons\""


@pytest.mark.parametrize("body, message, term", [
    ("[meta]\nname = 'x'\n" + TERM, "'version'", None),
    (TERM, "missing [meta]", None),
    (META, "no [[terms]]", None),
    (META + TERM.replace('rationale = "Denies legitimacy."\n', ""), "'rationale'", "junta"),
    (META + TERM + TERM, "appears twice", None),
    (META + TERM.replace('pattern = "junta"', 'regex = "junta(("'), "not a valid regular expression",
     "junta"),
    (META + TERM.replace('pattern = "junta"', 'regex = "(junta)"'), "capturing groups", "junta"),
    (META + TERM.replace('pattern = "junta"', 'pattern = "junta (x"'), "unbalanced", "junta"),
    (META + TERM + 'colour = "red"\n', "unknown fields", "junta"),
    (META + TERM.replace('"loaded-term"', '"Loaded Term"'), "category", "junta"),
    (META + TERM + 'referent = "kz jan"\n', "referent", "junta"),
    (META + "[[terms]]\nid = 'x'\n", "category", "x"),
    ("[meta\n", "not valid TOML", None),
])
def test_bad_packs_fail_naming_file_and_term(tmp_path, body, message, term):
    path = write(tmp_path, body)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    text = str(info.value)
    assert text.startswith("error E103: ") and str(path) in text
    assert message in text
    if term:
        assert f"term {term!r}" in text


def test_missing_file_and_no_packs(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        load_lexicon(tmp_path / "nope.toml")
    with pytest.raises(LexiconError, match="at least one"):
        load_lexicon_set((), use_defaults=False)


def test_one_compiled_pattern_for_all_packs(tmp_path):
    user = write(tmp_path, META + TERM)
    lexicons = load_lexicon_set((user,), use_defaults=True)
    assert [lex.name for lex in lexicons.lexicons][-1] == "mini"
    text = "The juntas and the Collective West crushed it."
    found = [(text[m.start:m.end], m.term.key) for m in lexicons.find(text)]
    assert found == [("juntas", "mini:junta"), ("Collective West", "russia-central-asia:collective-west"),
                     ("crushed", "general:emotive-verb")]


def test_longest_form_wins_and_case_sensitive_terms():
    lexicons = load_lexicon_set((), use_defaults=True)
    text = "an attempted coup d'etat; May 2021 we may see; the West; a west wind"
    found = [text[m.start:m.end] for m in lexicons.find(text)]
    assert "attempted coup d'etat" in found
    assert found.count("may") == 1 and "May" not in found
    assert "West" in found and "west" not in found


def test_user_pack_overrides_a_default_form(tmp_path):
    body = META + TERM.replace('"junta"', '"regime"').replace("loaded-term", "evaluative")
    lexicons = LexiconSet([*(load_lexicon(p) for p in default_lexicon_paths()),
                           load_lexicon(write(tmp_path, body))])
    (match,) = list(lexicons.find("the regime"))
    assert match.term.lexicon == "mini" and match.term.category == "evaluative"


SCAN_TEXTS = [
    "an attempted coup d'etat; May 2021 we may see; the West; a west wind",
    "THE WEST MAY ACT. The West may act. No one may say. Nobody may vote. the West might",
    "The Collective West crushed the junta; the West terrorists, the regime's thugs.",
    "Unrest spread: the so-called rebels, the West—and the 'Collective   West' said may.",
    "A tragedy. Rioters and looters, the West may claim, brought CHAOS to Kiev.",
    "Café crème: the Wést may — non-ASCII text takes the single combined pass.",
    "Хунта… the junta «coup» in Kyiv — the WEST may; the ſo-called rebels, the regİme, the dıctator",
    "The \u212aremlin junta: the ﬁrst coup; ǅ titlecase; Ωmega thugs; straße regime",
]


@pytest.mark.parametrize("text", SCAN_TEXTS)
def test_two_pass_ascii_scan_equals_the_one_alternation(text):
    # ASCII text is scanned in two passes (literal forms lowercased, regex terms as is);
    # the matches must be those of the one case-insensitive alternation, in every casing
    # and from every starting offset (blocks start mid-text).
    lexicons = load_lexicon_set((), use_defaults=True)
    for variant in (text, text.upper(), text.lower(), text.swapcase()):
        folded = normalise_for_matching(variant)
        for start in range(0, len(folded), 7):
            for end in (len(folded), len(folded) - 5):
                expected = [(m.start(), m.end(), m.lastgroup)
                            for m in lexicons.pattern.finditer(folded, start, end)]
                assert lexicons._scan(folded, start, end) == expected, (variant, start, end)


def test_two_pass_scan_is_used_on_ascii_text_with_regex_terms():
    lexicons = load_lexicon_set((), use_defaults=True)
    assert lexicons._lowercase_literals is not None and lexicons._regex_pattern is not None
    text = "the West may say the West crushed it."
    groups = [g for _, _, g in lexicons._scan(text, 0, len(text))]
    assert "lit" in groups and any(g != "lit" for g in groups)


def test_unchanged_packs_are_compiled_once_and_an_edited_pack_again(tmp_path):
    pack = write(tmp_path, META + TERM)
    first = load_lexicon_set((pack,), use_defaults=False)
    assert load_lexicon_set((pack,), use_defaults=False) is first
    pack.write_text(META + TERM.replace('"junta"', '"juntas"', 1) + "\n", encoding="utf-8")
    again = load_lexicon_set((pack,), use_defaults=False)
    assert again is not first and [t.id for t in again.terms] == ["juntas"]


def regex_pack(tmp_path, regexes: list[str], case_sensitive: bool = False):
    terms = "".join(f'[[terms]]\nid = "r{i}"\nregex = {regex!r}\ncategory = "hedge"\n'
                    f'rationale = "A test regex term."\ncase_sensitive = {str(case_sensitive).lower()}\n'
                    for i, regex in enumerate(regexes))
    return load_lexicon_set((write(tmp_path, META + TERM + terms),), use_defaults=False)


def test_regex_terms_are_looked_for_only_where_their_literal_start_is():
    lexicons = load_lexicon_set((), use_defaults=True)
    assert lexicons._regex_gate is not None
    assert {"may", "might", "West"} <= set(lexicons._regex_gate.pattern.split("|"))


@pytest.mark.parametrize("regexes, case_sensitive, gated", [
    (["(?<![Nn]ot )likely", "al+eged", "(?=ab)aba?b"], False, True),
    (["(?<![Nn]ot )likely", "al+eged", "(?:so-called|(?i:Purported))"], True, True),
    (["ab", "b(?:a|c)"], True, True),
    (["[Tt]he likes", "likely"], False, False),
    (["(?:x?)likely"], False, False),
])
def test_gated_regex_search_equals_the_plain_search(tmp_path, regexes, case_sensitive, gated):
    lexicons = regex_pack(tmp_path, regexes, case_sensitive)
    assert (lexicons._regex_gate is not None) == gated
    text = ("Not likely: the alleged, ALLEGED and aleged junta, likely so. abab aba cab "
            "Purported PURPORTED so-called likes The likes. abba bca ababab xlikely")
    pattern = lexicons._regex_pattern
    for variant in (text, text.upper(), text.lower()):
        for start in range(0, len(variant), 3):
            for end in (len(variant), len(variant) - 4):
                plain = pattern.search(variant, start, end)
                gated_found = lexicons._search_regexes(variant, start, end)
                assert (plain and plain.span()) == (gated_found and gated_found.span()), \
                    (variant, start, end)


def test_a_form_ending_in_a_non_word_character_keeps_the_lookbehind_scan(tmp_path):
    # "u.s." ends in "."; "-led" may then start right where it ends, so the literal pass
    # cannot take the character before a form as part of its match.
    terms = ('[[terms]]\nid = "us"\npattern = "u.s."\ncategory = "hedge"\nrationale = "A test term."\n'
             '[[terms]]\nid = "led"\npattern = "-led"\ncategory = "hedge"\nrationale = "A test term."\n')
    lexicons = load_lexicon_set((write(tmp_path, META + TERM + terms),), use_defaults=False)
    assert lexicons._separator == 0
    assert load_lexicon_set((), use_defaults=True)._separator == 1
    text = "u.s.-led the U.S.-led junta; led u.s.,juntas u.s.u.s. -led"
    for start in range(len(text)):
        expected = [(m.start(), m.end(), m.lastgroup) for m in lexicons.pattern.finditer(text, start)]
        assert lexicons._scan(text, start, len(text)) == expected, start
    assert [text[m.start:m.end] for m in lexicons.find(text)][:4] == ["u.s.", "-led", "U.S.", "-led"]


def test_text_beyond_ascii_is_scanned_without_the_one_alternation():
    # lowercasing stands in for IGNORECASE unless the text holds İ, ı or ſ (gates.py)
    lexicons = LexiconSet([load_lexicon(p) for p in default_lexicon_paths()])
    text = "Хунта… the «regime» — a coup in Kyiv, the West may say."
    assert [text[m.start:m.end] for m in lexicons.find(text)] == ["regime", "coup", "West", "may"]
    assert "pattern" not in vars(lexicons)
    # "regıme" is "regime" to IGNORECASE (so the one alternation runs) but no term's key
    assert list(lexicons.find("the regıme")) == []
    assert "pattern" in vars(lexicons)


def test_trie_regex_matches_exactly_its_forms():
    import random
    import re

    from framing.lexicon import _trie_regex

    rng = random.Random(7)

    def form() -> str:  # words of letters and regex specials, single spaces, as forms are
        return " ".join("".join(rng.choice("ab.-(") for _ in range(rng.randint(1, 3)))
                        for _ in range(rng.randint(1, 3)))

    for _ in range(300):
        forms = [form() for _ in range(rng.randint(1, 10))]
        pattern = re.compile(_trie_regex(forms))
        for candidate in forms + [form() for _ in range(20)]:
            spaced = candidate.replace(" ", " \t ")  # a space in a form matches any whitespace
            assert bool(pattern.fullmatch(spaced)) == (candidate in forms), (forms, candidate)
    assert _trie_regex(["war", "warlord", "wars", "civil war"]) == \
        r"(?:civil\s+war|war(?:(?:lord|s))?)"


_SCAN_WORDS = ["the", "west", "West", "may", "might", "coup", "junta", "regime", "so-called",
               "collective", "civil", "war", "crushed", "no one", "Nobody", "thugs", "A", "x",
               "civil\u20acwar", "so\u2028called", "the\u0085West", "coup\u0416", "\u0416coup"]
_SCAN_CHARS = " \n\t.,;'\"-_\u00a0\u2003\u2028\u0085é\u00c9\u0416ж\u212a\u017f\u0130ı€«»…\x00"


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_SCAN_WORDS) | st.text(alphabet=_SCAN_CHARS, max_size=3),
                max_size=14), st.integers(0, 6))
def test_ascii_literal_pass_and_text_gate_equal_the_one_alternation(pieces, start):
    # The literal pass runs on lowercased text with characters beyond ASCII stood in for
    # (ASCII pattern), the regex terms are gated by str.find: together they must find
    # what the one case-insensitive Unicode alternation finds.
    lexicons = load_lexicon_set((), use_defaults=True)
    folded = normalise_for_matching("".join(pieces))
    start = min(start, len(folded))
    expected = [(m.start(), m.end(), m.lastgroup)
                for m in lexicons.pattern.finditer(folded, start, len(folded))]
    assert lexicons._scan(folded, start, len(folded)) == expected
