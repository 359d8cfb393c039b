"""Mark page junk, the title and the byline; the kept body is what remains.

Cleaning never rewrites the text. It works line by line on the original and
returns spans: ``junk`` (with the reason as label), ``layout`` (title, byline)
and ``body`` (kept paragraphs and headings). Rules are general page furniture
patterns, never tied to a particular file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar, Iterator, NamedTuple, Sequence

from .document import Document, Span
from .pipeline import AnalysisConfig, register_extractor

# (reason, pattern): a stripped line that fully matches is junk.
_JUNK_LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE)) for reason, pattern in (
        ("navigation", r"(sign ?in|log ?in|log ?out|sign ?up|register|subscribe|menu|search|home|"
                       r"share|print|tweet|e-?mail|read more|related( articles| news)?|"
                       r"advertisement|update|discussion|the news mentions|back to top)"),
        ("navigation", r"do you want to (leave|write|post) a comment\??.*"),
        ("comments", r"comments?\s*(\(\d+\))?|\d+\s+comments?|leave a (comment|reply)|"
                     r"show (all )?comments|add (a )?comment"),
        ("feed-marker", r"news (code|id)\s*:.*|endnewsmessage\d*|startnewsmessage\d*|"
                        r"article (code|id)\s*:.*"),
        ("image-credit", r"(image|photo|picture)( source| credit)?s?\s*:.*|source of (image|photo).*"),
        ("rights-footer", r"the rights to this material belong to.*|"
                          r"the material is placed by the copyright holder.*|"
                          r"original publication.*|all rights reserved.*|©.*|copyright\b.*|"
                          r".*materials contain (ratings|assessments) exclusively from foreign media.*|"
                          r"reproduction (is )?(prohibited|allowed).*"),
        ("counter", r"[-+]?\d[\d\s.,]*"),
        ("timestamp", r"[•·*-]?\s*\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\s+\d{1,2}:\d{2}"),
        ("list-bullet", r"[•·▪►]\s*.*"),
        ("event-widget", r"(location|venue|address|when|where|tickets?)\s*:.*|"
                         r".*terms of (participation|use|service)|cookies?.*policy.*"),
        ("keyboard-mash", r"(asd|qwe|sdf|zxc|jkl|lorem ipsum|test)\w*"),
    ))
#: All junk patterns as one alternation, tried in the order above: fullmatch picks the first
#: alternative that matches the whole line, exactly as trying each pattern in turn (one call).
_ANY_JUNK_LINE = re.compile("|".join(f"(?P<j{i}>{p.pattern})" for i, (_, p) in enumerate(_JUNK_LINE_PATTERNS)),
                            re.IGNORECASE)
#: The same alternation, case-sensitive, for an ASCII line lowercased first (the patterns are
#: lowercase): there case-insensitive matching is plain lowercasing, and ~2x faster in re,
#: which compares lowercase literals directly but folds the case of every character tried.
_ANY_JUNK_LOWERCASE_LINE = re.compile(_ANY_JUNK_LINE.pattern)
_REPEATED_TOKEN = re.compile(r"(\w{2,4})\1{1,}")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_BYLINE = re.compile(r"by\s+\S.{0,80}", re.IGNORECASE)
_NAME_ROLE = re.compile(r"(?:dr\.?\s+)?[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3}"
                        r"(?:,\s+[a-z][\w\s-]{2,60})?")
_WORD = re.compile(r"\w+")
#: ``_WORD`` with an empty group: ``findall`` lists "" per word, so counting builds no strings.
_COUNTED_WORD = re.compile(r"\w+()")
#: Each byte as "a" when it is an ASCII character ``_WORD`` takes, else " ": in a translated
#: line, every word begins with " a" (once a space is put in front).
_WORD_MARKS = bytes(ord("a") if i < 128 and _WORD.match(chr(i)) else ord(" ") for i in range(256))
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
#: The first four ``_WORD`` words (fewer when the text has fewer) as groups.
_FIRST_FOUR_WORDS = re.compile(r"\W*(\w+)(?:\W+(\w+))?(?:\W+(\w+))?(?:\W+(\w+))?")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
#: A letter outside the Latin ranges: a line without one cannot be mostly foreign script.
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")


class Line(NamedTuple):
    """One non-blank line: offsets of its stripped content, the content, its word count.

    A named tuple, not a dataclass: a document has dozens of lines, and a tuple is
    built several times faster.
    """

    start: int
    end: int
    text: str
    words: int

    @property
    def is_prose(self) -> bool:
        return self.words >= 6 and bool(_TERMINAL.search(self.text))


def beyond_ascii(text: str) -> str:
    """The characters of ``text`` that are not ASCII, in order.

    Looking for a kind of character among these few is 3x faster than over the whole
    line, where ``re`` tests every character against the class.
    """
    return _ASCII_RUN.sub("", text)


def count_words(text: str) -> int:
    """How many ``_WORD`` words ``text`` holds.

    When its word characters are all ASCII (nearly every line), the text is encoded with
    "?" for each other character (not a word character either), its bytes turned into
    word marks and the word starts counted: 3x faster than ``findall``, which builds
    one list entry per word.
    """
    if text.isascii() or _WORD.search(beyond_ascii(text)) is None:
        return (b" " + text.encode("ascii", "replace").translate(_WORD_MARKS)).count(b" a")
    return len(_COUNTED_WORD.findall(text))


def iter_lines(text: str) -> Iterator[Line]:
    """Non-blank lines with offsets of their stripped content."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.find(stripped)  # the leading whitespace, without copying the line
            yield Line(start, start + len(stripped), stripped, count_words(stripped))
        pos += len(raw)


