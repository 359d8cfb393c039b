"""Teaching worksheets built from real corpus sentences, with a separate answer key.

Four kinds of exercise, each item citing the article, outlet and character offsets
it was taken from:

* **spot the loaded term**: a sentence in the outlet's own voice; find the word that
  takes a side and suggest a neutral one (answer: the lexicon's rationale and alternative);
* **same event, different words**: two outlets name the same event or actor differently
  (from the cues' ``referent`` ids, the data behind the label map);
* **quote or outlet voice**: is this wording the outlet's own, or someone it quotes?
* **fact conflict**: two outlets state different values for the same fact (from the
  facts stage's alignment).

Items are chosen with ``random.Random(seed)`` from candidates in a fixed order, so the
same corpus and seed always give the same worksheet.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from . import __version__
from .document import Document, Span
from .labelmap import referent_descriptions
from .results import AnalysisResult

LESSON_SCHEMA = "framing.lesson/1"
CUE_KEYS = ("cues", "scare_quotes")
#: Categories a "spot the loaded term" item asks about: wording that takes a side.
SPOT_CATEGORIES = ("loaded-term", "name-calling", "evaluative", "emotive-verb", "intensifier",
                   "scare-quote")
MAX_SENTENCE_CHARS = 320
KINDS = ("spot-the-loaded-term", "same-event-different-words", "quote-or-outlet-voice",
         "fact-conflict")


@dataclass(frozen=True)
class Excerpt:
    """A passage quoted on the worksheet, and exactly where it comes from."""

    text: str
    article_id: str
    outlet: str
    outlet_name: str
    start: int
    end: int
    #: (start, end) inside ``text`` to print in bold (a term the question names), or None.
    emphasis: tuple[int, int] | None = None

    def cite(self) -> str:
        return f"{self.outlet_name}, article {self.article_id}, characters {self.start}–{self.end}"

    def parts(self) -> tuple[str, str, str]:
        """The text cut around the emphasised part (all in ``text`` when there is none)."""
        if self.emphasis is None:
            return self.text, "", ""
        a, b = self.emphasis
        return self.text[:a], self.text[a:b], self.text[b:]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "article_id": self.article_id, "outlet": self.outlet,
                "start": self.start, "end": self.end,
                "emphasis": list(self.emphasis) if self.emphasis else None}


@dataclass(frozen=True)
class Evidence:
    """What an answer rests on: the exact text at offsets in a named article."""

    text: str
    article_id: str
    outlet: str
    start: int
    end: int
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "article_id": self.article_id, "outlet": self.outlet,
                "start": self.start, "end": self.end, "note": self.note}


@dataclass(frozen=True)
class Exercise:
    number: int
    kind: str
    question: str
    excerpts: tuple[Excerpt, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "kind": self.kind, "question": self.question,
                "excerpts": [e.to_dict() for e in self.excerpts]}


@dataclass(frozen=True)
class Answer:
    number: int
    kind: str
    answer: str
    rationale: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "kind": self.kind, "answer": self.answer,
                "rationale": self.rationale, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Lesson:
    title: str
    corpus_name: str
    seed: int
    exercises: tuple[Exercise, ...]
    answers: tuple[Answer, ...]
    provenance: Mapping[str, Any] = field(default_factory=dict)
    #: Kinds with no candidate in this corpus, and why (shown on the worksheet).
    missing: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": LESSON_SCHEMA, "title": self.title, "corpus": self.corpus_name,
                "seed": self.seed, "provenance": dict(self.provenance),
                "exercises": [e.to_dict() for e in self.exercises],
                "answers": [a.to_dict() for a in self.answers], "missing": dict(self.missing)}


# --- candidates ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Candidate:
    kind: str
    question: str
    excerpts: tuple[Excerpt, ...]
    answer: str
    rationale: str
    evidence: tuple[Evidence, ...]


def _excerpt(doc: Document, sentence: Span, outlet_name: str,
             emphasis: Span | None = None) -> Excerpt:
    text = doc.text_of(sentence)
    inner = None
    if emphasis is not None:
        inner = (emphasis.start - sentence.start, emphasis.end - sentence.start)
    return Excerpt(text, doc.id, doc.meta.outlet, outlet_name, sentence.start, sentence.end, inner)


def _evidence(doc: Document, span: Span, note: str = "") -> Evidence:
    return Evidence(doc.text_of(span), doc.id, doc.meta.outlet, span.start, span.end, note)


def _cues(doc: Document) -> list[Span]:
    return sorted((s for key in CUE_KEYS for s in doc.get(key)), key=lambda s: (s.start, s.end))


def _usable_sentence(doc: Document, span: Span) -> Span | None:
    sentence = doc.sentence_of(span)
    if sentence is None or not sentence.contains(span) or len(sentence) > MAX_SENTENCE_CHARS:
        return None
    if sentence.attrs.get("block") == "title":
        return None
    return sentence


def _explain(span: Span) -> str:
    parts = [str(span.attrs.get("explanation") or span.attrs.get("rationale") or "")]
    if span.attrs.get("neutral") and str(span.attrs["neutral"]) not in parts[0]:
        parts.append(f"A more neutral choice: “{span.attrs['neutral']}”.")
    return " ".join(p for p in parts if p)


def _quoted(text: str) -> str:
    """“text”, unless the text already carries its own quotation marks (a scare quote)."""
    return text if text[:1] in "\"'“‘«" else f"“{text}”"


def _explain_named(text: str, span: Span) -> str:
    """The explanation, prefixed with the words it explains unless it already names them."""
    explanation = _explain(span) or f"a {span.label.replace('-', ' ')}."
    bare = text.strip("\"'“”‘’«»")
    return explanation if bare.lower() in explanation.lower() else f"{_quoted(text)}: {explanation}"


def spot_candidates(documents: Sequence[Document], names: Mapping[str, str]) -> list[_Candidate]:
    """One item per sentence that has outlet-voice wording which takes a side."""
    out = []
    for doc in documents:
        by_sentence: dict[tuple[int, int], list[Span]] = defaultdict(list)
        sentences: dict[tuple[int, int], Span] = {}
        for span in _cues(doc):
            if span.label in SPOT_CATEGORIES and span.attrs.get("voice") == "outlet":
                sentence = _usable_sentence(doc, span)
                if sentence is not None:
                    by_sentence[sentence.start, sentence.end].append(span)
                    sentences[sentence.start, sentence.end] = sentence
        for place, spans in sorted(by_sentence.items()):
            sentence = sentences[place]
            terms = ", ".join(f"{_quoted(doc.text_of(s))} ({s.label})" for s in spans)
            out.append(_Candidate(
                kind="spot-the-loaded-term",
                question="This sentence is in the outlet's own voice. Underline the word or "
                         "phrase that takes a side or judges, and suggest a more neutral wording.",
                excerpts=(_excerpt(doc, sentence, names[doc.meta.outlet]),),
                answer=terms,
                rationale=" ".join(_explain_named(doc.text_of(s), s) for s in spans),
                evidence=tuple(_evidence(doc, s, s.label) for s in spans)))
    return out


def same_event_candidates(documents: Sequence[Document], names: Mapping[str, str],
                          referents: Mapping[str, str]) -> list[_Candidate]:
    """Pairs of sentences from two outlets that name one referent with different words
    (``referents``: referent id -> its description in the lexicons).

    Each use keeps its excerpt and evidence, not its document: the uses of a large corpus
    would otherwise hold every document in memory until the pairs are chosen.
    """
    uses: dict[str, dict[str, list[_LabelUse]]] = defaultdict(lambda: defaultdict(list))
    for doc in documents:
        for span in _cues(doc):
            referent = span.attrs.get("referent")
            # Only the outlet's own words: a quoted label is the speaker's choice, not the outlet's.
            own = referent and span.attrs.get("voice") == "outlet"
            sentence = _usable_sentence(doc, span) if own else None
            if sentence is not None:
                text = doc.text_of(span)
                uses[referent][doc.meta.outlet].append(_LabelUse(
                    " ".join(text.lower().split()), text, span,
                    _excerpt(doc, sentence, names[doc.meta.outlet]), _evidence(doc, span, referent)))
    out = []
    for referent in sorted(uses):
        outlets = sorted(uses[referent])
        for i, first in enumerate(outlets):
            for second in outlets[i + 1:]:
                pair = _different_labels(uses[referent][first], uses[referent][second])
                if pair is None:
                    continue
                a, b = pair
                name = referents.get(referent, referent)
                out.append(_Candidate(
                    kind="same-event-different-words",
                    question=f"Both sentences refer to {name}. Which word or phrase does each "
                             "outlet use for it, and what does each choice suggest to a reader?",
                    excerpts=(a.excerpt, b.excerpt),
                    answer=f"{a.excerpt.outlet_name}: “{a.text}”; {b.excerpt.outlet_name}: “{b.text}”.",
                    rationale=" ".join(_explain_named(u.text, u.span) for u in (a, b)),
                    evidence=(a.evidence, b.evidence)))
    return out


@dataclass(frozen=True)
class _LabelUse:
    """One outlet-voice use of a referent label, with what an exercise quotes of it."""

    label: str  # lowercased, spaces collapsed: what two outlets' uses are compared by
    text: str
    span: Span
    excerpt: Excerpt
    evidence: Evidence


def _different_labels(a: list[_LabelUse], b: list[_LabelUse]) -> tuple[_LabelUse, _LabelUse] | None:
    """The first use in ``a`` and in ``b`` whose labels differ, or None."""
    for use_a in a:
        for use_b in b:
            if use_a.label != use_b.label:
                return use_a, use_b
    return None


def voice_candidates(documents: Sequence[Document], names: Mapping[str, str]) -> list[_Candidate]:
    """Cue words in a sentence; the student says whose wording it is."""
    out = []
    for doc in documents:
        seen: set[tuple[int, int]] = set()
        for span in _cues(doc):
            voice = span.attrs.get("voice")
            sentence = _usable_sentence(doc, span)
            if voice not in ("outlet", "quoted") or span.label == "label" or sentence is None \
                    or (sentence.start, sentence.end) in seen:
                continue
            seen.add((sentence.start, sentence.end))
            speaker = span.attrs.get("speaker")
            if voice == "quoted":
                answer = f"Quoted: the words are {speaker or 'an unnamed speaker'}'s, not the outlet's."
            elif span.attrs.get("inserted_by"):
                answer = (f"The outlet's voice: a note inserted by {span.attrs['inserted_by']}, "
                          "not the original author or a quoted speaker.")
            else:
                answer = "The outlet's own voice: no one is quoted saying it."
            out.append(_Candidate(
                kind="quote-or-outlet-voice",
                question=f"Is the word in bold, “{doc.text_of(span)}”, the outlet's own wording, or "
                         "is the outlet quoting or reporting someone else? If someone else, who?",
                excerpts=(_excerpt(doc, sentence, names[doc.meta.outlet], emphasis=span),),
                answer=answer,
                rationale=str(span.attrs.get("explanation") or "") + (
                    " Quotation marks, a speech verb (said, stated, noted) and a named speaker "
                    "are the signs to look for."),
                evidence=(_evidence(doc, span, f"voice: {voice}"),)))
    return out


def fact_conflict_candidates(result: AnalysisResult, documents: Sequence[Document],
                             names: Mapping[str, str]) -> list[_Candidate]:
    """Facts the facts stage judges ``conflict``: two outlets, two incompatible values.

    The facts are aligned again from the documents' fact mentions with the stage's own
    :func:`align_facts`, so a stored corpus (whose sections are plain JSON) works too, and
    the clashing pair is picked with the stage's :func:`compatible` rule.
    """
    if not any(d.get("facts") for d in documents):
        return []
    from .facts.align import align_facts, compatible
    from .facts.extract import gazetteer_for

    gazetteer = gazetteer_for(result.config)
    conflicts = []
    for fact in align_facts(documents, gazetteer, names).facts:
        if fact.status != "conflict":
            continue
        event = gazetteer.events.get(fact.event) if fact.event else None
        pair = next(((x, y) for i, x in enumerate(fact.mentions) for y in fact.mentions[i + 1:]
                     if x.outlet != y.outlet and not compatible(x, y, event)), None)
        if pair is not None:
            conflicts.append((fact, pair))
    # Only the articles quoted are read back (a second pass), not every document kept.
    quoted = {mention.article for _, pair in conflicts for mention in pair}
    by_id = {d.id: d for d in documents if d.id in quoted}
    out = []
    for fact, pair in conflicts:
        excerpts, evidence = [], []
        for mention in pair:
            doc = by_id[mention.article]
            sentence = Span(mention.sentence_start, mention.sentence_end, "sentence")
            excerpts.append(_excerpt(doc, sentence, names[doc.meta.outlet]))
            evidence.append(Evidence(doc.text[mention.start:mention.end], doc.id, doc.meta.outlet,
                                     mention.start, mention.end, f"value: {mention.value}"))
        if any(len(x.text) > MAX_SENTENCE_CHARS * 2 for x in excerpts):
            continue
        out.append(_Candidate(
            kind="fact-conflict",
            question=f"These two outlets both state {fact.description}. Find where they "
                     "disagree. How could you check which one is right?",
            excerpts=tuple(excerpts),
            answer=" versus ".join(f"“{e.text}” ({names[e.outlet]}, {e.note})" for e in evidence),
            rationale=fact.explanation + " Check a primary source (an official statement, the "
                      "election commission, the prosecutor's figures) and note when each figure "
                      "was given: early counts are often revised.",
            evidence=tuple(evidence)))
    return out


# --- the lesson ----------------------------------------------------------------------------

def build_lesson(result: AnalysisResult, seed: int = 0, per_kind: int = 4,
                 title: str | None = None) -> Lesson:
    """A worksheet and its answer key from ``result``; the same seed gives the same lesson."""
    if per_kind < 1:
        raise ValueError("per_kind must be at least 1")
    documents = result.documents
    names = result.corpus.outlet_names()
    for doc in documents:
        names.setdefault(doc.meta.outlet, doc.meta.outlet)
    pools = {
        "spot-the-loaded-term": spot_candidates(documents, names),
        "same-event-different-words": same_event_candidates(documents, names,
                                                            referent_descriptions(result.config)),
        "quote-or-outlet-voice": voice_candidates(documents, names),
        "fact-conflict": fact_conflict_candidates(result, documents, names),
    }
    rng = random.Random(seed)
    exercises, answers, missing = [], [], {}
    for kind in KINDS:
        pool = pools[kind]
        if not pool:
            missing[kind] = _why_missing(kind, result)
            continue
        chosen = _choose(kind, pool, per_kind, rng)
        for index in chosen:
            c = pool[index]
            number = len(exercises) + 1
            exercises.append(Exercise(number, kind, c.question, c.excerpts))
            answers.append(Answer(number, kind, c.answer, c.rationale, c.evidence))
    provenance = {**dict(result.provenance), "lesson_framing_version": __version__, "seed": seed}
    return Lesson(title=title or f"Reading the news: {result.corpus.name}",
                  corpus_name=result.corpus.name, seed=seed, exercises=tuple(exercises),
                  answers=tuple(answers), provenance=provenance, missing=missing)


def _choose(kind: str, pool: list[_Candidate], count: int, rng: random.Random) -> list[int]:
    """Indices into ``pool`` in pool order; voice items mix quoted and outlet-voice answers."""
    if kind != "quote-or-outlet-voice":
        return sorted(rng.sample(range(len(pool)), min(count, len(pool))))
    quoted = [i for i, c in enumerate(pool) if c.answer.startswith("Quoted")]
    own = [i for i, c in enumerate(pool) if not c.answer.startswith("Quoted")]
    take_quoted = min(len(quoted), max(count // 2, count - len(own)))
    take_own = min(len(own), count - take_quoted)
    return sorted(rng.sample(quoted, take_quoted) + rng.sample(own, take_own))


def _why_missing(kind: str, result: AnalysisResult) -> str:
    if kind == "fact-conflict":
        return ("no conflicting facts: the corpus has no fact mentions"
                if not any(d.get("facts") for d in result.documents)
                else "the facts stage found no conflicting facts between outlets")
    if kind == "same-event-different-words":
        return "no event or actor is named with different words by two outlets"
    return "no cue findings in sentences short enough to quote"


# --- rendering -----------------------------------------------------------------------------

def lesson_files(lesson: Lesson) -> dict[str, str]:
    """Worksheet and answer key (HTML and Markdown) and lesson.json; nothing is written here."""
    from markupsafe import Markup

    from .report import base_css, template_environment

    html_env, md_env = template_environment(markdown=False), template_environment(markdown=True)
    css = Markup(base_css())
    files = {}
    for part in ("worksheet", "answers"):
        files[f"{part}.html"] = html_env.get_template(f"lesson_{part}.html.j2").render(l=lesson, css=css)
        files[f"{part}.md"] = md_env.get_template(f"lesson_{part}.md.j2").render(l=lesson)
    files["lesson.json"] = json.dumps(lesson.to_dict(), ensure_ascii=False, indent=1, default=str) + "\n"
    return files


def write_lesson(lesson: Lesson, out_dir: str | Path) -> list[Path]:
    """Write the worksheet, the answer key and lesson.json into ``out_dir``, all or nothing."""
    from .output import write_files_atomically

    return write_files_atomically(Path(out_dir), lesson_files(lesson))
