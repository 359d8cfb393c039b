"""Reading one input file: text that is mostly control characters is refused as binary."""
from __future__ import annotations

import pytest

from framing.errors import InputError
from framing.sources import decode_text


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
