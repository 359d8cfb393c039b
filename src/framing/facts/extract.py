"""The "facts" extractor: typed fact mentions per sentence, tied to the event they are about.

For each sentence it finds dates, numbers (counts, money, percentages), named actors and
places (gazetteer aliases plus a capitalised-sequence rule) and event triggers. A date or
number is then tied to the nearest event trigger in its sentence, and gets a *slot*: the date
of that event, its scheduled or end date, or the quantity it counts (deaths, arrests ...).
A date tied to an event only through "after"/"before" is not a date OF the event; it keeps
the relation so the consistency check can use it. Mentions are not findings: they are the
evidence the corpus stage (:mod:`framing.facts.align`) aligns across outlets.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from itertools import repeat
from operator import le
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator, Mapping, Sequence

from ..document import Document, Span, frozen_attrs
from ..pipeline import AnalysisConfig, register_extractor
from ..voice import inserted_notes
from .dates import BARE_DATE_PATTERN, DATE_PATTERN, DateMention, find_dates
from .entities import (CAPITALISED_RUN, CandidateScan, EncodedSpan, Event, Gazetteer, encode_span,
                       find_capitalised_names, load_gazetteer, word_start_finder)
from .numbers import NUMBER_PATTERN, NumberMention, find_numbers

#: How far before an event's start a trigger may refer to it (elections are announced ahead).
LEAD_DAYS = 180
_LEAD = timedelta(days=LEAD_DAYS)
#: Most words between a date and the event trigger it is tied to.
MAX_GAP_WORDS = 8
#: ... when the trigger comes first ("CSTO troops began withdrawing from Kazakhstan on January 13").
MAX_GAP_AFTER_TRIGGER = 5
_CLAUSE_BREAK = re.compile(r"\b(who|whom|whose|which|while|whereas|but)\b|[;:()]", re.IGNORECASE)
_AFTER = re.compile(r"\b(after|following|since|in the wake of)\b", re.IGNORECASE)
_BEFORE = re.compile(r"\b(before|ahead of|prior to|until|preceding)\b", re.IGNORECASE)
_SOON = re.compile(r"\b(immediately|shortly|soon|just|right)\b", re.IGNORECASE)
_SCHEDULED = re.compile(r"\b(scheduled|originally|planned|was due|were due|initially set)\b", re.IGNORECASE)
_ENDING = re.compile(r"\b(withdraw\w*|left|leaving|ended|ending|end of|completed|pulled out|pull-out)\b",
                     re.IGNORECASE)
_WORD = re.compile(r"\w+")
_STARTING = re.compile(r"\b(began|begun|begin|begins|started|starting|start|broke out|erupted|flared up)\b",
                       re.IGNORECASE)
_NO_MATCHES: tuple[re.Match[str], ...] = ()
_MATCH_START, _MATCH_END = re.Match.start, re.Match.end
#: Most (alias, sentence number) attribute mappings kept for entity spans (then cleared).
_ENTITY_ATTRS_MAX = 20_000
_ROLE_WORDS = {"age": "an age", "duration": "a length of time",
               "set": "the size of a set named for comparison ('four other ...')",
               "descriptive": "a small spelled-out number that counts no listed quantity"}


def gazetteer_for(config: AnalysisConfig) -> Gazetteer:
    """The gazetteer named by ``config.options['gazetteer']`` or the packaged one."""
    path = config.options.get("gazetteer")
    return load_gazetteer(Path(path) if path else None)


def sentence_bounds(sentences: Sequence[Span]) -> tuple[list[int], list[int]]:
    """The sentences' starts, and -1 then their ends: what :func:`matches_by_sentence` looks
    matches up in (made once per document for all its patterns)."""
    return [s.start for s in sentences], [-1, *(s.end for s in sentences)]


def matches_by_sentence(pattern: re.Pattern[str] | CandidateScan | _NameRescan | None, text: str,
                        sentences: list[Span], matches: Iterable[re.Match[str]] | None = None,
                        bounds: tuple[list[int], list[int]] | None = None
                        ) -> dict[int, list[re.Match[str]]]:
    """``pattern``'s matches in each sentence, from one scan over all of them (``matches``,
    when the caller has made it; ``bounds``, :func:`sentence_bounds`, when it has them).

    Returns sentence index -> its matches, only for the sentences that have any: most
    sentences have no match for most patterns, and the extractor skips those without looking.

    Scanning once and handing matches out with a binary search costs one pass over the text
    instead of one regex call per sentence and pattern. The sentence of every match is
    looked up in C (``map`` over ``bisect``), and the matches handed out as one slice per
    sentence, as long as each ends in the sentence it starts in. A match that crosses a
    sentence boundary (or starts between sentences) is not what a per-sentence scan would
    find, so then the sentences it touches are scanned again on their own: the result is the
    per-sentence one.
    """
    found: dict[int, list[re.Match[str]]] = {}
    if pattern is None or not sentences:
        return found
    starts, ends = bounds if bounds is not None else sentence_bounds(sentences)
    if matches is None:
        matches = pattern.finditer(text, sentences[0].start, sentences[-1].end)
    matches = matches if type(matches) is list else list(matches)
    # One more than the index of the sentence each match starts in (0: before the first).
    after = list(map(bisect_right, repeat(starts, len(matches)), map(_MATCH_START, matches)))
    if all(map(le, map(_MATCH_END, matches), map(ends.__getitem__, after))):
        low = 0
        for index in dict.fromkeys(after):
            high = bisect_right(after, index, low)
            found[index - 1] = matches[low:high]
            low = high
        return found
    again: set[int] = set()
    for m in matches:
        ms, me = m.span()
        i = bisect_right(starts, ms) - 1
        if i >= 0 and me <= sentences[i].end:
            found.setdefault(i, []).append(m)
            continue
        last = bisect_left(starts, me) - 1
        again.update(k for k in range(max(i, 0), last + 1)
                     if sentences[k].start < me and ms < sentences[k].end)
    for k in again:
        found[k] = list(pattern.finditer(text, sentences[k].start, sentences[k].end))
        if not found[k]:
            del found[k]
    return found


#: Every offset the finders of DATE_PATTERN, BARE_DATE_PATTERN and NUMBER_PATTERN find, in one
#: pass: a figure, "$", "U" before "S$", "?" (any other character) or a month's capital, not after
#: an ASCII letter, digit or "_" (each finder wants that, or less, before it). Each scan tries
#: the others' offsets too, a few failing pattern.match calls against two passes over the text.
FIGURE_FINDER = re.compile(rb"[0-9$?UJFMASOND](?<![A-Za-z0-9_].)"
                           rb"(?:(?<=[0-9$?])|(?<=U)(?=S\$)|(?=an|eb|ar|pr|ay|u[nlg]|ep|ct|ov|ec))")


def _by_sentence(pattern: re.Pattern[str] | CandidateScan | None, text: str, sentences: list[Span],
                 encoded: EncodedSpan, candidates: list[int] | None,
                 bounds: tuple[list[int], list[int]]) -> dict[int, list[re.Match[str]]]:
    """:func:`matches_by_sentence`, a :class:`CandidateScan` using the document's one encoding
    (and ``candidates``, where its matches and others' may start, when found)."""
    matches = pattern.scan(text, encoded, candidates) if isinstance(pattern, CandidateScan) else None
    return matches_by_sentence(pattern, text, sentences, matches, bounds)


def paragraph_of_sentences(blocks: list[Span], sentences: list[Span]) -> list[int]:
    """The index of the kept paragraph each sentence starts in (-1 before the first one).

    A sentence outside every paragraph keeps the index of the one before it.
    """
    found = []
    block = -1
    for sentence in sentences:
        for i in range(max(block, 0), len(blocks)):
            if blocks[i].start <= sentence.start < blocks[i].end:
                block = i
                break
        found.append(block)
    return found


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD.findall(text[a:b])) if b > a else 0


