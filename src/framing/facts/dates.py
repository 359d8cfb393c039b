"""Date phrases: found with our own patterns, resolved against the publication date.

Finding is one compiled alternation over the sentence (dateparser's ``search_dates``
gives false hits such as "may" or "second"). Resolving: absolute parts are computed
directly; relative day phrases ("this Sunday", "tomorrow") by weekday arithmetic from the
article's publication date (:func:`relative_day`, which gives dateparser's answers without
its import time; the tests compare it with dateparser).
Every date is an interval ``[low, high]`` (a month, a year, a decade), so "January 2022"
and "January 2, 2022" can be compared. When the publication date is approximate, relative
resolutions are widened and marked approximate.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from .entities import CandidateScan, first_char_guard

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?![\d%]|,\d)"
_YEAR_PREP = r"(?:in|since|until|till|by|from|of|to|before|after|during|early|late|mid|and|between|year|around|circa|through|throughout)"

# Each pattern opens with the characters a match can start with (see entities.first_char_guard),
# and so does each alternative: at the start of a word, failing there is much cheaper than
# entering the alternative.
_DATE_PATTERN = re.compile(
    r"(?=[0-9JFMASONDtTyYeEmMlLnNcCpP])(?<![\w$€£.,-])(?:"
    # Tomorrow, November 20 / Today, 5 March
    rf"(?=[tTyY])(?P<relpre>(?i:today|tomorrow|yesterday)),?\s+(?=(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH}))"
    r")?(?:"
    # January 2, 2022 / November 20 / November 29 and 30
    rf"(?=[JFMASOND])(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:\s*(?:and|-|–)\s*(?P<d1b>{_DAY}))?(?![\d,]\d)(?:,?\s+(?P<y1>{_YEAR}))?(?![\w%])"
    # 2 January 2022 / 20 November
    rf"|(?=\d)(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?(?!\w)"
    # (early/mid/late) January 2022, mid-November 2022
    rf"|(?=[eEmMlLJFMASOND])(?P<q3>(?i:early|mid|late)[-–—\s]+)?(?P<m3>{_MONTH})\s+(?P<y3>{_YEAR})"
    # mid-November (no year)
    rf"|(?=[eEmMlL])(?P<q4>(?i:early|mid|late)[-–—]\s?)(?P<m4>{_MONTH})(?!\w)"
    # the early 1990s
    rf"|(?=[eEmMlL12])(?:(?P<q5>(?i:early|mid|late))[-–—\s]+)?(?P<dec>(?:1[89]|20)\d0)['’]?s(?!\w)"
    # this Sunday / last year / next month / the past year
    rf"|(?=[tTnNlLcCpP])(?P<rel>(?i:this|next|last|coming|past)\s+(?:{_WEEKDAY}|(?i:week|month|year)))(?!\w)"
    rf"|(?=[tTyY])(?P<relday>(?i:tomorrow|yesterday))(?!\w)"
    r")")
# A bare month or year counts as a date only after a date preposition ("in June", "since 2005").
# Found from the month or year (rare) back to the preposition (common words), which is much
# faster than scanning for every preposition; the result is the same as one forward pattern
# r"(?<![\w-])PREP\s+(?:the\s+(?:year\s+)?)?(?:MONTH|YEAR)".
_BARE_PATTERN = re.compile(
    rf"(?=[JFMASOND12])(?<=\s)(?:(?P<month>{_MONTH})(?!\s*\d)(?![\w-])|(?P<year>{_YEAR})(?![\w-]))")
_PREP_BEFORE = re.compile(rf"(?<![\w-])(?P<prep>(?i:{_YEAR_PREP}))\s+(?:the\s+(?:year\s+)?)?\Z")
_FUTURE_CUE_WORDS = ("will", "shall", "tomorrow", "scheduled", "due to", "upcoming", "to be held", "next",
                     "plans? to", "is to")
_FUTURE_CUES = re.compile(first_char_guard((w[0] for w in _FUTURE_CUE_WORDS), ignore_case=True)
                          + r"\b(" + "|".join(_FUTURE_CUE_WORDS) + r")\b",
                          re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase at ``[start, end)`` meaning the interval ``[low, high]``."""

    start: int
    end: int
    low: date | None
    high: date | None
    granularity: str          # day, days, month, year, decade, range
    resolution: str           # absolute, inferred-year, relative, unresolved
    approximate: bool
    note: str
    nominal: str | None = None   # what the phrase says before widening ("2022" for "this year")

    @property
    def value(self) -> str | None:
        if self.nominal is not None:
            return self.nominal
        if self.low is None or self.high is None:
            return None
        if self.low == self.high:
            return self.low.isoformat()
        if self.granularity == "month":
            # What strftime("%Y-%m") gives (for every year, tested), without its cost.
            return f"{self.low.year}-{self.low.month:02d}"
        if self.granularity == "year":
            return str(self.low.year)
        return f"{self.low.isoformat()}/{self.high.isoformat()}"


