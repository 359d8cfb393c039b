"""Lexicon packs: load and validate TOML term lists, and compile them into one matcher.

A pack is data (``src/framing/lexicons/*.toml`` or any file given with ``--lexicon``):
``[meta]`` says what it is (name, version, language, source, licence) and each
``[[terms]]`` entry says what to look for and why (pattern, category, rationale,
neutral alternative, referent, source). Loading checks every field and names the
file and the term on error; there is no silent fallback.

Inflected forms (coup -> coups, crush -> crushing) are generated at load time, and
all literal forms of all packs become ONE trie-shaped regular expression, so a
document is scanned once however many terms there are. Matching runs on a
same-length normalised copy of the text (curly quotes, dashes and accents folded),
so offsets are offsets into the original.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import resources
from operator import itemgetter
from pathlib import Path
from re import _parser  # type: ignore[attr-defined]
from typing import Any, Iterator

from .errors import LexiconError
from .gates import lowercase_stand_in

#: Categories of the packaged lexicons; packs may add their own (lowercase, hyphenated).
KNOWN_CATEGORIES = ("label", "loaded-term", "evaluative", "intensifier", "hedge",
                    "vague-attribution", "name-calling", "emotive-verb")
INFLECTIONS = ("none", "noun", "verb", "auto")
_DEFAULT_INFLECTION = {"label": "noun", "loaded-term": "noun", "name-calling": "noun",
                       "emotive-verb": "verb"}
_CATEGORY = re.compile(r"[a-z][a-z0-9-]{1,40}")
_TERM_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,80}")
_REFERENT = re.compile(r"(event|actor|place|org|topic):[a-z0-9][a-z0-9-]*")
_META_FIELDS = ("name", "version", "language", "source", "licence")
_TERM_FIELDS = {"id", "pattern", "patterns", "regex", "category", "rationale", "neutral",
                "referent", "source", "loaded", "inflect", "case_sensitive", "context", "note"}
_VOWELS = set("aeiou")


@dataclass(frozen=True)
class Referent:
    """What a label refers to (``event:kz-jan-2022``), with the date it began."""

    id: str
    description: str
    start: date | None = None


@dataclass(frozen=True)
class Term:
    """One lexicon entry; ``forms`` are the literal variants matched (lowercase)."""

    id: str
    lexicon: str
    category: str
    rationale: str
    forms: tuple[str, ...]
    regexes: tuple[str, ...] = ()
    #: for case-sensitive terms, the forms as spelled (folded, single spaces)
    spellings: tuple[str, ...] = ()
    neutral: str | None = None
    referent: str | None = None
    loaded: bool = True
    case_sensitive: bool = False
    context: re.Pattern[str] | None = None
    source: str | None = None

    @property
    def key(self) -> str:
        return f"{self.lexicon}:{self.id}"


@dataclass(frozen=True)
class Lexicon:
    """One loaded pack."""

    name: str
    version: str
    language: str
    source: str
    licence: str
    path: str
    sha256: str
    terms: tuple[Term, ...]
    referents: dict[str, Referent] = field(default_factory=dict)
    description: str = ""

    def provenance(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "language": self.language,
                "source": self.source, "licence": self.licence, "path": self.path,
                "sha256": self.sha256, "terms": len(self.terms)}


# ---------------------------------------------------------------------------------------
# Text normalisation (same length as the original, so offsets carry over)

_FOLD = {
    **{ord(c): "'" for c in "‘’‚‛ʼ`´′"},
    **{ord(c): '"' for c in "“”„‟«»″"},
    **{ord(c): "-" for c in "‐‑‒–—―−"},
    **{ord(c): " " for c in "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003"},
}


def _fold_char(ch: str) -> str:
    if ord(ch) in _FOLD:
        return _FOLD[ord(ch)]
    if ord(ch) < 128:
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if len(base) == 1 and base.isascii() and base.isalpha() else ch


_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def normalise_for_matching(text: str) -> str:
    """Fold curly quotes, dashes, odd spaces and accents; the result has the same length."""
    if text.isascii():
        return text
    # The characters beyond ASCII, found without a set of the whole text (5x faster): most
    # articles have a few curly quotes and dashes among thousands of ASCII characters.
    table = {ch: folded for ch in set(_ASCII_RUN.sub("", text))
             for folded in [_fold_char(ch)] if folded != ch}
    if not table:
        return text
    # Replacing only the few characters that fold (one to five in most articles) is several
    # times faster than str.translate, which looks every character of the text up in the
    # table, and than one re.sub, which calls back into Python for every replacement.
    folded = text
    for char, replacement in table.items():
        folded = folded.replace(char, replacement)
    assert len(folded) == len(text)
    return folded


def _key(text: str) -> str:
    """The lookup key of a matched or listed form: folded, lowercase, single spaces."""
    return " ".join(normalise_for_matching(text).lower().split())


# ---------------------------------------------------------------------------------------
# Inflection and pattern expansion

def _double_final(word: str) -> bool:
    return (len(word) >= 3 and word[-1] not in _VOWELS | set("wxy") and word[-2] in _VOWELS
            and word[-3] not in _VOWELS and len(word) <= 4)


def noun_forms(word: str) -> set[str]:
    """Singular and plural forms of a noun (regular rules; list irregular ones as patterns)."""
    if not word[-1:].isalpha():
        return {word}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word, word + "es"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        return {word, word[:-1] + "ies"}
    return {word, word + "s"}


def verb_forms(word: str) -> set[str]:
    """Base, -s, -ed and -ing forms of a regular verb."""
    if not word[-1:].isalpha():
        return {word}
    forms = {word}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    elif word.endswith("y") and word[-2] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ied", word + "ing"}
    elif _double_final(word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing", word + "ed", word + "ing"}
    else:
        forms |= {word + "ed", word + "ing"}
    return forms


_OPTIONAL = re.compile(r"\(([^()\[\]]+)\)")
_CHOICE = re.compile(r"\[([^()\[\]]+)\]")


def _expand_groups(pattern: str) -> set[str]:
    """``[a|b]`` picks one alternative, ``(a|b)`` picks one or none."""
    done: set[str] = set()
    todo = [pattern]
    while todo:
        v = todo.pop()
        m = _CHOICE.search(v) or _OPTIONAL.search(v)
        if not m:
            done.add(v)
            continue
        options = m.group(1).split("|")
        if m.group(0).startswith("("):
            options.append("")
        todo.extend(v[:m.start()] + option + v[m.end():] for option in options)
    return done


def expand_pattern(pattern: str, inflect: str) -> set[str]:
    """All literal forms of a phrase pattern.

    ``(word)`` marks optional words, ``[a|b]`` alternatives (``(a|b)``: optional
    alternatives); a hyphen also matches a space or nothing (Anglo-Saxons, Anglo
    Saxons); ``inflect`` inflects the head word: the last word for nouns, the first
    for verbs (``lash out`` -> ``lashed out``).
    """
    variants = {" ".join(v.split()) for v in _expand_groups(pattern) if v.strip()}
    inflected = set()
    for v in variants:
        words = v.split(" ")
        if inflect == "noun":
            inflected |= {" ".join(words[:-1] + [f]) for f in noun_forms(words[-1])}
        elif inflect == "verb":
            inflected |= {" ".join([f] + words[1:]) for f in verb_forms(words[0])}
        else:
            inflected.add(v)
    forms = set()
    for v in inflected:
        forms.add(v)
        if "-" in v:
            forms.add(v.replace("-", " "))
            forms.add(v.replace("-", ""))
    return {" ".join(normalise_for_matching(f).split()) for f in forms if f.strip()}


# ---------------------------------------------------------------------------------------
# Loading and validation

def default_lexicon_paths() -> list[Path]:
    """The packaged packs, in name order."""
    folder = resources.files("framing").joinpath("lexicons")
    return sorted(Path(str(p)) for p in folder.iterdir() if str(p).endswith(".toml"))


def _require_str(table: dict[str, Any], name: str, where: str, allow_empty: bool = False) -> str:
    value = table.get(name)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        got = "missing" if value is None else f"{type(value).__name__} {value!r}"
        raise LexiconError(f"field {name!r} must be a non-empty string, got {got}", where)
    return value.strip()


def _optional_str(table: dict[str, Any], name: str, where: str) -> str | None:
    value = table.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise LexiconError(f"field {name!r} must be a string, got {type(value).__name__}", where)
    return value.strip()


def _compile_checked(regex: str, where: str, what: str) -> re.Pattern[str]:
    try:
        return re.compile(regex, re.IGNORECASE)
    except re.error as exc:
        raise LexiconError(f"{what} {regex!r} is not a valid regular expression ({exc})",
                           where) from None


def parse_term(raw: Any, lexicon: str, where: str, index: int = 0) -> Term:
    """Validate one ``[[terms]]`` table; errors name the file and the term (or its index)."""
    if not isinstance(raw, dict):
        raise LexiconError("each [[terms]] entry must be a table", f"{where}: terms[{index}]")
    term_id = raw.get("id")
    if not isinstance(term_id, str) or not _TERM_ID.fullmatch(term_id):
        raise LexiconError(f"term id must be lowercase letters, digits, '-', '_' or '.', "
                           f"got {term_id!r}", f"{where}: terms[{index}]")
    where = f"{where}: term {term_id!r}"
    unknown = sorted(set(raw) - _TERM_FIELDS)
    if unknown:
        raise LexiconError(f"unknown fields {unknown}; allowed: {sorted(_TERM_FIELDS)}", where)
    category = _require_str(raw, "category", where)
    if not _CATEGORY.fullmatch(category):
        raise LexiconError(f"category must be lowercase words joined by '-', got {category!r}",
                           where)
    rationale = _require_str(raw, "rationale", where)
    patterns = raw.get("patterns", [])
    if "pattern" in raw:
        patterns = [raw["pattern"], *patterns]
    if isinstance(patterns, str) or not isinstance(patterns, list) \
            or not all(isinstance(p, str) and p.strip() for p in patterns):
        raise LexiconError("'patterns' must be a list of non-empty strings", where)
    regexes = raw.get("regex", [])
    regexes = [regexes] if isinstance(regexes, str) else regexes
    if not isinstance(regexes, list) or not all(isinstance(r, str) and r for r in regexes):
        raise LexiconError("'regex' must be a string or a list of strings", where)
    if not patterns and not regexes:
        raise LexiconError("term has no 'pattern', 'patterns' or 'regex'", where)
    for regex in regexes:
        compiled = _compile_checked(regex, where, "regex")
        if compiled.groups:
            raise LexiconError(f"regex {regex!r} has capturing groups; use (?:...)", where)
        if compiled.match(""):
            raise LexiconError(f"regex {regex!r} matches the empty string", where)
    for p in patterns:
        if p.count("(") != p.count(")") or p.count("[") != p.count("]"):
            raise LexiconError(f"pattern {p!r} has unbalanced brackets", where)
        if len(_expand_groups(p)) > 5000:
            raise LexiconError(f"pattern {p!r} expands to over 5000 forms; split it", where)
    inflect = raw.get("inflect", "auto")
    if inflect not in INFLECTIONS:
        raise LexiconError(f"inflect must be one of {list(INFLECTIONS)}, got {inflect!r}", where)
    if inflect == "auto":
        inflect = _DEFAULT_INFLECTION.get(category, "none")
    referent = _optional_str(raw, "referent", where)
    if referent is not None and not _REFERENT.fullmatch(referent):
        raise LexiconError(f"referent must look like 'event:kz-jan-2022', got {referent!r}", where)
    loaded = raw.get("loaded", category != "label")
    case_sensitive = raw.get("case_sensitive", False)
    for name, value in (("loaded", loaded), ("case_sensitive", case_sensitive)):
        if not isinstance(value, bool):
            raise LexiconError(f"{name!r} must be true or false, got {value!r}", where)
    context = _optional_str(raw, "context", where)
    spelled: set[str] = set()
    for p in patterns:
        spelled |= expand_pattern(p, inflect)
    return Term(
        id=term_id, lexicon=lexicon, category=category, rationale=rationale,
        forms=tuple(sorted({f.lower() for f in spelled})), regexes=tuple(regexes),
        spellings=tuple(sorted(spelled)) if case_sensitive else (),
        neutral=_optional_str(raw, "neutral", where), referent=referent, loaded=loaded,
        case_sensitive=case_sensitive,
        context=_compile_checked(context, where, "context") if context else None,
        source=_optional_str(raw, "source", where))


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and validate one pack; raises :class:`LexiconError` naming file and term."""
    path = Path(path)
    where = str(path)
    try:
        data_bytes = path.read_bytes()
    except FileNotFoundError:
        raise LexiconError("lexicon file not found", where) from None
    except OSError as exc:
        raise LexiconError(f"cannot read lexicon file ({exc.strerror})", where) from None
    try:
        data = tomllib.loads(data_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise LexiconError("lexicon file is not UTF-8 text", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"not valid TOML ({exc})", where) from None
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise LexiconError("missing [meta] table (name, version, language, source, licence)",
                           where)
    values = {name: _require_str(meta, name, f"{where}: [meta]") for name in _META_FIELDS}
    name = values["name"]
    if not _TERM_ID.fullmatch(name):
        raise LexiconError(f"[meta] name must be lowercase letters, digits and '-', got {name!r}",
                           where)
    referents: dict[str, Referent] = {}
    for ref_id, info in (data.get("referents") or {}).items():
        ref_where = f"{where}: [referents] {ref_id!r}"
        if not _REFERENT.fullmatch(ref_id) or not isinstance(info, dict):
            raise LexiconError("referents are tables keyed like \"event:kz-jan-2022\"", ref_where)
        start = info.get("start")
        if start is not None and not isinstance(start, date):
            raise LexiconError(f"'start' must be a TOML date (2022-01-02), got {start!r}",
                               ref_where)
        referents[ref_id] = Referent(ref_id, _require_str(info, "description", ref_where), start)
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, list) or not raw_terms:
        raise LexiconError("no [[terms]] entries", where)
    terms: list[Term] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_terms, 1):
        term = parse_term(raw, name, where, i)
        if term.id in seen:
            raise LexiconError(f"term id {term.id!r} appears twice", where)
        seen.add(term.id)
        terms.append(term)
    return Lexicon(name=name, version=values["version"], language=values["language"],
                   source=values["source"], licence=values["licence"], path=where,
                   sha256=hashlib.sha256(data_bytes).hexdigest(), terms=tuple(terms),
                   referents=referents, description=str(meta.get("description", "")))