@lru_cache(maxsize=4)  # the junk, layout and body extractors read one document in turn
def document_lines(text: str) -> tuple[Line, ...]:
    """``iter_lines(text)``, split and counted once per document."""
    return tuple(iter_lines(text))


def foreign_script_share(line: str, language: str) -> float:
    """Share of letters that are not in the script of the article's language."""
    if line.isascii() or language not in LATIN_LANGUAGES:
        return 0.0
    letters = len(_LETTER.findall(line))
    if not letters:
        return 0.0
    return 1 - len(_LATIN_LETTER.findall(line)) / letters


LATIN_LANGUAGES = {"en", "fr", "de", "es", "it", "pt", "nl", "tr", "pl", "cs", "sv", "da", "no"}


def junk_reason(line: Line, language: str) -> str | None:
    """Why a single line is page furniture, or None when it may be article text."""
    text = line.text
    junk = _ANY_JUNK_LOWERCASE_LINE.fullmatch(text.lower()) if text.isascii() \
        else _ANY_JUNK_LINE.fullmatch(text)
    if junk:
        return _JUNK_LINE_PATTERNS[int(junk.lastgroup[1:])][0]  # type: ignore[index]
    if line.words == 1 and _REPEATED_TOKEN.fullmatch(line.text.lower()):
        return "keyboard-mash"
    if not text.isascii() and _NON_LATIN_LETTER.search(beyond_ascii(text)) \
            and foreign_script_share(text, language) > 0.5:
        return "foreign-script"
    return None


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _first_words(text: str) -> str:
    """The first four words of ``_normalise(text)``, without normalising all of it."""
    found = _FIRST_FOUR_WORDS.match(text.lower())
    return " ".join(filter(None, found.groups())) if found else ""


def is_byline(line: Line, author: str | None) -> bool:
    if author and line.words <= len(author.split()) + 8 and _normalise(author) in _normalise(line.text):
        return True
    if _BYLINE.fullmatch(line.text) and line.words <= 10:
        return True
    return bool(_NAME_ROLE.fullmatch(line.text)) and not _TERMINAL.search(line.text) \
        and line.words <= 10 and "," in line.text


def mark_repeats(lines: Sequence[Line], labels: list[str | None], layout: dict[int, str]) -> None:
    """Label a kept line that a later kept line repeats or begins with.

    Lines are grouped by their first words, so the check stays near-linear; only lines
    that share their first words with another are normalised in full.
    """
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if labels[i] is None and layout.get(i) != "byline" and line.words >= 4:
            groups.setdefault(_first_words(line.text), []).append(i)
    for indices in groups.values():
        if len(indices) < 2:
            continue
        members = [(i, _normalise(lines[i].text)) for i in indices]
        for pos, (i, key) in enumerate(members):
            if any(later.startswith(key) for _, later in members[pos + 1:]):
                labels[i] = "repeated-title" if layout.get(i) == "title" else "repeated-paragraph"
                if layout.get(i) == "title":
                    later = next(j for j, k in members[pos + 1:] if k.startswith(key))
                    layout[later] = "title"
                layout.pop(i, None)


