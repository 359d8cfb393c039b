"""CueVectorizer: the scikit-learn contract, and rates that match the profiles."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from framing.document import ArticleMeta, Document, Span
from framing.pipeline import AnalysisConfig, Pipeline
from framing.profiles import build_profiles
from framing.vectorizer import CueVectorizer

# Two kinds of text the sourcing extractor tells apart: named sources vs inserted notes.
SOURCED = [
    "Prices rose in May, political analyst Arman Beket said. According to economist Dana Sadyk, "
    "wages lag behind.\n",
    "The plan is fair, professor Erlan Dosov told reporters. Economist Aida Nur said it was late.\n",
    "Exports fell, a source in the ministry said. According to analyst Timur Ali, imports grew.\n",
]
NOTED = [
    "Exports fell sharply (the figure is disputed - approx. InoSMI). Trade moved east.\n",
    "The talks failed (note by the translator: the original word is harsher). Nobody was surprised.\n",
    "Editor's note: the dates were corrected on 3 May.\nThe summit was moved to June.\n",
]
SOURCING_ONLY = AnalysisConfig(extractors=("junk", "layout", "body", "sentences", "sourcing"))


def analysed(text: str, article: str = "t", outlet: str = "o") -> Document:
    doc = Document(text=text, meta=ArticleMeta(id=article, outlet=outlet, source=f"{article}.txt"))
    return Pipeline.from_config(SOURCING_ONLY)(doc)


@pytest.mark.parametrize("features", ["category", "category_voice", "term"])
class TestSklearnContract:
    def test_params_and_clone(self, features: str) -> None:
        vec = CueVectorizer(features=features, per_words=100, config=SOURCING_ONLY)
        params = vec.get_params()
        assert params["features"] == features and params["per_words"] == 100
        twin = clone(vec)
        assert twin is not vec and twin.get_params()["features"] == features
        assert not hasattr(twin, "vocabulary_")

    def test_fit_returns_self_and_fit_transform_equals_fit_then_transform(self, features: str) -> None:
        texts = SOURCED + NOTED
        vec = CueVectorizer(features=features, config=SOURCING_ONLY)
        assert vec.fit(texts) is vec
        names = vec.get_feature_names_out()
        assert names.dtype == object and len(names) == len(set(names)) > 0
        one = CueVectorizer(features=features, config=SOURCING_ONLY).fit_transform(texts)
        two = vec.transform(texts)
        assert one.shape == two.shape == (len(texts), len(names))
        np.testing.assert_allclose(one, two)
        assert (one >= 0).all()

    def test_in_a_pipeline_with_a_classifier(self, features: str) -> None:
        texts, labels = SOURCED + NOTED, [1] * len(SOURCED) + [0] * len(NOTED)
        model = make_pipeline(CueVectorizer(features=features, config=SOURCING_ONLY),
                              LogisticRegression())
        model.fit(texts, labels)
        assert list(model.predict(texts)) == labels
        assert clone(model).get_params()["cuevectorizer__features"] == features

    def test_bare_string_and_unfitted_use_fail_clearly(self, features: str) -> None:
        vec = CueVectorizer(features=features, config=SOURCING_ONLY)
        with pytest.raises(ValueError, match="Iterable over raw text documents"):
            vec.fit("one long string")
        with pytest.raises(NotFittedError):
            vec.transform(SOURCED)
        with pytest.raises(TypeError, match="item 1"):
            vec.fit([SOURCED[0], 42])


@pytest.mark.parametrize("bad", [{"features": "words"}, {"per_words": 0}, {"min_count": 0}])
def test_bad_parameters_fail_in_fit_not_init(bad: dict) -> None:
    vec = CueVectorizer(**bad)  # __init__ only stores, as in sklearn
    with pytest.raises(ValueError):
        vec.fit(SOURCED)


def test_rates_match_the_profiles_on_analysed_documents() -> None:
    docs = [analysed(t, f"a{i}", "x" if i < 3 else "y") for i, t in enumerate(SOURCED + NOTED)]
    vec = CueVectorizer(keys=("sourcing",))
    matrix = vec.fit_transform(docs)
    profiles = build_profiles(docs, ["sourcing"])
    names = list(vec.get_feature_names_out())
    for i, doc in enumerate(docs):
        for j, name in enumerate(names):
            row = profiles.rate(doc.meta.outlet, "category", name, article=doc.id)
            assert matrix[i, j] == pytest.approx(row.per_1000 if row else 0.0, abs=1e-2)


def test_features_seen_only_at_transform_are_ignored_and_hand_made_spans_count() -> None:
    doc = analysed("Sanctions hurt the region badly. Trade fell.\n")
    cue = Span(0, 9, "loaded-term", {"voice": "outlet", "term": "sanctions", "lexicon": "demo"})
    doc.spans["cues"] = [cue]
    vec = CueVectorizer(features="term", keys=("cues",)).fit([doc])
    assert list(vec.get_feature_names_out()) == ["demo:sanctions"]
    other = analysed("Prices rose, political analyst Arman Beket said.\n")
    assert vec.transform([other]).tolist() == [[0.0]]
    assert vec.transform([doc])[0, 0] == pytest.approx(1 / 7 * 1000, abs=1e-6)


def test_min_count_drops_rare_columns() -> None:
    vec = CueVectorizer(config=SOURCING_ONLY, min_count=3).fit(SOURCED + NOTED)
    assert set(vec.get_feature_names_out()) == {"named-source", "editorial-note"}  # anonymous: 1


def test_kinds_select_cues_labels_or_sourcing() -> None:
    doc = analysed("Sanctions hurt the region, political analyst Arman Beket said.\n")
    doc.spans["cues"] = [Span(0, 9, "loaded-term", {"voice": "outlet", "loaded": True}),
                         Span(18, 24, "label", {"voice": "outlet", "loaded": False})]
    every = CueVectorizer(keys=("cues", "sourcing")).fit([doc])
    assert list(every.get_feature_names_out()) == ["label", "loaded-term", "named-source"]
    cues = CueVectorizer(keys=("cues", "sourcing"), kinds=("cue",)).fit([doc])
    assert list(cues.get_feature_names_out()) == ["loaded-term"]
    with pytest.raises(ValueError, match="kinds"):
        CueVectorizer(kinds=("loaded",)).fit([doc])
