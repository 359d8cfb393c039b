"""Numbers with what they count: "164 people dead", "nearly 10,000 arrested", "$160 billion".

One compiled alternation finds figures, money, percentages, spelled-out small numbers and
vague quantities ("hundreds of people"). Each becomes an interval ``[low, high]``:
qualifiers turn a figure into a range ("nearly 10,000" is 9,000-10,000, "over 7,000" is
7,000-10,500) and vague words are conventional ranges ("hundreds" is 200-999). What the
number counts is read from the words after it (or, for money and percentages, the noun
phrase before it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .entities import CandidateScan, first_char_guard, trie_alternation

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                 "thirty": 30, "forty": 40, "fifty": 50, "a dozen": 12}
#: Vague quantities as conventional ranges (documented in README "Shared facts").
VAGUE = {"dozens": (24.0, 99.0), "hundreds": (200.0, 999.0), "several hundred": (300.0, 999.0),
         "a few hundred": (200.0, 500.0), "thousands": (2000.0, 9999.0),
         "several thousand": (3000.0, 9999.0), "tens of thousands": (20000.0, 99999.0),
         "hundreds of thousands": (200000.0, 999999.0), "millions": (2e6, 999e6)}
#: Qualifier -> (low factor, high factor) applied to the figure.
#: "about 2,500" is a rounded figure: ±5% (so "about 2,500" and "some 3,000" conflict, while two
#: rounded figures within about 10% of each other still agree).
QUALIFIERS = {"nearly": (0.9, 1.0), "almost": (0.9, 1.0), "just under": (0.9, 1.0),
              "close to": (0.9, 1.0), "about": (0.95, 1.05), "around": (0.95, 1.05),
              "approximately": (0.95, 1.05), "roughly": (0.95, 1.05), "some": (0.95, 1.05),
              "an estimated": (0.95, 1.05), "over": (1.0, 1.5), "more than": (1.0, 1.5),
              "just over": (1.0, 1.1), "upwards of": (1.0, 1.5), "at least": (1.0, float("inf")),
              "less than": (0.0, 1.0), "fewer than": (0.0, 1.0), "under": (0.0, 1.0),
              "up to": (0.0, 1.0), "at most": (0.0, 1.0)}
_UNITS = {"km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
          "miles": "mi", "mile": "mi", "tonnes": "t", "tons": "t", "barrels": "barrels",
          "hectares": "ha", "mw": "MW", "gw": "GW", "years": "years", "year": "years"}
_CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_WORDS = {"dollars": "USD", "euros": "EUR", "tenge": "KZT", "rubles": "RUB", "roubles": "RUB"}

_qual = trie_alternation(list(QUALIFIERS), fold=True)
_vague = trie_alternation(list(VAGUE), fold=True)
_words = trie_alternation(list(_WORD_NUMBERS), fold=True)
# The figure itself; a qualifier before it is read separately (_QUALIFIER_BEFORE), which is
# much faster than an optional qualifier group tried at every position.
_QUALIFIER_BEFORE = re.compile(rf"(?<![\w-])(?P<qual>(?i:{_qual}))\s+$")
_NUMBER_PATTERN = re.compile(
    # Every alternative starts a word: fail at once inside words (the lookbehind first: the
    # guard's letters start many words and would let most positions through; 7% faster scan),
    # then on the characters a match can start with.
    r"(?<![\w])(?=[\dU$€£dDhHsSaAtTmMfFeEnNſ])(?:"
    # Each alternative opens with its own first characters too: at the start of a word,
    # failing there is much cheaper than entering the alternative (15% faster scan).
    rf"(?=[\dU$€£])(?:(?P<cur>US\$|\$|€|£)\s?)?(?<![\w.,-])(?<![A-Za-z]-)(?P<num>{_NUM})(?![\d])"
    rf"(?:\s?(?P<scale>thousand|million|mln|billion|bn|trillion)\b)?"
    rf"(?:\s?(?P<pct>%|percent\b|per cent\b))?"
    rf"|{first_char_guard((w[0] for w in VAGUE), ignore_case=True)}"
    rf"(?<![\w-])(?P<vague>(?i:{_vague}))(?=\s+of\b|\s+[a-z])"
    rf"|{first_char_guard((w[0] for w in _WORD_NUMBERS), ignore_case=True)}"
    rf"(?<![\w-])(?P<word>(?i:{_words}))(?=[\s-]+[a-z])(?!\s+of\s+(?:the|them|these|those)\b)"
    r")")
_SET_BEFORE = re.compile(r"\b(the|these|those|both|its|their|his|her|our)\s+$", re.IGNORECASE)
_NOT_A_COUNT_AFTER = re.compile(r"(st|nd|rd|th)\b|[A-Za-z]")
# Figures and currency signs are tokens too, so what is counted never runs over another figure
# ("a total of 26 almost $ 1 billion": 26 counts nothing, not "billion").
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*|[$€£%]|[.,;:!?()\"“”–—]|(?<![\w])-(?![\w])")
#: "69-year-old", "a 30-year-old": an age, an attribute of whoever follows.
_AGE = re.compile(r"(?:year|month|week|day)s?-old$", re.IGNORECASE)
#: Words after a figure that make it a length of time ("three decades", "its 30-year history").
_DURATION_WORDS = {"decade", "decades", "century", "centuries", "month", "months", "week", "weeks",
                   "day", "days", "hour", "hours", "year", "years"}
#: Adjective endings: a counted phrase ending in one goes on across "and"/"or" to its noun
#: ("962 ethnic and cultural organizations" counts organizations).
_ADJECTIVE_END = re.compile(r"(?:ic|al|ian|ese|ish|ive|ous|ful|ary|ern)$", re.IGNORECASE)
_STOP_AFTER = {"in", "on", "at", "for", "with", "from", "since", "and", "or", "but", "that", "which",
               "who", "across", "during", "per", "by", "to", "than", "as", "after", "before", "over",
               "under", "into", "while", "when", "where", "because", "this", "these", "those", "each",
               "will", "would", "can", "could", "should", "must", "may", "might", "not", "are", "is",
               "have", "has", "had", "did", "do", "does", "worth"}
FUNCTION_WORDS = {"a", "an", "the", "of", "to", "by", "at", "in", "on", "for", "with", "from", "and",
                  "or", "its", "their", "his", "her", "our", "this", "that", "these", "those", "were",
                  "was", "is", "are", "be", "been", "has", "have", "had", "total", "some", "all",
                  "rose", "grew", "fell", "increased", "decreased", "declined", "dropped", "jumped",
                  "rise", "risen", "grown", "fallen", "reached", "amounted", "estimates", "estimated",
                  "put", "worth", "up", "down", "about", "around", "nearly", "almost", "over",
                  "more", "than", "s", "people", "'s", "’s"}


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A quantity at ``[start, end)``: the interval it states and what it counts."""

    start: int
    end: int
    kind: str                 # number, money, percent
    value: float              # the figure as written (midpoint for vague words)
    low: float
    high: float | None        # None: open-ended ("at least 5")
    unit: str | None          # USD, %, km, years ... or None for a plain count
    approximate: bool
    qualifier: str | None
    counts: str               # what it counts, as written ("people dead")
    counts_words: tuple[str, ...]   # content words of ``counts``, lower-cased
    context_words: tuple[str, ...]  # words around the number (for quantity detection)
    #: "count" (a countable fact), or an attribute that is not one: "age" ("69-year-old"),
    #: "duration" ("three decades"), "set" ("four other republics"), "descriptive" (a small
    #: spelled-out number: "two factors"; it counts a fact only when it counts a gazetteer quantity).
    role: str = "count"

    @property
    def display(self) -> str:
        if self.low == self.high:
            return _fmt(self.value)
        high = "open" if self.high is None else _fmt(self.high)
        return f"{_fmt(self.low)}–{high}"


