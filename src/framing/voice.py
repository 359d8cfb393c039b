"""Who is speaking: quotations, reported speech, scare quotes and inserted notes.

A loaded word means one thing in the outlet's own sentence and another in a quoted
official's mouth, so every finding needs a voice. This module finds:

* direct quotations (straight, curly and guillemet quotes, nested, over several
  lines), with the speaker from the attribution next to them ("...," X said);
* reported speech ("according to X, ...", "X said that ...", "X described Y as Z"),
  whose content span gets the speaker;
* scare quotes: short quoted phrases that nobody is quoted as saying ("sovereign
  Kazakhstan", "neutral"): the writer distancing itself from a word;
* notes a reprinter inserted into the text ("(... - approx. InoSMI)").

Rules are general English attribution patterns, never tied to a particular file.
All scanning is over the kept body; every span has offsets into the original text.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import ClassVar, Iterable, Iterator, NamedTuple

from .document import Document, Span
from .gates import NAMING_VERBS as _NAMING_VERBS
from .gates import SPEECH_VERBS as _SPEECH_VERBS
from .gates import Gate, character_positions, literal_forms, lowercase_stand_in, trie, verb_gates
from .pipeline import AnalysisConfig, register_extractor

#: Longest quotation we accept; an opening quote without a close within this is a stray.
MAX_QUOTE_CHARS = 3000
#: A quoted phrase this short (in words) with no attribution is a scare-quote candidate.
SCARE_MAX_WORDS = 5

_OPENERS = "“«„"
_CLOSERS = "”»"
_QUOTE_CHARS = set(_OPENERS + _CLOSERS + '"')
_CLOSING_QUOTE = re.compile(r'["”»]')

# Words are taken whole ("*+", "++"): what follows one in every pattern is a space, a comma or
# the end, so giving letters back never helps a match, and ``re`` no longer tries it.
_NAME_WORD = r"[A-Z][\w’'-]*+\.?"
_NAME = rf"{_NAME_WORD}(?:\s+(?:of\s+(?:the\s+)?)?{_NAME_WORD}){{0,5}}"
#: The nouns a _ROLE ends in ("s?": singular or plural); _ROLE_ENDINGS is made from them.
_ROLE_NOUNS = """experts? observers? analysts? ministers? president officials? deputy ambassador
    spokesman spokeswoman spokesperson researchers? professor scientists? leaders? government
    ministry authorities commentators? critics sources? diplomats? politicians? journalists?
    reporters? residents? witnesses activists? lawyers? television media newspapers? agency
    channel press office embassy kremlin""".split()
_ROLE = (r"(?:[Tt]he\s+|[Mm]ost\s+|[Mm]any\s+|[Ss]ome\s+|[Tt]his\s+|[Hh]is\s+|[Hh]er\s+|[Ss]everal\s+)?"
         r"(?:(?:political|independent|western|foreign|local|leading|senior|government|economic|"
         r"military|international|other|top|Western|Russian|Kazakh|[A-Z][a-z]++)\s+){0,2}"
         rf"(?:{'|'.join(_ROLE_NOUNS)})")
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey|[Ww]e"
_SUBJECT = rf"(?P<subj>{_ROLE}|{_NAME}|{_PRONOUN})"
#: How a _SUBJECT can begin: a capital, or a lowercase word of _ROLE or _PRONOUN (a prefix of
#: it is enough). Most words of a sentence fail this test, cheaper than _SUBJECT fails there.
_SUBJECT_STARTS = "(?=[A-Z]|" + trie("""
    the most many some this his her several he she they we political independent western
    foreign local leading senior government economic military other top expert observer
    analyst minister president official deputy ambassador spokes researcher professor
    scientist leader ministry authorities commentator critics source diplomat politician
    journalist reporter resident witnesses activist lawyer television media newspaper agency
    channel press office embassy kremlin international""".split()) + ")"
#: Bare verb forms ("experts say") need a plural subject; "think tank" is not speech.
_BARE_VERBS = {"say", "believe", "think", "argue", "claim", "warn", "agree", "point out"}
_PLURAL_SUBJECT = re.compile(r"(?:.*s|[Tt]hey|[Ww]e)")
_ROLE_ONLY = re.compile(_ROLE)
_ROLE_AT_END = re.compile(rf"(?:(?:one|a|an|two|three|several)\s+)?{_ROLE}\s*$")
_LEADING_CONJUNCTION = re.compile(r"(?:and|but|or|while|as|so)\s+")
#: Reported content stops where the writer turns to another voice ("..., while critics ...").
_CONTRAST = re.compile(r",\s+(?:while|whereas|but|although|though|yet)\b|;")
_APPOSITION = r"(?:\s*,\s*(?P<appos>[^,.;:\"“”]{1,120}?),)?"
_AUX = r"(?:\s+(?:has|have|had|also|once|again|then|later|himself|herself|[a-z]++(?<=[a-z]ly)))*"
#: Verb forms that are also common nouns ("Central Asian states"): speech only before "that".
_NOUN_LIKE_VERBS = {"states", "claims", "notes", "comments", "reports", "hopes", "fears",
                    "promises", "vows", "calls", "terms", "brands", "labels", "remarks"}
#: Verbs that take an object ("condemned the arrests", "added fuel to the flame"): what follows
#: is the outlet describing an act, and only a "that" clause is what was said.
_OBJECT_VERBS = {"condemned", "condemns", "accused", "accuses", "denied", "denies", "asked", "asks",
                 "urged", "urges", "complained", "complains", "confirmed", "confirms", "announced",
                 "announces", "reported", "added", "adds", "promised", "vowed", "predicted",
                 "predicts", "declared", "declares", "warned", "warns"}
#: "told reporters ...", "tells ILNA": the person told, before what was said.
_ADDRESSEE = re.compile(
    r"\s+(?:(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*|him|her|them|us|me|reporters|journalists|"
    r"the\s+[a-z]+|an?\s+[a-z]+(?:\s+[a-z]+)?\s+(?:conference|briefing|meeting))(?:\s+that\b)?")
#: Words that open a sentence or clause; a phrase starting with one is not an attribution
#: ('..." Although it should be said', '..." It is true to say').
#: What may follow "said" when the speech came before it ("..., the ministry said on Friday,
#: citing preliminary results."): a short adverbial and a participle, nothing said.
_ADVERBIAL_TAIL = re.compile(
    r"(?:(?:on|in|at|after|before|during|late|early|earlier|later|last|this|yesterday|today|to|by|"
    r"from|via)\b(?:\s+[\w’'-]+){0,3})?(?:\s*,?\s*(?:citing|adding|quoting|referring to)\b[^.;:]*)?\s*")
_COMMA_BEFORE_SUBJECT = re.compile(r",\s*(?:(?:the|a|an)\s+)?$")
_CLAUSE_OPENERS = {"Although", "Though", "While", "When", "If", "Since", "Because", "Then", "Thus",
                   "So", "Yet", "Even", "Also", "This", "That", "These", "Those", "It", "Its",
                   "There", "Here", "What", "Now", "Today", "Still", "Often", "Previously",
                   "Earlier", "Later", "Recently", "Usually", "Sometimes", "However", "Meanwhile",
                   "But", "And", "As", "In", "For", "Such", "All"}
#: Last words of an organisation's name: "Human Rights Watch" is kept whole.
_ORGANISATION_WORDS = {"Watch", "Commission", "Committee", "Consortium", "Ministry", "Office",
                       "Council", "Agency", "Service", "Bank", "Fund", "Institute", "Center", "Centre",
                       "University", "Party", "Union", "Organization", "Organisation",
                       "International", "Foundation", "Association", "Group", "Court", "Parliament",
                       "Government", "Assembly", "Federation", "Corporation", "Company",
                       "Department", "Bureau", "Forum", "Network", "Alliance", "Movement"}
_CONJOINED_BEFORE = re.compile(rf"(?P<first>(?:[Tt]he\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
                               r"\s+and\s+(?:the\s+)?$")

_THAT = re.compile(r"(?:[^.;:,\"“”]{0,80}?\s)?that\b")
# Gates (see gates.py): a sentence without these words is skipped. _REPORTED and _NAMING
# have whitespace before the verb and a word boundary after it (gates.verb_gates).
_GATE_ACCORDING = ("ccording",)
# The same words as prefix tries (gates.py): the verb lists of _BEFORE_QUOTE, _AFTER_QUOTE,
# _BEFORE_NAMING (and, without the "-ing" forms, _REPORTED and _NAMING), which try them at
# every position. A verb there is followed by a non-word character or the end, so a trie
# matches the same word as the flat list (no word ends where a longer one goes on with a
# space: tests/test_gates.py).
_SPEECH_VERB_FORMS = literal_forms(_SPEECH_VERBS)
_NAMING_VERB_FORMS = literal_forms(_NAMING_VERBS) + [
    "branding", "labelling", "labeling", "calling", "describing", "dubbing"]
_SPEECH_VERB_WORDS = trie(_SPEECH_VERB_FORMS)
_NAMING_VERB_WORDS = trie(_NAMING_VERB_FORMS)


class SubjectVerb(NamedTuple):
    """A subject (starting a word) and a verb, as two patterns, for ``_subject_verb_matches``.

    ``later`` opens with the character before the subject, not a look-behind, so that ``re``
    jumps from one non-word character to the next instead of trying every position, and
    tries the subject only where _SUBJECT_STARTS holds; ``first`` is the subject at the very
    start of a sentence, where no character precedes it.
    """

    first: re.Pattern[str]
    later: re.Pattern[str]
    takes_that: bool  # a "that" after the verb belongs to the match (speech verbs)

    @classmethod
    def of(cls, verbs: str, takes_that: bool) -> "SubjectVerb":
        source = rf"{_SUBJECT}{_APPOSITION}{_AUX}\s+(?P<verb>{verbs})\b"
        return cls(re.compile(source), re.compile(rf"[^\w-]{_SUBJECT_STARTS}{source}"), takes_that)


# A subject and a speech verb; the "that" which may follow is matched apart (_THAT), so that
# the search for a subject can stop at the sentence's last speech verb.
_REPORTED = SubjectVerb.of(_SPEECH_VERB_WORDS, takes_that=True)
_NAMING = SubjectVerb.of(trie(literal_forms(_NAMING_VERBS)), takes_that=False)
_ACCORDING = re.compile(r"(?<![\w-])[Aa]ccording to\s+(?P<who>[^,.;:\"“”]{1,120}?)(?=\s*[,.;:]|$)")
_AS = re.compile(r"\bas\s")
_OBJECT_THEN_COMPLEMENT = re.compile(
    r"\s+(?:the|this|these|those|his|her|its|their|it|them)\s+(?:[\w-]+\s+){0,3}?(?=an?\s)")
_SPEECH_NOUNS = ("order orders words statement promise pledge call phrase slogan claim demand remark "
                 "vow threat motto warning").split()
_SPEECH_NOUN_BEFORE = re.compile(rf"\b(?:{'|'.join(_SPEECH_NOUNS)})s?\s+(?:to\s+|that\s+|of\s+)?$")


class LastWords(NamedTuple):
    """What a pattern anchored at the end of a text can end in, less trailing spaces: a test
    of the last letters, far cheaper than a search ``re`` tries at nearly every position."""

    endings: frozenset[str]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, forms: Iterable[str]) -> "LastWords":
        """The last words of ``forms``: no word boundary comes before a verb in these patterns,
        so the end of a word is enough."""
        ends = frozenset(form.rsplit(" ", 1)[-1] for form in forms)
        return cls(ends, tuple(sorted({len(end) for end in ends})))

    def end(self, text: str) -> bool:
        return any(text[-n:] in self.endings for n in self.lengths)


#: What _BEFORE_QUOTE's match ends in, less a colon or comma: a speech verb, or "-ly",
#: "that" and "be", which may follow it.
_BEFORE_QUOTE_ENDINGS = LastWords.of(_SPEECH_VERB_FORMS + ["ly", "that", "be"])
#: What _BEFORE_NAMING's match ends in: a naming verb, a pronoun after it, or "as".
_BEFORE_NAMING_ENDINGS = LastWords.of(_NAMING_VERB_FORMS + ["it", "them", "him", "her", "as"])
#: What _SPEECH_NOUN_BEFORE's match ends in, less trailing whitespace.
_SPEECH_NOUN_ENDINGS = LastWords.of(_SPEECH_NOUNS + [noun + "s" for noun in _SPEECH_NOUNS] + ["to", "that", "of"])
#: What _ROLE_AT_END's match ends in, less trailing whitespace: the last word of _ROLE.
_ROLE_ENDINGS = LastWords.of([form for noun in _ROLE_NOUNS for form in
                              ([noun[:-2], noun[:-1]] if noun.endswith("s?") else [noun])])
_BEFORE_QUOTE = re.compile(rf"(?<!\bthe )(?<!\ba )(?<!\ban )(?P<verb>{_SPEECH_VERB_WORDS})(?:\s+[a-z]+ly)?"
                           r"(?:\s+(?:that|to\s+be|be))?\s*[:,]?\s*$")
_BEFORE_NAMING = re.compile(
    rf"(?:(?P<subj>{_NAME}|{_PRONOUN})\s+)?(?<!so-)(?:{_NAMING_VERB_WORDS})(?:\s+(?:it|them|him|her))?"
    rf"(?:\s+[\w-]+(?:\s+[\w-]+){{0,4}}\s+as)?\s*(?:as\s*)?$")
_AFTER_QUOTE = re.compile(
    rf"^[\s,.!?]*(?:[-–—]\s*)?(?:(?P<v1>{_SPEECH_VERB_WORDS})\b(?P<after>[^.;\n]{{1,160}})"
    rf"|(?P<before>[^.;,\n\"“”]{{1,80}}?)\s+(?:has\s+|had\s+|also\s+)*(?P<v2>{_SPEECH_VERB_WORDS})\b)")
#: How _AFTER_QUOTE's first verb ("v1") can begin: a lowercase letter after its lead.
_AFTER_QUOTE_LEAD = re.compile(r"[\s,.!?]*(?:[-–—]\s*)?[a-z]")
_TITLES = {"President", "Prime", "Minister", "Deputy", "Foreign", "Dr", "Dr.", "Mr", "Mr.",
           "Mrs", "Mrs.", "Ms", "Ms.", "Professor", "Prof.", "Ambassador", "Chairman",
           "Senator", "General", "Secretary", "Director", "The", "Chief", "Head", "According",
           "In", "For", "But", "And", "As", "However", "Meanwhile", "Speaker", "Former",
           "Political", "Analyst", "Expert", "Observer", "Though", "Although", "While", "When",
           "If", "Since", "Because", "Then", "Thus", "So", "Yet", "Even", "Also", "This", "That",
           "These", "Those", "It", "Its", "There", "Here", "What", "Now", "Today", "Still", "All",
           "Some", "Many", "Most", "Such", "Our", "We", "They", "Often", "Previously", "Earlier",
           "Later", "Recently", "Usually", "Sometimes"}
#: What "according to" must name to be speech or a source ("according to plan" is neither).
_SOURCE_NOUN_SOURCE = (
    r"\b(?:figures|data|statistics|reports?|surveys?|polls?|estimates?|sources?|documents?|"
    r"media|study|studies|agency|ministry|office|committee|commission|government|authorities|"
    r"officials?|experts?|analysts?|observers?|him|her|them|he|she|they|us|me|police|bureau|"
    r"service|press|newspaper|television|channel|website|statement|spokes\w+)\b")
_SOURCE_NOUN = re.compile(_SOURCE_NOUN_SOURCE, re.IGNORECASE)
#: _SOURCE_NOUN for lowercased text (gates.lowercase_stand_in): a caseless pattern makes ``re``
#: try every word of it at every position, a case-sensitive one checks first letters first.
_SOURCE_NOUN_LOWERCASE = re.compile(_SOURCE_NOUN_SOURCE)
_NAME_SEQ = re.compile(_NAME)
_RESOLVABLE = re.compile(r"(?:he|she|him|her|the (?:expert|observer|analyst|scholar|researcher|"
                         r"professor|diplomat|politician|minister|official|president|deputy|"
                         r"ambassador|speaker))", re.IGNORECASE)
_WORDS = re.compile(r"[\w’'-]+")
#: More than SCARE_MAX_WORDS words (as _WORDS finds them), without listing them.
_MORE_THAN_SCARE_WORDS = re.compile(rf"[\w’'-]++(?:[^\w’'-]++[\w’'-]++){{{SCARE_MAX_WORDS}}}")
_SENTENCE_INSIDE = re.compile(r"[.!?…](?:\s|$)")
# The quote mark comes first and the test of the character before it after (the same
# condition), so that ``re`` jumps from quote mark to quote mark, not position to position.
_SINGLE_QUOTED_REST = r"(?<![\w'’].)(?P<inner>[A-Za-z](?:[^'‘’\"“”\n]|['’](?=[a-z])){0,48}?[\w.!?])['’](?![\w])"
_SINGLE_QUOTED = re.compile(rf"['‘]{_SINGLE_QUOTED_REST}")
#: _SINGLE_QUOTED where no ‘ can open: a pattern opening with one character, which ``re`` jumps
#: to, where a set of two makes it test every character.
_STRAIGHT_SINGLE_QUOTED = re.compile(rf"'{_SINGLE_QUOTED_REST}")
_NON_SPACE = re.compile(r"\S+")
_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose|an?|the)\s")
#: "According to X, a political scientist, ...": the apposition after the source.
_APPOSITION_AFTER = re.compile(r"\s*,\s*an?\s[^,.;:]{1,100},")
#: '"..." is said to be': nobody in particular speaks.
_PASSIVE_REPORT = re.compile(r"\b(?:is|are|was|were)\s+(?:said|reported|believed)\b")
_SO_CALLED = re.compile(r"\bso-called\s*$", re.IGNORECASE)
_INSERTED_NOTE = re.compile(
    r"\((?P<body>[^()]{3,1200}?)\s*[-–—]\s*(?:approx\.?|ed\.|editor'?s? note|note|прим\.)\s*"
    r"(?P<by>[^\s()][^()]{0,40}?)?\s*\)", re.IGNORECASE)


class Speaker(NamedTuple):
    """Who speaks, with offsets where the text names them (a tuple: made for every attribution)."""

    name: str | None
    start: int | None = None
    end: int | None = None


def _strip_titles(text: str, start: int) -> tuple[str, int]:
    words = list(_NON_SPACE.finditer(text))
    kept = list(words)
    while kept and kept[0].group().rstrip(",") in _TITLES:
        kept.pop(0)
    if not kept:
        return text, start
    if kept[-1].group().rstrip(".,") in _ORGANISATION_WORDS:
        pass  # "Human Rights Watch", "Central Election Commission": the whole name
    elif len(kept) >= 3 and kept[-2].group() != "of":
        kept = kept[-2:]  # "Brussels Aigul Kuspan" -> "Aigul Kuspan"
    elif kept[0].group() == "of":
        return text, start  # "Deputy Foreign Minister of Kazakhstan": a role is all we have
    return text[kept[0].start():kept[-1].end()], start + kept[0].start()


def pick_name(text: str, offset: int) -> Speaker | None:
    """The last proper-name sequence in ``text`` (titles stripped), with its offsets."""
    cut = _RELATIVE_CLAUSE.search(text)
    if cut:
        text = text[:cut.start()]
    found = None
    for m in _NAME_SEQ.finditer(text):
        if m.group().rstrip(".") in _TITLES and len(m.group().split()) == 1:
            continue
        found = m
    if found is None:
        return None
    name, start = _strip_titles(found.group().rstrip("."), offset + found.start())
    return Speaker(" ".join(name.split()), start, start + len(name))


def _speaker_from(phrase: str, offset: int, last: Speaker | None) -> Speaker:
    """A speaker for an attribution phrase: a name, else a resolved pronoun or role."""
    phrase_stripped = phrase.strip(" ,")
    if _RESOLVABLE.fullmatch(phrase_stripped):
        return last if last is not None and last.name else Speaker(None)
    if phrase_stripped in _TITLES:
        return Speaker(None)
    lead = _LEADING_CONJUNCTION.match(phrase_stripped)
    role = phrase_stripped[lead.end():] if lead else phrase_stripped
    if _ROLE_ONLY.fullmatch(role) and not _RESOLVABLE.fullmatch(role):
        at = offset + phrase.find(role)
        return Speaker(role, at, at + len(role))  # "some Western commentators", not "Western"
    named = pick_name(phrase, offset)
    if named is not None:
        return named
    if _RESOLVABLE.fullmatch(phrase_stripped) and last is not None and last.name:
        return last
    return Speaker(phrase_stripped or None) if phrase_stripped and not _RESOLVABLE.fullmatch(
        phrase_stripped) else Speaker(None)


class Quotation(NamedTuple):
    """A paired quotation, quote marks included; ``depth`` 0 at the top level."""

    start: int
    end: int
    depth: int


def pair_quotes(text: str, regions: Iterable[Span]) -> list[Quotation]:
    """Pair double quotation marks inside ``regions`` (a stack, so nesting works).

    A straight quote opens when it follows a space or the start of a line and a
    character follows it, otherwise it closes. An opening quote at the start of a
    paragraph while a quotation is still open continues it (the convention for
    quotations over several paragraphs). Unclosed or overlong quotes are dropped.
    """
    return list(_paired(text, tuple((region.start, region.end) for region in regions)))


# Cached: the quote and the scare-quote extractors of one document pair the same quotes.
@functools.lru_cache(maxsize=4)
def _paired(text: str, regions: tuple[tuple[int, int], ...]) -> tuple[Quotation, ...]:
    quotes: list[Quotation] = []
    stack: list[int] = []
    marks = _quote_marks(text)
    for region_start, region_end in regions:
        for i in marks[bisect.bisect_left(marks, region_start):bisect.bisect_left(marks, region_end)]:
            ch = text[i]
            prev = text[i - 1] if i > 0 else "\n"
            nxt = text[i + 1] if i + 1 < len(text) else "\n"
            if ch in _OPENERS:
                opening = True
            elif ch in _CLOSERS:
                opening = False
            else:
                opening = (prev.isspace() or prev in "([{—–-/" or prev in _QUOTE_CHARS) \
                    and not nxt.isspace()
            if opening:
                line_start = i == region_start or text[i - 1] == "\n" or \
                    text[max(region_start, i - 2):i].strip() == "" and "\n" in text[max(0, i - 3):i]
                if stack and line_start and i - stack[-1] < MAX_QUOTE_CHARS:
                    continue  # a quotation going on into a new paragraph
                stack.append(i)
            elif stack:
                s = stack.pop()
                if i + 1 - s <= MAX_QUOTE_CHARS:
                    quotes.append(Quotation(s, i + 1, len(stack)))
    return tuple(sorted(quotes, key=lambda q: q.start))


def _quote_marks(text: str) -> list[int]:
    """Where the double quote marks of ``text`` are, in order."""
    return character_positions(text, _QUOTE_CHARS)


def inserted_notes(text: str, regions: Iterable[Span]) -> list[tuple[int, int, str]]:
    """Parenthesised notes a reprinter added, as ``(start, end, inserted_by)``."""
    notes = []
    for region in regions:
        for m in _INSERTED_NOTE.finditer(text, region.start, region.end):
            by = (m.group("by") or "editor").strip()
            notes.append((m.start(), m.end(), by))
    return notes


@dataclass(frozen=True)
class VoiceAnalysis:
    quotes: list[Span]
    scare_quotes: list[Span]


def _sentence_bounds(doc: Document, offset: int) -> tuple[int, int]:
    i = doc.sentence_index(offset)
    if i is None:
        return offset, offset
    s = doc.sentences[i]
    return s.start, s.end


def _block_of(doc: Document, offset: int) -> str | None:
    i = doc.sentence_index(offset)
    return None if i is None else doc.sentences[i].attrs.get("block")


def analyse_voice(doc: Document) -> VoiceAnalysis:
    """Quotations, reported speech and scare quotes of one document."""
    quotations = pair_quotes(doc.text, doc.body)
    quotes = find_quotes(doc, quotations)
    return VoiceAnalysis(quotes=quotes, scare_quotes=find_scare_quotes(doc, quotes, quotations))


def find_quotes(doc: Document, quotations: list[Quotation] | None = None) -> list[Span]:
    """Reported speech and direct quotations with their speakers (the "quotes" spans)."""
    text = doc.text
    if quotations is None:
        quotations = pair_quotes(text, doc.body)
    quote_starts = [q.start for q in quotations]
    gates = verb_gates(text)
    speech_gate, naming_gate = gates.speech, gates.naming
    according_gate = Gate.of_literals(_GATE_ACCORDING, text)
    reported: list[Span] = []
    last: Speaker | None = None
    # Named speakers of direct quotations ('..." Abishev said'), so that "according to the
    # observer" in a later sentence can resolve to them. The attribution right after each
    # top-level quotation is matched once, here, for the direct quotations below too.
    after_matches = {q.start: _attribution_after(text, q.end, speech_gate) for q in quotations if not q.depth}
    named_after = _named_after_speakers(quotations, after_matches)
    next_named = 0

    # Reported speech, sentence by sentence.
    sentences = doc.sentences
    starts = [sentence.start for sentence in sentences]
    according_hit = according_gate.sentences_hit(starts)
    gated_patterns = ((_REPORTED, speech_gate, speech_gate.sentences_hit(starts), "speech-verb"),
                      (_NAMING, naming_gate, naming_gate.sentences_hit(starts), "naming-verb"))
    # Sentences no gate hits are skipped whole; nothing in them would change ``last``.
    gated = sorted(according_hit.union(*(hit for _, _, hit, _ in gated_patterns)))
    for i in gated:
        sentence = sentences[i]
        s_text = text[sentence.start:sentence.end]
        while next_named < len(named_after) and named_after[next_named].start < sentence.start:
            candidate = named_after[next_named]
            if last is None or last.start is None or candidate.start > last.start:
                last = candidate
            next_named += 1
        for m in _ACCORDING.finditer(s_text) if i in according_hit else ():
            who = m.group("who")
            if pick_name(who, 0) is None and not _names_source(who):
                continue  # "according to plan", "according to various scenarios"
            speaker = _speaker_from(who, sentence.start + m.start("who"), last)
            before = s_text[:m.start()]
            if before.strip(" \"“”«»'‘’") == "":
                start, end = sentence.start + m.end(), sentence.end
                comma = s_text.find(",", m.end())
                if 0 <= comma - m.end() <= 2:
                    start = sentence.start + comma + 1
            else:
                clause = max(before.rfind(","), before.rfind(";"), before.rfind(":"))
                start, end = sentence.start + clause + 1, sentence.start + m.start()
            if before.strip(" \"“”«»'‘’") == "":
                apposition = _APPOSITION_AFTER.match(s_text[m.end():])
                if apposition:
                    start = sentence.start + m.end() + apposition.end()
            start, end = _trim(text, start, end)
            if end > start:
                reported.append(_reported_span(start, end, speaker, "according-to"))
                last = speaker if speaker.name and speaker.start is not None else last
        for pattern, gate, hit, kind in gated_patterns:
            if i not in hit:
                continue  # a cheap test first: most sentences have no speech verb
            stop = gate.last_end(sentence.start, sentence.end) - sentence.start
            for m, match_end, has_that in _subject_verb_matches(pattern, s_text, stop):
                subj, verb = m.group("subj"), m.group("verb")
                if verb in _BARE_VERBS and not _PLURAL_SUBJECT.fullmatch(subj):
                    continue
                if verb in _NOUN_LIKE_VERBS and kind == "speech-verb" and not has_that:
                    continue
                if verb in _OBJECT_VERBS and kind == "speech-verb" and not has_that:
                    continue  # "The EU condemned the arrests": the outlet describing an act
                if _follows_closing_quote(text, sentence.start + m.start("subj")):
                    continue  # '..." X said': the attribution of a direct quotation
                if _inside_quotation(quote_starts, quotations, sentence.start + m.start("verb")):
                    continue
                start = sentence.start + match_end
                if verb in {"told", "tells"} and not has_that:
                    addressee = _ADDRESSEE.match(text, start, sentence.end)
                    if addressee:
                        start = addressee.end()
                    if len(_WORDS.findall(text, start, sentence.end)) < 2:
                        continue  # "..., Vaishali Krishna tells ILNA.": nothing said here
                if kind == "naming-verb":
                    rest = s_text[match_end:]
                    as_match = _AS.search(rest)
                    obj = _OBJECT_THEN_COMPLEMENT.match(rest)
                    if as_match and (verb.startswith(("descri", "character", "referred"))
                                     or as_match.start() < 60):
                        start = sentence.start + match_end + as_match.end()
                    elif obj:
                        start = sentence.start + match_end + obj.end()
                    else:
                        continue  # "called an election": not naming anything
                if subj.strip() in _TITLES:
                    continue  # "Often described as ...": no speaker, not speech
                appos = m.group("appos")
                appos_name = pick_name(appos, sentence.start + m.start("appos")) if appos else None
                if appos_name is not None and len(appos_name.name.split()) >= 2:
                    speaker = appos_name  # "The director of X, Andrei Kazantsev, reminds that"
                elif _ROLE_ONLY.fullmatch(subj) and not _RESOLVABLE.fullmatch(subj):
                    lead = _LEADING_CONJUNCTION.match(subj)
                    skip = lead.end() if lead else 0
                    speaker = Speaker(subj[skip:], sentence.start + m.start("subj") + skip,
                                      sentence.start + m.end("subj"))
                else:
                    speaker = _speaker_from(subj, sentence.start + m.start("subj"), last)
                end = sentence.end
                contrast = _CONTRAST.search(text, start, end)
                if contrast:
                    end = contrast.start()
                start, end = _trim(text, start, end)
                if kind == "speech-verb" and not has_that \
                        and _ADVERBIAL_TAIL.fullmatch(text, start, max(start, end)):
                    # "Protests spread, the ministry said on Friday.": what was said came before.
                    subj_at = sentence.start + m.start("subj")
                    comma = _COMMA_BEFORE_SUBJECT.search(text, sentence.start, subj_at)
                    start, end = _trim(text, _clause_start(text, sentence.start, comma.start()),
                                       comma.start()) if comma else (start, start)
                if end > start:
                    reported.append(_reported_span(start, end, speaker, kind))
                    if speaker.name and speaker.start is not None:
                        last = speaker

    if doc.meta.kind == "press-release":
        # "The Ministry stresses that ...": in its own press release the institution is the
        # author, so that is the outlet's voice; people it quotes are still quoted.
        reported = [sp for sp in reported if not _is_institution(sp.attrs["speaker"])]

    # Direct quotations: attribution after, before, or from the reported speech around them.
    quotes: list[Span] = list(reported)
    last = None
    previous_direct: Span | None = None
    reported_sorted = sorted(reported, key=lambda sp: sp.start)
    reported_starts = [sp.start for sp in reported_sorted]
    named_reported = [sp for sp in reported_sorted if sp.attrs["speaker_start"] is not None]
    next_reported = 0
    for q in quotations:
        if q.depth > 0:
            continue
        while next_reported < len(named_reported) and named_reported[next_reported].start < q.start:
            sp = named_reported[next_reported]
            last = Speaker(sp.attrs["speaker"], sp.attrs["speaker_start"], sp.attrs["speaker_end"])
            next_reported += 1
        if _WORDS.search(text, q.start + 1, q.end - 1) is None:
            continue
        after = text[q.end:min(len(text), q.end + 200)]
        sent_start, _ = _sentence_bounds(doc, q.start)
        before = text[max(sent_start, q.start - 200):q.start]
        speaker: Speaker | None = None
        how = None
        m = after_matches[q.start]
        if m and "\n" not in after[:m.start("v1") if m.group("v1") else m.start("before")]:
            if m.group("v1"):
                speaker = _speaker_from(m.group("after"), q.end + m.start("after"), last)
            else:
                subject = m.group("before")
                first = subject.split(None, 1)[0] if subject.split() else ""
                if first in _CLAUSE_OPENERS:
                    pass  # '..." Although it should be said': a new sentence, not an attribution
                elif len(_WORDS.findall(subject)) <= 10:
                    speaker = _speaker_from(subject, q.end + m.start("before"), last)
            how = "after" if speaker else None
        if speaker is None:
            mb = _BEFORE_QUOTE.search(before) if _may_end_in_speech_verb(before) else None
            if mb:
                lead = before[:mb.start()]
                lead_at = q.start - len(before)
                named = pick_name(lead, lead_at)
                role = _ROLE_AT_END.search(lead) if _ROLE_ENDINGS.end(lead.rstrip()) else None
                if role and (named is None or (named.start is not None and named.start >= lead_at + role.start()
                                               and len(named.name.split()) == 1)):
                    speaker = Speaker(role.group().strip(), lead_at + role.start(),
                                      lead_at + role.start() + len(role.group().strip()))
                else:
                    speaker = named or _speaker_from(
                        lead.split(",")[-1].split()[-1] if lead.split() else "", q.start, last)
                    conjoined = _CONJOINED_BEFORE.search(lead, 0, named.start - lead_at) \
                        if named is not None and named.start is not None else None
                    if conjoined:  # "The EU and the US condemned "...""
                        at = lead_at + conjoined.start("first")
                        speaker = Speaker(" ".join(text[at:named.end].split()), at, named.end)
                if _PASSIVE_REPORT.search(before[mb.start() - 8:]):
                    speaker = Speaker(None)
                how = "before"
            elif _SPEECH_NOUN_ENDINGS.end(before.rstrip()) and _SPEECH_NOUN_BEFORE.search(before):
                speaker, how = Speaker(None), "speech-noun"
            else:
                mn = _BEFORE_NAMING.search(before) if _BEFORE_NAMING_ENDINGS.end(before.rstrip()) else None
                if mn:
                    subj = mn.group("subj") or ""
                    enclosing = _enclosing(reported_sorted, q.start, reported_starts)
                    if subj and _RESOLVABLE.fullmatch(subj) and enclosing is not None:
                        speaker = Speaker(enclosing.attrs["speaker"], enclosing.attrs["speaker_start"],
                                          enclosing.attrs["speaker_end"])
                    else:
                        speaker = _speaker_from(subj, q.start - len(before) + mn.start(), last)
                    how = "naming"
        if speaker is None:
            enclosing = _enclosing(reported_sorted, q.start, reported_starts)
            if enclosing is not None:
                speaker = Speaker(enclosing.attrs["speaker"], enclosing.attrs["speaker_start"],
                                  enclosing.attrs["speaker_end"])
                how = "reported-around"
        sentence_like = _MORE_THAN_SCARE_WORDS.search(text, q.start + 1, q.end - 1) is not None \
            or _SENTENCE_INSIDE.search(text, q.start + 1, q.end - 1) is not None
        if not sentence_like and _ends_so_called(before):
            speaker, how = None, None  # "so-called": the writer's distance, whoever speaks
        if how is None and not sentence_like:
            continue  # a scare quote or a quoted name: find_scare_quotes sorts them out
        if how is None and previous_direct is not None and q.start - previous_direct.end < 400:
            speaker = Speaker(previous_direct.attrs["speaker"], previous_direct.attrs["speaker_start"],
                              previous_direct.attrs["speaker_end"])
            how = "continues"
        speaker = speaker or Speaker(None)
        span = Span(q.start, q.end, "direct", {
            "speaker": speaker.name, "speaker_start": speaker.start, "speaker_end": speaker.end,
            "attribution": how or "none"})
        quotes.append(span)
        previous_direct = span
        if speaker.name and speaker.start is not None:
            last = speaker

    return quotes


def find_scare_quotes(doc: Document, quotes: list[Span],
                      quotations: list[Quotation] | None = None) -> list[Span]:
    """Scare quotes: top-level quotations that ``find_quotes`` did not attribute to anyone.

    Reads the "quotes" spans instead of finding speakers again: a top-level quotation with
    words that is not a direct quotation there is short, unattributed speech-less text.
    """
    text = doc.text
    if quotations is None:
        quotations = pair_quotes(text, doc.body)
    quote_starts = [q.start for q in quotations]
    direct = {sp.start for sp in quotes if sp.label == "direct"}
    scare: list[Span] = []
    for q in quotations:
        if q.depth > 0 or q.start in direct:
            continue
        inner = text[q.start + 1:q.end - 1]
        words = _WORDS.findall(inner)
        if not words:
            continue
        if _is_title_case(words) and _block_of(doc, q.start) != "title":
            continue  # a name in quotes ("New Kazakhstan", a programme), not a finding
        scare.append(_scare_span(q.start, q.end, inner, None))

    # Short single-quoted phrases ('sovereign democracy') are scare quotes too.
    reported_sorted = sorted((sp for sp in quotes if sp.label == "reported"), key=lambda sp: sp.start)
    reported_starts = [sp.start for sp in reported_sorted]
    for region in doc.body:
        curly = text.find("‘", region.start, region.end) >= 0
        if not curly and text.find("'", region.start, region.end) < 0:
            continue  # most paragraphs: no quote mark for _SINGLE_QUOTED to start at
        single_quoted = _SINGLE_QUOTED if curly else _STRAIGHT_SINGLE_QUOTED
        for m in single_quoted.finditer(text, region.start, region.end):
            inner = m.group("inner")
            words = _WORDS.findall(inner)
            if len(words) > SCARE_MAX_WORDS - 1 or _is_title_case(words) \
                    or _inside_quotation(quote_starts, quotations, m.start()):
                continue
            scare.append(_scare_span(m.start(), m.end(), inner, None))

    # A scare quote inside reported speech belongs to the reported speaker.
    resolved = []
    for sq in scare:
        enclosing = _enclosing(reported_sorted, sq.start, reported_starts)
        if enclosing is not None and enclosing.end >= sq.end:
            resolved.append(_scare_span(sq.start, sq.end, text[sq.start + 1:sq.end - 1],
                                        enclosing.attrs["speaker"] or ""))
        else:
            resolved.append(sq)
    return resolved


def _subject_verb_matches(pattern: SubjectVerb, sentence: str,
                          stop: int) -> Iterator[tuple[re.Match[str], int, bool]]:
    """The subject-verb matches in ``sentence`` as ``(match, end, has "that")``, searching up
    to ``stop``; a match is taken from its group "subj" on.

    A match ends in its verb, so none starts after the sentence's last verb, which ends at
    ``stop`` (a gate hit). With ``takes_that`` the opening of a "that" clause ("said on
    Monday that") extends the match, as it did inside the pattern. A match ends in a word
    character, so the next subject cannot start right there: ``later`` finds it.
    """
    m = pattern.first.match(sentence, 0, stop) or pattern.later.search(sentence, 0, stop)
    while m is not None:
        that = _THAT.match(sentence, m.end()) if pattern.takes_that else None
        end = m.end() if that is None else that.end()
        yield m, end, that is not None
        m = pattern.later.search(sentence, end, stop)


def _names_source(phrase: str) -> bool:
    """Does _SOURCE_NOUN occur in ``phrase``? Asked of the lowercased phrase where that stands in."""
    lowered = lowercase_stand_in(phrase)
    return (_SOURCE_NOUN.search(phrase) if lowered is None else _SOURCE_NOUN_LOWERCASE.search(lowered)) is not None


def _ends_so_called(before: str) -> bool:
    """Does ``before`` end in "so-called"? Asked of its last letter first: ``re`` tries
    _SO_CALLED at every position."""
    return before.rstrip().endswith(("d", "D")) and _SO_CALLED.search(before) is not None


def _may_end_in_speech_verb(before: str) -> bool:
    """Can _BEFORE_QUOTE match ``before``? Its last words tell (``LastWords``)."""
    tail = before.rstrip()
    if tail.endswith((":", ",")):
        tail = tail[:-1].rstrip()
    return _BEFORE_QUOTE_ENDINGS.end(tail)


def _attribution_after(text: str, end: int, speech_gate: Gate) -> re.Match[str] | None:
    """_AFTER_QUOTE matched on the 200 characters after a quotation ending at ``end``.

    Tried only where it can match, which half the quotations fail: its second verb ("v2")
    follows whitespace, so it is a hit of ``speech_gate`` (gates.verb_gates); its first
    follows the lead that _AFTER_QUOTE_LEAD reads.
    """
    window = end + 200
    if not speech_gate.starts_in(end, window) and _AFTER_QUOTE_LEAD.match(text, end, window) is None:
        return None
    return _AFTER_QUOTE.match(text[end:window])


def _named_after_speakers(quotations: list[Quotation],
                          after_matches: dict[int, re.Match[str] | None]) -> list[Speaker]:
    """Proper-name speakers attributed right after top-level quotations, in text order.

    ``after_matches`` holds ``_AFTER_QUOTE`` matched on the text after each quotation.
    """
    found = []
    for q in quotations:
        if q.depth:
            continue
        m = after_matches[q.start]
        if not m:
            continue
        phrase, at = (m.group("after"), q.end + m.start("after")) if m.group("v1") else \
            (m.group("before"), q.end + m.start("before"))
        name = pick_name(phrase, at)
        if name is not None:
            found.append(name)
    return sorted(found, key=lambda sp: sp.start or 0)


_INSTITUTION_WORDS = {"ministry", "office", "committee", "commission", "government", "department",
                      "agency", "service", "embassy", "administration", "mission", "we"}


def _is_institution(speaker: str | None) -> bool:
    """Is ``speaker`` a body rather than a person ("the Ministry", "Foreign Ministry", "We")?"""
    return bool(speaker) and speaker.split()[-1].lower() in _INSTITUTION_WORDS


def _clause_start(text: str, sentence_start: int, end: int) -> int:
    """Where the clause ending at ``end`` begins: after the last ';' or ':' in the sentence."""
    return max(sentence_start, text.rfind(";", sentence_start, end) + 1,
               text.rfind(":", sentence_start, end) + 1)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,:;":
        start += 1
    while end > start and text[end - 1] in " \t\n.,;:":
        end -= 1
    return start, end


def _follows_closing_quote(text: str, pos: int) -> bool:
    return _CLOSING_QUOTE.search(text, max(0, pos - 4), pos) is not None


def _inside_quotation(starts: list[int], quotations: list[Quotation], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset)
    return any(q.start <= offset < q.end for q in quotations[max(0, i - 8):i])


def _enclosing(spans: list[Span], offset: int, starts: list[int]) -> Span | None:
    """The last-starting span that contains ``offset`` (spans sorted by start, ``starts`` theirs)."""
    i = bisect.bisect_right(starts, offset)
    for span in reversed(spans[max(0, i - 8):i]):
        if span.start <= offset < span.end:
            return span
    return None


def _is_title_case(words: list[str]) -> bool:
    letters = [w for w in words if w[:1].isalpha()]
    return bool(letters) and all(w[0].isupper() for w in letters)


def _reported_span(start: int, end: int, speaker: Speaker, how: str) -> Span:
    return Span(start, end, "reported", {"speaker": speaker.name, "speaker_start": speaker.start,
                                         "speaker_end": speaker.end, "attribution": how})


def _scare_span(start: int, end: int, inner: str, speaker: str | None) -> Span:
    if speaker is None:
        voice, who = "outlet", "the writer"
    else:
        voice, who = "quoted", speaker or "the person reported"
    explanation = (f"“{inner}” is put in quotation marks although nobody is quoted saying it: "
                   f"a scare quote, by which {who} keeps a distance from the phrase or mocks it.")
    return Span(start, end, "scare-quote", {"voice": voice, "speaker": speaker or None,
                                            "explanation": explanation})


@register_extractor("quotes", order=200)
class QuoteFinder:
    """Direct quotations and reported speech, with speakers (not findings themselves)."""

    name: ClassVar[str] = "quotes"
    requires: ClassVar[tuple[str, ...]] = ("body", "sentences")
    assigns: ClassVar[str] = "quotes"
    findings: ClassVar[bool] = False

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        return find_quotes(doc)


@register_extractor("scare_quotes", order=210)
class ScareQuoteFinder:
    """Short quoted phrases that are not speech: the writer's distance from a word."""

    name: ClassVar[str] = "scare_quotes"
    requires: ClassVar[tuple[str, ...]] = ("body", "sentences", "quotes")
    assigns: ClassVar[str] = "scare_quotes"
    findings: ClassVar[bool] = True

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        return find_scare_quotes(doc, doc.get("quotes"))
