"""Property-based tests: any text goes through the whole pipeline without crashing,
and every span of every key lies inside the original text.

Examples are bounded (a few hundred at most) so the file runs in seconds; hypothesis
keeps failing examples in .hypothesis/ and replays them first on the next run.
"""
from __future__ import annotations

import functools
import json
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

import framing
from framing.corpus import ArticleEntry, Corpus, Outlet
from framing.document import ArticleMeta, Document, Span
from framing.errors import FramingError, InputError
from framing.pipeline import AnalysisConfig, Pipeline
from framing.sources import decode_text

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# Lines that cleaning treats as page furniture, and prose-like pieces, to mix with noise.
JUNK_LINES = ["Share", "Comments (3)", "Subscribe", "© 2022 All rights reserved.", "Read more",
              "News ID: 1234", "12.05.2022 14:30", "• Politics", "asdasd", "Photo: Reuters",
              "Advertisement", "Ещё новости", "Главная", "Do you want to leave a comment?", "1 234"]
PROSE = ["Officials met in Astana on Monday.", "\"We will not allow it,\" he said.",
         "According to sources, the talks failed.", "Mr. Tokayev won 81.3% of the vote.",
         "The so-called \u201cpeacekeepers\u201d left.", "It rose by $1.5 billion in 2022.",
         "Dr. A. B. Smith, an expert, disagreed", "risks.Kazakhstan's economy grew", "- approx. InoSMI"]

any_text = st.text(max_size=600)  # every code point: controls, surrogates excluded by hypothesis
unicode_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                              blacklist_categories=("Cs",)), max_size=400)
line_soup = st.lists(st.one_of(st.sampled_from(JUNK_LINES), st.sampled_from(PROSE),
                               st.text(max_size=40), st.just(""), st.sampled_from(["\r", "\t", "\f",
                                                                                   "\u2028", "\x85"])),
                     max_size=30).map(lambda parts: "\n".join(parts))
junk_only = st.lists(st.sampled_from(JUNK_LINES), min_size=1, max_size=20).map("\n".join)
one_line = st.lists(st.sampled_from(PROSE), min_size=1, max_size=40).map(" ".join)
texts = st.one_of(any_text, unicode_text, line_soup, junk_only, one_line)


@functools.lru_cache(maxsize=1)
def pipeline() -> Pipeline:
    return Pipeline.from_config(AnalysisConfig())


def analyse(text: str) -> Document:
    return pipeline()(Document(text=text, meta=ArticleMeta(id="p", outlet="x", source="prop")))


def assert_spans_inside(doc: Document) -> None:
    n = len(doc.text)
    for key, spans in doc.spans.items():
        for span in spans:
            assert 0 <= span.start <= span.end <= n, (key, span, n)
            for name in ("speaker_start", "speaker_end"):  # offsets carried in attributes
                value = span.attrs.get(name)
                if isinstance(value, int):
                    assert 0 <= value <= n, (key, name, value, n)


@SETTINGS
@given(texts)
def test_any_text_never_crashes_and_spans_stay_inside(text: str) -> None:
    doc = analyse(text)
    assert doc.text == text  # the pipeline never rewrites the original
    assert_spans_inside(doc)
    bodies = doc.body
    for sentence in doc.sentences:  # sentences come from the kept body only
        assert any(b.start <= sentence.start and sentence.end <= b.end for b in bodies)
        assert doc.text_of(sentence).strip() == doc.text_of(sentence)
    for junk in doc.get("junk"):
        assert not any(junk.overlaps(b) for b in bodies)


@SETTINGS
@given(texts)
def test_analysis_is_deterministic(text: str) -> None:
    first, second = analyse(text), analyse(text)
    assert first.spans == second.spans


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_fail_with_an_input_error(data: bytes) -> None:
    try:
        text = decode_text(data, "prop.txt")
    except InputError as exc:
        assert str(exc).startswith("error E101: prop.txt: ")
        return
    assert text.strip()


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["alpha", "beta", "gamma"]), texts),
                min_size=1, max_size=4))
def test_whole_analysis_with_corpus_stages_never_crashes(articles) -> None:
    # Through framing.analyze: loading checks, every extractor, every corpus stage, JSON.
    entries = tuple(ArticleEntry(meta=ArticleMeta(id=f"a{i}", outlet=outlet, source=f"row {i}"),
                                 inline_text=text) for i, (outlet, text) in enumerate(articles))
    corpus = Corpus(name="prop", root=Path("."),
                    outlets={o: Outlet(o, o) for o, _ in articles}, entries=entries)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = framing.analyze(corpus, AnalysisConfig(options={"skip_bad": True}))
        except FramingError as exc:  # allowed: a clear, coded error, never a crash
            assert str(exc).startswith("error E")
            return
    assert len(result.documents) + len(result.skipped) == len(articles)
    for doc in result.documents:
        assert_spans_inside(doc)
    data = json.loads("".join(result.iter_json()))
    for article in data["articles"]:
        text = next(d.text for d in result.documents if d.id == article["id"])
        for finding in article["findings"]:
            assert text[finding["start"]:finding["end"]] == finding["text"]


simple_values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(-2, 2),
                          st.text(max_size=5), st.lists(st.integers(), max_size=2))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from(["voice", "term", "block", "n", "speaker"]), simple_values,
                       max_size=4),
       st.dictionaries(st.sampled_from(["voice", "term", "block", "n", "speaker"]), simple_values,
                       max_size=4))
def test_span_attrs_keep_values_types_and_order(first: dict, second: dict) -> None:
    # Spans with equal attributes may share one read-only mapping (memory), but each span
    # must still read back exactly its own attributes: same keys, order, values and types.
    a, b = Span(0, 1, "x", first), Span(0, 1, "x", second)
    for span, attrs in ((a, first), (b, second)):
        assert list(span.attrs.items()) == list(attrs.items())
        assert [type(v) for v in span.attrs.values()] == [type(v) for v in attrs.values()]
    assert json.dumps(dict(a.attrs)) == json.dumps(first)
    assert json.dumps(dict(b.attrs)) == json.dumps(second)


def test_equal_simple_attrs_are_stored_once() -> None:
    spans = [Span(i, i + 1, "sentence", {"block": "paragraph"}) for i in range(100)]
    assert len({id(s.attrs) for s in spans}) == 1
    with_list = [Span(i, i + 1, "x", {"values": [1, 2]}) for i in range(3)]
    assert all(s.attrs["values"] == [1, 2] for s in with_list)