def classify_lines(doc: Document) -> tuple[list[Span], list[Span]]:
    """Junk spans and layout spans (title, byline) over the document's lines."""
    return _classify(doc.text, doc.meta.language, doc.meta.author, doc.meta.title)


@lru_cache(maxsize=4)  # the junk and layout extractors ask for the same document in turn
def _classify(text: str, language: str, author: str | None,
              title: str | None) -> tuple[list[Span], list[Span]]:
    lines = document_lines(text)
    labels: list[str | None] = [junk_reason(line, language) for line in lines]
    layout: dict[int, str] = {}

    # Trailing page furniture: walk back over short non-prose lines after the article.
    for i in range(len(lines) - 1, -1, -1):
        if labels[i] is not None:
            continue
        if lines[i].is_prose:
            break
        if _NAME_ROLE.fullmatch(lines[i].text) and lines[i].words <= 4 or is_byline(lines[i], author):
            layout[i] = "byline"
        else:
            labels[i] = "trailing-furniture"

    # Title: the manifest's title where it appears, else the first kept line if it looks like one.
    kept = [i for i, label in enumerate(labels) if label is None and i not in layout]
    title_at = None
    if title:
        wanted = _normalise(title)
        title_at = next((i for i in kept if _normalise(lines[i].text) == wanted), None)
    if title_at is None:
        for i in kept[:2]:
            if is_byline(lines[i], author):
                layout[i] = "byline"
                continue
            if lines[i].words <= 30 and not lines[i].text.endswith("."):
                title_at = i
            break
    if title_at is not None:
        layout[title_at] = "title"
    for i in kept[:4]:
        if i not in layout and is_byline(lines[i], author):
            layout[i] = "byline"

    # Repeated lines (a title or lead printed twice, or a teaser that a later paragraph
    # begins with): keep the later, longer form, drop the earlier copy.
    mark_repeats(lines, labels, layout)

    junk = [Span(lines[i].start, lines[i].end, label) for i, label in enumerate(labels) if label]
    layout_spans = [Span(lines[i].start, lines[i].end, label) for i, label in layout.items()
                    if labels[i] is None]
    return junk, layout_spans


@register_extractor("junk", order=10)
class JunkMarker:
    """Marks page furniture lines (navigation, comments, footers, foreign script)."""

    name: ClassVar[str] = "junk"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[str] = "junk"
    findings: ClassVar[bool] = False

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        return classify_lines(doc)[0]


@register_extractor("layout", order=20)
class LayoutMarker:
    """Marks the title and the byline so they are not read as article sentences."""

    name: ClassVar[str] = "layout"
    requires: ClassVar[tuple[str, ...]] = ("junk",)
    assigns: ClassVar[str] = "layout"
    findings: ClassVar[bool] = False

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        return classify_lines(doc)[1]


@register_extractor("body", order=30)
class BodyMarker:
    """The kept body: runs of consecutive kept lines (paragraphs), headings and the title."""

    name: ClassVar[str] = "body"
    requires: ClassVar[tuple[str, ...]] = ("junk", "layout")
    assigns: ClassVar[str] = "body"
    findings: ClassVar[bool] = False

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def __call__(self, doc: Document) -> list[Span]:
        dropped = {(s.start, s.end): s.label for s in doc.get("junk")}
        layout = {(s.start, s.end): s.label for s in doc.get("layout")}
        body: list[Span] = []
        run: list[Line] = []
        previous_end = 0

        def close_run() -> None:
            if run:
                single = len(run) == 1
                label = "heading" if single and run[0].words < 10 and not _TERMINAL.search(run[0].text) \
                    else "paragraph"
                body.append(Span(run[0].start, run[-1].end, label))
                run.clear()

        for line in document_lines(doc.text):
            key = (line.start, line.end)
            blank_gap = "\n" in doc.text[previous_end:line.start].replace("\n", "", 1) if run else False
            previous_end = line.end
            if key in dropped or layout.get(key) == "byline":
                close_run()
                continue
            if layout.get(key) == "title":
                close_run()
                body.append(Span(line.start, line.end, "title"))
                continue
            if blank_gap or (run and _TERMINAL.search(run[-1].text)):
                close_run()
            run.append(line)
        close_run()
        return body