def lexicon_paths_for(paths: tuple[Path, ...] | list[Path], use_defaults: bool) -> list[Path]:
    return [*(default_lexicon_paths() if use_defaults else []), *map(Path, paths)]


# ---------------------------------------------------------------------------------------
# Compiling: one trie-shaped alternation over every literal form, plus regex terms

def _trie_regex(forms: list[str]) -> str:
    """A regex matching exactly ``forms`` whose alternatives share prefixes (fast, longest)."""
    return _trie_node(sorted(set(forms)), 0) if forms else ""


def _trie_node(forms: list[str], depth: int) -> str:
    """The regex of the trie node below which ``forms`` lie: sorted, sharing their first
    ``depth`` characters.

    Built from the sorted forms instead of a tree of dicts, and a run of characters with
    no branch and no form ending in it is written at once (``os.path.commonprefix``), so
    there is one call per branching node instead of one per character: loading the packs
    does this for every literal form.
    """
    ends = len(forms[0]) == depth
    branches = []
    for _, group in itertools.groupby(forms[1:] if ends else forms, key=itemgetter(depth)):
        below = list(group)
        run = os.path.commonprefix(below) if len(below) > 1 else below[0]
        branches.append(r"\s+".join(map(re.escape, run[depth:].split(" ")))
                        + _trie_node(below, len(run)))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _whole_words(alternation: str) -> str:
    """``alternation`` matched only as whole words."""
    return rf"(?<![\w])(?:{alternation})(?![\w])"