def _fmt(x: float) -> str:
    """164 -> "164", 1.6e11 -> "160 billion", 8.6 -> "8.6"."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(x) >= size:
            return f"{x / size:g} {word}"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _words_after(text: str, pos: int, end: int, limit: int = 6) -> list[str]:
    """Up to ``limit`` words after ``pos``, up to the first token that is not one (tokens read
    one by one: the rest of the sentence is seldom needed)."""
    out = []
    for m in _TOKEN.finditer(text[pos:end]):
        tok = m.group()
        if not tok[0].isalpha():
            break
        out.append(tok)
        if len(out) >= limit:
            break
    return out


def _words_before(text: str, start: int, pos: int, limit: int = 6) -> list[str]:
    out: list[str] = []
    for tok in reversed(_tokens(text[start:pos])):
        if not tok[0].isalpha():
            break
        out.insert(0, tok)
        if len(out) >= limit:
            break
    return out


def _content(words: list[str]) -> tuple[str, ...]:
    cleaned = []
    for w in words:
        w = w.lower()
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if w in FUNCTION_WORDS or len(w) < 2:
            continue
        cleaned.append(_singular(w))
    return tuple(cleaned[-3:] if len(cleaned) > 3 else cleaned)


def trim_phrase(phrase: str) -> str:
    """What is counted, without leading or trailing function words ("a total investment of")."""
    words = phrase.split()
    while words and words[0].lower().strip("'’") in FUNCTION_WORDS:
        words.pop(0)
    while words and words[-1].lower() in FUNCTION_WORDS | _STOP_AFTER:
        words.pop()
    return " ".join(words)


def _singular(word: str) -> str:
    """A crude singular so "countries"/"country" and "exports"/"export" share a key."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


#: :data:`_NUMBER_PATTERN`'s matches, tried only at a figure, a currency sign ("?" in the
#: encoded text stands for € and £, and for non-ASCII digits), "US$" or the first word of a
#: vague quantity or a spelled-out number (see :class:`CandidateScan`).
NUMBER_PATTERN = CandidateScan(
    _NUMBER_PATTERN,
    rb"[0-9$?U](?<![A-Za-z0-9_].)(?:(?<!U)|(?=S\$))",
    (phrase.split()[0] for phrase in (*VAGUE, *_WORD_NUMBERS) if not phrase.startswith("a ")),
    (phrase.split()[1] for phrase in (*VAGUE, *_WORD_NUMBERS) if phrase.startswith("a ")))


