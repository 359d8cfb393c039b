"""The facts extractor's fast scans find exactly what the plain patterns find."""
from __future__ import annotations

import re
import string
import sys

from framing.facts.entities import _FOLDS_TO, first_char_guard


def test_folds_to_lists_every_non_ascii_character_case_folding_matches_to_an_ascii_letter():
    folding = {chr(cp) for cp in range(sys.maxunicode + 1) if not chr(cp).isascii()
               and any(re.fullmatch(a, chr(cp), re.IGNORECASE) for a in string.ascii_lowercase)}
    assert folding == set(_FOLDS_TO)


def test_case_insensitive_guard_admits_the_kelvin_sign():
    guard = re.compile(first_char_guard("k", ignore_case=True) + "kazakh", re.IGNORECASE)
    assert guard.match("\u212aazakh")