_ZERO_WIDTH = (_parser.ASSERT, _parser.ASSERT_NOT, _parser.AT)


def _literal_starts(items: list[tuple[Any, Any]], caseless: bool) -> list[tuple[str, bool]] | None:
    """Literal texts, each with whether it is caseless, one of which begins every match of
    ``items`` (a parsed regular expression); None when a match may begin otherwise.

    Zero-width assertions before the first literal consume nothing, so a match begins
    where its literal does.
    """
    i = 0
    while i < len(items) and items[i][0] in _ZERO_WIDTH:
        i += 1
    if i == len(items):
        return None
    op, av = items[i]
    if op is _parser.LITERAL:
        literal = []
        while i < len(items) and items[i][0] is _parser.LITERAL:
            literal.append(chr(items[i][1]))
            i += 1
        return [("".join(literal), caseless)]
    if op is _parser.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return _literal_starts(list(sub), (caseless or bool(add_flags & re.IGNORECASE))
                               and not del_flags & re.IGNORECASE)
    if op is _parser.BRANCH:
        starts: list[tuple[str, bool]] = []
        for alternative in av[1]:
            found = _literal_starts(list(alternative), caseless)
            if found is None:
                return None
            starts += found
        return starts
    return None


def _start_literals(regex: str, flags: int) -> list[tuple[str, bool]] | None:
    """The literal texts (each with whether it is caseless) one of which begins every match
    of ``regex``; None when the start of ``regex`` is not a literal."""
    try:
        starts = _literal_starts(list(_parser.parse(regex, flags)), bool(flags & re.IGNORECASE))
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    return starts or None


