"""The plain-Python TF-IDF gives scikit-learn's figures (the facts stage links on them)."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from framing.facts.tfidf import ENGLISH_STOP_WORDS as OURS
from framing.facts.tfidf import SentenceTfidf, term_counts

SENTENCES = [
    "The Health Ministry said 164 people died in the January unrest.",
    "At least 225 people were killed, the ministry said on Monday.",
    "The Health Ministry said 164 people died in the January unrest.",  # a second row, same text
    "Oil exports to Europe rose 12% in 2022, oil traders said.",
    "Oil, oil and more oil: exports rose by a 12% share.",
    "Kazakhstan's exports of grain fell; grain prices rose.",
    "Ünïcode wörds — naïve café résumé, 2022-01-05 and 3.5% too.",
    "It is what it is.",  # stop words only
    "A b c 1 2",          # nothing of two characters or more
]


def test_stop_words_are_scikit_learns():
    assert OURS == ENGLISH_STOP_WORDS


@pytest.mark.parametrize("text", SENTENCES)
def test_terms_are_scikit_learns(text):
    analyzer = TfidfVectorizer(stop_words="english").build_analyzer()
    expected: dict[str, int] = {}
    for term in analyzer(text):
        expected[term] = expected.get(term, 0) + 1
    assert term_counts(text) == expected


def test_cosines_equal_scikit_learns():
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(SENTENCES)
    expected = (matrix @ matrix.T).toarray()
    ours = SentenceTfidf(SENTENCES)
    got = np.array([[ours.cosine(a, b) for b in SENTENCES] for a in SENTENCES])
    assert np.allclose(got, expected, rtol=0, atol=1e-12)
    assert ours.cosine(SENTENCES[0], SENTENCES[2]) == pytest.approx(1.0)
    assert ours.cosine(SENTENCES[7], SENTENCES[0]) == 0.0  # no terms: no similarity


def test_rows_added_one_by_one_with_a_tiny_cache_give_the_same_figures():
    whole = SentenceTfidf(SENTENCES)
    grown = SentenceTfidf(cache_size=2)  # forgets term counts and vectors all the time
    for sentence in SENTENCES:
        grown.add(sentence)
    assert grown.idf_ == whole.idf_
    for a in SENTENCES:
        for b in SENTENCES:
            assert grown.cosine(a, b) == whole.cosine(a, b)
    assert len(grown._counts) <= 2 and len(grown._vectors) <= 2
