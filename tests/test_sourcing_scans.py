"""The cheaper scans of sourcing.py find exactly what the scans they replace find."""
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import sourcing
from framing.gates import character_positions


@given(st.text(alphabet="aB .,'’-–—\n", max_size=30), st.data())
def test_tokens_split_are_the_tokens_of_each_side(text, data):
    start = data.draw(st.integers(0, len(text)))
    split = data.draw(st.integers(start, len(text)))
    end = data.draw(st.integers(split, len(text)))
    assert sourcing._tokens_split(text, start, split, end) == \
        (sourcing._tokens(text, start, split), sourcing._tokens(text, split, end))


_NOTE_PIECES = ("(", ")", "[", "]", " - ", " – ", "approx.", "прим.", "InoSMI", "note by", "Note of", "ed.",
                "editor's note", "Editor’s Note", "translator's note", "comment from", ":", "x", " ", "\n", "the figure")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NOTE_PIECES), max_size=14).map("".join))
def test_note_patterns_matched_at_their_openings_find_what_finditer_finds(text):
    for (pattern, _), opener in zip(sourcing._EDITORIAL_NOTES, sourcing._EDITORIAL_NOTE_OPENERS):
        if opener is None:
            continue
        found = sourcing._matches_opening_at(pattern, text, character_positions(text, opener))
        assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text)]
