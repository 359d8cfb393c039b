"""Measure findings against hand-labelled fixtures: precision and recall per category and voice.

Labels live next to each fixture article (``NAME.txt`` + ``NAME.labels.toml``, format in
``fixtures/cues/README.md``). A label names its text and which occurrence, so it is
turned into offsets here. Matching is by overlap: a predicted finding is correct when
it overlaps a gold finding of the same category (and, for the per-voice figures, the
same voice); a gold finding is recalled when some such prediction overlaps it.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from .corpus import KINDS, Corpus, load_corpus
from .document import Document, Span
from .errors import InputError


@dataclass(frozen=True)
class GoldFinding:
    start: int
    end: int
    category: str
    voice: str
    speaker: str | None = None


@dataclass(frozen=True)
class Score:
    """Counts for one group; precision/recall are None when there is nothing to divide by."""

    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    recalled: int = 0

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.gold if self.gold else None

    def to_dict(self) -> dict[str, Any]:
        return {"predicted": self.predicted, "gold": self.gold,
                "correct_predictions": self.true_positives, "recalled_gold": self.recalled,
                "precision": self.precision, "recall": self.recall}


@dataclass(frozen=True)
class Evaluation:
    by_category: dict[str, Score] = field(default_factory=dict)
    by_voice: dict[str, Score] = field(default_factory=dict)
    overall: Score = Score()
    documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "overall": self.overall.to_dict(),
                "by_category": {k: v.to_dict() for k, v in sorted(self.by_category.items())},
                "by_voice": {k: v.to_dict() for k, v in sorted(self.by_voice.items())}}

    def to_markdown(self) -> str:
        """The table the README reports."""
        def pct(x: float | None) -> str:
            return "–" if x is None else f"{x:.2f}"
        rows = ["| group | gold | predicted | precision | recall |", "|---|---:|---:|---:|---:|"]
        for name, groups in (("category", self.by_category), ("voice", self.by_voice)):
            for key, score in sorted(groups.items()):
                rows.append(f"| {name}: {key} | {score.gold} | {score.predicted} | "
                            f"{pct(score.precision)} | {pct(score.recall)} |")
        o = self.overall
        rows.append(f"| **all findings** | {o.gold} | {o.predicted} | {pct(o.precision)} | "
                    f"{pct(o.recall)} |")
        return "\n".join(rows)


def _occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``text`` as a whole word (or phrase)."""
    left = r"(?<!\w)" if needle[:1].isalnum() else ""
    right = r"(?!\w)" if needle[-1:].isalnum() else ""
    return [m.start() for m in re.finditer(left + re.escape(needle) + right, text)]


def _read_labels(labels_path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read labels ({exc})", str(labels_path)) from None


def fixture_corpus(article: Path, labels_path: Path) -> Corpus:
    """The one-article corpus of a fixture, of the kind its labels name (``kind = "press-release"``
    at the top; default news): a press release speaks for its institution in its own voice."""
    kind = _read_labels(labels_path).get("kind", "news")
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}", str(labels_path))
    corpus = load_corpus(article)
    return replace(corpus, entries=tuple(e.with_meta(replace(e.meta, kind=kind)) for e in corpus.entries))


def load_labels(text: str, labels_path: Path) -> list[GoldFinding]:
    """Gold findings of one fixture, with offsets resolved from ``text`` + ``occurrence``."""
    where = str(labels_path)
    data = _read_labels(labels_path)
    gold = []
    for i, raw in enumerate(data.get("finding", []), 1):
        needle, n = raw.get("text"), raw.get("occurrence", 1)
        if not isinstance(needle, str) or not needle or raw.get("voice") not in ("outlet", "quoted") \
                or not isinstance(raw.get("category"), str):
            raise InputError(f"finding {i} needs text, category and voice (outlet|quoted)", where)
        starts = _occurrences(text, needle)
        if not 1 <= n <= len(starts):
            raise InputError(f"finding {i}: {needle!r} occurrence {n} not in the text "
                             f"({len(starts)} found)", where)
        start = starts[n - 1]
        gold.append(GoldFinding(start, start + len(needle), raw["category"], raw["voice"],
                                raw.get("speaker")))
    return gold


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_document(predicted: Iterable[Span], gold: Iterable[GoldFinding],
                   counts: dict[tuple[str, str], list[int]]) -> None:
    """Add one document's counts to ``counts[(group, key)] = [tp, predicted, gold, recalled]``."""
    predicted, gold = list(predicted), list(gold)
    for by in ("category", "voice"):
        def key(category: str, voice: str) -> str:
            return category if by == "category" else voice

        def same(p: Span, g: GoldFinding) -> bool:
            return p.label == g.category and (by == "category" or p.attrs.get("voice") == g.voice) \
                and _overlaps((p.start, p.end), (g.start, g.end))

        for p in predicted:
            c = counts[(by, key(p.label, p.attrs.get("voice", "outlet")))]
            c[1] += 1
            c[0] += any(same(p, g) for g in gold)
        for g in gold:
            c = counts[(by, key(g.category, g.voice))]
            c[2] += 1
            c[3] += any(same(p, g) for p in predicted)


def evaluate(pairs: Iterable[tuple[Document, list[Span], list[GoldFinding]]]) -> Evaluation:
    """Precision and recall over ``(document, predicted findings, gold findings)`` triples."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    n = 0
    for _doc, predicted, gold in pairs:
        score_document(predicted, gold, counts)
        n += 1
    by_category = {k: Score(*v) for (g, k), v in counts.items() if g == "category"}
    by_voice = {k: Score(*v) for (g, k), v in counts.items() if g == "voice"}
    total = [sum(v[i] for v in (counts[("category", k)] for k in by_category)) for i in range(4)]
    return Evaluation(by_category, by_voice, Score(*total), n)


def evaluate_fixtures(folder: str | Path, config: Any = None,
                      finding_keys: tuple[str, ...] = ("cues", "scare_quotes")) -> Evaluation:
    """Run the pipeline on every labelled fixture in ``folder`` and score it."""
    from .analysis import analyze
    from .pipeline import AnalysisConfig

    folder = Path(folder)
    label_files = sorted(folder.glob("*.labels.toml"))
    if not label_files:
        raise InputError("no *.labels.toml files", str(folder))
    triples = []
    for labels_path in label_files:
        article = labels_path.with_name(labels_path.name.replace(".labels.toml", ".txt"))
        result = analyze(fixture_corpus(article, labels_path), config or AnalysisConfig())
        doc = result.documents[0]
        predicted = [s for key in finding_keys for s in doc.get(key)]
        triples.append((doc, predicted, load_labels(doc.text, labels_path)))
    return evaluate(triples)


if __name__ == "__main__":  # python -m framing.evaluation fixtures/cues
    import sys
    import warnings as _warnings

    _warnings.simplefilter("ignore")
    for folder in sys.argv[1:] or ["fixtures/cues"]:
        print(f"{folder}\n\n{evaluate_fixtures(folder).to_markdown()}\n")
