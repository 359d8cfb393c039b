"""Sourcing and transparency: who is cited, who is not named, who else speaks in the text.

The extractor (span key ``sourcing``) finds, sentence by sentence in the kept body:

- ``named-source``: a person cited by name, with the role the text gives them
  ("political analyst Kazbek Beisebayev", "The director of ..., Andrei Kazantsev");
  a later surname-only citation ("Kazantsev said") is resolved to the full name;
- ``anonymous-source``: a source the reader cannot identify ("a source said",
  "officials who asked not to be named", "the Deputy Foreign Minister said");

and, over the whole text, what a republisher adds:

- ``editorial-note``: a note inserted into the text ("(... - approx. InoSMI)",
  "(note by the translator: ...)", "Editor's note: ..."), with ``inserted_by``;
- ``reprint-marker``: lines saying the text is another outlet's material
  ("Original publication", "The rights to this material belong to ...").

Group attributions ("experts say", "observers agree") are left to the cue lexicons
(category ``vague-attribution``); the ``sourcing`` measure counts them in the summary.
Rules are general English attribution patterns; nothing here knows the seed files.
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Any, Callable, ClassVar, Iterator, NamedTuple

from .document import Document, Span
from .gates import SOURCING_VERBS as _VERBS
from .gates import CaselessPatterns, CaselessWords, Gate, character_positions, verb_gates
from .pipeline import AnalysisConfig, register_extractor, register_measure

_AUX = r"(?:(?:has|had|also|repeatedly|later|then|once|again|further|previously|earlier)\s+){0,2}"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*"
# Words taken whole ("*+"): a name run is followed by a space or a comma, so giving letters
# back never helps a match, and ``re`` no longer tries it.
_NAME_RUN = rf"{_CAP}+(?:\s+{_CAP}+){{0,5}}"

# Lowercased words that make a phrase a role ("political analyst", "director of ...").
ROLE_HEADS = frozenset("""
    analyst analysts observer observers expert experts economist economists professor lecturer
    researcher scholar scientist historian director head chief chairman chairwoman chair president
    minister ministers premier deputy ambassador envoy spokesman spokeswoman spokesperson
    secretary official officials diplomat senator governor mayor adviser advisor commander general
    lawyer journalist correspondent commentator columnist editor activist leader member founder
    representative chancellor speaker commissioner officer mp lawmaker politician strategist
    consultant counterpart dr mr mrs ms prof sheikh king queen emir prince
    """.split())
# Lowercased words that may stand inside a role phrase besides heads and capitalised words.
_ROLE_FILLERS = frozenset("""
    of the to at for and in political former senior chief foreign prime first vice leading
    independent military economic international regional national general executive
    acting deputy assistant associate permanent special state public
    """.split()) | ROLE_HEADS
# Capitalised titles that start a name run ("President Tokayev", "Russian President Putin").
_TITLES = frozenset("""
    president minister ministers prime premier deputy ambassador secretary chairman director
    professor prof prof. dr dr. mr mr. mrs mrs. ms ms. general senator governor mayor spokesman
    head chief leader chancellor speaker commissioner envoy king queen emir prince sheikh
    """.split())
# Capitalised words that are never a person's name at a sentence start.
_NOT_NAMES = frozenset("""
    this that these those it he she they we i you there here one some many most all each both
    everyone nobody somebody anyone who which what the a an but and however thus therefore
    also moreover meanwhile experts observers analysts officials sources critics residents
    often though although various several another other such
    """.split())
# Last words of an organisation's name: "the Caspian Pipeline Consortium" is not a person.
_ORGANISATION = frozenset("""
    consortium commission ministry council agency company bank group university institute
    center centre party committee service office union organization organisation corporation
    inc ltd fund foundation association parliament government court police army agency
    """.split())
# Demonyms and adjectives ("Central Asian", "Turkic") are not people's names.
_DEMONYM = re.compile(r"(?:ian|ese|ish|ic)$")
# "Seitkali said", "The head of ..., Aliya Nurova, told", "President Tokayev says".
_WHO_THEN_VERB = re.compile(
    rf"(?P<name>{_NAME_RUN})(?:,\s+(?:who|which|a|an|the)\b[^,]{{0,80}},)?\s*,?\s+{_AUX}(?P<verb>{_VERBS})\b")
# '," said economist Dana Omarova, who ...'
_VERBS_BEFORE_WHO = "said|says|stated|noted|added|concluded|explained|told|asked|replied"
_VERB_THEN_WHO = re.compile(
    rf"(?<=[,\"”’'])\s*(?P<verb>{_VERBS_BEFORE_WHO})"
    r"\s+(?P<who>[^.;!?\"“”()]{2,140}?)"
    r"(?=\s*(?:,\s*(?:who|which|the|a|an|in|at|on|according|adding|noting)\b|[.;!?\"“”(]|$))")
# "The expert is sure that ...", "the Deputy Foreign Minister of Kazakhstan said": a role, no name.
_SINGLE_ROLES = ("analyst|observer|expert|economist|professor|researcher|scholar|official|diplomat|"
                 "spokesman|spokeswoman|spokesperson|minister|ambassador|director|adviser|advisor|"
                 "source|politician|lawyer")
_ROLE_THEN_VERB = re.compile(
    rf"\b(?P<who>(?i:the|a|an|one)\s+(?:[\w'’-]+\s+){{0,6}}?(?i:{_SINGLE_ROLES})"
    rf"(?:\s+(?:of|at|in|for)\s+(?:the\s+)?{_CAP}(?:\s+{_CAP}){{0,3}})?)"
    rf"(?:,\s+(?:who|which)\b[^,]{{0,80}},)?\s*,?\s+{_AUX}(?:{_VERBS})\b")
# "The head of the customs committee, Aliya Nurova, told ...": a role phrase in apposition.
_APPOSITIVE = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+(?P<role>(?:[\w'’-]+\s+){{0,3}}?"
    rf"(?:{'|'.join(sorted(ROLE_HEADS))})"
    rf"(?:\s+(?:of|at|for|in)\s+[^,;:.!?\"“”]{{2,80}}?)?),\s+(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}}),?\s+"
    rf"{_AUX}(?:{_VERBS})\b")
# "Putin's spokesman said": a position named through its holder's boss, not a name.
_POSSESSIVE_ROLE_THEN_VERB = re.compile(
    rf"\b(?P<who>{_CAP}['’]s\s+(?:[a-z-]+\s+){{0,2}}(?i:{_SINGLE_ROLES}))\s*,?\s+{_AUX}(?:{_VERBS})\b")
# "Anna Smith, a spokeswoman for the ministry": a role in apposition after the name.
_APPOSITIVE_AFTER = re.compile(r",\s+(?:a|an|the)\s+(?P<role>[^,.;:!?\"“”()]{2,80}?)(?=\s*(?:[,.;:!?]|$))")
# "the prosecutor general's office", "the health ministry": a body named in lower case.
_LOWER_ORGANISATION = (r"(?!(?:new|same|other|local|regional|relevant|responsible|main|former|whole|"
                       r"this|that|its|their|his|her)\b)[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2}\s+"
                       r"(?:ministry|office|committee|commission|agency|bureau|service|council)")
_LOWER_ORGANISATION_PHRASE = re.compile(rf"(?:[Tt]he\s+)?(?P<org>{_LOWER_ORGANISATION})")
_LOWER_ORGANISATION_THEN_VERB = re.compile(
    rf"\b[Tt]he\s+(?P<org>{_LOWER_ORGANISATION})\s*,?\s+{_AUX}(?:{_VERBS})\b")
# "According to political analyst Kazbek Beisebayev, ..."
_ACCORDING_TO = re.compile(
    r"\b[Aa]ccording\s+to\s+(?P<who>[^,;:.!?\"“”()]{2,120}?)"
    r"(?=\s*(?:[,;:.!?\"“”(]|$|\s+(?:the|a|an|this|that|it|there|in|at|on)\b))")

# "Two senior European officials": a count or indefinite article, up to two modifiers
# (a closed list, or any capitalised word such as a nationality), and a source noun.
_ANON_LEAD = (r"(?:(?i:a|an|one|two|three|four|five|several|some|other|many|few)\s+)"
              r"(?:(?:(?i:senior|high-ranking|informed|diplomatic|military|government|western|local|"
              r"security|ministry|police|party|administration|intelligence|other)|[A-Z][\w.-]+)\s+){0,2}")
_SOURCE_NOUNS = r"sources?|officials?|diplomats?|insiders?|aides?|officers?|employees?"
_ANON_HEAD = rf"{_ANON_LEAD}(?i:{_SOURCE_NOUNS})"
# "two people who asked not to be named" is anonymous; "many experts said" is left to the
# lexicons as a vague attribution, so groups count here only with an explicit wish for anonymity.
_ANON_HEAD_ANY = rf"{_ANON_LEAD}(?i:{_SOURCE_NOUNS}|people|persons?|members?|analysts?|experts?)"
_PLACE = r"(?:\s+(?:in|at|from|close to|familiar with|within|inside|near)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,4}?)?"
_ANONYMOUS = (
    # "Two officials who asked not to be named", "a diplomat who spoke on condition of anonymity"
    re.compile(rf"\b{_ANON_HEAD_ANY}{_PLACE},?\s+(?:who|that)\s+(?:asked|requested|spoke|declined|"
               rf"did not want|wished|refused|(?:was|were|is|are) not authori[sz]ed)\b[^,.;]{{0,60}}?"
               rf"\b(?:named|identified|anonymity|"
               rf"anonymously|publicly|names?)\b"),
    # "a source in the ministry said": a source (or an indefinite official) with a verb.
    re.compile(rf"\b{_ANON_HEAD}{_PLACE}(?=(?:\s*,[^,.;]{{1,60}},)?\s*,?\s+{_AUX}(?:{_VERBS})\b)"),
    # "anonymous sources", "unnamed officials", "sources close to the Kremlin"
    re.compile(r"\b(?i:(?:anonymous|unnamed|unidentified)\s+(?:[a-z-]+\s+)?(?:sources?|officials?|"
               r"diplomats?|insiders?|aides?|officers?|employees?))"),
    re.compile(r"\b(?i:sources?\s+(?:close to|familiar with|within|inside)\s+(?:the\s+)?)"
               r"(?:[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*){0,3}|[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"),
)

_NAME_RUN_PATTERN = re.compile(_NAME_RUN)
_PHRASE_WORD = re.compile(r"[\w'’.-]+")
_HYPHENATED_WORD = re.compile(r"[\w-]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: Roles that refer back to the last person named ("the observer" after "observer X").
_BACK_REFERRING_ROLE = re.compile(
    r"(?i)^(?:expert|observer|analyst|economist|professor|scholar|researcher|politician|diplomat|author)$")
#: Wording that marks a source as deliberately unnamed, not just named by position.
_ANONYMITY_WORDING = re.compile(r"(?i)\b(?:sources?|anonym|not to be named|unnamed)")

# Capitalised words that open a sentence or clause rather than name an organisation.
_SENTENCE_OPENERS = frozenset("""
    according for in on at after before during since thus so then later still yet now today
    """.split())
_PRONOUN = re.compile(r"^(?:he|she|they|we|i|you|it|him|her|them|us|me|his|her|their)$", re.I)
_PREPOSITIONS = frozenset({"of", "in", "from", "to", "at", "for"})
_TOKEN = re.compile(r"[\w'’.-]+|,|–|—")

_EDITORIAL_NOTES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    # "(the figure is disputed - approx. InoSMI)": a translator's or republisher's aside.
    (re.compile(r"\((?P<body>[^()\n]{1,600}?)\s+[-–—]\s*(?:approx\.|approximately|прим\.)\s*"
                r"(?P<by>[^()\n]{1,40}?)\s*\)"), None),
    # "(... - note by X)", "(... - ed.)"
    (re.compile(r"\((?P<body>[^()\n]{1,600}?)\s+[-–—]\s*(?:(?:note|comment)\s+(?:by|of|from)\s+"
                r"(?P<by>[^()\n]{1,40}?)|(?P<ed>ed\.|editor['’]?s note))\s*\)", re.I), "the editors"),
    # "(note by the translator: ...)"
    (re.compile(r"\(\s*(?:note|comment|remark)\s+(?:by|of|from)\s+(?P<by>[^:()\n]{1,40}?)\s*[:.–—-]"
                r"[^()\n]{0,600}\)", re.I), None),
    # "(Editor's note: ...)", "[Translator's note ...]"
    (re.compile(r"[(\[]\s*(?P<head>editor['’]?s|ed\.|translator['’]?s|editorial)\s+note\s*[:.–—-]"
                r"[^()\[\]\n]{0,600}[)\]]", re.I), None),
    # "Editor's note: ..." opening a line or following a sentence, to the end of the line.
    (re.compile(r"(?:^|(?<=[\n.!?] ))(?P<head>Editor['’]?s note|Ed\. note|Editorial note|"
                r"Translator['’]?s note|Note from the editors?|From the editors?)\s*:\s*[^\n]*\S",
                re.M | re.I), None),
)
# What a note pattern needs, where a gate (gates.py) costs less than the pattern: the last
# one is tried at every position (a head, then a colon: every head ends in "note" or
# "editor(s)"), the fourth at every bracket; the others start at "(", which ``re`` jumps to.
_EDITORIAL_NOTE_GATES: tuple[CaselessPatterns | None, ...] = (
    None, None, None, CaselessPatterns(r"note\s*[:.–—-]"),
    CaselessPatterns(r"note\s*:", r"editors?\s*:"))
#: The characters each note pattern opens with, where it has one: a match can start only
#: there, so the pattern is matched at those found with ``str.find`` (``_matches_opening_at``).
_EDITORIAL_NOTE_OPENERS: tuple[str | None, ...] = ("(", "(", "(", "([", None)
_REPRINT_LINE = re.compile(
    r"(?i:original(?:ly)? publication\b.*|"
    r"(?:this (?:article|material|text|story|column|piece) (?:was )?)?(?:originally|first) "
    r"(?:published|appeared|ran) (?:in|on|by|at)\b.*|"
    r"(?:republished|reprinted|reproduced) (?:from|with (?:the )?permission|by|under|courtesy)\b.*|"
    r"the rights to this material belong to\b.*|"
    r"\w+ materials contain (?:ratings|assessments) exclusively from foreign media.*|"
    r"translated (?:from (?:the )?[a-z]+ )?(?:by|for)\b.*|"
    r"(?:this is )?a translation of\b.*)")


class Attribution(NamedTuple):
    """One cited source found in a sentence, before spans are made (a tuple: cheap to make)."""

    start: int
    end: int
    name: str | None
    role: str | None
    anonymous: bool
    kind: str = "person"  # or "organisation" ("the Health Ministry said")


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The tokens of ``text[start:end]`` with offsets into ``text`` (the pattern looks at
    nothing around a token, so searching the range finds what searching the slice did)."""
    return [(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(text, start, end)]


def _tokens_split(text: str, start: int, split: int,
                  end: int) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """``_tokens`` of ``text[start:split]`` and of ``text[split:end]``, from one scan.

    A token is a maximal run, so the one scan holds both lists unless a token runs across
    ``split`` ("iPhone" split before "P"): then each side is scanned apart.
    """
    tokens = _tokens(text, start, end)
    i = bisect.bisect_left(tokens, (split,))
    if i > 0 and tokens[i - 1][1] > split:
        return _tokens(text, start, split), _tokens(text, split, end)
    return tokens[:i], tokens[i:]


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _role_before_comma(tokens: list[tuple[int, int, str]]) -> bool:
    """May a role run go on past a comma? Yes after "deputy," or "... of MGIMO,", not after a name."""
    last = tokens[-1][2]
    if last.lower() in ROLE_HEADS and not _is_capitalised(last):
        return True
    k = len(tokens)
    while k > 0 and _is_capitalised(tokens[k - 1][2]):
        k -= 1
    return k < len(tokens) and k > 0 and tokens[k - 1][2].lower() in _PREPOSITIONS


_ROLE_WORDS = ROLE_HEADS | _ROLE_FILLERS - _PREPOSITIONS - {"the", "and"}
_NOT_ROLE_MODIFIERS = _NOT_NAMES | _SENTENCE_OPENERS


def _starts_role(first_two: list[str]) -> bool:
    """Can a role phrase start at ``first_two[0]``?

    Yes at a role word ("political analyst"), at "the" before one ("The director of"),
    at a capitalised title ("President"), or at a capitalised modifier before a role word
    ("Kremlin spokesman"); not at a clause opener ("According to", "For his part").
    """
    word = first_two[0]
    following = first_two[1].lower() if len(first_two) > 1 else ""
    lower = word.lower()
    if lower in _ROLE_WORDS:
        return True
    if lower == "the":
        return following in _ROLE_FILLERS  # role heads included
    if _is_capitalised(word):
        return lower in _TITLES or (following in _ROLE_WORDS and lower not in _NOT_ROLE_MODIFIERS)
    return False


def split_role_and_name(text: str, start: int, end: int, sentence_start: int) -> Attribution | None:
    """Read ``text[start:end]`` (a capitalised run before a verb) and the role words before it.

    Returns the attribution with the span stretched back over the role, or None when
    the run is not a person (a pronoun, a place after "of", a plural group).
    """
    before, run = _tokens_split(text, sentence_start, start, end)
    # A title inside the run belongs to the role: "Russian President | Putin".
    cut = max((i + 1 for i, (_, _, tok) in enumerate(run)
               if (low := tok.lower()) in _TITLES or low.rstrip(".") in _TITLES), default=0)
    # "President of Kazakhstan Nursultan Nazarbayev": after a preposition the first word is a place.
    if cut == 0 and before and before[-1][2].lower() in _PREPOSITIONS:
        cut = max(1, len(run) - 2)  # "Minister of Foreign Affairs | Mukhtar Tileuberdi"
    # "for the Caspian Pipeline Consortium": after "the", or ending in "Commission", an organisation.
    organisation = bool(before and before[-1][2] == "the" or run[-1][2].lower().rstrip(".") in _ORGANISATION)
    if organisation:
        cut = len(run)
    role_tokens, name_tokens = run[:cut], run[cut:]
    # Walk back over role words: "The director of the Analytical Center of MGIMO, | Andrei ...".
    j = len(before)
    while j > 0:
        tok = before[j - 1][2]
        if tok in {",", "–", "—"}:
            dash_after_title = tok != "," and j > 1 and before[j - 2][2].lower() in ROLE_HEADS
            if j - 1 == 0 or not (dash_after_title or _role_before_comma(before[:j - 1])):
                break
            j -= 1
        elif tok.lower() in _ROLE_FILLERS or _is_capitalised(tok) and tok.lower() not in _NOT_NAMES:
            j -= 1
        else:
            break
    lead = before[j:] + role_tokens
    while lead and not _starts_role([t[2] for t in lead[:2]]):
        lead = lead[1:]
    while lead and lead[-1][2] in {",", "–", "—"}:
        lead = lead[:-1]
    has_head = any(t[2].lower().rstrip(".") in ROLE_HEADS for t in lead)
    if not has_head:
        lead = []
    role = None
    if lead:
        role_start = lead[1][0] if lead[0][2].lower() == "the" and len(lead) > 1 else lead[0][0]
        role = text[role_start:lead[-1][1]].strip(" ,")
    span_start = lead[0][0] if lead else (name_tokens[0][0] if name_tokens else start)
    if not name_tokens:
        if role is None and organisation and cut == len(run) and run:
            # "The Health Ministry said": a named organisation, not a person.
            words = run[1:] if run[0][2] in {"The", "A", "An"} else run
            org = " ".join(t[2] for t in words)
            if words and org.lower() not in _NOT_NAMES:
                return Attribution(words[0][0], words[-1][1], org, None, anonymous=False, kind="organisation")
        if role is None:
            return None
        plural = lead[-1][2].lower().endswith("s") and lead[-1][2].lower() not in {"ms", "mrs", "ms."}
        if plural and not any(t[2][:1].isupper() for t in lead):
            return None  # "experts said": a vague group, left to the cue lexicons
        at = next((k for k, tok in enumerate(before) if tok is lead[0]), 0)
        if at > 0 and before[at - 1][2].lower() in {"a", "an"}:
            span_start = before[at - 1][0]  # "A spokesperson for ...": the article is part of the phrase
        return Attribution(span_start, end, None, role, anonymous=True)
    name = " ".join(t[2] for t in name_tokens).rstrip(".,")  # also folds no-break spaces
    if any(not _is_capitalised(t[2]) or t[2].lower() in _NOT_NAMES for t in name_tokens) \
            or _DEMONYM.search(name_tokens[-1][2]) and len(name_tokens[-1][2]) > 3:
        return None
    return Attribution(span_start, name_tokens[-1][1], name, role, anonymous=False)


SplitRoleAndName = Callable[[int, int, int], "Attribution | None"]


def memoised_split(text: str) -> SplitRoleAndName:
    """``split_role_and_name`` over ``text``, each run read once.

    A quotation's speaker is often the run a sentence pattern found too, and quotations
    that continue a speaker repeat its offsets. One per document, so it cannot grow past it.
    """
    memo: dict[tuple[int, int, int], Attribution | None] = {}

    def split(start: int, end: int, sentence_start: int) -> Attribution | None:
        key = (start, end, sentence_start)
        if key not in memo:
            memo[key] = split_role_and_name(text, start, end, sentence_start)
        return memo[key]
    return split


def _classify_phrase(text: str, start: int, end: int, split: SplitRoleAndName) -> Attribution | None:
    """An attribution for a free phrase ("political analyst Kazbek Beisebayev", "him")."""
    phrase = text[start:end]
    if _PRONOUN.match(phrase.strip()):
        return None
    organisation = _LOWER_ORGANISATION_PHRASE.fullmatch(phrase)
    if organisation:
        a, b = start + organisation.start("org"), start + organisation.end("org")
        return Attribution(a, b, " ".join(text[a:b].split()), None, anonymous=False, kind="organisation")
    runs = list(_NAME_RUN_PATTERN.finditer(phrase))
    last = runs[-1] if runs and start + runs[-1].end() >= end - 1 else None
    if last is not None:
        found = split(start + last.start(), start + last.end(), start)
        if found is not None:
            return found
    # No name: a role alone ("the observer", "a source in the ministry").
    words = [w.lower() for w in _PHRASE_WORD.findall(phrase)]
    heads = [w for w in words if w in ROLE_HEADS or w in {"source", "sources"}]
    if not heads or heads[-1].endswith("s") and heads[-1] not in {"ms", "mrs"} \
            and not words[0] in {"a", "an", "one"}:
        return None
    role = _LEADING_ARTICLE.sub("", phrase.strip())
    return Attribution(start, end, None, role, anonymous=True)


def _free_phrase_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip(" ,"))
    return start + left, start + len(chunk.rstrip(" ,"))


