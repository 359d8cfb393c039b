"""Sentence segmentation over the kept body, with offsets into the original.

nupunkt does the splitting (abbreviations, initials, decimals); it is run only
on the stretches that hold an end it might not break at, since at a plain end
(``said. The``) its answer is certain and costs more to ask than to know. Two
rules around it handle what scraped text adds: a full stop glued to the next
sentence (``risks.Kazakhstan's``) and a paragraph break inside a run of lines.
"""
from __future__ import annotations

import re
from functools import lru_cache
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
    return [m.end() for m in _GLUED_STOP.finditer(text) if _is_glued_cut(text, m.end())]


def _is_glued_cut(text: str, cut: int) -> bool:
    """Whether the glued stop before ``cut`` ends a sentence: no abbreviation ends there."""
    return not _ABBREVIATION_BEFORE.search(text[max(0, cut - 8):cut])


#: nupunkt's candidate sentence ends (its period context: an end mark before whitespace or a
#: character that cannot start a word), or, as group "glued", a :data:`_GLUED_STOP`: one scan
#: finds both (no end is both: a glued stop has a capital after it). One character class
#: first, so that ``re`` can skip to the next end mark.
_END_MARK = re.compile(r"[.?!\u2026](?:(?=[)\";}\]*:@({[\s?!\u201d\u00bb]|['\u2019](?![^\W\d_]))"
                       r"|(?<=[a-z0-9%)\"”’][.!?])(?=[A-Z][a-z]{2,})(?P<glued>))")
#: A sentence end nupunkt may be spared: a full stop (and a closing quote), or a question or
#: exclamation mark and one space; then spaces (group 1) and a capital, or an opening quote
#: before one, that does not begin a list enumerator ("A.", "IV.").
_PLAIN_END = re.compile(r"(?:\.[\"\u201d]?|[?!](?= [A-Z]))( +)"
                        r"(?![A-Za-z]\)?\.|[ivxlcIVXLC]{1,6}\)?\.)(?=[A-Z\u201c]|\"[A-Z])")
#: A word nupunkt's first pass decides by its letters alone (no initial, no number).
_PLAIN_WORD = re.compile(r"[A-Za-z][a-z]+")
#: A number as nupunkt's token type "##number##" takes it (digits only, here).
_PLAIN_NUMBER = re.compile(r"[0-9]+")
#: The word after a number's stop, whole as nupunkt's word tokens end it.
_NEXT_WORD = re.compile(r"[A-Z][a-z]*(?=[\s;:]|,(?:\s|$)|$)")
#: What may follow an end to the end of the text without adding a sentence start there:
#: closing quotes and brackets (nupunkt moves them onto the sentence before), or spaces.
_CLOSING_TO_END = re.compile(r"['\")\]}\u201d\u2019\u00bb*]+|\s+")
#: Longer words before a stop are left to nupunkt, so that looking back stays bounded.
_LONGEST_PLAIN_WORD = 30
#: Letters of list enumerators ("ii.", "civil."): at a line start, nupunkt skips their stop.
_ROMAN_LETTERS = "ivxlc"


@lru_cache(maxsize=1)
def _tokenizer() -> nupunkt.PunktSentenceTokenizer:
    return nupunkt.load("default")


@lru_cache(maxsize=1)
def _words_with_doubtful_stops() -> frozenset[str]:
    """Lowercased words whose full stop nupunkt may not take as a break: its abbreviations
    and the first words of its collocations (framing never changes the model)."""
    params = _tokenizer().parameters
    return frozenset(params.abbrev_types) | {first for first, _ in params.collocations}


@lru_cache(maxsize=1)
def _collocations_after_numbers() -> frozenset[str]:
    """Lowercased words that nupunkt keeps in one sentence with a number's stop before them."""
    return frozenset(second for first, second in _tokenizer().parameters.collocations
                     if first == "##number##")


def _plain_end(segment: str, at: int) -> re.Match[str] | None:
    """The end at ``at`` with what follows it when nupunkt certainly breaks there, else None.

    That is an end after a whole chunk of letters or digits (``said. The``, ``it? The``,
    ``2022. The``). nupunkt breaks at ``?`` or ``!`` before one space and a letter
    whatever the words. At a full stop, its first pass marks the token a break unless
    the word is an abbreviation; its second pass keeps the break unless the pair is a
    collocation (the token is no initial; for a number, unless the next word is a
    punctuation mark, which a capital is not); its candidate checks skip the stop only
    as a list enumerator ("iv.", "12." at a line start). Neither side of such a break
    changes nupunkt's other decisions, so the text on each side can be split apart.
    """
    end = _PLAIN_END.match(segment, at)
    if end is None:
        return None
    low = max(0, at - _LONGEST_PLAIN_WORD)
    space = max(segment.rfind(" ", low, at), segment.rfind("\n", low, at))
    if space < 0 < low:
        return None
    word = segment[space + 1:at]
    if _PLAIN_WORD.fullmatch(word):
        if segment[at] != ".":
            return end
        word = word.lower()
        if word in _words_with_doubtful_stops() or not word.strip(_ROMAN_LETTERS) and len(word) <= 6:
            return None
        return end
    if segment[at] == "." and _PLAIN_NUMBER.fullmatch(word):
        after = _NEXT_WORD.match(segment, end.end())
        if after is None or after.group().lower() in _collocations_after_numbers():
            return None
        if len(word) <= 3 and (space < 1 or segment[space] != " " or segment[space - 1].isspace()):
            return None  # may open its line: an enumerator
        return end
    return None


def _ends_text(segment: str, at: int) -> bool:
    """Whether the end at ``at`` is followed by nothing that could start a sentence."""
    return _CLOSING_TO_END.fullmatch(segment, at + 1) is not None


def _nupunkt_starts(segment: str, start: int, end: int) -> list[int]:
    """nupunkt's sentence starts in ``segment[start:end]``, as offsets into ``segment``."""
    return [start + s for s, _ in _tokenizer().span_tokenize(segment[start:end])] or [start]


def _starts_and_glued_cuts(segment: str) -> tuple[list[int], list[int]]:
    """Where nupunkt's sentences of ``segment`` start, and the cuts after glued stops.

    nupunkt's sentences each run on to the next start: what ``nupunkt.sent_spans``
    gives (its spans are made contiguous the same way). The segment is cut at plain
    ends (see :func:`_plain_end`), and nupunkt runs only on the pieces that hold another
    candidate end (an abbreviation, a quote, a question): most sentences never reach it.
    """
    starts: list[int] = []
    glued: list[int] = []
    piece = 0
    doubtful = False
    for mark in _END_MARK.finditer(segment):
        at = mark.start()
        if mark.group("glued") is not None:
            if _is_glued_cut(segment, at + 1):
                glued.append(at + 1)
            continue
        end = _plain_end(segment, at)
        if end is None:
            doubtful = doubtful or not _ends_text(segment, at)
            continue
        starts += _nupunkt_starts(segment, piece, end.start(1)) if doubtful else [piece]
        piece, doubtful = end.end(), False
    starts += _nupunkt_starts(segment, piece, len(segment)) if doubtful else [piece]
    return starts, glued


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence offsets inside ``text[start:end]``, stripped of surrounding space."""
    end = len(text) if end is None else end
    segment = text[start:end]
    if not segment:
        return []
    bounds, cuts = _starts_and_glued_cuts(segment)
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
