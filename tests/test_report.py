"""The comparison report: golden Markdown on the fixture corpus, escaping, links, the CLI.

Set FRAMING_UPDATE_GOLDEN=1 to rewrite fixtures/report/expected_report.md (then read the diff).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import warnings
from html.parser import HTMLParser

import pytest

import framing
from framing.cli import main
from framing.pipeline import AnalysisConfig
from framing.report import (build_report, markdown_escape, render_html, render_markdown,
                            report_files)

from conftest import FIXTURES

CORPUS = FIXTURES / "report" / "corpus"
GOLDEN = FIXTURES / "report" / "expected_report.md"
#: The report tests (and the golden) use only this fixed pack, so edits to the packaged
#: lexicons do not change them: they test rendering, the cue tests test the lexicons.
LEXICON = FIXTURES / "report" / "lexicon.toml"
CONFIG = AnalysisConfig(lexicon_paths=(LEXICON,), use_default_lexicons=False)


@pytest.fixture(scope="module")
def fixture_result():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return framing.analyze(CORPUS, CONFIG)


@pytest.fixture(scope="module")
def html(fixture_result):
    return render_html(build_report(fixture_result))


@pytest.fixture(scope="module")
def markdown(fixture_result):
    return render_markdown(build_report(fixture_result))


class Collector(HTMLParser):
    """Element ids, local link targets, tag counts and text of the report."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: dict[str, int] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if attrs.get("href", "").startswith("#"):
            self.hrefs.append(attrs["href"][1:])

    def handle_data(self, data):
        self.text.append(data)


def collect(html: str) -> Collector:
    parser = Collector()
    parser.feed(html)
    return parser