# What _APPOSITIVE and _LOWER_ORGANISATION_THEN_VERB need before the verb: both start with
# a word boundary, so ``re`` tries them at every position, but these start with a literal.
_COMMA_THEN_CAPITAL = re.compile(rf",\s+{_CAP}")
_ORGANISATION_NOUN = re.compile(r"\s(?:ministry|office|committee|commission|agency|bureau|service|council)")
# What _VERB_THEN_WHO needs, starting with the character its lookbehind asks for: ``re``
# jumps to those characters instead of trying the lookbehind at every position.
_PUNCTUATION_THEN_VERB = re.compile(rf"[,\"”’']\s*(?:{_VERBS_BEFORE_WHO})")

# Words each sentence pattern needs (see gates.py): sentences without them are skipped.
# Every verb pattern has whitespace, a comma or a quote right before its verb. The verb and
# "according" gates ignore case: the same gates serve the case-sensitive patterns here and
# the caseless _ATTRIBUTED_PRONOUN of the sourcing measure, which asks for them again.
_GATE_ANONYMITY = CaselessWords("name", "identified", "anonym", "publicly")
_GATE_SOURCE = CaselessWords("source")
_GATE_SOURCE_NOUN = CaselessWords("source", "official", "diplomat", "insider", "aide", "officer",
                                  "employee")
