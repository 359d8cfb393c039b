"""Reading one input file: text that is mostly control characters is refused as binary."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.errors import InputError
from framing.sources import _CONTROL_CHAR, decode_text


def test_line_breaks_tabs_and_form_feeds_are_not_control_noise() -> None:
    text = "A line.\r\n\tIndented\fnext page\n" * 20
    assert decode_text(text.encode(), "a.txt") == text


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x08", "\x0b", "\x0e", "\x1b", "\x1f"])
def test_many_control_characters_mean_binary(control: str) -> None:
    data = ("word" + control * 2).encode()  # one third control characters
    if control == "\x00":
        with pytest.raises(InputError, match="NUL"):
            decode_text(data * 50, "b.txt")
        return
    with pytest.raises(InputError, match="control characters"):
        decode_text(data * 50, "b.txt")


def test_a_few_control_characters_are_tolerated() -> None:
    text = "plain words " * 100 + "\x1b"
    assert decode_text(text.encode(), "c.txt") == text


def _binary_by_regex(text: str) -> bool:
    """The rule as it was written first: the regex over the decoded text's first 8192 characters."""
    return len(_CONTROL_CHAR.findall(text, 0, 8192)) > 0.05 * min(len(text), 8192)


# Mostly controls, ASCII and multi-byte characters, around the 8192-byte edge of the byte count.
_pieces = st.sampled_from(["\x01", "\x0b", "\x1f", "\t", "\n", "a", " word", "é", "\u201c", "\U0001f600",
                           "x" * 400, "\u00e9" * 300])


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=60), st.booleans(), st.sampled_from(["utf-8", "latin-1"]))
def test_counting_control_bytes_refuses_what_the_regex_refused(pieces: list[str], bom: bool,
                                                                encoding: str) -> None:
    text = "".join(pieces)
    try:
        data = ("\ufeff" if bom and encoding == "utf-8" else "").encode(encoding) + text.encode(encoding)
    except UnicodeEncodeError:
        return
    if not data.strip():
        return
    try:
        assert decode_text(data, "p.txt", encoding) == text
        refused = False
    except InputError as exc:
        assert "control characters" in str(exc)
        refused = True
    assert refused == _binary_by_regex(text)
