"""Fact mentions: the extraction cases from issue 4, on small made-up sentences."""
from __future__ import annotations

from datetime import date

import pytest

from framing.document import Document, Span
from framing.errors import LexiconError
from framing.facts.dates import find_dates
from framing.facts.entities import load_gazetteer, parse_gazetteer
from framing.facts.extract import FactExtractor
from framing.facts.numbers import find_numbers
from framing.pipeline import AnalysisConfig

from conftest import one_sentence_doc


def make_doc(text: str, published: date | None = date(2022, 11, 19), precision: str = "day") -> Document:
    return one_sentence_doc(text, published, precision)


def facts_of(text: str, **kw: object) -> list[Span]:
    doc = make_doc(text, **kw)  # type: ignore[arg-type]
    spans = FactExtractor(AnalysisConfig())(doc)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    return spans


def dates_in(text: str, published: date | None, precision: str = "day"):
    return find_dates(text, 0, len(text), published, precision)


@pytest.mark.parametrize("text, published, phrase, value", [
    ("This Sunday the early parliamentary elections will take place.", date(2016, 3, 18),
     "This Sunday", "2016-03-20"),
    ("Tomorrow, November 20, the presidential elections will be held.", date(2022, 11, 19),
     "Tomorrow, November 20", "2022-11-20"),
    ("Last year began in the country not easy.", date(2023, 3, 1), "Last year", "2022"),
    ("He was re-elected on November 20.", date(2022, 12, 5), "November 20", "2022-11-20"),
    ("After February 24, 200,000 Russians arrived.", date(2022, 12, 5), "February 24", "2022-02-24"),
    ("Protests took place on January 2, 2022 in Zhanaozen.", None, "January 2, 2022", "2022-01-02"),
    ("after the January 2022 riots", None, "January 2022", "2022-01"),
    ("approved in a referendum in June", date(2022, 12, 5), "June", "2022-06"),
    ("the famine of the early 1930s", None, "early 1930s", "1930-01-01/1933-12-31"),
    ("Josep Borrel went to Astana in mid-November.", date(2022, 12, 5), "mid-November",
     "2022-11-11/2022-11-20"),
])
def test_date_phrases_resolve_against_the_publication_date(text, published, phrase, value):
    found = dates_in(text, published)
    assert [text[d.start:d.end] for d in found] == [phrase]
    assert found[0].value == value


def test_an_approximate_publication_date_gives_an_approximate_wider_resolution():
    exact = dates_in("This Sunday the elections take place.", date(2016, 3, 18))[0]
    rough = dates_in("This Sunday the elections take place.", date(2016, 3, 18), "approximate")[0]
    assert not exact.approximate and exact.low == exact.high == date(2016, 3, 20)
    assert rough.approximate and rough.value == "2016-03-20"
    assert rough.low < exact.low and rough.high > exact.high
    assert "approximate" in rough.note


def test_no_dates_in_ordinary_words_and_codes():
    text = "Kazakhstan may move deeper; COVID-19 and the G20 met in the 20th century."
    assert [text[d.start:d.end] for d in dates_in(text, date(2022, 1, 1))] == []


@pytest.mark.parametrize("text, phrase, low, high, unit, counts", [
    ("resulting in 164 people dead and nearly 10,000 arrested", "164", 164, 164, None, "people dead"),
    ("resulting in 164 people dead and nearly 10,000 arrested", "nearly 10,000", 9000, 10000, None,
     "arrested"),
    ("we have over 7,000 km of border with it", "over 7,000", 7000, 10500, "km", "border"),
    ("a total investment of $160 billion since 2005", "$160 billion", 160e9, 160e9, "USD",
     "a total investment of"),
    ("exports of goods increased by 8.6% last year", "8.6%", 8.6, 8.6, "%", "exports of goods increased by"),
    ("the riots in which hundreds of people died", "hundreds", 200, 999, None, "people died"),
])
def test_numbers_carry_value_range_unit_and_what_they_count(text, phrase, low, high, unit, counts):
    found = {text[n.start:n.end]: n for n in find_numbers(text, 0, len(text))}
    n = found[phrase]
    assert (n.low, n.high, n.unit, n.counts) == (pytest.approx(low), pytest.approx(high), unit, counts)
    assert n.approximate == (low != high)


def test_codes_ordinals_and_set_phrases_are_not_counts():
    text = "The G20, the Su-57, COVID-19, the 20th century and the two countries."
    assert [text[n.start:n.end] for n in find_numbers(text, 0, len(text))] == []


def test_casualty_counts_get_their_quantity_and_event():
    text = "The violence after massive protests left 164 people dead and nearly 10,000 arrested."
    spans = {text[s.start:s.end]: s for s in facts_of(text, published=date(2022, 1, 15))}
    assert spans["164"].attrs["quantity"] == "deaths"
    assert spans["nearly 10,000"].attrs["quantity"] == "arrests"
    assert spans["164"].attrs["event"] == "event:kz-jan-2022"
    assert spans["164"].attrs["slot"] == "deaths"
    assert "164" in spans["164"].attrs["explanation"]