_GATE_SINGLE_ROLE = CaselessWords(*_SINGLE_ROLES.split("|"))
_GATE_ACCORDING = CaselessWords("according")


@functools.lru_cache(maxsize=2)
def _verb_and_according_gates(text: str) -> tuple[Gate, Gate]:
    """The verb and "according" gates of ``text``, cached for the sourcing measure."""
    return verb_gates(text).sourcing, _GATE_ACCORDING.gate(text)


def find_attributions(doc: Document, split: SplitRoleAndName | None = None) -> Iterator[Attribution]:
    """Attributions sentence by sentence over the kept body (titles and headings excluded).

    Each pattern runs only on sentences with the words it needs (gates), and a pattern that
    ends in its verb stops at the sentence's last verb: no match can start after it.
    """
    text = doc.text
    split = split or memoised_split(text)
    verb, according = _verb_and_according_gates(text)
    anonymity, source = _GATE_ANONYMITY.gate(text), _GATE_SOURCE.gate(text)
    # Asked only of sentences with a verb: looked up then, not scanned for up front.
    source_noun, single_role = _GATE_SOURCE_NOUN.finder(text), _GATE_SINGLE_ROLE.finder(text)
    sentences = doc.sentences
    starts = [sentence.start for sentence in sentences]
    verb_hit, anonymity_hit = verb.sentences_hit(starts), anonymity.sentences_hit(starts)
    source_hit, according_hit = source.sentences_hit(starts), according.sentences_hit(starts)
    for i in sorted(verb_hit | anonymity_hit | source_hit | according_hit):
        sentence = sentences[i]
        if sentence.attrs.get("block") in {"title", "heading"}:
            continue
        s0, s1 = sentence.start, sentence.end
        has_verb, has_anonymity = i in verb_hit, i in anonymity_hit
        has_source, has_according = i in source_hit, i in according_hit
        chunk = text[s0:s1]
        # Where the sentence's last verb ends (in the chunk): patterns ending in a verb stop there.
        verb_end = verb.last_end(s0, s1) - s0 if has_verb else 0
        # The words these gates look for lie inside the matches, which end by the last verb.
        has_source_noun = has_verb and source_noun(s0, s0 + verb_end)
        anonymous_runs = ((has_anonymity, len(chunk)), (has_source_noun, verb_end),
                          (has_anonymity, len(chunk)), (has_source, len(chunk)))
        for pattern, (gate, stop) in zip(_ANONYMOUS, anonymous_runs):
            if not gate:
                continue
            for m in pattern.finditer(chunk, 0, stop):
                yield Attribution(s0 + m.start(), s0 + m.end(), None, None, anonymous=True)
        if has_according:
            for m in _ACCORDING_TO.finditer(chunk):
                a, b = _free_phrase_bounds(text, s0 + m.start("who"), s0 + m.end("who"))
                found = _classify_phrase(text, a, b, split)
                if found:
                    yield found
        if not has_verb:
            continue
        for m in _VERB_THEN_WHO.finditer(chunk) if _PUNCTUATION_THEN_VERB.search(chunk) else ():
            a, b = _free_phrase_bounds(text, s0 + m.start("who"), s0 + m.end("who"))
            found = _classify_phrase(text, a, b, split)
            if found:
                yield found
        for m in _APPOSITIVE.finditer(chunk, 0, verb_end) \
                if _COMMA_THEN_CAPITAL.search(chunk, 0, verb_end) else ():
            yield Attribution(s0 + m.start(), s0 + m.end("name"), " ".join(m.group("name").split()),
                              " ".join(m.group("role").split()), anonymous=False)
        has_single_role = single_role(s0, s0 + verb_end)
        for m in _POSSESSIVE_ROLE_THEN_VERB.finditer(chunk, 0, verb_end) if has_single_role else ():
            a, b = s0 + m.start("who"), s0 + m.end("who")
            yield Attribution(a, b, None, " ".join(text[a:b].split()), anonymous=True)
        for m in _ROLE_THEN_VERB.finditer(chunk, 0, verb_end) if has_single_role else ():
            found = _classify_phrase(text, s0 + m.start("who"), s0 + m.end("who"), split)
            if found:
                yield found
        for m in _LOWER_ORGANISATION_THEN_VERB.finditer(chunk, 0, verb_end) \
                if _ORGANISATION_NOUN.search(chunk, 0, verb_end) else ():
            a, b = s0 + m.start("org"), s0 + m.end("org")
            yield Attribution(a, b, " ".join(text[a:b].split()), None, anonymous=False, kind="organisation")
        for m in _WHO_THEN_VERB.finditer(chunk, 0, verb_end):
            found = split(s0 + m.start("name"), s0 + m.end("name"), s0)
            if found:
                yield found


