"""Cheap whole-text tests that let sentence patterns skip sentences they cannot match.

The attribution patterns in voice.py and sourcing.py are long regexes tried at every
position of every sentence, yet most sentences hold none of the words they need (a speech
verb, "according", "source"). A gate scans the whole text once for those words and
says which sentences hold one; only there does the full pattern run. A gate must be a
*necessary* condition of its pattern, so skipping never changes output: its hit starts
inside every stretch of text the pattern can match (a verb gate includes the whitespace
the patterns need before the verb), and no hit swallows another that a pattern needs
("does not think" over "think"; tests/test_gates.py checks the verb lists).

Word lists are written as a prefix trie ("sa(?:id|ys)") because Python's ``re`` tries
every branch of a flat alternation at every position (3-10x slower on a verb list); a gate
that may demand what comes before its word (whitespace) starts with it, so ``re`` skips
most positions at once (2x faster again). Caseless gates run case-sensitively on the
lowercased text (``CaselessPatterns``): ``re`` tries a caseless pattern at every position.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Callable, Iterable, NamedTuple

#: Letters that ``re.IGNORECASE`` folds to an ASCII letter but ``str.lower`` does not (or not
#: to one character): in a text with one of them, the lowercased text cannot stand in.
_UNFOLDABLE = ("İ", "ı", "ſ")


def character_positions(text: str, characters: Iterable[str]) -> list[int]:
    """Where any of ``characters`` occurs in ``text``, in order.

    Found character by character with ``str.find``, which jumps to a character several
    times faster than ``re`` tests a character set at every position.
    """
    found = []
    for character in characters:
        at = text.find(character)
        while at >= 0:
            found.append(at)
            at = text.find(character, at + 1)
    found.sort()
    return found


def lowercase_stand_in(text: str) -> str | None:
    """``text.lower()`` if ASCII words are found in it where ``(?i:word)`` finds them in ``text``.

    None when ``text`` holds a letter of ``_UNFOLDABLE``. Every other character lowercases
    to one character, a word character to a word character, and to an ASCII letter exactly
    when ``re.IGNORECASE`` matches it to that letter (checked over all of Unicode), so
    offsets and word boundaries carry over.
    """
    if any(letter in text for letter in _UNFOLDABLE):
        return None
    return text.lower()


@functools.lru_cache(maxsize=4)
def folded(text: str) -> str | None:
    """``lowercase_stand_in(text)``, cached because the extractors of one document ask in turn."""
    return lowercase_stand_in(text)


class CaselessPatterns:
    """Lowercase patterns found regardless of case, where ``re.IGNORECASE`` would find them.

    They run on the lowercased text (``folded``): ``re`` tries a caseless pattern at every
    position but jumps to the first character of a case-sensitive one.
    """

    __slots__ = ("_lowercase", "_ignorecase")

    def __init__(self, *sources: str) -> None:
        self._lowercase = tuple(re.compile(source) for source in sources)
        self._ignorecase = tuple(re.compile(source, re.IGNORECASE) for source in sources)

    def patterns_for(self, text: str) -> tuple[tuple[re.Pattern[str], ...], str]:
        """Patterns and the string to run them on so that offsets are those of ``text``."""
        lowered = folded(text)
        return (self._ignorecase, text) if lowered is None else (self._lowercase, lowered)

    def occur_in(self, text: str) -> bool:
        patterns, haystack = self.patterns_for(text)
        return any(pattern.search(haystack) for pattern in patterns)


class CaselessWords(CaselessPatterns):
    """Literal ASCII words found regardless of case."""

    __slots__ = ("_words", "_any_lowercase", "_any_ignorecase")

    def __init__(self, *words: str) -> None:
        if not all(word.isascii() for word in words):
            raise ValueError(f"caseless gate words must be ASCII: {words!r}")
        lowered = [word.lower() for word in words]
        super().__init__(*(re.escape(word) for word in lowered))
        self._words = tuple(lowered)
        self._any_lowercase = re.compile(trie(lowered))
        self._any_ignorecase = re.compile(trie(lowered), re.IGNORECASE)

    def finder(self, text: str) -> Callable[[int, int], bool]:
        """A test "does one of the words lie inside ``text[start:end]``?" for one text.

        Cheaper than a ``Gate`` when only some sentences ask: nothing is scanned up front.
        """
        lowered = folded(text)
        pattern, haystack = ((self._any_ignorecase, text) if lowered is None
                             else (self._any_lowercase, lowered))
        return lambda start, end: pattern.search(haystack, start, end) is not None

    def gate(self, text: str) -> "Gate":
        """Where the words occur in ``text`` regardless of case (``Gate.caseless``, found with
        ``str.find`` on the lowercased text, which jumps to a literal faster than ``re``)."""
        lowered = folded(text)
        return Gate.caseless(self, text) if lowered is None else Gate.of_literals(self._words, lowered)


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
    """Where a gate pattern matched in a text (its hits), and the sentences they fall in."""

    __slots__ = ("_hits", "_last_ends")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._hits = [start for start, _ in ordered]
        #: The furthest end of a hit among the first k + 1 hits.
        self._last_ends = list(itertools.accumulate((end for _, end in ordered), max))

    @classmethod
    def scan(cls, patterns: Iterable[re.Pattern[str]], text: str) -> "Gate":
        """Where any of ``patterns`` matches in ``text``."""
        return cls(m.span() for pattern in patterns for m in pattern.finditer(text))

    @classmethod
    def of_literals(cls, words: Iterable[str], text: str) -> "Gate":
        """Where any of ``words`` occurs in ``text``, as a scan for each would find them."""
        spans = []
        for word in words:
            at = text.find(word)
            while at >= 0:
                spans.append((at, at + len(word)))
                at = text.find(word, at + len(word))
        return cls(spans)

    @classmethod
    def caseless(cls, patterns: CaselessPatterns, text: str) -> "Gate":
        """Where ``patterns`` match in ``text`` regardless of case."""
        return cls.scan(*patterns.patterns_for(text))

    def sentences_hit(self, starts: list[int]) -> set[int]:
        """Indices of the sentences (sorted, not overlapping, starting at ``starts``) a hit starts in.

        Found hit by hit: there are far fewer hits than sentences. A hit between two
        sentences counts for the one before: a sentence too many, never one too few.
        """
        return {bisect.bisect_right(starts, hit) - 1 for hit in self._hits} - {-1}

    def starts_in(self, start: int, end: int) -> bool:
        """Does a hit start in ``[start, end)``?"""
        i = bisect.bisect_left(self._hits, start)
        return i < len(self._hits) and self._hits[i] < end

    def last_end(self, start: int, end: int) -> int:
        """Where a pattern ending in a gate word must stop, for a search of ``[start, end)``.

        The furthest end of a hit starting before ``end``, or ``end`` itself when that is
        nearer or when no hit starts in the range. A ``\\b`` that ends a gate pattern holds
        there in the whole text and at the end of a cut-off string alike.
        """
        i = bisect.bisect_left(self._hits, end)
        if i == 0 or self._hits[i - 1] < start:
            return end
        return min(self._last_ends[i - 1], end)


#: Verbs of speech and belief that attribute what follows or precedes to a speaker (voice.py).
SPEECH_VERBS = (
    r"said|says|say|stated|states|told|tells|noted|notes|added|adds|stressed|stresses|"
    r"emphasi[sz]ed|emphasi[sz]es|explained|explains|believes|believed|believe|thinks|think|"
    r"argued|argues|argue|claimed|claims|claim|warned|warns|warn|reminds|reminded|insisted|insists|"
    r"concluded|concludes|declared|declares|announced|announces|wrote|writes|agreed|agrees|agree|"
    r"pointed out|points out|point out|assured|assures|recalled|recalls|admitted|admits|"
    r"acknowledged|acknowledges|suggested|suggests|asserted|asserts|replied|replies|commented|"
    r"comments|observed|observes|continued|continues|is convinced|is sure|is certain|considers|"
    r"predicted|predicts|expects|hopes|fears|urged|urges|promised|promises|vowed|vows|"
    r"accused|accuses|condemned|condemns|denied|denies|confirmed|confirms|asked|asks|"
    r"complained|complains|reported|reports|put it")
#: Verbs that name what something is ("described X as", "called it") (voice.py).
NAMING_VERBS = r"described|describes|describe|called|calls|call|termed|terms|branded|brands|" \
               r"labell?ed|labels|dubbed|dubs|characteri[sz]ed|characteri[sz]es|referred to"
#: Verbs that attribute speech or belief to a cited source (sourcing.py).
SOURCING_VERBS = (
    r"said|says|say|stated|told|tells|noted|notes|added|adds|believes|believed|thinks|"
    r"thought|reminds|reminded|concluded|concludes|explained|explains|argued|argues|warned|"
    r"warns|claimed|claims|stressed|stresses|emphasi[sz]ed|insisted|insists|pointed out|"
    r"points out|declared|announced|recalled|recalls|commented|suggested|admitted|confirmed|"
    r"confirms|is sure|was sure|is convinced|was convinced|does not think|did not think|"
    r"doesn't think|expects|expected|predicts|predicted|assured|replied|answered")

_SPEECH_FORMS = frozenset(literal_forms(SPEECH_VERBS))
_NAMING_FORMS = frozenset(literal_forms(NAMING_VERBS))
#: Sourcing's gate takes "asked" too: its measure asks for the verbs again.
_SOURCING_FORMS = frozenset(literal_forms(SOURCING_VERBS) + ["asked"])
_SOURCING_FORM = re.compile(trie(_SOURCING_FORMS), re.IGNORECASE)
#: Characters one of which stands right before a verb the patterns match: whitespace for
#: voice.py, whitespace, a comma or a quote for sourcing.py.
_BEFORE_VERB = "\\s,\"”’'"
# Only the character before is consumed and the verb is looked ahead at, so that a verb
# inside a longer one of another list ("think" in "does not think") is found too.
_ANY_VERB_SOURCE = (rf"[{_BEFORE_VERB}](?=(?P<verb>"
                    rf"{trie(_SPEECH_FORMS | _NAMING_FORMS | _SOURCING_FORMS)})\b)")
_ANY_VERB = re.compile(_ANY_VERB_SOURCE)
_ANY_VERB_IGNORECASE = re.compile(_ANY_VERB_SOURCE, re.IGNORECASE)


class VerbGates(NamedTuple):
    """Where the verb lists occur in one text: a hit runs from the character before the verb
    to the verb's end."""

    speech: Gate  # SPEECH_VERBS after whitespace, in lower case as written (voice.py)
    naming: Gate  # NAMING_VERBS after whitespace, in lower case as written (voice.py)
    sourcing: Gate  # SOURCING_VERBS and "asked" after _BEFORE_VERB, in any case (sourcing.py)


