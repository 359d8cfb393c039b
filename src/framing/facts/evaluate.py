"""Measure fact alignment against hand labels: precision and recall of agree / conflict.

The unit is a judgement ``(outlet A, outlet B, relation)`` on one labelled fact. A predicted
pair counts for a labelled fact when the predicted fact holds the labelled phrase of both
outlets (so it is the same fact, not merely the same event). Predicted pairs that match no
labelled fact are false positives. Internal inconsistencies are scored the same way.

Run: ``python -m framing.facts.evaluate fixtures/facts`` (a folder with ``corpus/`` and
``labels.toml``).
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RELATIONS = ("agree", "conflict")


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.true_positives, "fp": self.false_positives, "fn": self.false_negatives,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3)}


def load_labels(path: str | Path) -> dict[str, Any]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def _holds(fact: dict[str, Any], outlet: str, phrase: str) -> bool:
    return any(m["outlet"] == outlet and (m["text"] == phrase or phrase in m["text"]
                                         or m["text"] in phrase)
               for m in fact["mentions"])


def score_facts(section: dict[str, Any], labels: dict[str, Any]) -> dict[str, Score]:
    """Precision/recall per relation (agree, conflict) of predicted outlet-pair judgements."""
    expected: dict[str, set[tuple[int, str, str]]] = {r: set() for r in RELATIONS}
    for i, fact in enumerate(labels.get("facts", [])):
        for relation in RELATIONS:
            for a, b in fact.get(relation, []):
                expected[relation].add((i, *sorted((a, b))))
    predicted: dict[str, set[tuple[int, str, str]]] = {r: set() for r in RELATIONS}
    for fact in section["facts"]:
        for pair in fact["pairs"]:
            a, b = sorted(pair["outlets"])
            match = next((i for i, lab in enumerate(labels.get("facts", []))
                          if a in lab["phrases"] and b in lab["phrases"]
                          and (lab.get("event") or None) == fact["event"]
                          and _holds(fact, a, lab["phrases"][a]) and _holds(fact, b, lab["phrases"][b])),
                         None)
            key = (match, a, b) if match is not None else (-1, a, f"{b}|{fact['id']}")
            predicted[pair["relation"]].add(key)
    return {r: Score(len(predicted[r] & expected[r]), len(predicted[r] - expected[r]),
                     len(expected[r] - predicted[r])) for r in RELATIONS}


def score_inconsistencies(section: dict[str, Any], labels: dict[str, Any]) -> Score:
    expected = {(x["article"], x["phrase"]) for x in labels.get("inconsistencies", [])}
    predicted = {(x["article"], x["text"]) for x in section["inconsistencies"] if x["kind"] == "internal"}
    return Score(len(predicted & expected), len(predicted - expected), len(expected - predicted))


def evaluate(folder: str | Path) -> dict[str, Any]:
    """Analyse ``folder/corpus`` and score it against ``folder/labels.toml``."""
    from ..analysis import analyze  # noqa: PLC0415

    folder = Path(folder)
    result = analyze(folder / "corpus")
    section = result.sections["facts"].to_dict()
    labels = load_labels(folder / "labels.toml")
    scores = score_facts(section, labels)
    return {**{r: s.to_dict() for r, s in scores.items()},
            "internal_inconsistency": score_inconsistencies(section, labels).to_dict()}


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(evaluate(sys.argv[1] if len(sys.argv) > 1 else "fixtures/facts"), indent=1))