def _from_quotes(doc: Document, split: SplitRoleAndName) -> Iterator[Attribution]:
    """Speakers the quotation extractor found ("quotes" spans with speaker offsets)."""
    for quote in doc.get("quotes"):
        start, end = quote.attrs.get("speaker_start"), quote.attrs.get("speaker_end")
        if quote.attrs.get("speaker") and isinstance(start, int) and isinstance(end, int) and end > start:
            i = doc.sentence_index(start)
            sentence = None if i is None else doc.sentences[i]
            if sentence is None or sentence.attrs.get("block") in {"title", "heading"}:
                continue
            found = split(start, end, sentence.start)
            if found:
                yield found


def select_attributions(candidates: list[Attribution]) -> list[Attribution]:
    """Longest first among overlapping candidates; anonymity patterns win ties."""
    ordered = sorted(candidates, key=lambda a: (-(a.end - a.start), a.start))
    starts: list[int] = []  # kept spans never overlap, so sorted starts give sorted ends too
    kept: list[Attribution] = []
    for cand in ordered:
        i = bisect.bisect_left(starts, cand.start)
        if i > 0 and kept[i - 1].end > cand.start or i < len(kept) and kept[i].start < cand.end:
            continue
        starts.insert(i, cand.start)
        kept.insert(i, cand)
    return kept