def _start_gate(starts: list[tuple[str, bool]] | None) -> re.Pattern[str] | None:
    """A pattern found wherever a match can begin (and some places more), given the
    literals that begin every match, that ``re`` scans for far faster than a pattern that
    begins with lookarounds. None without such literals."""
    if not starts:
        return None
    alternatives = sorted({f"(?i:{re.escape(text)})" if caseless else re.escape(text)
                           for text, caseless in starts})
    return re.compile("|".join(alternatives))


def _gate_texts(starts: list[tuple[str, bool]] | None) -> tuple[str, ...] | None:
    """The gate as texts for ``str.find`` when none is caseless (the packaged regex terms
    begin with "may", "might" and "West"): three ``find`` calls pass over a paragraph
    several times faster than ``re`` tests each of its characters against the gate's
    first letters. None when a start is caseless or there is none."""
    if not starts or any(caseless for _, caseless in starts):
        return None
    return tuple(sorted({text for text, _ in starts}))


def _lowercase_literals(literals: str | None,
                        forms: dict[str, Any]) -> tuple[re.Pattern[str] | None, int]:
    """The literal forms as a whole-word pattern for lowercased text made ASCII (see
    :func:`_ascii_stand_in`), and the width of the separator it matches before a form (0 or
    1); None when a form is not ASCII or holds a stand-in character.

    Where no form ends in a non-word character, a form can never start right where the
    last one ended, so the pattern may take the non-word character before a form as
    part of its match instead of looking behind for it: ``re`` then skips from one
    non-word character to the next in C instead of trying every position (~10% faster).
    Compiled with ``re.ASCII``: ``re`` tells an ASCII word character from a table, where
    a Unicode one costs a look-up of the character's properties at every position the
    scan passes (-18% instructions); on ASCII text both find the same matches.
    """
    if literals is None or not all(form.isascii() and _WORD_STAND_IN not in form
                                   and _OTHER_STAND_IN not in form for form in forms):
        return None, 0
    if all(_WORD_END.search(form) for form in forms):
        return re.compile(rf"\W(?:{literals})(?![\w])", re.ASCII), 1
    return re.compile(_whole_words(literals), re.ASCII), 0


