"""Named actors, places and events, found with a gazetteer (data, not a model).

The gazetteer is a TOML file (``lexicons/gazetteers/*.toml``): actors and places with
aliases, events with trigger phrases and known dates, and counted quantities. All aliases
are matched in one pass with one compiled alternation; triggers with another. No NER model:
names the gazetteer does not list are caught only by the capitalised-sequence rule.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

from ..errors import LexiconError

DEFAULT_GAZETTEER = "gazetteer-russia-central-asia.toml"
_ID = re.compile(r"(actor|place|event):[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Event:
    """An event with a known date range and the phrases that name it."""

    id: str
    description: str
    start: date
    end: date
    triggers: tuple[str, ...]
    requires_any: tuple[str, ...] = ()
    provenance: str = ""

    @property
    def multi_day(self) -> bool:
        return self.end > self.start


@dataclass(frozen=True)
class Quantity:
    id: str
    label: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """Actors, places, events and quantities, with compiled matchers."""

    name: str
    version: str
    path: str
    sha256: str
    names: dict[str, tuple[str, str]]            # alias -> (id, kind)
    labels: dict[str, str]                       # id -> display name
    events: dict[str, Event]
    quantities: tuple[Quantity, ...]
    _trigger_events: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the source of :attr:`name_pattern` (compiled when first needed: the extractor scans
    #: with the two parts of it, :meth:`scan_names`)
    _name_source: str | None = None
    _trigger_re: re.Pattern[str] | None = None
    _trigger_lower_re: re.Pattern[str] | None = None
    #: quantity word or two-word phrase -> index of the first quantity listing it
    _quantity_rank: dict[str, int] = field(default_factory=dict)
    #: first words of the two-word phrases in ``_quantity_rank``
    _quantity_pair_heads: frozenset[str] = frozenset()
    _trigger_scan: CandidateScan | None = None
    #: the name pattern split by the case of an alias's first character (see :meth:`scan_names`)
    _name_capital_re: re.Pattern[str] | None = None
    _name_rest_re: re.Pattern[str] | None = None
    #: the aliases that do not start with a capital, as :func:`word_start_finder` phrases
    name_start_phrases: tuple[str, ...] = ()

    @property
    def name_pattern(self) -> re.Pattern[str] | None:
        """The one compiled alternation of every alias (callers may scan a whole block with it)."""
        return _compiled(self._name_source) if self._name_source is not None else None

    @property
    def trigger_candidates(self) -> CandidateScan | None:
        """The scan :meth:`trigger_scan` gives for a range with an encoding (for its words)."""
        return self._trigger_scan

    def trigger_scan(self, text: str, encoded: EncodedSpan | None = None
                     ) -> tuple[CandidateScan | re.Pattern[str] | None, str]:
        """The trigger scan and the text to scan with it: ``text.lower()`` and a
        case-sensitive pattern when that keeps every offset (much faster than IGNORECASE).

        Within ``encoded``'s range, when it holds none of _FOLDS_TO: a :class:`CandidateScan`
        of the IGNORECASE pattern over ``text`` itself. Outside those four characters,
        ``lower()`` keeps every character one character, keeps whether it is a word character,
        a hyphen or a space, and lower-cases it to a letter exactly when IGNORECASE matches it
        to that letter (tested over every code point), so both find the same, without
        lower-casing the text.
        """
        if encoded is not None and not encoded.foldable and self._trigger_scan is not None:
            return self._trigger_scan, text
        lowered = text.lower()
        if len(lowered) == len(text) and "ſ" not in text and self._trigger_lower_re is not None:
            return self._trigger_lower_re, lowered
        return self._trigger_re, text

    def scan_names(self, text: str, span: EncodedSpan, words: Sequence[int] | None
                   ) -> Iterable[re.Match[str]]:
        """The matches of :attr:`name_pattern` in ``span`` (of ``text``).

        ``words``: ascending offsets in ``span`` holding every start of a
        :attr:`name_start_phrases` phrase after a separator (:func:`word_start_finder`'s),
        when the caller found them. Then the aliases that start with a capital are scanned
        on their own, which stops only at capitals, and the few others (``"protesters"``,
        ``"the Kremlin"``) are tried only at those offsets: their lower-case first letters
        stopped the one pattern at every "d", "p", "r" and "t" of the text. An alias's first
        character picks its branch of the one pattern, so the one pattern's match at an
        offset is the match of the part its first character is in; the two are merged as
        ``finditer`` goes (leftmost first, none starting inside the one before).
        """
        start, end = span.start, span.end
        if words is None or self._name_capital_re is None:
            names = self.name_pattern
            return names.finditer(text, start, end) if names is not None else ()
        if self._name_rest_re is None:
            return self._name_capital_re.finditer(text, start, end)
        rest = self._name_rest_re.match
        others = [m for m in map(rest, repeat(text), [start, *(start + w for w in words if w)],
                                 repeat(end)) if m is not None]
        if not others:
            return self._name_capital_re.finditer(text, start, end)
        return _merged(self._name_capital_re, text, start, end, others)

    def find_names(self, text: str, start: int, end: int,
                   matches: Iterable[re.Match[str]] | None = None) -> Iterator[tuple[int, int, str, str]]:
        """``(start, end, id, kind)`` for every alias in ``text[start:end]``, longest first.

        ``matches``: the name pattern's matches in that range, when the caller already has them.
        """
        names = self.name_pattern
        if names is None:
            return
        for m in names.finditer(text, start, end) if matches is None else matches:
            ident, kind = self.names[m.group(0)]
            yield m.start(), m.end(), ident, kind

    def find_triggers(self, text: str, start: int, end: int,
                      matches: Iterable[re.Match[str]] | None = None
                      ) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """``(start, end, candidate event ids)`` for every event trigger phrase."""
        if self._trigger_re is None:
            return
        for m in self._trigger_re.finditer(text, start, end) if matches is None else matches:
            yield m.start(), m.end(), self._trigger_events[_fold(m.group(0))]

    def quantity_of(self, words: Sequence[str]) -> str | None:
        """The id of the first listed quantity whose word (or two-word phrase) occurs in ``words``."""
        rank, heads = self._quantity_rank, self._quantity_pair_heads
        lowered = list(map(str.lower, words))
        found = [r for r in map(rank.get, lowered) if r is not None]
        if not heads.isdisjoint(lowered):  # most word lists hold no first word of a pair
            found += [rank[pair] for pair in (f"{a} {b}" for a, b in zip(lowered, lowered[1:]) if a in heads)
                      if pair in rank]
        return self.quantities[min(found)].id if found else None

    def provenance(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "path": self.path,
                "sha256": self.sha256}


@lru_cache(maxsize=16)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _merged(capital: re.Pattern[str], text: str, start: int, end: int,
            others: list[re.Match[str]]) -> list[re.Match[str]]:
    """``finditer``'s matches of a pattern whose matches at each offset are ``capital``'s or
    are in ``others`` (in order, every such match, overlapping or not): the leftmost match
    first, then the leftmost that starts at or after its end."""
    found = []
    pos = start
    capitals = capital.finditer(text, start, end)
    upper = next(capitals, None)
    for other in others:
        at = other.start()
        while upper is not None and upper.start() < at:
            found.append(upper)
            pos = upper.end()
            upper = next(capitals, None)
        if at < pos:
            continue
        found.append(other)
        pos = other.end()
        if upper is not None and upper.start() < pos:
            capitals = capital.finditer(text, pos, end)  # it skipped matches inside ``upper``
            upper = next(capitals, None)
    while upper is not None:
        found.append(upper)
        upper = next(capitals, None)
    return found


@lru_cache(maxsize=4096)  # the same few trigger phrases recur in every article
def _fold(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def trie_alternation(phrases: list[str], fold: bool = False, encoded: bool = False) -> str:
    """One regex alternation shaped as a trie (shared prefixes factored out).

    Python's ``re`` tries the branches of a flat alternation one by one at every position; a
    trie tries each first character once, which makes a 100-phrase pattern several times
    faster. Longer phrases win because every branch is tried before its prefix ends. Spaces
    match any run of whitespace. ``fold`` lower-cases keys (use with ``re.IGNORECASE``).
    ``encoded``: for the ASCII text of :func:`encode_span` (a bytes pattern once encoded),
    where "?" stands for every other character; it matches wherever the str pattern can.
    """
    trie: dict[str, Any] = {}
    for phrase in set(phrases):
        node = trie
        for ch in (phrase.lower() if fold else phrase):
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [(_encoded_piece(ch) if encoded else _piece(ch)) + render(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(trie)


def _piece(ch: str) -> str:
    return r"\s+" if ch == " " else "['’]" if ch in "'’" else re.escape(ch)


def _encoded_piece(ch: str) -> str:
    if ch == " ":
        return r"[\s\x1c-\x1f?]+"  # str's whitespace: ASCII's, and "?" for the rest
    if ch in "'’":
        return "['?]"
    return re.escape(ch) if ch.isascii() else r"\?"


def word_start_alternation(phrases: list[str]) -> str:
    """:func:`trie_alternation` of ``phrases`` for matches that start a word (no word character
    or hyphen before), as one branch per first character with the lookbehind after that
    character.

    ``re`` skips in C to the next position a pattern can start at only when the pattern opens
    with a character (each branch a literal); a pattern that opens with a lookaround is
    entered at every position. That pays when few characters can start a match (names start
    with capitals); for lower-case phrases, whose first letters are most of the text, a
    :func:`first_char_guard` is faster.
    """
    by_first: dict[str, list[str]] = {}
    for phrase in set(phrases):
        by_first.setdefault(phrase[0], []).append(phrase[1:])
    branches = []
    for ch, rests in sorted(by_first.items()):
        rest = trie_alternation([r for r in rests if r])
        if rest and "" in rests:
            rest = f"(?:{rest})?"
        if ch == " ":
            branches.append(r"(?<![\w-])\s+" + rest)
        else:
            first = "['’]" if ch in "'’" else re.escape(ch)
            branches.append(rf"{first}(?<![\w-]{first}){rest}")
    return "(?:" + "|".join(branches) + ")"


_FOLDS_TO = "\u017f\u212a\u0130\u0131"  # ſ, Kelvin sign, İ, ı: Unicode case-folding matches them to s, k, i


def first_char_guard(chars: Iterable[str], ignore_case: bool = False) -> str:
    """A lookahead ``(?=[...])`` for the characters a match can start with.

    ``re`` skips positions that fail a leading character set in C, before trying the
    lookbehinds and alternations that follow; it does not work that set out by itself when a
    pattern starts with a lookbehind. Adds every case variant when ``ignore_case``.
    """
    found = set()
    for ch in chars:
        found.add(ch)
        if ignore_case:
            found.update({ch.lower(), ch.upper()})
            found.update(c for c in _FOLDS_TO if re.fullmatch(re.escape(ch), c, re.IGNORECASE))
    return "(?=[" + "".join(sorted(re.escape(c) if c not in "\\" else c for c in found)) + "])"


def _dates(info: dict[str, Any], where: str) -> tuple[date, date]:
    start, end = info.get("start"), info.get("end", info.get("start"))
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise LexiconError("events need 'start' and 'end' as TOML dates (2022-01-02), end >= start",
                           where)
    return start, end


def _strings(info: dict[str, Any], key: str, where: str, required: bool = True) -> tuple[str, ...]:
    value = info.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) \
            or (required and not value):
        raise LexiconError(f"{key!r} must be a list of non-empty strings", where)
    return tuple(value)


def parse_gazetteer(data: dict[str, Any], where: str, sha256: str = "") -> Gazetteer:
    """Validate a parsed gazetteer TOML; errors name the file and the entry."""
    meta = data.get("meta")
    if not isinstance(meta, dict) or not all(isinstance(meta.get(k), str) for k in ("name", "version")):
        raise LexiconError("missing [meta] table with 'name' and 'version'", where)
    names: dict[str, tuple[str, str]] = {}
    labels: dict[str, str] = {}
    for kind, table in (("actor", "actors"), ("place", "places")):
        for i, info in enumerate(data.get(table, []), 1):
            here = f"{where}: [[{table}]] #{i}"
            ident = info.get("id") if isinstance(info, dict) else None
            if not isinstance(ident, str) or not _ID.fullmatch(ident):
                raise LexiconError("'id' must look like \"actor:tokayev\" or \"place:almaty\"", here)
            labels[ident] = str(info.get("name", ident))
            for alias in _strings(info, "aliases", f"{here} {ident}"):
                names.setdefault(alias, (ident, kind))
    events: dict[str, Event] = {}
    trigger_events: dict[str, list[str]] = {}
    for i, info in enumerate(data.get("events", []), 1):
        here = f"{where}: [[events]] #{i}"
        ident = info.get("id") if isinstance(info, dict) else None
        if not isinstance(ident, str) or not ident.startswith("event:") or not _ID.fullmatch(ident):
            raise LexiconError("event 'id' must look like \"event:kz-jan-2022\"", here)
        here = f"{where}: event {ident}"
        start, end = _dates(info, here)
        event = Event(ident, str(info.get("description", ident)), start, end,
                      _strings(info, "triggers", here), _strings(info, "requires_any", here, False),
                      str(info.get("provenance", "")))
        events[ident] = event
        labels[ident] = event.description
        for trigger in event.triggers:
            trigger_events.setdefault(_fold(trigger), []).append(ident)
    quantities = []
    for i, info in enumerate(data.get("quantities", []), 1):
        here = f"{where}: [[quantities]] #{i}"
        if not isinstance(info, dict) or not isinstance(info.get("id"), str):
            raise LexiconError("quantities need an 'id'", here)
        quantities.append(Quantity(info["id"], str(info.get("label", info["id"])),
                                   tuple(w.lower() for w in _strings(info, "words", here))))
    name_source = word_start_alternation(list(names)) + r"(?![\w-])" if names else None
    capital_names = [alias for alias in names if alias[0].isupper()]
    other_names = [alias for alias in names if not alias[0].isupper()]
    name_capital_re = (re.compile(word_start_alternation(capital_names) + r"(?![\w-])")
                       if capital_names else None)
    name_rest_re = (re.compile(word_start_alternation(other_names) + r"(?![\w-])")
                    if other_names else None)
    folded_triggers = [_fold(t) for e in events.values() for t in e.triggers]
    # The lookbehind before the first-character guard: most positions are inside a word, and
    # the guard's letters, the first letters of many words, would let most of them through.
    trigger_body = r"(?:" + trie_alternation(folded_triggers, fold=True) + r")(?![\w-])"
    trigger_re = (re.compile(r"(?<![\w-])" + first_char_guard((t[0] for t in folded_triggers), ignore_case=True)
                             + trigger_body, re.IGNORECASE) if events else None)
    trigger_lower_re = (re.compile(r"(?<![\w-])" + first_char_guard(t[0] for t in folded_triggers)
                                   + trigger_body) if events else None)
    rank = _quantity_rank(quantities)
    return Gazetteer(meta["name"], meta["version"], where, sha256, names, labels, events,
                     tuple(quantities), {k: tuple(v) for k, v in trigger_events.items()},
                     name_source, trigger_re, trigger_lower_re, rank,
                     frozenset(w.split(" ")[0] for w in rank if w.count(" ") == 1),
                     CandidateScan(trigger_re, None, folded_triggers) if trigger_re else None,
                     name_capital_re, name_rest_re, tuple(_lower_ascii(alias) for alias in other_names))


def _quantity_rank(quantities: list[Quantity]) -> dict[str, int]:
    """Each quantity word (or two-word phrase) with the index of the first quantity listing it:
    :meth:`Gazetteer.quantity_of` looks words up instead of trying every quantity in turn.
    Longer phrases are left out, as no word list :meth:`Gazetteer.quantity_of` builds holds them."""
    rank: dict[str, int] = {}
    for i, q in enumerate(quantities):
        for word in q.words:
            if word.count(" ") <= 1:
                rank.setdefault(word, i)
    return rank


def default_gazetteer_path() -> Path:
    return Path(str(resources.files("framing").joinpath("lexicons", "gazetteers", DEFAULT_GAZETTEER)))


@lru_cache(maxsize=8)
def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read and validate a gazetteer file (the packaged one by default); cached per path."""
    path = Path(path) if path is not None else default_gazetteer_path()
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"cannot read gazetteer ({exc.strerror})", where) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"gazetteer is not valid UTF-8 TOML ({exc})", where) from None
    return parse_gazetteer(data, where, hashlib.sha256(raw).hexdigest())