def resolve_speakers(attributions: list[Attribution]) -> dict[int, tuple[str | None, str | None]]:
    """Speaker name per attribution start: surnames and "the expert" mapped to an earlier full name.

    Returns ``start -> (speaker, resolved_from)``; ``resolved_from`` is the text that was resolved.
    """
    full_names: dict[str, str] = {}
    for a in attributions:
        if a.name and len(a.name.split()) >= 2:
            full_names.setdefault(a.name.split()[-1].lower(), a.name)
    resolved: dict[int, tuple[str | None, str | None]] = {}
    last_named: str | None = None
    for a in attributions:
        if a.name:
            name = full_names.get(a.name.split()[-1].lower(), a.name) if len(a.name.split()) == 1 else a.name
            resolved[a.start] = (name, a.name if name != a.name else None)
            if a.kind == "person":
                last_named = name  # "the expert" refers back to a person, never to a ministry
        elif a.role and last_named and _BACK_REFERRING_ROLE.match(a.role.strip()):
            resolved[a.start] = (last_named, a.role)  # "the observer" after "political observer X"
        else:
            resolved[a.start] = (None, None)
    return resolved


def with_appositive_role(text: str, found: Attribution) -> Attribution:
    """Stretch a named source over a role given after the name ("Anna Smith, a spokeswoman ...").

    Used when the text gave no role before the name, or only an honorific ("Dr.").
    """
    if not found.name or found.role and found.role.lower().rstrip(".") not in _TITLES:
        return found
    m = _APPOSITIVE_AFTER.match(text, found.end)
    if not m or not any(w.lower() in ROLE_HEADS for w in _HYPHENATED_WORD.findall(m.group("role"))):
        return found
    return Attribution(found.start, m.end("role"), found.name, " ".join(m.group("role").split()), False)