def find_numbers(text: str, start: int, end: int, skip: list[tuple[int, int]] | None = None,
                 matches: Sequence[re.Match[str]] | None = None) -> list[NumberMention]:
    """Quantities in ``text[start:end]`` (one sentence); ``skip`` holds date spans to ignore.

    ``matches``: :data:`NUMBER_PATTERN`'s matches in that range, when the caller has them.
    """
    skip = skip or []
    found = []
    for m in _NUMBER_PATTERN.finditer(text, start, end) if matches is None else matches:
        num, vague, word, scale, pct = m.group("num", "vague", "word", "scale", "pct")
        core_start = m.start("num") if num else m.start("vague") if vague else m.start("word")
        if any(a <= core_start < b for a, b in skip):
            continue
        if word and _SET_BEFORE.search(text[max(start, m.start() - 8):m.start()]):
            continue  # "the two countries", "its two neighbours": a set phrase, not a count
        if num and not scale and not pct and _NOT_A_COUNT_AFTER.match(text, m.end(), m.end() + 3):
            continue  # 20th, 1990s, 3G
        mention = _build(m, text, start, end)
        if mention is not None:
            found.append(mention)
    return found


def _build(m: re.Match[str], text: str, start: int, end: int) -> NumberMention | None:
    cur, num, scale, pct, vague, word = m.group("cur", "num", "scale", "pct", "vague", "word")
    q = _QUALIFIER_BEFORE.search(text, max(start, m.start() - 16), m.start())
    qualifier = q.group("qual").lower() if q and not vague else None
    span_start = q.start() if qualifier and q else m.start()
    unit: str | None = None
    kind = "number"
    if vague:
        low, high = VAGUE[vague.lower()]
        value, approximate = (low + high) / 2, True
    else:
        value = float(num.replace(",", "")) if num else float(_WORD_NUMBERS[word.lower()])
        if num and scale:
            value *= _SCALES[scale.lower()]
        if num and cur:
            kind, unit = "money", _CURRENCIES[cur.lower()]
        if num and pct:
            kind, unit = "percent", "%"
        low = high = value
        approximate = qualifier is not None
        if qualifier:
            f_low, f_high = QUALIFIERS[qualifier]
            low, high = value * f_low, value * f_high
    after_words = _words_after(text, m.end(), end)
    lead_word = after_words[0].lower() if after_words else ""
    if unit is None and lead_word in _UNITS:
        unit = _UNITS[lead_word]
        after_words = after_words[1:]
    if unit is None and lead_word in _CURRENCY_WORDS:
        kind, unit = "money", _CURRENCY_WORDS[lead_word]
        after_words = after_words[1:]
    of_follows = bool(after_words) and after_words[0].lower() == "of"
    if of_follows:
        after_words = after_words[1:]
    counted = _counted_after(after_words)
    if _AGE.search(lead_word) or (lead_word in {"year", "years"} and after_words[:1]
                                  and after_words[0].lower() == "old"):
        role = "age"
    elif lead_word in _DURATION_WORDS or unit == "years":
        role = "duration"
    elif lead_word == "other":
        role = "set"
    elif word:
        role = "descriptive"
    else:
        role = "count"
    # Up to 10 words before the figure (and its qualifier); what is counted uses the last 7.
    context_before = _words_before(text, start, span_start, 10)
    before_words = context_before[-7:]
    content = _content(counted)
    if kind in {"money", "percent"} and not (of_follows and content):
        # "80% of oil" counts oil; "exports increased by 8.6% last year" counts exports;
        # "partner ... with a bilateral trade turnover of $24 billion" counts the turnover.
        lowered = [w.lower() for w in before_words]
        counted = before_words[len(lowered) - lowered[::-1].index("with"):] if "with" in lowered \
            else before_words
        content = _content(counted)
    elif not content and unit is not None:
        counted = before_words[-3:]
        content = _content(counted)
    counts_words = content
    return NumberMention(
        start=span_start, end=m.end(), kind=kind, value=value, low=low,
        high=None if high == float("inf") else high, unit=unit, approximate=approximate,
        qualifier=qualifier if not vague else vague.lower(),
        counts=" ".join(counted), counts_words=counts_words,
        context_words=tuple(before_words[-3:] + after_words[:6]) if counts_words
        else tuple(context_before + after_words[:6]),  # "death toll ... rose to 227"
        role=role)


def _counted_after(after_words: list[str]) -> list[str]:
    """The words after a figure that say what it counts, up to a preposition or auxiliary."""
    counted: list[str] = []
    limit = 4
    for i, w in enumerate(after_words):
        if len(counted) >= limit:
            break
        if w.lower() in {"and", "or"} and counted and _ADJECTIVE_END.search(counted[-1]) \
                and i + 1 < len(after_words):
            counted.append(w)  # "ethnic and cultural organizations": go on to the noun
            limit += 2
            continue
        if w.lower() in _STOP_AFTER:
            break  # a preposition or an auxiliary ends what is counted
        counted.append(w)
    return counted
