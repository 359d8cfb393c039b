"""The cheaper scans of sourcing.py find exactly what the scans they replace find."""
from hypothesis import given
from hypothesis import strategies as st

from framing import sourcing


@given(st.text(alphabet="aB .,'’-–—\n", max_size=30), st.data())
def test_tokens_split_are_the_tokens_of_each_side(text, data):
    start = data.draw(st.integers(0, len(text)))
    split = data.draw(st.integers(start, len(text)))
    end = data.draw(st.integers(split, len(text)))
    assert sourcing._tokens_split(text, start, split, end) == \
        (sourcing._tokens(text, start, split), sourcing._tokens(text, split, end))
