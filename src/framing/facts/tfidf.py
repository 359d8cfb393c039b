"""TF-IDF cosine of sentence pairs in plain Python, as scikit-learn computes it.

The same figures as ``TfidfVectorizer(stop_words="english", sublinear_tf=True)`` followed by a
row-wise dot product (a test checks they agree to 1e-12), without importing scikit-learn:
the import alone costs about a CPU second, more than aligning 1,000 articles, and the facts
stage only compares a few thousand short sentences, sparsely, pair by pair.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

#: scikit-learn's default token pattern: runs of two or more word characters.
TOKEN = re.compile(r"(?u)\b\w\w+\b")

#: scikit-learn's English stop words (``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``,
#: BSD-3-Clause; from the Glasgow Information Retrieval Group). A test checks they are equal.
ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also although
always am among amongst amoungst amount an and another any anyhow anyone anything anyway
anywhere are around as at back be became because become becomes becoming been before beforehand
behind being below beside besides between beyond bill both bottom but by call can cannot cant co
con could couldnt cry de describe detail do done down due during each eg eight either eleven
else elsewhere empty enough etc even ever every everyone everything everywhere except few
fifteen fifty fill find fire first five for former formerly forty found four from front full
further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers
herself him himself his how however hundred i ie if in inc indeed interest into is it its itself
keep last latter latterly least less ltd made many may me meanwhile might mill mine more
moreover most mostly move much must my myself name namely neither never nevertheless next nine
no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
others otherwise our ours ourselves out over own part per perhaps please put rather re same see
seem seemed seeming seems serious several she should show side since sincere six sixty so some
somehow someone something sometime sometimes somewhere still such system take ten than that the
their them themselves then thence there thereafter thereby therefore therein thereupon these
they thick thin third this those though three through throughout thru thus to together too top
toward towards twelve twenty two un under until up upon us very via was we well were what
whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would yet
you your yours yourself yourselves
""".split())


def term_counts(text: str) -> dict[str, int]:
    """Lower-cased tokens of ``text`` that are not stop words, with their counts."""
    counts: dict[str, int] = {}
    for token in TOKEN.findall(text.lower()):
        if token not in ENGLISH_STOP_WORDS:
            counts[token] = counts.get(token, 0) + 1
    return counts


#: Distinct sentences whose term counts, and whose vectors, are kept for reuse (each).
CACHE_SIZE = 4096


class _Bounded(dict):
    """A dict that forgets everything when it is full: a repeated sentence (a wire story
    in many outlets) is weighed once, but a corpus of distinct sentences is not held."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: str, value: dict) -> dict:
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value


class SentenceTfidf:
    """Smoothed IDF learned from a set of sentences; L2-normalised sublinear TF-IDF vectors.

    ``sentences`` (or :meth:`add`) gives one entry per row of the would-be matrix (a sentence
    repeated in two articles counts twice, as in scikit-learn). Only the document frequency
    of each term is kept, not the sentences: a vector is made again from the text when a
    cosine needs it (repeated sentences hit a bounded cache), so memory follows the
    vocabulary, not the corpus.
    """

    def __init__(self, sentences: Iterable[str] = (), cache_size: int = CACHE_SIZE) -> None:
        self._document_frequency: Counter[str] = Counter()
        self._rows = 0
        self._idf: dict[str, float] | None = None
        self._counts = _Bounded(cache_size)
        self._vectors = _Bounded(cache_size)
        for sentence in sentences:
            self.add(sentence)

    def _term_counts(self, sentence: str) -> dict[str, int]:
        counts = self._counts.get(sentence)
        return self._counts.put(sentence, term_counts(sentence)) if counts is None else counts

    def add(self, sentence: str) -> None:
        """Count one more row; the IDF (and every vector) is learned again after it."""
        self._document_frequency.update(self._term_counts(sentence).keys())
        self._rows += 1
        if self._idf is not None:
            self._idf = None
            self._vectors.clear()

    @property
    def idf_(self) -> dict[str, float]:
        if self._idf is None:
            rows = self._rows
            self._idf = {term: math.log((rows + 1) / (df + 1)) + 1.0
                         for term, df in self._document_frequency.items()}
        return self._idf

    def vector(self, sentence: str) -> dict[str, float]:
        """Term -> weight, unit length (empty when no term is left)."""
        found = self._vectors.get(sentence)
        if found is None:
            idf = self.idf_
            weights = {term: (1.0 + math.log(count)) * idf[term]
                       for term, count in self._term_counts(sentence).items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            found = self._vectors.put(sentence, {term: w / norm for term, w in weights.items()}
                                      if norm else {})
        return found

    def cosine(self, a: str, b: str) -> float:
        """Cosine similarity of two sentences the IDF was learned from."""
        return cosine_of(self.vector(a), self.vector(b))


def cosine_of(u: dict[str, float], v: dict[str, float]) -> float:
    """Cosine of two unit vectors (:meth:`SentenceTfidf.vector`), over the shorter one's terms."""
    if len(u) > len(v):
        u, v = v, u
    return sum(w * v[term] for term, w in u.items() if term in v)