#: Days in each month of a common year (index 0 unused), as the calendar module's own
#: undocumented ``mdays`` table has them.
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]`` without the weekday it works out first."""
    if not 1 <= month <= 12:
        raise calendar.IllegalMonthError(month)
    return _MONTH_DAYS[month] + (month == 2 and calendar.isleap(year))


def _month_bounds(year: int, month: int, part: str | None = None) -> tuple[date, date]:
    last = _days_in(year, month)
    part = (part or "").strip(" -–—").lower()
    if part == "early":
        return date(year, month, 1), date(year, month, 10)
    if part == "mid":
        return date(year, month, 11), date(year, month, 20)
    if part == "late":
        return date(year, month, 21), date(year, month, last)
    return date(year, month, 1), date(year, month, last)


_DIGITS = re.compile(r"\d+")


def _day(text: str) -> int:
    return int(_DIGITS.match(text).group(0))  # type: ignore[union-attr]


#: How far after the given publication date the article may really have appeared, by precision:
#: an article dated "2022-01" (approximate) may be from any day of January.
_PUBLISHED_WINDOW = {"day": 0, "month": 31, "approximate": 31, "year": 366}


def _infer_year(month: int, day: int | None, published: date, future: bool, window: int = 0) -> int:
    """The year that puts a month (and day) nearest the publication date, in the right direction.

    Past is the default (news mostly reports what happened); a future cue in the sentence
    ("will", "tomorrow", "scheduled") asks for the next occurrence instead. A few days of
    slack keep "November 20" in an article of 19 November as this year's; ``window`` more
    days when the publication date is only known to the month or year ("January 6" in an
    article dated "2022-01" is 2022's).
    """
    slack = timedelta(days=3 + window)
    for year in ((published.year, published.year + 1) if future else (published.year, published.year - 1)):
        last = _days_in(year, month)
        candidate = date(year, month, min(day or 1, last))
        candidate_end = date(year, month, min(day or last, last))
        if future and candidate_end >= published - slack:
            return year
        if not future and candidate <= published + slack:
            return year
    return published.year + (1 if future else -1)


_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


def relative_day(phrase: str, base: date) -> date | None:
    """"this Sunday", "next Monday", "last Friday", "tomorrow", "yesterday" from ``base``.

    Plain weekday arithmetic, the same answers dateparser gives (tested against it): "this"
    is the coming one (today if it is that day), "next" the coming one but never today,
    "last" the previous one but never today. dateparser cost 1-4 s to import and ~2 ms a
    phrase; it reads "coming"/"past" + weekday as nothing, and so does this.
    """
    words = phrase.lower().split()
    if words == ["tomorrow"]:
        return base + timedelta(days=1)
    if words == ["yesterday"]:
        return base - timedelta(days=1)
    if len(words) != 2 or words[1] not in _WEEKDAYS:
        return None
    ahead = (_WEEKDAYS[words[1]] - base.weekday()) % 7
    if words[0] == "this":
        return base + timedelta(days=ahead)
    if words[0] == "next":
        return base + timedelta(days=ahead or 7)
    if words[0] == "last":
        return base - timedelta(days=(-ahead) % 7 or 7)
    return None


def _relative(phrase: str, published: date | None,
              approximate_base: bool) -> tuple[date | None, date | None, str, str, str | None]:
    """Interval, granularity and note for a relative phrase."""
    if published is None:
        return None, None, "relative", "relative date not resolved: the article has no publication date", None
    words = phrase.lower().split()
    unit = words[-1]
    direction = words[0] if len(words) > 1 else unit
    base = f"publication date {published.isoformat()}" + (" (approximate)" if approximate_base else "")
    if unit == "year":
        if direction == "past":
            low, high, gran = published - timedelta(days=365), published, "range"
        else:
            year = published.year + {"last": -1, "next": 1, "coming": 1}.get(direction, 0)
            low, high, gran = date(year, 1, 1), date(year, 12, 31), "year"
    elif unit == "month":
        if direction == "past":
            low, high, gran = published - timedelta(days=31), published, "range"
        else:
            shift = {"last": -1, "next": 1, "coming": 1}.get(direction, 0)
            month0 = published.year * 12 + published.month - 1 + shift
            low, high = _month_bounds(month0 // 12, month0 % 12 + 1)
            gran = "month"
    elif unit == "week":
        shift = {"last": -7, "next": 7, "coming": 7, "past": -7}.get(direction, 0)
        monday = published - timedelta(days=published.weekday()) + timedelta(days=shift)
        low, high, gran = monday, monday + timedelta(days=6), "range"
    else:
        day = relative_day(phrase, published)
        if day is None:
            return None, None, "relative", f"could not resolve {phrase!r} against the {base}", None
        low = high = day
        gran = "day"
    note = f"resolved against the {base}"
    nominal = DateMention(0, 0, low, high, gran, "relative", False, "").value
    if approximate_base:
        # An estimated publication date makes the resolution an estimate too: widen it.
        slack = timedelta(days=7 if gran in {"day", "range"} else 31)
        low, high = low - slack, high + slack
        note += "; widened because the publication date is only approximate"
    return low, high, gran, note, nominal


#: :data:`_DATE_PATTERN`'s matches, tried only at a figure, a month name or one of the words a
#: relative date starts with (see :class:`CandidateScan`).
DATE_PATTERN = CandidateScan(
    _DATE_PATTERN,
    rb"[0-9JFMASOND](?<![A-Za-z0-9_$.,-].)(?:(?<=[0-9])|(?=an|eb|ar|pr|ay|u[nlg]|ep|ct|ov|ec))",
    ("today", "tomorrow", "yesterday", "early", "mid", "late", "this", "next", "last", "coming", "past"))
#: :data:`_BARE_PATTERN`'s matches, tried only at a year or a month name after a space.
BARE_DATE_PATTERN = CandidateScan(
    _BARE_PATTERN,
    rb"[JFMASOND12](?<=[ \t\n\r\x0b\x0c\x1c-\x1f?].)(?:(?<=[12])|(?=an|eb|ar|pr|ay|u[nlg]|ep|ct|ov|ec))", ())


def find_dates(text: str, start: int, end: int, published: date | None,
               date_precision: str = "day", matches: Sequence[re.Match[str]] | None = None,
               bare_matches: Sequence[re.Match[str]] | None = None) -> list[DateMention]:
    """Every date phrase in ``text[start:end]`` (one sentence), resolved to an interval.

    ``matches`` / ``bare_matches``: :data:`DATE_PATTERN` / :data:`BARE_DATE_PATTERN` matches in
    that range, when the caller already scanned a whole paragraph with them.
    """
    if matches is None:
        matches = list(_DATE_PATTERN.finditer(text, start, end))
    if bare_matches is None:
        bare_matches = list(_BARE_PATTERN.finditer(text, start, end))
    if not matches and not bare_matches:
        return []
    approximate_base = date_precision != "day"
    window = _PUBLISHED_WINDOW.get(date_precision, 31)
    # Only a month without a year is resolved by direction; read the sentence's cues for it only.
    needs_direction = published is not None and (
        any(_infers_year(m) for m in matches) or any(m.group("month") for m in bare_matches))
    future = needs_direction and bool(_FUTURE_CUES.search(text, start, end))
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for m in matches:
        mention = _resolve_match(m, published, approximate_base, future, window)
        if mention is not None:
            found.append(mention)
            taken.append((mention.start, mention.end))
    for m in bare_matches:
        s = m.start("month") if m.group("month") else m.start("year")
        e = m.end("month") if m.group("month") else m.end("year")
        if _PREP_BEFORE.search(text, max(start, s - 60), s) is None:
            continue  # a bare month or year is a date only after a date preposition
        if any(a < e and s < b for a, b in taken):
            continue
        if m.group("year"):
            year = int(m.group("year"))
            found.append(DateMention(s, e, date(year, 1, 1), date(year, 12, 31), "year", "absolute",
                                     False, "a year"))
        else:
            month = MONTHS[m.group("month").rstrip(".").lower()]
            if published is None:
                found.append(DateMention(s, e, None, None, "month", "unresolved", False,
                                         "month without a year and no publication date"))
                continue
            year = _infer_year(month, None, published, future, window)
            low, high = _month_bounds(year, month)
            found.append(DateMention(s, e, low, high, "month", "inferred-year", approximate_base,
                                     f"year {year} inferred from the publication date "
                                     f"{published.isoformat()}"))
        taken.append((s, e))
    return sorted(found, key=lambda d: d.start)


def _infers_year(m: re.Match[str]) -> bool:
    """Whether a :data:`DATE_PATTERN` match names a month without a year ("November 20")."""
    return bool(m.group("m4") or (m.group("m1") or m.group("m2")) and not (m.group("y1") or m.group("y2")))


def _resolve_match(m: re.Match[str], published: date | None, approximate_base: bool,
                   future: bool, window: int = 0) -> DateMention | None:
    g = m.groupdict()
    s, e = m.start(), m.end()
    try:
        if g["m1"] or g["m2"]:
            month = MONTHS[(g["m1"] or g["m2"]).rstrip(".").lower()]
            day = _day(g["d1"] or g["d2"])
            day_end = _day(g["d1b"]) if g.get("d1b") else day
            year_text = g["y1"] or g["y2"]
            if g["relpre"]:
                future = g["relpre"].lower() == "tomorrow" or future
            if year_text:
                year, resolution, note = int(year_text), "absolute", "a calendar date"
            elif published is not None:
                year = _infer_year(month, day, published, future, window)
                resolution = "inferred-year"
                note = f"year {year} inferred from the publication date {published.isoformat()}"
            else:
                return DateMention(s, e, None, None, "day", "unresolved", False,
                                   "day and month without a year, and no publication date")
            low, high = date(year, month, day), date(year, month, max(day, day_end))
            approximate = resolution != "absolute" and approximate_base
            if g["relpre"] and published is not None:
                note += f"; {g['relpre']!r} relative to {published.isoformat()}"
            return DateMention(s, e, low, high, "day" if low == high else "days", resolution,
                               approximate, note)
        if g["m3"]:
            month, year = MONTHS[g["m3"].rstrip(".").lower()], int(g["y3"])
            low, high = _month_bounds(year, month, g["q3"])
            return DateMention(s, e, low, high, "month", "absolute", False, "a month")
        if g["m4"]:
            month = MONTHS[g["m4"].rstrip(".").lower()]
            if published is None:
                return DateMention(s, e, None, None, "month", "unresolved", False,
                                   "part of a month without a year, and no publication date")
            year = _infer_year(month, None, published, future, window)
            low, high = _month_bounds(year, month, g["q4"])
            return DateMention(s, e, low, high, "range", "inferred-year", approximate_base,
                               f"year {year} inferred from the publication date {published.isoformat()}")
        if g["dec"]:
            decade = int(g["dec"])
            part = (g["q5"] or "").lower()
            first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(part, (0, 9))
            return DateMention(s, e, date(decade + first, 1, 1), date(decade + last, 12, 31),
                               "decade", "absolute", False, "a decade")
        phrase = g["rel"] or g["relday"]
        if phrase:
            low, high, gran, note, nominal = _relative(phrase, published, approximate_base)
            resolution = "relative" if low is not None else "unresolved"
            return DateMention(s, e, low, high, gran, resolution, approximate_base and low is not None,
                               note, nominal)
    except ValueError:  # 31 February and the like: not a date
        return None
    return None