def source_spans(doc: Document) -> list[Span]:
    """Named and anonymous source findings of ``doc``."""
    split = memoised_split(doc.text)
    own = list(find_attributions(doc, split))
    # A quotation's speaker is taken when it looks like a person: a role, a full name,
    # or a surname this article already cites.
    surnames = {a.name.split()[-1] for a in own if a.name}
    quoted = [a for a in _from_quotes(doc, split) if a.role or a.anonymous is False and a.name
              and (len(a.name.split()) >= 2 or a.name in surnames)]
    candidates = [with_appositive_role(doc.text, a) for a in own + quoted]
    chosen = select_attributions(candidates)
    speakers = resolve_speakers(chosen)
    spans = []
    for a in chosen:
        speaker, resolved_from = speakers[a.start]
        phrase = doc.text[a.start:a.end]
        if speaker is not None:
            role = f" ({a.role})" if a.role else ""
            what = (f"'{resolved_from}' refers back to {speaker}" if resolved_from
                    else f"{speaker}{role} is cited by name")
            spans.append(Span(a.start, a.end, "named-source", {
                "voice": "outlet", "speaker": speaker, "role": a.role, "resolved_from": resolved_from,
                "source_kind": a.kind,
                "explanation": f"{what}: readers can check who is speaking and weigh their position."}))
        else:
            by_role = a.role and not _ANONYMITY_WORDING.search(phrase)
            explanation = (f"The source is identified only by position ('{a.role}'), not by name: "
                           "readers cannot check who is speaking." if by_role else
                           f"The source is not named ('{phrase}'): readers cannot check who is "
                           "speaking or what interest they have.")
            spans.append(Span(a.start, a.end, "anonymous-source", {
                "voice": "outlet", "speaker": None, "role": a.role, "explanation": explanation}))
    return spans