# A run of two or more capitalised words ("Jawaharlal Nehru University"), allowing "of"/"de".
# Each word is an atomic group: only a whole word can be followed by the whitespace the next
# word needs, so giving characters back can never succeed; atomic, a single capitalised word
# fails at once instead of after trying every shorter split of it (twice as fast, same matches).
# The first capital comes before the lookbehind, so that ``re`` skips in C to the next capital
# (see word_start_alternation).
_CAPITALISED_RUN = re.compile(
    r"[A-Z](?<![\w-][A-Z])(?>[\w'’.-]*[a-z][\w'’-]*)"
    r"(?:\s+(?:of\s+|de\s+|the\s+)?(?>[A-Z][\w'’-]*[a-z][\w'’-]*))+")


CAPITALISED_RUN = _CAPITALISED_RUN


def find_capitalised_names(text: str, start: int, end: int,
                           matches: Iterable[re.Match[str]] | None = None) -> Iterator[tuple[int, int]]:
    """Multi-word capitalised names not starting the sentence (a rule, not a model)."""
    for m in _CAPITALISED_RUN.finditer(text, start, end) if matches is None else matches:
        s = m.start()
        if s == start:
            # The sentence's first word is capitalised anyway: drop it and keep the rest.
            rest = m.group(0).split(None, 1)
            if len(rest) < 2 or " " not in rest[1].strip():
                continue
            s = m.start() + m.group(0).index(rest[1])
        yield s, m.end()


