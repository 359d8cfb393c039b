"""``CueVectorizer``: framing findings as a scikit-learn feature matrix.

Each row is one article, each column a finding category (or category and voice,
or lexicon term), each value a rate per 1,000 words of kept body — the same
numbers as the ``profiles`` section. It takes analysed :class:`Document` objects
or raw texts (which it runs through the pipeline), so it fits in an sklearn
``Pipeline`` in front of a classifier or a clustering step::

    from sklearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    model = make_pipeline(CueVectorizer(), LogisticRegression()).fit(texts, outlets)
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .document import ArticleMeta, Document, Span
from .pipeline import AnalysisConfig, Pipeline
from .profiles import body_words, counted_findings, finding_kind

FEATURES = ("category", "category_voice", "term")


def feature_of(span: Span, features: str) -> str:
    """The column a finding counts in: its category, category/voice, or lexicon term."""
    if features == "category_voice":
        return f"{span.label}/{span.attrs.get('voice') or 'unknown'}"
    if features == "term" and span.attrs.get("term"):
        lexicon = span.attrs.get("lexicon")
        return f"{lexicon}:{span.attrs['term']}" if lexicon else str(span.attrs["term"])
    return span.label


class CueVectorizer(TransformerMixin, BaseEstimator):
    """Turn articles into rates of framing findings per ``per_words`` words of kept body.

    Parameters
    ----------
    features : {"category", "category_voice", "term"}
        What a column is: a finding category ("loaded-term"), a category with the
        voice it is in ("loaded-term/outlet"), or a lexicon term ("pack:term-id";
        findings without a term keep their category).
    keys : tuple of str or None
        Span keys to count; None counts every findings key of the pipeline.
    kinds : tuple of str or None
        Kinds of finding to count: "cue" (framing wording), "neutral-label" (plain
        names kept for the label map) and "sourcing"; None counts all three.
    per_words : int
        Rates are per this many words (1,000 by default, as in the profiles).
    min_count : int
        Keep a column only if ``fit`` saw at least this many findings of it.
    config : AnalysisConfig or None
        Configuration for analysing raw texts (lexicons, extractors).
    """

    def __init__(self, features: str = "category", keys: tuple[str, ...] | None = None,
                 kinds: tuple[str, ...] | None = None, per_words: int = 1000, min_count: int = 1,
                 config: AnalysisConfig | None = None) -> None:
        self.features = features
        self.keys = keys
        self.kinds = kinds
        self.per_words = per_words
        self.min_count = min_count
        self.config = config

    # --- input -------------------------------------------------------------------------------

    def _check_params(self) -> None:
        if self.features not in FEATURES:
            raise ValueError(f"features must be one of {FEATURES}, got {self.features!r}")
        if not isinstance(self.per_words, int) or self.per_words <= 0:
            raise ValueError(f"per_words must be a positive integer, got {self.per_words!r}")
        unknown = set(self.kinds or ()) - {"cue", "neutral-label", "sourcing"}
        if unknown:
            raise ValueError(f"kinds may hold 'cue', 'neutral-label', 'sourcing'; got {sorted(unknown)}")
        if not isinstance(self.min_count, int) or self.min_count < 1:
            raise ValueError(f"min_count must be an integer >= 1, got {self.min_count!r}")

    def _pipeline(self) -> Pipeline:
        return Pipeline.from_config(self.config or AnalysisConfig())

    def _documents(self, raw: Iterable[Any], pipeline: Pipeline) -> list[Document]:
        if isinstance(raw, (str, bytes)):
            raise ValueError("Iterable over raw text documents or framing Documents expected, "
                             f"{type(raw).__name__} object received.")
        docs = []
        for i, item in enumerate(raw):
            if isinstance(item, Document):
                docs.append(item if "body" in item.spans else pipeline(Document(item.text, item.meta)))
            elif isinstance(item, str):
                meta = ArticleMeta(id=f"text-{i}", outlet="unknown", source=f"<text {i}>")
                docs.append(pipeline(Document(item, meta)))
            else:
                raise TypeError(f"item {i}: expected a str or a framing Document, "
                                f"got {type(item).__name__}")
        return docs

    def _counts(self, docs: list[Document], keys: tuple[str, ...]) -> list[Counter[str]]:
        kinds = set(self.kinds) if self.kinds is not None else None
        return [Counter(feature_of(span, self.features) for key, span in counted_findings(doc, keys)
                        if kinds is None or finding_kind(key, span) in kinds)
                for doc in docs]

    def _matrix(self, docs: list[Document], counts: list[Counter[str]]) -> np.ndarray:
        matrix = np.zeros((len(docs), len(self.vocabulary_)), dtype=float)
        for i, (doc, counter) in enumerate(zip(docs, counts)):
            words = body_words(doc)
            if not words:
                continue
            for feature, n in counter.items():
                j = self.vocabulary_.get(feature)
                if j is not None:
                    matrix[i, j] = n / words * self.per_words
        return matrix

    # --- sklearn API ----------------------------------------------------------------------------

    def _fit(self, raw: Iterable[Any]) -> tuple[list[Document], list[Counter[str]]]:
        self._check_params()
        pipeline = self._pipeline()
        keys = tuple(self.keys) if self.keys is not None else tuple(pipeline.finding_keys)
        docs = self._documents(raw, pipeline)
        counts = self._counts(docs, keys)
        total: Counter[str] = Counter()
        for counter in counts:
            total.update(counter)
        names = sorted(f for f, n in total.items() if n >= self.min_count)
        self.vocabulary_ = {name: j for j, name in enumerate(names)}
        self.keys_ = keys
        self.n_documents_ = len(docs)
        return docs, counts

    def fit(self, raw_documents: Iterable[Any], y: Any = None) -> "CueVectorizer":
        """Learn the columns (``vocabulary_``) from the findings in ``raw_documents``."""
        self._fit(raw_documents)
        return self

    def fit_transform(self, raw_documents: Iterable[Any], y: Any = None, **fit_params: Any) -> np.ndarray:
        """``fit`` then ``transform``, analysing each raw text once."""
        docs, counts = self._fit(raw_documents)
        return self._matrix(docs, counts)

    def transform(self, raw_documents: Iterable[Any]) -> np.ndarray:
        """Rates per ``per_words`` words, one row per document, columns in ``get_feature_names_out()``."""
        check_is_fitted(self, "vocabulary_")
        docs = self._documents(raw_documents, self._pipeline())
        return self._matrix(docs, self._counts(docs, self.keys_))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "vocabulary_")
        return np.asarray(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__), dtype=object)