@functools.lru_cache(maxsize=2)
def verb_gates(text: str) -> VerbGates:
    """The verb gates of ``text`` from one scan, for the quote and sourcing extractors and the
    sourcing measure, which ask in turn.

    Each list's hits are those of a scan for that list alone: the scan finds, at each
    position, the longest verb of all lists, and no verb of one list ends where a longer
    verb of another goes on (tests/test_gates.py), so the longest is each list's own.
    """
    lowered = folded(text)
    pattern, haystack = (_ANY_VERB_IGNORECASE, text) if lowered is None else (_ANY_VERB, lowered)
    speech: list[tuple[int, int]] = []
    naming: list[tuple[int, int]] = []
    sourcing: list[tuple[int, int]] = []
    for m in pattern.finditer(haystack):
        start, verb_start, end = m.start(), m.start("verb"), m.end("verb")
        if text[start].isspace():
            as_written = text[verb_start:end]
            if as_written in _SPEECH_FORMS:
                speech.append((start, end))
            elif as_written in _NAMING_FORMS:
                naming.append((start, end))
        verb = m["verb"]
        if (verb in _SOURCING_FORMS) if lowered is not None else _SOURCING_FORM.fullmatch(verb):
            sourcing.append((start, end))
    return VerbGates(Gate(speech), Gate(naming), Gate(sourcing))
