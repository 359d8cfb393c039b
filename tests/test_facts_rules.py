"""Round-2 fact rules, each written as a failing test before the fix (fixtures/facts/rules/
and small made-up sentences; no seed text)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import framing
from framing.document import Document, Span
from framing.facts.extract import FactExtractor
from framing.pipeline import AnalysisConfig

from conftest import one_sentence_doc

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "fixtures" / "facts" / "rules"


@pytest.fixture(scope="module")
def rules_facts() -> dict:
    section = framing.analyze(RULES).sections["facts"].to_dict()
    return {"facts": {f["id"]: f for f in section["facts"]},
            "inconsistencies": section["inconsistencies"]}


def _doc(text: str, published: date | None = date(2022, 1, 10), precision: str = "day") -> Document:
    return one_sentence_doc(text, published, precision)


def _numbers(text: str) -> dict[str, dict]:
    doc = _doc(text)
    return {text[s.start:s.end]: dict(s.attrs) for s in FactExtractor(AnalysisConfig())(doc)
            if s.label in {"number", "money", "percent"}}


def test_troop_counts_worded_differently_are_one_fact_and_conflict(rules_facts):
    fact = rules_facts["facts"]["event:csto-deployment-2022/troops"]
    assert fact["status"] == "conflict"
    assert fact["outlets"] == ["alpha-news", "beta-times", "gamma-review"]
    relations = {tuple(p["outlets"]): p["relation"] for p in fact["pairs"]}
    assert relations[("alpha-news", "beta-times")] == "conflict"      # about 2,500 vs some 3,000
    assert relations[("alpha-news", "gamma-review")] == "agree"       # about 2,500 vs about 2,400


def test_different_day_precise_start_dates_conflict(rules_facts):
    fact = rules_facts["facts"]["event:kz-jan-2022/date"]
    assert fact["status"] == "conflict"
    relations = {tuple(p["outlets"]): p for p in fact["pairs"]}
    pair = relations[("alpha-news", "beta-times")]
    assert pair["relation"] == "conflict" and "the day it began" in pair["why"]


def test_month_day_in_an_article_dated_only_to_the_month_resolves_to_that_month(rules_facts):
    dates = rules_facts["facts"]["event:csto-deployment-2022/date"]
    gamma = [m for m in dates["mentions"] if m["outlet"] == "gamma-review"]
    assert [m["value"] for m in gamma] == ["2022-01-06"]
    assert gamma[0]["approximate"] is True
    assert dates["status"] == "agree"
    assert not [i for i in rules_facts["inconsistencies"] if i["outlet"] == "gamma-review"]


def test_a_conflict_resting_on_an_approximate_resolution_says_so():
    corpus_dir = RULES  # same corpus, but the approximate article now dates a single-day event
    from framing.facts.align import Mention, judge
    from framing.facts.entities import load_gazetteer

    def m(i: int, outlet: str, day: date, approximate: bool) -> Mention:
        return Mention(index=i, article=outlet, outlet=outlet, original_outlet=None, kind="date",
                       event="event:kz-pres-election-2022", slot="date", unit=None, low=day, high=day,
                       approximate=approximate, value=day.isoformat(), text="November 20",
                       start=0, end=1, sentence="", sentence_start=0, sentence_end=1,
                       entities=frozenset(), counts_words=(),
                       attrs={"resolution": "inferred-year", "approximate": approximate})
    fact = judge([m(0, "a", date(2022, 11, 20), False), m(1, "b", date(2021, 11, 20), True)],
                 load_gazetteer())
    assert fact.status == "conflict"
    assert "approximate" in fact.explanation
    assert corpus_dir.exists()


@pytest.mark.parametrize("text, phrase", [
    ("In their opinion, 69-year-old Kassym-Jomart Tokayev will win the election.", "69"),
    ("Kazakhstan has come a long way in three decades of its nationhood.", "three"),
    ("After the unrest in its 30-year of independent existence, the country is calm.", "30"),
    ("It became independent along with four other Central Asian Republics.", "four"),
    ("The exchange rate depends on two factors: oil and the rouble.", "two"),
])
def test_ages_durations_and_set_phrases_are_attributes_not_countable_facts(text, phrase):
    attrs = _numbers(text)[phrase]
    assert attrs["slot"] is None
    assert attrs["event"] is None


def test_what_is_counted_does_not_run_over_another_figure():
    attrs = _numbers("Joint projects are under way - a total of 26 almost $ 1 billion.")["26"]
    assert "billion" not in attrs["counts_words"]
    assert attrs["slot"] is None


def test_the_counted_noun_phrase_runs_to_its_head_noun():
    attrs = _numbers("The president said 962 ethnic and cultural organizations are active.")["962"]
    assert attrs["counts_words"][-1] == "organization"


def test_real_counts_stay_countable_facts():
    attrs = _numbers("The president said 962 ethnic and cultural organizations are active.")["962"]
    assert attrs["slot"] is not None
    deaths = _numbers("At least five people died in the unrest in Almaty.")["At least five"]
    assert deaths["slot"] == "deaths" and deaths["event"] == "event:kz-jan-2022"


def test_a_fact_inside_a_reprinters_note_carries_inserted_by():
    text = ("The Health Ministry said 164 people had died in the unrest "
            "(other counts give 227 dead - approx. InoSMI).")
    doc = _doc(text)
    spans = FactExtractor(AnalysisConfig())(doc)
    by_text = {text[s.start:s.end]: s.attrs for s in spans if s.label == "number"}
    assert by_text["227"].get("inserted_by") == "InoSMI"
    assert by_text["227"]["voice"] == "outlet"
    assert "inserted_by" not in by_text["164"]


def test_a_count_in_a_paragraph_without_an_event_joins_the_event_its_article_names(rules_facts):
    fact = rules_facts["facts"]["event:kz-jan-2022/deaths"]
    assert fact["outlets"] == ["alpha-news", "beta-times"]
    assert fact["status"] == "agree"                                   # 164 and at least 170
    assert not any(f.startswith("number/") for f in rules_facts["facts"])


def _dateparser_relative(phrase: str, base: date) -> date | None:
    """The reference: dateparser (a test dependency only) reading the phrase against ``base``."""
    from datetime import datetime

    import dateparser

    prefer = "future" if phrase.lower().startswith(("this", "next", "coming", "tomorrow")) else "past"
    parsed = dateparser.parse(phrase, languages=["en"],
                              settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day),
                                        "PREFER_DATES_FROM": prefer})
    return None if parsed is None else parsed.date()


def test_relative_weekdays_match_dateparser():
    from datetime import timedelta

    from framing.facts.dates import relative_day
    phrases = ["tomorrow", "yesterday", "Tomorrow"] + [
        f"{pre} {day}" for pre in ("this", "next", "last", "coming", "past")
        for day in ("Monday", "Wednesday", "Sunday")]
    for offset in range(8):
        base = date(2016, 3, 14) + timedelta(days=offset)
        for phrase in phrases:
            assert relative_day(phrase, base) == _dateparser_relative(phrase, base), (phrase, base)


def test_one_scan_per_document_gives_the_per_sentence_matches():
    from framing.facts.entities import CAPITALISED_RUN
    from framing.facts.extract import matches_by_sentence
    text = "Talks in New York City went on.  Then Nursultan Nazarbayev spoke in Astana."
    cut = text.index("York")  # a sentence boundary inside a name: the one scan crosses it
    sentences = [Span(0, cut - 1, "sentence"), Span(cut, 31, "sentence"), Span(33, len(text), "sentence")]
    found = matches_by_sentence(CAPITALISED_RUN, text, sentences)
    expected = [[m.span() for m in CAPITALISED_RUN.finditer(text, s.start, s.end)] for s in sentences]
    assert [[m.span() for m in found.get(i, [])] for i in range(len(sentences))] == expected
    assert all(found.values())  # only sentences with matches are listed
    assert [text[a:b] for a, b in expected[1]] == ["York City"]


def test_a_month_value_is_what_strftime_gave():
    from datetime import date

    from framing.facts.dates import DateMention
    for year in range(1, 10000):
        for month in (1, 9, 12):
            low = date(year, month, 1)
            mention = DateMention(0, 0, low, date(year, month, 28), "month", "absolute", False, "")
            assert mention.value == low.strftime("%Y-%m")


def test_days_in_a_month_are_calendars():
    import calendar

    import pytest

    from framing.facts.dates import _days_in
    for year in (*range(1, 2401), 9999, 0, -4, 10000):
        for month in range(1, 13):
            assert _days_in(year, month) == calendar.monthrange(year, month)[1]
    for month in (0, 13):
        with pytest.raises(calendar.IllegalMonthError):
            _days_in(2020, month)
