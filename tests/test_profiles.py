"""Profiles: rates per 1,000 words by category and voice, each figure traced to its findings."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import framing
from framing.document import ArticleMeta, Document, Span
from framing.pipeline import AnalysisConfig, Pipeline
from framing.profiles import ArticleRecords, build_profiles, profile_record, profiles_from_records

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def doc_with_cues(article: str, outlet: str, text: str, cues: list[tuple[str, str, str]]) -> Document:
    """An analysed document plus hand-made cue spans: (phrase, category, voice)."""
    doc = Document(text=text, meta=ArticleMeta(id=article, outlet=outlet, source=f"{article}.txt"))
    Pipeline.from_config(AnalysisConfig(extractors=("junk", "layout", "body", "sentences")))(doc)
    spans = []
    for phrase, category, voice in cues:
        start = text.index(phrase)
        spans.append(Span(start, start + len(phrase), category, {"voice": voice}))
    doc.spans["cues"] = spans
    return doc


# 19 and 16 words of body; a navigation line ("Subscribe") is junk.
TEXT_A = ("The regime crushed the protests in the capital. Officials claimed the riots were "
          "a coup attempt by foreign agents.\nSubscribe\n")
TEXT_B = "Protests spread to three cities on Monday. The police arrested dozens of people, the ministry said.\n"


@pytest.fixture()
def documents():
    a = doc_with_cues("a1", "alpha", TEXT_A, [("regime", "loaded-term", "outlet"),
                                               ("crushed", "emotive-verb", "outlet"),
                                               ("riots", "loaded-term", "quoted"),
                                               ("Subscribe", "loaded-term", "outlet")])  # in junk
    b = doc_with_cues("b1", "beta", TEXT_B, [])
    a2 = doc_with_cues("a2", "alpha", TEXT_B, [("arrested", "emotive-verb", "outlet")])
    return [a, b, a2]


@pytest.fixture()
def profiles(documents):
    return build_profiles(documents, ["cues"], {"alpha": "Alpha News"})


def test_words_count_the_kept_body_only(profiles) -> None:
    assert profiles.unit("alpha", "a1").words == 19
    assert profiles.unit("beta", "b1").words == 16
    assert profiles.unit("alpha").words == 19 + 16
    assert profiles.unit("alpha").articles == 2 and profiles.unit("alpha").outlet_name == "Alpha News"


def test_rates_by_category_and_voice_with_their_findings(profiles) -> None:
    loaded = profiles.rate("alpha", "category", "loaded-term", article="a1")
    assert loaded.count == 2  # the junk line "Subscribe" is not counted
    assert loaded.per_1000 == pytest.approx(2 / 19 * 1000, abs=1e-3)
    assert [(f.article, f.start, f.end) for f in loaded.findings] == [
        ("a1", TEXT_A.index("regime"), TEXT_A.index("regime") + 6),
        ("a1", TEXT_A.index("riots"), TEXT_A.index("riots") + 5)]
    own = profiles.rate("alpha", "voice", "outlet")
    assert own.count == 3 and own.words == 35
    assert {f.article for f in own.findings} == {"a1", "a2"}
    assert profiles.rate("alpha", "category_voice", "loaded-term/quoted").count == 1
    assert profiles.rate("alpha", "key", "cues").count == 4


def test_an_outlet_without_findings_has_a_zero_rate_not_a_missing_row(profiles) -> None:
    beta = profiles.unit("beta")
    assert beta.findings == 0 and beta.per_1000 == 0.0
    assert profiles.rate("beta", "category", "loaded-term") is None


def test_every_rate_equals_its_listed_findings(profiles) -> None:
    for row in profiles.rates:
        assert row.count == len(row.findings) > 0
        assert row.per_1000 == pytest.approx(row.count / row.words * 1000, abs=1e-3)


def test_to_dict_is_flat_records_json_can_hold(profiles) -> None:
    data = json.loads(json.dumps(profiles.to_dict()))
    assert {"outlets", "articles", "rates", "unit"} <= set(data)
    for table in ("outlets", "articles", "rates"):
        for record in data[table]:
            nested = [k for k, v in record.items() if isinstance(v, (dict, list))]
            assert nested in ([], ["findings"]), (table, nested)
    assert len({len(r) for r in data["rates"]}) == 1  # same columns in every row


def test_analyze_writes_profiles_that_point_at_real_findings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = framing.analyze(FIXTURES / "sourcing")
    data = result.to_dict()
    section, articles = data["profiles"], data["articles"]
    assert "findings" in section["finding_refs"]
    rows = [r for r in section["rates"] if r["dimension"] == "category"]
    assert {r["level"] for r in rows} == {"article", "outlet"}
    for row in rows:
        # compact references: [article index, finding index] into analysis.json's articles
        found = [articles[a]["findings"][f] for a, f in row["findings"]]
        assert len(found) == row["count"]
        assert {f["category"] for f in found} == {row["value"]}
        assert {articles[a]["outlet"] for a, _ in row["findings"]} == {row["outlet"]}
        if row["level"] == "article":
            assert {articles[a]["id"] for a, _ in row["findings"]} == {row["article"]}
    refs = [tuple(ref) for r in section["rates"] for ref in r["findings"]]
    for (a, f), ref in zip(refs, (r for row in result.sections["profiles"].rates for r in row.findings)):
        finding = articles[a]["findings"][f]
        assert (articles[a]["id"], finding["start"], finding["end"], finding["key"]) == (
            ref.article, ref.start, ref.end, ref.key)


def test_neutral_labels_and_sourcing_are_not_counted_as_cues() -> None:
    doc = doc_with_cues("n1", "nu", TEXT_B, [("Protests", "label", "outlet"),
                                             ("arrested", "emotive-verb", "outlet"),
                                             ("ministry", "loaded-term", "quoted")])
    spans = doc.spans["cues"]
    doc.spans["cues"] = [Span(s.start, s.end, s.label, {**s.attrs, "loaded": s.label != "label"})
                         for s in spans]
    start = TEXT_B.index("the ministry")
    doc.spans["sourcing"] = [Span(start, start + 12, "anonymous-source", {"voice": "outlet"})]
    profiles = build_profiles([doc], ["cues", "sourcing"])
    unit = profiles.unit("nu").to_dict()
    assert unit["findings"] == 4 and unit["cues"] == 2 and unit["own_voice_cues"] == 1
    assert unit["cues_per_1000"] == pytest.approx(2 / 16 * 1000, abs=1e-3)
    assert profiles.rate("nu", "kind", "neutral-label").count == 1
    assert profiles.rate("nu", "kind", "sourcing").count == 1


def test_building_profiles_restores_the_garbage_collector_state(profiles) -> None:
    import gc
    from framing.profiles import without_cycle_collection

    @without_cycle_collection
    def fails() -> None:
        assert not gc.isenabled()
        raise ValueError("boom")

    assert gc.isenabled()
    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()
    gc.disable()
    try:
        profiles.to_dict()
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_article_records_kept_on_disk_give_the_same_profiles(documents) -> None:
    names = {"alpha": "Alpha News"}
    profiles = profiles_from_records((profile_record(d, ["cues"]) for d in documents), names)
    spooled = profiles_from_records((profile_record(d, ["cues"]) for d in documents), names, spooled=True)
    assert isinstance(spooled.articles, ArticleRecords) and len(spooled.articles) == 3
    assert list(spooled.articles) == list(profiles.articles) == spooled.articles[0:3]
    assert spooled.articles[-1] == profiles.articles[2]
    assert spooled.to_dict() == profiles.to_dict()
    assert spooled.units == profiles.units and spooled.rates == profiles.rates


@pytest.mark.parametrize("corpus", ["report/corpus", "facts/corpus", "cues"])
def test_body_words_take_the_paragraphs_from_readability_and_count_the_same(corpus):
    from dataclasses import replace

    from framing.profiles import body_words
    from framing.readability import count_words

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = list(framing.analyze(FIXTURES / corpus).documents)
    assert docs
    for doc in docs:
        counted = sum(count_words(doc.text_of(s)) for s in doc.body)
        assert doc.metrics["readability"]["words"] < counted  # the title is not a paragraph
        assert body_words(doc) == counted
        assert body_words(replace(doc, metrics={})) == counted  # no readability measure: all counted here


@pytest.mark.parametrize("corpus", ["report/corpus", "facts/corpus", "cues"])
def test_rate_rows_written_from_pieces_are_json_dumps_of_the_rate_rows(corpus) -> None:
    # The JSON rows take each finding's "[a, f]" from a table made once per outlet or
    # article, and the fields rows share from earlier rows: text for text what the encoder
    # writes of RateRow.to_dict(), outlets' rows (findings of several articles, merged in
    # order) and articles' rows alike.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        profiles = framing.analyze(FIXTURES / corpus).sections["profiles"]
    rows = list(profiles._rate_rows_json())
    assert len(rows) > 10 and any(r.level == "outlet" and r.count > 1 for r in profiles.rates)
    assert rows == [json.dumps(r.to_dict(), ensure_ascii=False) for r in profiles.rates]


def test_rate_rows_of_the_hand_made_cues_are_json_dumps_of_the_rate_rows(profiles) -> None:
    assert list(profiles._rate_rows_json()) == [json.dumps(r.to_dict(), ensure_ascii=False)
                                                for r in profiles.rates]