def _note_author(match: re.Match[str], default: str | None) -> str:
    groups = match.groupdict()
    if groups.get("by"):
        return groups["by"].strip(" .")
    head = (groups.get("head") or "").lower()
    if "translator" in head:
        return "the translator"
    return default or "the editors"


def _matches_opening_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches start only at ``starts`` (sorted).

    ``re`` searching for the opening character of a note pattern costs more than matching
    at the few places ``str.find`` finds it: most articles have a parenthesis or two. Like
    ``finditer``, the next match is looked for from where the last one ended (no note
    pattern matches an empty string).
    """
    end = 0
    for at in starts:
        if at >= end and (m := pattern.match(text, at)) is not None:
            end = m.end()
            yield m


def editorial_note_spans(text: str) -> list[Span]:
    """Notes a republisher, editor or translator inserted into the text."""
    spans: list[Span] = []
    openings: dict[str, list[int]] = {}
    for (pattern, default), gate, opener in zip(_EDITORIAL_NOTES, _EDITORIAL_NOTE_GATES, _EDITORIAL_NOTE_OPENERS):
        if gate is not None and not gate.occur_in(text):
            continue
        if opener is None:
            matches: Iterator[re.Match[str]] = pattern.finditer(text)
        else:
            if opener not in openings:
                openings[opener] = character_positions(text, opener)
            matches = _matches_opening_at(pattern, text, openings[opener])
        for m in matches:
            if any(m.start() < s.end and s.start < m.end() for s in spans):
                continue
            by = _note_author(m, default)
            spans.append(Span(m.start(), m.end(), "editorial-note", {
                "voice": "outlet", "speaker": None, "inserted_by": by,
                "explanation": f"A note inserted by {by}, not written by the article's author: "
                               "the republisher's own voice inside the text."}))
    return spans


def reprint_marker_spans(text: str) -> list[Span]:
    """Lines that say the text is another outlet's material (a reprint or translation)."""
    spans = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.strip()
        if line and len(line) <= 300 and _REPRINT_LINE.fullmatch(line):
            start = pos + raw.index(line)
            spans.append(Span(start, start + len(line), "reprint-marker", {
                "voice": "outlet", "speaker": None,
                "explanation": "Marks the article as a reprint or translation of another outlet's "
                               "material: its framing may be the original author's, the "
                               "translator's or the republisher's."}))
        pos += len(raw)
    return spans