def _choose_event(candidates: tuple[str, ...], gazetteer: Gazetteer, names: set[str],
                  published: date | None, near: DateMention | None) -> Event | None:
    """The event a trigger names: the one whose date fits the nearby date, or the publication date."""
    events = []
    for ident in candidates:
        event = gazetteer.events[ident]
        if event.requires_any and not names.intersection(event.requires_any):
            continue
        if published is not None and published < event.start - _LEAD:
            continue  # an article cannot refer to an event that had not been announced
        events.append(event)
    if not events:
        return None
    if len(events) == 1:
        return events[0]
    if near is not None and near.low is not None and near.high is not None:
        def gap_to_date(e: Event) -> int:
            if near.high < e.start:  # type: ignore[operator]
                return (e.start - near.high).days  # type: ignore[operator]
            if near.low > e.end:  # type: ignore[operator]
                return (near.low - e.end).days  # type: ignore[operator]
            return 0
        return min(events, key=lambda e: (gap_to_date(e), e.id))
    if published is not None:
        past = [e for e in events if e.start <= published + _LEAD]
        return min(past or events, key=lambda e: (abs((published - e.start).days), e.id))
    return None


def _link_dates(text: str, dates: list[DateMention], triggers: list[tuple[int, int, tuple[str, ...]]]
                ) -> tuple[dict[int, tuple[int, str]], dict[int, DateMention]]:
    """Tie each date to the nearest trigger within MAX_GAP_WORDS.

    Returns date index -> (trigger index, relation) and trigger index -> its first tied date.
    """
    date_links: dict[int, tuple[int, str]] = {}
    nearest_date: dict[int, DateMention] = {}
    for di, d in enumerate(dates):
        best: tuple[int, int, str] | None = None
        for ti, (ts, te, _) in enumerate(triggers):
            if ts <= d.start and d.end <= te:  # "the January events": the date names the event
                best = (0, ti, "of")
                break
            if te <= d.start:
                gap, between, relation = _words_between(text, te, d.start), text[te:d.start], "of"
                if gap > MAX_GAP_AFTER_TRIGGER or _CLAUSE_BREAK.search(between) \
                        or between.count(",") > 1:
                    continue  # "the war in Ukraine, Tokayev, who was first elected in 2019"
            elif ts >= d.end:
                gap, between = _words_between(text, d.end, ts), text[d.end:ts]
                relation = "after" if _AFTER.search(between) else "before" if _BEFORE.search(between) else "of"
            else:
                continue
            if gap > MAX_GAP_WORDS or ";" in between:
                continue
            if best is None or gap < best[0]:
                best = (gap, ti, relation)
        if best is not None:
            date_links[di] = (best[1], best[2])
            nearest_date.setdefault(best[1], d)
    return date_links, nearest_date


