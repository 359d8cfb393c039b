"""Cleaning marks junk without rewriting: checked against hand labels on the seeds."""
from __future__ import annotations

import re
import tomllib

import pytest

from framing.cleaning import (_ANY_JUNK_LINE, _JUNK_LINE_PATTERNS, _first_words, _normalise, beyond_ascii,
                              count_words, iter_lines, junk_reason)
from framing.corpus import load_corpus
from framing.document import ArticleMeta, Document
from framing.pipeline import AnalysisConfig, Pipeline

from conftest import FIXTURES, SEEDS

_JUNK_REASONS = [reason for reason, _ in _JUNK_LINE_PATTERNS]

LABELS = tomllib.loads((FIXTURES / "cleaning" / "seed_junk.toml").read_text(encoding="utf-8"))["file"]


def clean(text: str, **meta) -> Document:
    doc = Document(text=text, meta=ArticleMeta(id="t", outlet="o", source="t.txt", **meta))
    config = AnalysisConfig(extractors=("junk", "layout", "body", "sentences"))
    return Pipeline.from_config(config)(doc)


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, Document]:
    corpus = load_corpus(SEEDS)
    pipeline = Pipeline.from_config(AnalysisConfig(extractors=("junk", "layout", "body", "sentences")))
    return {entry.path.name: pipeline(entry.load()) for entry in corpus.entries}


def kept_lines(doc: Document) -> list[str]:
    """Every line (stripped) that falls inside a kept body span."""
    return [line.text for line in iter_lines(doc.text)
            if any(b.start <= line.start and line.end <= b.end for b in doc.body)]


@pytest.mark.parametrize("labels", LABELS, ids=lambda f: f["name"][:3])
def test_no_hand_labelled_junk_line_survives(seed_docs, labels):
    doc = seed_docs[labels["name"]]
    kept = kept_lines(doc)
    for junk in labels["junk"]:
        # A title printed twice must survive exactly once.
        expected = 1 if junk == doc.meta.title else 0
        assert kept.count(junk) == expected, junk
    for byline in labels.get("byline", []):
        assert byline not in kept
        assert byline in [doc.text_of(s) for s in doc.get("layout") if s.label == "byline"]


@pytest.mark.parametrize("labels", LABELS, ids=lambda f: f["name"][:3])
def test_article_lines_are_kept(seed_docs, labels):
    doc = seed_docs[labels["name"]]
    kept = kept_lines(doc)
    for prefix in labels["keep"]:
        assert any(line.startswith(prefix) for line in kept), prefix
    if "repeated_once" in labels:
        body = doc.body_text()
        assert body.count(labels["repeated_once"]) == 1


def test_no_cyrillic_survives_in_english_seeds(seed_docs):
    for doc in seed_docs.values():
        body = doc.body_text()
        assert not any("\u0400" <= ch <= "\u04ff" for ch in body), doc.id


def test_cleaning_never_rewrites_the_text(seed_docs):
    for name, doc in seed_docs.items():
        assert doc.text == (SEEDS / name).read_text(encoding="utf-8")


def test_generic_page_furniture_is_dropped():
    text = (FIXTURES / "cleaning" / "generic_page.txt").read_text(encoding="utf-8")
    doc = clean(text)
    kept = kept_lines(doc)
    assert kept[0] == "Ministers agree new grain corridor after two days of talks"
    assert [doc.text_of(s) for s in doc.get("layout") if s.label == "byline"] == ["By Anna Lee"]
    assert kept[1:] == [
        "Ministers from the two countries agreed on Tuesday to reopen the grain corridor, "
        "officials said. The deal covers 2.5 million tonnes a year.",
        "\"We have found a way forward,\" the trade minister told reporters after the talks.",
        "The corridor had been closed since March. Exporters welcomed the decision.",
    ]
    reasons = {s.label for s in doc.get("junk")}
    assert {"navigation", "image-credit", "foreign-script", "comments", "rights-footer"} <= reasons