#: Any byte but an ASCII letter, digit, "_" or "-" ("?", for any other character, too): what
#: can come before a match that starts a word.
_SEPARATOR = rb"[\x00-,./:-@\[-^`{-\x7f]"


class EncodedSpan(NamedTuple):
    """``text[start:end]`` as ASCII, "?" for every other character, for :class:`CandidateScan`:
    encoded once per document for all its scans."""

    start: int
    end: int
    encoded: bytes
    lowered: bytes
    #: whether it holds a character that ``re`` matches to an ASCII letter (see _FOLDS_TO)
    foldable: bool


def encode_span(text: str, start: int = 0, end: int | None = None) -> EncodedSpan:
    """``text[start:end]`` encoded for :meth:`CandidateScan.scan`."""
    end = len(text) if end is None else min(end, len(text))
    segment = text[start:end]
    encoded = segment.encode("ascii", "replace")
    foldable = not segment.isascii() and any(ch in segment for ch in _FOLDS_TO)
    return EncodedSpan(start, end, encoded, encoded.lower(), foldable)


class CandidateScan:
    """``pattern.finditer``, with ``pattern.match`` tried only where a match can start.

    Our date and number patterns open with lookarounds, so ``re`` enters them at every
    position, and the letters their lower-case words start with start most words of the
    text. A match can only start at a figure, a sign or a month (``finder``, a bytes pattern
    that opens with a character set, run over the text encoded as ASCII with "?" for every
    other character) or at one of a few lower-case ``words`` after a separator (found with
    one bytes pattern that opens with the separators' character set, in the lower-cased
    encoding; a word may be a phrase, and only its start has to match); ``after_a`` words
    also start a match at an "a" before them ("a dozen").
    Candidates are tried in order and those inside the previous match skipped, so the
    matches are exactly ``finditer``'s as long as every start is a candidate: every match
    that does not start at a figure, sign or month must start a word. Text holding a
    character that ``re`` matches to an ASCII letter without ignoring case (ſ, ı, İ, the
    Kelvin sign) goes to ``pattern.finditer``.
    """

    def __init__(self, pattern: re.Pattern[str], finder: bytes | None, words: Iterable[str],
                 after_a: Iterable[str] = ()) -> None:
        self.pattern = pattern
        self._finder = re.compile(finder) if finder is not None else None
        #: the lower-case phrases a match that starts a word opens with ("a dozen" for after_a)
        self.start_phrases = tuple(sorted({*words, *(f"a {w}" for w in after_a)}))

    @property
    def _starts(self) -> re.Pattern[bytes] | None:
        """:func:`word_start_finder` of this scan's phrases, compiled when first needed (a
        caller that finds the words of several scans at once never needs it)."""
        return _word_start_finder(self.start_phrases)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text, start, end)``."""
        return self.scan(text, encode_span(text, start, end))

    def scan(self, text: str, span: EncodedSpan, candidates: Iterable[int] | None = None
             ) -> Iterator[re.Match[str]]:
        """The matches of ``pattern.finditer(text, span.start, span.end)``; ``span`` encodes
        ``text`` there, or the text ``text`` is the lower-cased form of.

        ``candidates``: offsets in ``span`` that hold every offset this scan's finder and
        words find, when the caller found those of several scans at once (one pass over the
        text each, instead of one per scan; see :func:`word_start_finder`).
        """
        start, end = span.start, span.end
        if span.foldable:
            yield from self.pattern.finditer(text, start, end)
            return
        match = self.pattern.match
        pos = start
        for offset in sorted(self._candidates(span, candidates)):
            p = start + offset
            if p < pos:
                continue
            m = match(text, p, end)
            if m is not None:
                yield m
                pos = m.end()

    def _candidates(self, span: EncodedSpan, given: Iterable[int] | None) -> set[int]:
        """Every offset in ``span`` where a match may start."""
        if given is not None:
            found = set(given)
            found.add(0)
            return found
        found = {m.start() for m in self._finder.finditer(span.encoded)} if self._finder else set()
        found.add(0)  # neither pattern can look behind the start
        if self._starts is not None:
            found.update(m.start() + 1 for m in self._starts.finditer(span.lowered))
        return found


def _lower_ascii(phrase: str) -> str:
    """``phrase`` with its ASCII letters lower-cased: as it reads in an :class:`EncodedSpan`'s
    ``lowered`` (every other character is "?" there, which :func:`trie_alternation` matches
    to any non-ASCII character)."""
    return "".join(ch.lower() if ch.isascii() else ch for ch in phrase)


@lru_cache(maxsize=16)
def _word_start_finder(phrases: tuple[str, ...]) -> re.Pattern[bytes] | None:
    return word_start_finder(phrases)


def word_start_finder(phrases: Iterable[str]) -> re.Pattern[bytes] | None:
    """One bytes pattern whose matches end where one of ``phrases`` (lower-case; only its
    start has to match) may start a word in an :class:`EncodedSpan`'s ``lowered``: one pass
    over the text for the words of several scans (a scan given them also tries the other
    scans' words, which is cheaper than a pass of its own).

    One trie of every phrase, not one per scan: ``re`` tries the branches of an alternation
    one by one at every separator, so each scan's own trie cost the branches of all three.
    A phrase that another one starts is left out (the shorter one finds every start the
    longer one would), which keeps the trie's branches short.
    """
    found = sorted(set(phrases))
    kept = [p for i, p in enumerate(found) if not any(p.startswith(q) for q in found[:i])]
    if not kept:
        return None
    return re.compile(_SEPARATOR + b"(?=" + trie_alternation(kept, encoded=True).encode("ascii") + b")")