#: What a character beyond ASCII becomes before the ASCII literal pass: a word character, a
#: space or another character as ``re`` (Unicode) takes it, which no form holds, so that
#: it starts, ends or joins no match it did not before.
_WORD_STAND_IN, _SPACE_STAND_IN, _OTHER_STAND_IN = "_", " ", "\x00"
_UNICODE_WORD, _UNICODE_SPACE = re.compile(r"\w"), re.compile(r"\s")


def _ascii_stand_in(lowered: str) -> str:
    """``lowered`` with each character beyond ASCII replaced by its stand-in (same length).

    The literal forms are ASCII, so such a character can only stand next to a match or
    inside the whitespace between a form's words; its stand-in is a word character, a
    space or neither exactly when it is, so the ASCII pattern finds the matches that the
    Unicode one finds in ``lowered``.
    """
    for char in set(_ASCII_RUN.sub("", lowered)):
        stand_in = _WORD_STAND_IN if _UNICODE_WORD.match(char) else \
            _SPACE_STAND_IN if _UNICODE_SPACE.match(char) else _OTHER_STAND_IN
        lowered = lowered.replace(char, stand_in)
    return lowered


_WORD_END = re.compile(r"\w\Z")


def _match_at_texts(pattern: re.Pattern[str], texts: tuple[str, ...], folded: str,
                    start: int, end: int) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``folded[start:end]`` that begins where one of
    ``texts`` does (the gate's hits, in order, as ``gate.search`` finds them)."""
    hits = [folded.find(text, start, end) for text in texts]
    while True:
        at = min((hit for hit in hits if hit >= 0), default=-1)
        if at < 0:
            return None
        found = pattern.match(folded, at, end)
        if found is not None:
            return found
        hits = [folded.find(text, at + 1, end) if hit == at else hit
                for text, hit in zip(texts, hits)]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term: Term


class LexiconSet:
    """Several packs compiled into one pattern; ``find`` scans a text once.

    When two packs list the same form, the pack loaded later wins (a user pack
    given with ``--lexicon`` overrides the defaults).
    """

    def __init__(self, lexicons: list[Lexicon]) -> None:
        self.lexicons = tuple(lexicons)
        self.referents: dict[str, Referent] = {}
        by_form: dict[str, list[Term]] = {}
        regex_terms: list[Term] = []
        for lexicon in lexicons:
            self.referents.update(lexicon.referents)
            for term in lexicon.terms:
                for form in term.forms:
                    bucket = by_form.setdefault(form, [])
                    bucket[:] = [t for t in bucket if t.case_sensitive != term.case_sensitive]
                    bucket.insert(0, term)
                if term.regexes:
                    regex_terms.append(term)
        self._by_form = by_form
        self._regex_terms = {f"r{i}": t for i, t in enumerate(regex_terms)}
        literals = f"(?P<lit>{_trie_regex(sorted(by_form))})" if by_form else None
        regexes = []
        for group, term in self._regex_terms.items():
            body = "|".join(f"(?:{r})" for r in term.regexes)
            regexes.append(f"(?P<{group}>(?-i:{body}))" if term.case_sensitive
                           else f"(?P<{group}>{body})")
        self._alternation = "|".join(([literals] if literals else []) + regexes) or r"(?!x)x"
        # Text whose lowercase stands in for it (nearly all text, once folded) is matched
        # in two passes that re runs ~1.5x faster than ``pattern`` (see _scan_two_pass): the literal forms, case-sensitive, over
        # the lowercased text (the forms are lowercase), and the regex terms over the text
        # as it is, compiled here so that a bad regex fails when the packs load.
        self._lowercase_literals, self._separator = _lowercase_literals(literals, by_form)
        self._regex_pattern = re.compile(_whole_words("|".join(regexes)), re.IGNORECASE) \
            if regexes else None
        starts = _start_literals(self._regex_pattern.pattern, re.IGNORECASE) \
            if self._regex_pattern is not None else None
        self._regex_gate = _start_gate(starts)
        self._gate_texts = _gate_texts(starts)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Every form and regex term in one case-insensitive alternation, for any text.

        Compiled on first use (text with a letter of ``gates._UNFOLDABLE``, or forms that
        are not ASCII): a large trie takes ~0.05 s to compile, and its parts were compiled
        (so checked) with the packs.
        """
        return re.compile(_whole_words(self._alternation), re.IGNORECASE)

    @classmethod
    def from_paths(cls, paths: list[Path]) -> "LexiconSet":
        return cls([load_lexicon(p) for p in paths])

    @property
    def terms(self) -> list[Term]:
        return [t for lex in self.lexicons for t in lex.terms]

    def _term_for(self, found: str) -> Term | None:
        # A match with single spaces is its own key once lowercased: no need to normalise it.
        bucket = self._by_form.get(found.lower())
        for term in self._by_form.get(_key(found), ()) if bucket is None else bucket:
            if not term.case_sensitive:
                return term
            if normalise_for_matching(" ".join(found.split())) in term.spellings:
                return term
        return None

    def find(self, text: str, start: int = 0, end: int | None = None,
             folded: str | None = None) -> Iterator[Match]:
        """Non-overlapping matches in ``text[start:end]``, leftmost-longest, in order."""
        for m_start, m_end, term in self.find_tuples(text, start, end, folded):
            yield Match(m_start, m_end, term)

    def find_tuples(self, text: str, start: int = 0, end: int | None = None,
                    folded: str | None = None) -> Iterator[tuple[int, int, Term]]:
        """``find`` as plain ``(start, end, term)`` tuples, for a caller that takes
        thousands (building a frozen ``Match`` costs more than the lookup)."""
        folded = normalise_for_matching(text) if folded is None else folded
        end = len(text) if end is None else end
        for m_start, m_end, group in self._scan(folded, start, end):
            term = self._term_for(folded[m_start:m_end]) if group == "lit" \
                else self._regex_terms.get(group or "")
            if term is not None:
                yield m_start, m_end, term

    def _scan(self, folded: str, start: int, end: int) -> list[tuple[int, int, str | None]]:
        """``(start, end, group)`` of each match of ``self.pattern`` in ``folded[start:end]``."""
        if self._lowercase_literals is not None:
            # with the character before (a space at the start of the text), for the
            # separator or the lookbehind before a form
            segment = folded[start - 1:end] if start else " " + folded[:end]
            lowered = segment.lower() if segment.isascii() else lowercase_stand_in(segment)
            if lowered is not None:
                if not lowered.isascii():
                    lowered = _ascii_stand_in(lowered)
                found = self._scan_two_pass(folded, lowered, start, end)
                if found is not None:
                    return found
        return [(m.start(), m.end(), m.lastgroup) for m in self.pattern.finditer(folded, start, end)]

    def _scan_two_pass(self, folded: str, lowered: str, start: int,
                       end: int) -> list[tuple[int, int, str | None]] | None:
        """The matches of ``self.pattern``, found in two faster passes.

        Under IGNORECASE, re folds the case of every character it tries against each
        literal; lowercased text (ASCII, or see ``gates.lowercase_stand_in``) matched
        case-sensitively gives the same matches ~3x faster. The regex terms (some case-sensitive) scan the original text. As in
        the one alternation, the leftmost match wins, the literal one at a tie, and the
        scan resumes after it. ``lowered`` is the character before ``start`` (a space at
        the start of the text) and ``folded[start:end]``, lowercased. None when a match
        is empty, whose resumption rules the caller leaves to re.
        """
        literals, regexes = self._lowercase_literals, self._regex_pattern
        assert literals is not None
        offset = start - 1  # lowered[i] is folded[i + offset]
        # A literal match begins with the separator: it is looked for one character
        # earlier than a form may start, and the form starts one character later.
        before, separator = offset + self._separator, self._separator
        regex = self._search_regexes(folded, start, end) if regexes is not None else None
        if regexes is None or regex is None:  # the usual case: the literal pass alone
            return [(m.start() + before, m.end() + offset, "lit")
                    for m in literals.finditer(lowered, 1 - separator)]
        found: list[tuple[int, int, str | None]] = []
        literal = literals.search(lowered, 1 - separator)
        while literal is not None or regex is not None:
            if literal is not None and (regex is None or literal.start() + before <= regex.start()):
                match = (literal.start() + before, literal.end() + offset, "lit")
            else:
                assert regex is not None
                match = (regex.start(), regex.end(), regex.lastgroup)
            if match[0] == match[1]:
                return None
            found.append(match)
            resume = match[1]  # each pass's next match must start here or later
            if literal is not None and literal.start() + before < resume:
                literal = literals.search(lowered, resume - before)
            if regex is not None and regex.start() < resume:
                regex = self._search_regexes(folded, resume, end)
        return found

    def _search_regexes(self, folded: str, start: int, end: int) -> re.Match[str] | None:
        """``self._regex_pattern.search``, tried only where its gate finds a possible start.

        The regex terms begin with lookarounds, so ``re`` tries them at every position;
        the gate (``_start_gate``, or its texts found with ``str.find``) is a literal, which
        is found far faster. Gate hits may overlap, so the next is looked for one character
        after the last.
        """
        pattern, gate, texts = self._regex_pattern, self._regex_gate, self._gate_texts
        assert pattern is not None
        if texts is not None:
            return _match_at_texts(pattern, texts, folded, start, end)
        if gate is None:
            return pattern.search(folded, start, end)
        hit = gate.search(folded, start, end)
        while hit is not None:
            found = pattern.match(folded, hit.start(), end)
            if found is not None:
                return found
            hit = gate.search(folded, hit.start() + 1, end)
        return None

    def provenance(self) -> list[dict[str, Any]]:
        return [lex.provenance() for lex in self.lexicons]


_LOADED: dict[tuple[tuple[str, int, int], ...], LexiconSet] = {}


def _file_state(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)  # loading will report the missing file
    return (str(path), stat.st_mtime_ns, stat.st_size)


def load_lexicon_set(paths: tuple[Path, ...] | list[Path], use_defaults: bool) -> LexiconSet:
    """The packs of a configuration: defaults (unless disabled) then the user's, in order.

    Compiled once per process while the files are unchanged (an edited pack is reloaded):
    the cue matcher and the label map ask for the same packs, and compiling them takes
    ~0.1 s.
    """
    paths = lexicon_paths_for(paths, use_defaults)
    if not paths:
        raise LexiconError("no lexicon packs: --no-default-lexicons needs at least one "
                           "--lexicon FILE")
    key = tuple(_file_state(p) for p in paths)
    if key not in _LOADED:
        _LOADED.clear()
        _LOADED[key] = LexiconSet.from_paths(paths)
    return _LOADED[key]