@pytest.mark.parametrize("line, reason", [
    ("asdasd", "keyboard-mash"),
    ("News code : 12345", "feed-marker"),
    ("endNewsMessage1", "feed-marker"),
    ("1118", "counter"),
    ("• 24.09 01:36", "timestamp"),
    ("Войти", "foreign-script"),
    ("Sign in", "navigation"),
    ("The rights to this material belong to", "rights-footer"),
])
def test_junk_reasons(line, reason):
    assert junk_reason(next(iter_lines(line)), "en") == reason


@pytest.mark.parametrize("line", [
    "Focus on Europe",
    "Kazakhstan holds elections on Sunday.",
    "Test results were published on Monday.",
    "2022: a year of change",
])
def test_article_lines_are_not_junk(line):
    assert junk_reason(next(iter_lines(line)), "en") is None


def test_russian_article_keeps_its_cyrillic():
    doc = clean("Выборы в Казахстане\n\nВыборы пройдут в воскресенье. Явка высокая.\n", language="ru")
    assert "Выборы пройдут в воскресенье." in doc.body_text()


def test_hard_wrapped_paragraph_stays_one_sentence():
    text = ("Title line here\n\nThe minister said on Monday that the new rules would\n"
            "apply from next year. Critics disagreed.\n")
    doc = clean(text)
    sentences = [doc.text_of(s) for s in doc.sentences]
    assert "The minister said on Monday that the new rules would\napply from next year." in sentences


FURNITURE_SAMPLES = [
    "Sign in", "SIGN UP", "Read More", "Related Articles", "3 Comments", "Leave a Reply",
    "News Code : 77", "Photo Credit: AP", "All Rights Reserved 2024", "Copyright Reuters",
    "12,400", "24.09 01:36", "Venue: City Hall", "Terms of Use", "Cookie Policy applies",
    "QWERTY", "Lorem Ipsum dolor", "These Materials Contain Ratings Exclusively From Foreign Media",
    "Kazakhstan holds elections on Sunday.", "Focus on Europe", "Test results were published.",
]


@pytest.mark.parametrize("line", FURNITURE_SAMPLES)
def test_ascii_lines_take_the_lowercase_path_with_the_same_verdict(line):
    # An ASCII line is matched lowercased against a case-sensitive copy of the junk patterns;
    # the verdict must be the case-insensitive one, in every casing.
    for variant in (line, line.lower(), line.upper(), line.swapcase()):
        expected = _ANY_JUNK_LINE.fullmatch(variant)
        reason = junk_reason(next(iter_lines(variant)), "en")
        assert (reason is None) == (expected is None), variant
        if expected is not None:
            assert reason == _JUNK_REASONS[int(expected.lastgroup[1:])], variant


def test_repeated_teaser_is_dropped_and_the_longer_paragraph_kept():
    text = ("Title of the story\n\nThe council voted to close the old bridge\n\n"
            "The council voted to close the old bridge on Tuesday after a long debate.\n\n"
            "Residents said they were not asked.\n")
    doc = clean(text)
    body = doc.body_text()
    assert "on Tuesday after a long debate." in body
    assert body.count("The council voted") == 1


@pytest.mark.parametrize("text", ["", "—", "One", "one two", "One, two: three — four five six",
                                  "__init__ is_here a_b c d", "  Émile’s café, à Paris, was open.",
                                  "1,000 people 2 days"])
def test_first_words_are_those_of_the_normalised_line(text):
    assert _first_words(text) == " ".join(_normalise(text).split()[:4])


@pytest.mark.parametrize("text", [
    "Plain words, 3 of them_too.", "“Quoted” — dashed – text’s end…", "Café déjà vu, naïve", "Привет, мир!",
    "a\u0301b c", "x_y 3.5 ½ ² ٣", "  ", "?", "mixed “ascii” and Ωmega", "\udc80 lone surrogate",
])
def test_count_words_counts_what_the_word_pattern_finds(text):
    assert count_words(text) == len(re.findall(r"\w+", text))


def test_beyond_ascii_keeps_only_the_other_characters_in_order():
    assert beyond_ascii("a “quoted” Привет — b") == "“”Привет—"
    assert beyond_ascii("plain") == ""