@register_extractor("sourcing", order=290)
class SourcingExtractor:
    """Named and anonymous sources, inserted editorial notes and reprint markers.

    Reads "quotes" spans too when the quotation extractor ran before it (order < 290),
    adding the speakers it found.
    """

    name: ClassVar[str] = "sourcing"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[str] = "sourcing"
    findings: ClassVar[bool] = True

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        notes = editorial_note_spans(doc.text)
        markers = reprint_marker_spans(doc.text)
        sources = [s for s in source_spans(doc)
                   if not any(s.overlaps(n) for n in notes)]  # a source named inside a note is the note's
        return notes + markers + sources


#: "he said", "according to them", regardless of case (run on the lowercased text).
_ATTRIBUTED_PRONOUN = CaselessPatterns(
    rf"\b(?:(?:he|she|they|we)\s+{_AUX}(?:{_VERBS})|according\s+to\s+(?:him|her|them))\b")
_SOURCE_LABELS = {"named-source", "anonymous-source"}


def _sentences_overlapping(starts: list[int], ends: list[int], spans: list[Span]) -> set[int]:
    """Indices of the sentences (sorted, not overlapping, from ``starts`` to ``ends``) that one
    of ``spans`` overlaps.

    Found span by span, each a run of sentences found by bisection: an article has far
    fewer sources and quotations than sentences.
    """
    overlapped: set[int] = set()
    for span in spans:
        overlapped.update(range(bisect.bisect_right(ends, span.start), bisect.bisect_left(starts, span.end)))
    return overlapped


@register_measure("sourcing", requires=("sentences", "sourcing"))
def summarise_sourcing(doc: Document) -> dict[str, Any]:
    """Article-level sourcing summary for ``doc.metrics["sourcing"]``."""
    findings = doc.get("sourcing")
    named = [s for s in findings if s.label == "named-source"]
    anonymous = [s for s in findings if s.label == "anonymous-source"]
    notes = [s for s in findings if s.label == "editorial-note"]
    vague = [s for s in doc.get("cues") if s.label == "vague-attribution"]
    quotes = doc.get("quotes")
    evidence = [s for s in findings if s.label in _SOURCE_LABELS] + vague + \
        [q for q in quotes if q.attrs.get("speaker")]
    sentences = [s for s in doc.sentences if s.attrs.get("block") not in {"title", "heading"}]
    starts = [s.start for s in sentences]
    with_evidence = _sentences_overlapping(starts, [s.end for s in sentences], evidence)
    # The pronoun pattern needs a verb or "according": only sentences the gates hit can match.
    verb, according = _verb_and_according_gates(doc.text)
    may_have_pronoun = verb.sentences_hit(starts) | according.sentences_hit(starts)
    (pronoun,), haystack = _ATTRIBUTED_PRONOUN.patterns_for(doc.text)
    attributed = len(with_evidence) + sum(
        1 for i in may_have_pronoun - with_evidence
        if pronoun.search(haystack[sentences[i].start:sentences[i].end]))
    bylines = [s for s in doc.get("layout") if s.label == "byline"]
    speakers = sorted({str(s.attrs["speaker"]) for s in named})
    return {
        "byline": bool(bylines or doc.meta.author),
        "byline_text": doc.text_of(bylines[0]) if bylines else None,
        "author": doc.meta.author,
        "named_sources": len(speakers),
        "named_speakers": speakers,
        "named_organisations": sorted({str(s.attrs["speaker"]) for s in named
                                       if s.attrs.get("source_kind") == "organisation"}),
        "named_citations": len(named),
        "anonymous_citations": len(anonymous),
        "vague_attributions": len(vague),
        "editorial_notes": len(notes),
        "inserted_by": sorted({str(s.attrs["inserted_by"]) for s in notes}),
        "reprint_markers": sum(1 for s in findings if s.label == "reprint-marker"),
        "sentences": len(sentences),
        "attributed_sentences": attributed,
        "attributed_share": round(attributed / len(sentences), 3) if sentences else None,
        "used_quotes": "quotes" in doc.spans,
    }