def test_markdown_matches_the_golden_file(markdown):
    # only the fixed fixture pack: a packaged-lexicon edit must not change the golden
    assert "| report-fixture | 1.0.0 |" in markdown and "| general |" not in markdown
    if os.environ.get("FRAMING_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(markdown, "utf-8")
    assert GOLDEN.exists(), "no golden file: run with FRAMING_UPDATE_GOLDEN=1 and read the result"
    assert markdown == GOLDEN.read_text("utf-8")


def test_article_markup_is_shown_as_text_never_run(html, markdown):
    parsed = collect(html)
    assert "script" not in parsed.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in "".join(parsed.text)  # the reader sees it as text
    assert "Steppe Daily &amp; Co" in html
    # the manifest title carries stray markup: inert in both outputs
    assert "i" not in parsed.tags and "&lt;i&gt;order&lt;/i&gt;" in html
    assert "<i>" not in markdown and "&lt;i&gt;order&lt;/i&gt;" in markdown


def test_every_local_link_has_a_target_and_ids_are_unique(html):
    parsed = collect(html)
    assert len(parsed.ids) == len(set(parsed.ids))
    missing = sorted(set(parsed.hrefs) - set(parsed.ids))
    assert not missing


def test_html_is_self_contained(html):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html


def test_highlights_cover_every_finding_with_a_footnote(fixture_result, html):
    model = build_report(fixture_result)
    parsed = collect(html)
    for article in model.articles:
        for mark in article.marks:
            assert mark.anchor in parsed.ids and f"{mark.anchor}-note" in parsed.ids
    total = sum(len(fixture_result.findings(d)) for d in fixture_result.documents)
    assert total > 0 and html.count('class="fn"') == total


def test_article_text_is_reproduced_exactly(fixture_result):
    model = build_report(fixture_result)
    for article, doc in zip(model.articles, fixture_result.documents):
        assert "".join(s.text for s in article.segments) == doc.text


def test_missing_sections_are_reported_as_not_available(fixture_result):
    bare = dataclasses.replace(fixture_result, sections={})
    model = build_report(bare)
    assert set(model.unavailable) == {"profiles", "label_map", "facts"}
    assert model.facts is None and model.label_map is None
    md, html = render_markdown(model), render_html(model)
    for unavailable in model.unavailable.values():
        assert unavailable.message in md and unavailable.message in html
    assert "facts.csv" not in report_files(bare)


def test_similarity_map_needs_three_outlets(fixture_result):
    two = [d for d in fixture_result.documents if d.meta.outlet in ("northwire", "steppe-daily")]
    model = build_report(dataclasses.replace(fixture_result, documents=tuple(two)))
    assert not model.similarity.available and "at least 3 outlets" in model.similarity.message
    full = build_report(fixture_result)
    if full.similarity.available:
        assert len(full.similarity.points) == 4 and "<svg" in full.similarity.chart


def test_reliability_statement_is_printed(html, markdown):
    assert "What these indicators mean" in html and "do NOT" in html
    assert "do NOT" in markdown


def test_markdown_escape_neutralises_markup_and_table_breaks():
    assert markdown_escape("a | b <i>x</i> *y* [z](u)") == \
        r"a \| b &lt;i&gt;x&lt;/i&gt; \*y\* \[z\](u)"
    assert markdown_escape("line\nbreak") == "line break"
    assert markdown_escape("Q&A &amp;") == "Q&A &amp;amp;"


def test_cli_report_writes_three_files(tmp_path, capsys):
    assert main(["-q", "report", str(CORPUS), "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {"report.html", "report.md", "analysis.json"} <= set(names)
    data = json.loads((tmp_path / "analysis.json").read_text("utf-8"))
    assert data["schema"].startswith("framing.analysis/")
    assert (tmp_path / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_cli_report_on_bad_input_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["-q", "report", str(tmp_path / "missing"), "--out", str(out)]) == 1
    assert "error E101" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_a_corpus_with_every_article_skipped_still_renders(fixture_result):
    empty = dataclasses.replace(fixture_result, documents=(), sections={})
    files = report_files(empty)
    assert "0 article(s)" in files["report.md"] and "<svg" not in files["report.md"]
    assert files["report.html"].rstrip().endswith("</html>")


def test_seed_report_links_resolve_and_answer_the_three_questions(seeds_result):
    model = build_report(seeds_result)
    parsed = collect(render_html(model))
    assert len(parsed.ids) == len(set(parsed.ids))
    assert not set(parsed.hrefs) - set(parsed.ids)
    questions = [g.question for g in model.glance]
    assert len(questions) == 3 and all("Not available" not in g.answer for g in model.glance)


def test_articles_beyond_the_limit_are_listed_without_their_text(fixture_result):
    model = build_report(fixture_result, max_articles_shown=1)
    shown, hidden = model.articles[0], model.articles[1:]
    assert shown.shown and shown.segments and model.articles_shown == 1
    assert hidden and all(not a.shown and a.segments == () for a in hidden)
    assert all(a.marks == b.marks for a, b in zip(model.articles, build_report(fixture_result).articles))
    html = render_html(model)
    parsed = collect(html)
    assert not set(parsed.hrefs) - set(parsed.ids)  # links to hidden text go to the article's entry
    assert f"first 1 of {len(model.articles)} articles" in html and "--max-articles-shown 0" in html
    assert html.count('<div class="article-text">') == 1
    assert render_html(build_report(fixture_result)).count('<div class="article-text">') == len(model.articles)
    assert html.count("Text not shown on this page") == len(hidden)
    everything = build_report(fixture_result, max_articles_shown=0)
    assert all(a.shown for a in everything.articles)
    assert "--max-articles-shown" not in render_html(everything)


def test_cli_rejects_a_negative_article_limit(tmp_path, capsys):
    assert main(["report", str(CORPUS), "--out", str(tmp_path), "--max-articles-shown", "-1"]) == 2


def test_an_article_without_title_is_named_by_its_first_sentence():
    from framing.document import ArticleMeta, Document, Span
    from framing.report import article_title

    text = ("Strengthening ties between the two countries is an absolute priority for both "
            "governments, the ministers said. Second sentence.")
    first = text.index(" Second")
    doc = Document(text, ArticleMeta(id="x-2023", outlet="o", source="x.txt"),
                   {"sentences": [Span(0, first, "sentence", {"block": "paragraph"}),
                                  Span(first + 1, len(text), "sentence", {"block": "paragraph"})]})
    title, from_text = article_title(doc)
    assert from_text and title.endswith("…") and len(title) <= 81
    assert title == "Strengthening ties between the two countries is an absolute priority for both…"
    short = Document("Talks ended.", ArticleMeta(id="y", outlet="o", source="y.txt"),
                     {"sentences": [Span(0, 12, "sentence", {"block": "paragraph"})]})
    assert article_title(short) == ("Talks ended.", True)
    titled = Document("Talks ended.", ArticleMeta(id="z", outlet="o", source="z.txt", title="T"), {})
    assert article_title(titled) == ("T", False)


def test_evidence_already_in_quotes_is_not_quoted_twice():
    from framing.report import quoted

    assert quoted('"acts of repression"') == '"acts of repression"'
    assert quoted("“war”") == "“war”"
    assert quoted("riots") == "“riots”"


def test_label_map_words_keep_their_case_unless_they_start_a_sentence():
    from framing.document import ArticleMeta, Document, Span
    from framing.report import written_form

    text = "Protests grew. Officials blamed the West for the Bloody January."
    doc = Document(text, ArticleMeta(id="a", outlet="o", source="a.txt"),
                   {"sentences": [Span(0, 14, "sentence", {}), Span(15, len(text), "sentence", {})]})
    docs = {"a": doc}
    use = lambda word: {"article": "a", "start": text.index(word), "text": word}  # noqa: E731
    assert written_form("west", [use("West")], docs) == "West"
    assert written_form("bloody january", [use("Bloody January")], docs) == "Bloody January"
    assert written_form("protests", [use("Protests")], docs) == "protests"  # sentence start


def test_a_corpus_kept_on_disk_gives_the_same_report(markdown, html):
    from framing.analysis import analyze
    from framing.spool import DocumentSpool

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spooled = analyze(CORPUS, CONFIG, spool_above=0)
    assert isinstance(spooled.documents, DocumentSpool)
    model = build_report(spooled)
    assert render_markdown(model) == markdown
    assert render_html(model) == html