def _date_attrs(text: str, sentence_start: int, d: DateMention, index: int, voice: dict[str, Any],
                trigger: tuple[int, int, tuple[str, ...]] | None, relation: str | None,
                event: Event | None) -> dict[str, Any]:
    """A date mention's attributes: value, voice, the event it is tied to and its slot."""
    value = d.value
    attrs: dict[str, Any] = {
        "value": value, "low": _iso(d.low), "high": _iso(d.high), "granularity": d.granularity,
        "resolution": d.resolution, "approximate": d.approximate, "note": d.note,
        "event": None, "relation": None, "slot": None, "sentence": index, **voice}
    phrase = text[d.start:d.end]
    if trigger is None or event is None:
        attrs["explanation"] = f"'{phrase}' is a date ({value or 'unresolved'}); {d.note}."
        return attrs
    ts, te, _ = trigger
    context = text[min(ts, d.start):max(te, d.end)]
    before_date = text[max(sentence_start, d.start - 30):d.start]
    attrs["event"], attrs["relation"] = event.id, relation
    if relation == "of":
        if _SCHEDULED.search(context) or _SCHEDULED.search(before_date):
            attrs["slot"] = "scheduled-date"
        elif _ENDING.search(context):
            attrs["slot"] = "end-date"
        else:
            attrs["slot"] = "date"
            if _STARTING.search(context):
                attrs["aspect"] = "start"  # "protests began on January 2": that day
        what = "start date" if attrs.get("aspect") == "start" else attrs["slot"].replace("-", " ")
        attrs["explanation"] = f"'{phrase}' gives the {what} of {event.description} ({value})."
    else:
        attrs["soon"] = bool(_SOON.search(text[d.end:ts] if ts >= d.end else ""))
        attrs["explanation"] = (f"'{phrase}' ({value}) is placed {relation} "
                                f"{event.description}; it is not a date of that event.")
    return attrs


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


