"""Cheap whole-text tests that let sentence patterns skip sentences they cannot match.

The attribution patterns in voice.py and sourcing.py are long regexes tried at every
position of every sentence, yet most sentences hold none of the words they need (a speech
verb, "according", "source"). A gate scans the whole text once for those words and
answers by bisect whether a sentence contains one; only then does the full pattern run.
A gate must be a *necessary* condition of its pattern, so skipping never changes output.

Word lists are written as a prefix trie ("sa(?:id|ys)") and caseless words as character
classes because Python's ``re`` tries every branch of a flat alternation at every position
(3-10x slower on a verb list).
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable

#: What ``re.IGNORECASE`` matches besides the two ASCII cases, for the letters that have more.
_FOLDS = {"i": "İı", "k": "K", "s": "ſ"}
#: A gate hit may sit this far before the sentence: a longer gate word swallowing the start
#: of the one the pattern needs ("is sure" over "sure").
_MARGIN = 16


def caseless(word: str) -> str:
    """``word`` as a pattern matching what ``(?i:word)`` matches, one character class a letter."""
    return "".join(f"[{c}{c.upper()}{_FOLDS.get(c, '')}]" if c.isalpha() else re.escape(c)
                   for c in word.lower())


def literal_forms(alternation: str) -> list[str]:
    """The literal words of a regex alternation of words with ``[sz]`` and ``l?`` variants."""
    forms: list[str] = []
    for word in alternation.split("|"):
        variants = [word]
        for optional, choices in (("[sz]", ("s", "z")), ("l?", ("l", ""))):
            variants = [v.replace(optional, c, 1) for v in variants for c in choices] \
                if any(optional in v for v in variants) else variants
        for v in variants:
            if re.search(r"[\\\[\]()?*+{}|^$.]", v):
                raise ValueError(f"gate word {v!r} is not a literal (from {word!r})")
        forms += variants
    return forms


def trie(words: Iterable[str]) -> str:
    """An alternation of literal ``words`` factored by common prefixes."""
    branches: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        branches.setdefault(word[:1], []).append(word[1:])
    empty = branches.pop("", None) is not None
    alternatives = [re.escape(head) + trie(rest) for head, rest in branches.items()]
    if not alternatives:
        return ""
    group = alternatives[0] if len(alternatives) == 1 and not empty \
        else f"(?:{'|'.join(alternatives)})"
    return f"(?:{group})?" if empty else group


class Gate:
    """Offsets where any of ``patterns`` matches in ``text``; ``within`` asks about a range."""

    __slots__ = ("_hits",)

    def __init__(self, patterns: Iterable[re.Pattern[str]], text: str) -> None:
        self._hits = sorted(m.start() for pattern in patterns for m in pattern.finditer(text))

    def within(self, start: int, end: int) -> bool:
        """Does a gate word start in ``[start - margin, end)``?"""
        i = bisect.bisect_left(self._hits, start - _MARGIN)
        return i < len(self._hits) and self._hits[i] < end
