"""Highlight segments: cover the text exactly once, nest overlapping findings, mark zones."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from framing.document import ArticleMeta, Document, Span
from framing.highlight import Mark, build_marks, css_token, document_segments, segment_text

TEXT = 'The so-called "protesters" were thugs, sources say.'


def make_mark(number: int, start: int, end: int, category: str = "loaded-term",
              voice: str = "outlet") -> Mark:
    return Mark(number=number, anchor=f"d-f{number}", key="cues", category=category, voice=voice,
                start=start, end=end, text=TEXT[start:end], explanation="why")


def test_segments_rebuild_the_text_and_do_not_overlap():
    marks = [make_mark(1, 4, 26), make_mark(2, 14, 26, "scare-quote"), make_mark(3, 32, 37)]
    segments = segment_text(TEXT, marks)
    assert "".join(s.text for s in segments) == TEXT
    assert all(a.end == b.start for a, b in zip(segments, segments[1:]))
    assert segments[0].start == 0 and segments[-1].end == len(TEXT)


def test_nested_findings_share_a_piece_and_the_innermost_gives_the_colour():
    outer, inner = make_mark(1, 4, 26), make_mark(2, 14, 26, "scare-quote")
    segments = segment_text(TEXT, [outer, inner])
    by_text = {s.text: s for s in segments}
    assert by_text["so-called "].marks == (outer,)
    both = by_text['"protesters"']
    assert both.marks == (outer, inner)          # outermost first
    assert both.primary is inner
    assert "cat-scare-quote" in both.css_class and "nested" in both.css_class
    # both end at 26: both footnote numbers follow the last piece, in number order
    assert both.closing == (outer, inner)
    assert by_text["so-called "].opening == (outer,)
    assert both.opening == (inner,)


def test_partly_overlapping_findings_are_cut_at_every_boundary():
    a, b = make_mark(1, 4, 20), make_mark(2, 14, 30)
    pieces = [(s.start, s.end, tuple(m.number for m in s.marks)) for s in segment_text(TEXT, [a, b])]
    assert (4, 14, (1,)) in pieces
    assert (14, 20, (1, 2)) in pieces or (14, 20, (2, 1)) in pieces
    assert (20, 30, (2,)) in pieces


def test_zones_mark_junk_and_layout_without_dropping_text():
    text = "Menu\nTitle here\nBody text is here.\n"
    doc = Document(text, ArticleMeta(id="d", outlet="o", source="d.txt"),
                   spans={"junk": [Span(0, 4, "navigation")], "layout": [Span(5, 15, "title")]})
    segments = document_segments(doc, [])
    assert "".join(s.text for s in segments) == text
    zones = {s.text: s.zone for s in segments}
    assert zones["Menu"] == "junk" and zones["Title here"] == "title"
    assert zones["\nBody text is here.\n"] is None


def test_build_marks_numbers_in_document_order_with_unique_anchors():
    doc = Document(TEXT, ArticleMeta(id="Doc 1", outlet="o", source="x"))
    findings = [("cues", Span(32, 37, "loaded-term", {"voice": "outlet", "explanation": "e",
                                                       "neutral": "rioters"})),
                ("scare_quotes", Span(14, 26, "scare-quote", {"voice": "outlet", "explanation": "q"}))]
    marks = build_marks(doc, findings)
    assert [m.number for m in marks] == [1, 2]
    assert marks[0].text == '"protesters"' and marks[1].text == "thugs"
    assert len({m.anchor for m in marks}) == 2 and marks[0].anchor.startswith("doc-1-")
    assert "Neutral alternative: rioters" in marks[1].title


def test_unknown_categories_get_a_safe_class():
    mark = make_mark(1, 0, 3, category='x" onmouseover="alert(1)')
    assert mark.css_class.split()[1] == "cat-other"
    assert css_token('Loaded Term!') == "loaded-term"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(TEXT)), st.integers(0, len(TEXT))), max_size=8))
def test_every_piece_lists_exactly_the_findings_that_cover_it(pairs):
    marks = [make_mark(i + 1, min(a, b), max(a, b)) for i, (a, b) in enumerate(pairs)]
    segments = segment_text(TEXT, marks)
    assert "".join(s.text for s in segments) == TEXT
    for seg in segments:
        covering = {m.number for m in marks if m.start <= seg.start and seg.end <= m.end and m.end > m.start}
        assert {m.number for m in seg.marks} == covering
    closed = sorted(m.number for s in segments for m in s.closing)
    assert closed == sorted(m.number for m in marks if m.end > m.start)