class _NameRescan:
    """The gazetteer's :attr:`~Gazetteer.name_pattern` for :func:`matches_by_sentence`, which
    scans with it only the sentences a match crosses into: compiled only if one does (the
    names are scanned with :meth:`Gazetteer.scan_names`)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def finditer(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        pattern = self._gazetteer.name_pattern
        return pattern.finditer(text, start, end) if pattern is not None else iter(())


class FactExtractor:
    """Fact mentions (date, number, money, percent, entity, event) with offsets and slots."""

    name: ClassVar[str] = "facts"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[str] = "facts"
    findings: ClassVar[bool] = False

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config
        self.gazetteer = gazetteer_for(config)
        gaz = self.gazetteer
        #: alias -> the leading attributes of its entity spans
        self._name_info = {alias: {"id": ident, "kind": kind, "name": gaz.labels[ident]}
                           for alias, (ident, kind) in gaz.names.items()}
        #: (alias, sentence number) -> the shared attributes of its entity spans
        self._entity_attrs: dict[tuple[str, int], Mapping[str, Any]] = {}
        #: where the words of the date, number and trigger scans start, found in one pass
        #: the names pattern, for the sentences a match crosses into (compiled only then)
        self._names = _NameRescan(gaz) if gaz.names else None
        #: and where the aliases that do not start with a capital may start
        triggers = gaz.trigger_candidates
        self._word_starts = word_start_finder([*DATE_PATTERN.start_phrases, *NUMBER_PATTERN.start_phrases,
                                               *(triggers.start_phrases if triggers else ()),
                                               *gaz.name_start_phrases])

    def __call__(self, doc: Document) -> list[Span]:
        text, sentences = doc.text, doc.sentences
        names, capitalised, dates, bare_dates, numbers, triggers = self._scan(text, sentences)
        spans = self._entities(text, sentences, names, capitalised)
        # Only a sentence with a date, figure or trigger holds more than names (or names an
        # event to carry on).
        busy = sorted({*dates, *bare_dates, *numbers, *triggers})
        if not busy:
            return spans
        quotes = [(q.start, q.end, q.attrs.get("speaker")) for q in doc.get("quotes")]
        notes = inserted_notes(text, doc.body)
        paragraphs = paragraph_of_sentences(doc.body, sentences)
        carried, previous = None, busy[0]
        for index in busy:
            if paragraphs[index] != paragraphs[previous]:
                carried = None  # a new paragraph starts a new topic
            previous = index
            hits = (names.get(index, _NO_MATCHES), dates.get(index, _NO_MATCHES),
                    bare_dates.get(index, _NO_MATCHES), numbers.get(index, _NO_MATCHES),
                    triggers.get(index, _NO_MATCHES))
            last = self._sentence(doc, index, sentences[index], quotes, notes, carried, hits, spans)
            carried = last or carried
        return spans

    def _scan(self, text: str, sentences: list[Span]) -> list[dict[int, list[re.Match[str]]]]:
        """Every pattern's matches by sentence (each pattern scans the document once):
        names, capitalised runs, dates, bare dates, numbers, event triggers."""
        if not sentences:
            return [{} for _ in range(6)]
        gaz = self.gazetteer
        encoded = encode_span(text, sentences[0].start, sentences[-1].end)
        bounds = sentence_bounds(sentences)
        trigger_scan, trigger_text = gaz.trigger_scan(text, encoded)
        words = figures = both = None
        if self._word_starts is not None and not encoded.foldable:
            # The finder matches the separator before a word: its end is where the word starts.
            words = list(map(_MATCH_END, self._word_starts.finditer(encoded.lowered)))
            figures = list(map(_MATCH_START, FIGURE_FINDER.finditer(encoded.encoded)))
            both = words + figures
        return [matches_by_sentence(self._names, text, sentences, gaz.scan_names(text, encoded, words), bounds),
                matches_by_sentence(CAPITALISED_RUN, text, sentences, None, bounds)] \
            + [_by_sentence(pattern, text, sentences, encoded, candidates, bounds)
               for pattern, candidates in ((DATE_PATTERN, both), (BARE_DATE_PATTERN, figures),
                                           (NUMBER_PATTERN, both))] \
            + [_by_sentence(trigger_scan, trigger_text, sentences, encoded, words, bounds)]

    def _voice(self, start: int, end: int, quotes: list[tuple[int, int, Any]],
               notes: list[tuple[int, int, str]]) -> dict[str, Any]:
        """Whose words a mention is in; ``quotes`` holds (start, end, speaker) per quotation."""
        for ns, ne, by in notes:
            if ns <= start and end <= ne:  # a reprinter's note: the outlet's voice, not the author's
                return {"voice": "outlet", "speaker": None, "inserted_by": by}
        for qs, qe, speaker in quotes:
            if qs <= start < qe:
                return {"voice": "quoted", "speaker": speaker}
        return {"voice": "outlet", "speaker": None}

    def _entities(self, text: str, sentences: list[Span], names: dict[int, list[re.Match[str]]],
                  capitalised: dict[int, list[re.Match[str]]]) -> list[Span]:
        """Entity spans of every sentence: gazetteer names, and capitalised runs that overlap
        no name of their sentence."""
        shared = self._entity_attrs
        spans = []
        for index, found in names.items():
            for m in found:
                alias = m.group()
                attrs = shared.get((alias, index)) or self._share_entity_attrs(alias, index)
                spans.append(Span(m.start(), m.end(), "entity", attrs))
        for index, found in capitalised.items():
            sentence = sentences[index]
            taken = [m.span() for m in names.get(index, _NO_MATCHES)]
            for cs, ce in find_capitalised_names(text, sentence.start, sentence.end, found):
                if not any(ns < ce and cs < ne for ns, ne in taken):
                    spans.append(Span(cs, ce, "entity", {"id": None, "kind": "name", "name": text[cs:ce],
                                                         "sentence": index, "source": "capitalised-run"}))
        return spans

    def _share_entity_attrs(self, alias: str, index: int) -> Mapping[str, Any]:
        """The read-only attributes of ``alias``'s entity span in sentence ``index``, made once:
        the same few aliases recur in every article, and a span given a mapping that
        :func:`frozen_attrs` made takes it as it is."""
        if len(self._entity_attrs) >= _ENTITY_ATTRS_MAX:
            self._entity_attrs.clear()
        attrs = self._entity_attrs[alias, index] = frozen_attrs(
            {**self._name_info[alias], "sentence": index, "source": "gazetteer"})
        return attrs

    def _sentence(self, doc: Document, index: int, sentence: Span, quotes: list[tuple[int, int, Any]],
                  notes: list[tuple[int, int, str]], carried: Event | None,
                  hits: tuple[Sequence[re.Match[str]], ...], spans: list[Span]) -> Event | None:
        """Adds the date, number and event mentions of one sentence to ``spans``; returns the
        last event it names (carried to the next sentence).

        ``hits``: the sentence's matches of names, dates, bare dates, numbers and triggers.
        """
        name_hits, date_hits, bare_date_hits, number_hits, trigger_hits = hits
        text, s, e = doc.text, sentence.start, sentence.end
        gaz = self.gazetteer
        meta = doc.meta
        dates = (find_dates(text, s, e, meta.published, meta.date_precision, date_hits, bare_date_hits)
                 if date_hits or bare_date_hits else [])
        triggers: list[tuple[int, int, tuple[str, ...]]] = []
        trigger_events: list[Event | None] = []
        date_links: dict[int, tuple[int, str]] = {}
        if trigger_hits:
            triggers = list(gaz.find_triggers(text, s, e, trigger_hits))
            name_ids = {gaz.names[m.group()][0] for m in name_hits}
            date_links, nearest_date = _link_dates(text, dates, triggers) if dates else ({}, {})
            trigger_events = [_choose_event(cands, gaz, name_ids, meta.published, nearest_date.get(ti))
                              for ti, (_, _, cands) in enumerate(triggers)]
            for (ts, te, cands), event in zip(triggers, trigger_events):
                if event is not None:
                    spans.append(Span(ts, te, "event", {"event": event.id, "description": event.description,
                                                        "candidates": list(cands), "sentence": index}))
        for di, d in enumerate(dates):
            link = date_links.get(di)
            event = trigger_events[link[0]] if link else None
            attrs = _date_attrs(text, s, d, index, self._voice(d.start, d.end, quotes, notes),
                                triggers[link[0]] if link else None, link[1] if link else None, event)
            spans.append(Span(d.start, d.end, "date", attrs))
        if number_hits:
            for n in find_numbers(text, s, e, [(d.start, d.end) for d in dates], number_hits):
                spans.append(self._number_span(doc, n, index, triggers, trigger_events, quotes, notes,
                                                 carried))
        named = [(ts, ev) for (ts, _, _), ev in zip(triggers, trigger_events) if ev is not None]
        return max(named, key=lambda t: t[0])[1] if named else None

    def _number_span(self, doc: Document, n: NumberMention, index: int,
                     triggers: list[tuple[int, int, tuple[str, ...]]],
                     trigger_events: list[Event | None], quotes: list[tuple[int, int, Any]],
                     notes: list[tuple[int, int, str]],
                     carried: Event | None) -> Span:
        gaz = self.gazetteer
        event = None
        best = None
        event_from = "same sentence"
        for (ts, te, _), ev in zip(triggers, trigger_events):
            if ev is None:
                continue
            gap = n.start - te if te <= n.start else ts - n.end
            if best is None or gap < best:
                best, event = gap, ev
        counted = n.counts.split()
        quantity = (counted and gaz.quantity_of(counted)) or gaz.quantity_of(n.context_words)
        attribute = n.role in {"age", "duration", "set"} or (n.role == "descriptive" and quantity is None)
        if attribute:
            # An age, a length of time, "four other republics", "two factors": it describes
            # something; it is not a count an outlet reports, and not a figure of the event.
            event, quantity = None, None
        elif event is None and carried is not None and quantity is not None:
            # Casualties and arrests belong to an event; when the sentence names none, the
            # paragraph's event carries over from the sentence before ("Police detained ...").
            event, event_from = carried, "earlier sentence of the paragraph"
        if attribute:
            slot = None
        elif quantity is not None:
            slot = quantity
        elif n.counts_words:
            slot = f"{n.unit or 'count'}:{' '.join(n.counts_words)}"
        else:
            slot = None
        phrase = doc.text[n.start:n.end]
        what = quantity or n.counts or "(nothing named)"
        about = f" in {event.description}" if event else ""
        display = n.display
        range_note = f" (read as {display})" if n.approximate else ""
        explanation = f"'{phrase}' counts {what}{about}{range_note}."
        if attribute:
            explanation = (f"'{phrase}' is {_ROLE_WORDS[n.role]}, an attribute rather than a count "
                           "an outlet reports, so it is not compared across outlets.")
        attrs = {"value": n.value, "low": n.low, "high": n.high, "display": display, "unit": n.unit,
                 "approximate": n.approximate, "qualifier": n.qualifier, "counts": n.counts,
                 "counts_words": list(n.counts_words), "quantity": quantity,
                 "event": event.id if event else None, "event_from": event_from if event else None,
                 "slot": slot, "role": n.role, "sentence": index,
                 **self._voice(n.start, n.end, quotes, notes),
                 "explanation": explanation}
        return Span(n.start, n.end, n.kind, attrs)


register_extractor("facts", order=500)(FactExtractor)
