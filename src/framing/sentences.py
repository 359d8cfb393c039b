"""Sentence segmentation over the kept body, with offsets into the original.

nupunkt does the splitting (abbreviations, initials, decimals). Two passes
around it handle what scraped text adds: a full stop glued to the next
sentence (``risks.Kazakhstan's``) and a paragraph break inside a run of lines.
"""
from __future__ import annotations

import re
from typing import ClassVar

import nupunkt

from .document import Document, Span, frozen_attrs
from .pipeline import AnalysisConfig, register_extractor

# "billion.Kazakhstan's": a lowercase word, a full stop, a capitalised word of 3+ letters.
# The match is the stop itself (a sentence starts at its end): a pattern that begins with a
# character class lets the regex engine skip ahead, where a leading lookbehind tries every
# offset, so the character before the stop is checked by a lookbehind over both.
_GLUED_STOP = re.compile(r"[.!?](?<=[a-z0-9%)\"”’][.!?])(?=[A-Z][a-z]{2,})")
_ABBREVIATION_BEFORE = re.compile(
    r"\b(mr|mrs|ms|dr|st|prof|gen|col|lt|sgt|jr|sr|vs|etc|inc|ltd|co|corp|no|approx|cf|e\.g|i\.e)[.]$",
    re.IGNORECASE)
_LINE_END_BREAK = re.compile(r"(?<=[.!?:…\"”])[ \t]*\n")


def glued_boundaries(text: str) -> list[int]:
    """Offsets where a sentence starts right after a full stop with no space."""
    cuts = []
    for m in _GLUED_STOP.finditer(text):
        if not _ABBREVIATION_BEFORE.search(text[max(0, m.end() - 8):m.end()]):
            cuts.append(m.end())
    return cuts


def _sentence_starts(segment: str) -> list[int]:
    """Where nupunkt's sentences of ``segment`` start; each runs on to the next start.

    What ``nupunkt.sent_spans`` gives (its spans are made contiguous the same way),
    without the copy of every sentence's text it makes on the way.
    """
    return [s for s, _ in nupunkt.load("default").span_tokenize(segment)] or [0]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence offsets inside ``text[start:end]``, stripped of surrounding space."""
    end = len(text) if end is None else end
    segment = text[start:end]
    if not segment:
        return []
    bounds = _sentence_starts(segment)
    cuts = glued_boundaries(segment)
    if "\n" in segment:
        cuts.extend(m.end() for m in _LINE_END_BREAK.finditer(segment))
    if cuts:
        bounds = sorted({*bounds, *(c for c in cuts if bounds[0] < c < len(segment))})
    bounds.append(len(segment))
    result = []
    for s, e in zip(bounds, bounds[1:]):
        chunk = segment[s:e]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            result.append((start + s + left, start + s + right))
    return result


@register_extractor("sentences", order=100)
class SentenceSplitter:
    """Sentences of each kept body span; ``in_title`` marks the headline."""

    name: ClassVar[str] = "sentences"
    requires: ClassVar[tuple[str, ...]] = ("body",)
    assigns: ClassVar[str] = "sentences"
    findings: ClassVar[bool] = False

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        sentences = []
        for block in doc.body:
            attrs = frozen_attrs({"block": block.label})  # shared by the block's sentences
            sentences.extend(Span(s, e, "sentence", attrs)
                             for s, e in split_sentences(doc.text, block.start, block.end))
        return sentences