def test_a_date_next_to_an_event_trigger_is_that_events_date():
    text = "President Tokayev, who was re-elected on November 20, visited Paris."
    spans = [s for s in facts_of(text, published=date(2022, 12, 5)) if s.label == "date"]
    assert len(spans) == 1
    a = spans[0].attrs
    assert (a["event"], a["slot"], a["relation"], a["value"]) == \
        ("event:kz-pres-election-2022", "date", "of", "2022-11-20")


def test_a_date_placed_after_an_event_is_not_its_date():
    text = ("The EU condemned repression in February 2021, that is, immediately after the riots "
            "in which hundreds of people died.")
    span = next(s for s in facts_of(text, published=date(2022, 12, 5)) if s.label == "date")
    assert span.attrs["event"] == "event:kz-jan-2022"
    assert span.attrs["relation"] == "after" and span.attrs["slot"] is None and span.attrs["soon"]


def test_scheduled_and_end_dates_are_separate_slots():
    text = "The elections, originally scheduled for December 2024, were held early."
    span = next(s for s in facts_of(text, published=date(2022, 12, 5)) if s.label == "date")
    assert span.attrs["slot"] == "scheduled-date"
    text = "The CSTO troops began withdrawing from Kazakhstan on January 13."
    span = next(s for s in facts_of(text, published=date(2022, 1, 15)) if s.label == "date")
    assert (span.attrs["event"], span.attrs["slot"]) == ("event:csto-deployment-2022", "end-date")


def test_a_trigger_needs_its_actor_and_a_plausible_time():
    # "resigned" names the 2019 handover only when Nazarbayev is in the sentence.
    assert not [s for s in facts_of("The minister resigned in 2019.") if s.label == "event"]
    assert [s for s in facts_of("Nazarbayev resigned in 2019.") if s.label == "event"]
    # An article of 2016 cannot be about the January 2022 unrest.
    assert not [s for s in facts_of("Violence spread.", published=date(2016, 3, 18))
                if s.label == "event"]


def test_entities_from_the_gazetteer_and_capitalised_runs():
    text = "Nursultan Nazarbayev met staff of Jawaharlal Nehru University in Almaty."
    ents = {text[s.start:s.end]: s.attrs for s in facts_of(text) if s.label == "entity"}
    assert ents["Nursultan Nazarbayev"]["id"] == "actor:nazarbayev"
    assert ents["Almaty"]["id"] == "place:almaty"
    assert ents["Jawaharlal Nehru University"]["id"] is None


def test_an_alias_in_the_same_sentence_number_shares_its_entity_attributes_across_articles():
    ext = FactExtractor(AnalysisConfig())
    first, second = (ext(make_doc(text)) for text in ("Tokayev spoke in Almaty.", "Tokayev left Almaty."))
    names = [{text: s for s in spans if s.label == "entity" for text in [s.attrs["name"]]}
             for spans in (first, second)]
    for name in ("Kassym-Jomart Tokayev", "Almaty"):
        assert names[0][name].attrs is names[1][name].attrs
        assert dict(names[0][name].attrs) == {**names[1][name].attrs, "sentence": 0, "source": "gazetteer"}
    assert list(names[0]["Almaty"].attrs) == ["id", "kind", "name", "sentence", "source"]


def test_extraction_is_deterministic_and_spans_do_not_mutate_the_document():
    text = "Tomorrow, November 20, the presidential elections will be held; 164 people died."
    doc = make_doc(text)
    before = dict(doc.spans)
    ext = FactExtractor(AnalysisConfig())
    assert ext(doc) == ext(doc)
    assert doc.spans == before


def test_the_packaged_gazetteer_uses_the_shared_event_ids():
    gaz = load_gazetteer()
    for ident in ("event:kz-jan-2022", "event:csto-deployment-2022", "event:ru-ukraine-war",
                  "event:kz-pres-election-2022", "event:kz-parl-election-2016",
                  "event:kz-power-transfer-2019", "event:kz-referendum-2022"):
        assert ident in gaz.events
    assert "actor:west" in gaz.labels and "actor:protesters" in gaz.labels


def test_a_bad_gazetteer_names_the_file_and_entry(tmp_path):
    bad = {"meta": {"name": "g", "version": "1"},
           "events": [{"id": "event:x", "start": "2022-01-01", "triggers": ["x"]}]}
    with pytest.raises(LexiconError) as err:
        parse_gazetteer(bad, "my.toml")
    assert "my.toml" in str(err.value) and "event:x" in str(err.value)
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="broken.toml"):
        load_gazetteer(broken)
