"""Quotations, reported speech, speakers and scare quotes on short hand-written texts."""
from __future__ import annotations

from datetime import date

import pytest

from framing.document import ArticleMeta, Document, Span
from framing.pipeline import AnalysisConfig, Pipeline
from framing.voice import analyse_voice, inserted_notes, pair_quotes

STAGES = ("junk", "layout", "body", "sentences", "quotes", "scare_quotes")


def run(text: str, published: date | None = None) -> Document:
    doc = Document(text=text, meta=ArticleMeta(id="t", outlet="o", source="t.txt", published=published))
    return Pipeline.from_config(AnalysisConfig(extractors=STAGES))(doc)


def quotes(doc: Document, label: str) -> list[tuple[str, str | None]]:
    return [(doc.text_of(s), s.attrs["speaker"]) for s in doc.get("quotes") if s.label == label]


def scare(doc: Document) -> list[str]:
    return [doc.text_of(s) for s in doc.get("scare_quotes")]


def test_pairing_handles_nesting_curly_and_paragraph_continuation():
    text = ('Intro line for the article here.\n\n"One, "two" and three," he said.\n\n'
            '“First paragraph of a long quote.\n\n“Second paragraph,” she added.')
    found = [(text[q.start:q.end], q.depth) for q in pair_quotes(text, [Span(0, len(text), "p")])]
    assert ('"two"', 1) in found
    assert ('"One, "two" and three,"', 0) in found
    assert any(t.startswith("“First") and t.endswith("paragraph,”") for t, d in found)


def test_unclosed_quote_is_dropped():
    text = 'He said "this never closes and goes on.'
    assert pair_quotes(text, [Span(0, len(text), "p")]) == []


@pytest.mark.parametrize("text, quote, speaker", [
    ('Kazakhstan votes on Sunday, officials said on Friday.\n\n'
     '"We will win this election easily," Kazbek Beisebayev said.', '"We will win this election easily,"',
     "Kazbek Beisebayev"),
    ('Kazakhstan votes on Sunday, officials said on Friday.\n\n'
     '"There is no crisis here at all," said deputy Aigul Kuspan, who heads the committee.',
     '"There is no crisis here at all,"', "Aigul Kuspan"),
    ('Kazakhstan votes on Sunday, officials said on Friday.\n\n'
     'Tokayev in his speech to parliament stated: "It is time for them to pay their debt."',
     '"It is time for them to pay their debt."', "Tokayev"),
    ('Kazakhstan votes on Sunday, officials said on Friday.\n\n'
     '“Russia is unlikely to go anywhere,” the observer Gaziz Abishev concluded.',
     '“Russia is unlikely to go anywhere,”', "Gaziz Abishev"),
])
def test_direct_quotation_speakers(text, quote, speaker):
    assert (quote, speaker) in quotes(run(text), "direct")


def test_reported_speech_according_to_and_described_as():
    doc = run("The vote was calm.\n\nAccording to political analyst Kazbek Beisebayev, the president "
              "will win easily. President Tokayev described the violence as an attempted coup "
              "by what he called “terrorists and thugs”.")
    reported = quotes(doc, "reported")
    assert ("the president will win easily", "Kazbek Beisebayev") in reported
    assert any(t.startswith("an attempted coup") and s == "Tokayev" for t, s in reported)
    # "what he called": the pronoun resolves to the speaker of the sentence
    assert ("“terrorists and thugs”", "Tokayev") in quotes(doc, "direct")
    assert scare(doc) == []


def test_called_without_complement_is_not_naming():
    doc = run("The vote was calm.\n\nTokayev called the early election after the protests in January.")
    assert quotes(doc, "reported") == []


def test_think_tank_is_not_speech():
    doc = run("The vote was calm.\n\nA researcher at an Almaty think tank wrote a paper on the vote.")
    assert all(s != "Almaty" for _, s in quotes(doc, "reported"))


def test_scare_quotes_versus_names_and_speech():
    doc = run('Astana took a "neutral" position on the "new subjects" of Russia and launched its '
              '"New Kazakhstan" programme. Critics mocked the so-called "human rights defenders". '
              "The 'Arab Spring' was far away, but the 'people's republics' were not.\n\n"
              'The border is said to be "not well protected", and his order to "shoot without '
              'warning" was condemned.')
    assert scare(doc) == ['"neutral"', '"new subjects"', '"human rights defenders"',
                          "'people's republics'"]
    assert all(s.attrs["voice"] == "outlet" for s in doc.get("scare_quotes"))
    explanation = doc.get("scare_quotes")[0].attrs["explanation"]
    assert "scare quote" in explanation and "neutral" in explanation


def test_inserted_notes():
    text = ("Text. (In Russia, nobody was squeamish about this. - approx. InoSMI) More text. "
            "(This is an ordinary aside.)")
    notes = inserted_notes(text, [Span(0, len(text), "p")])
    assert len(notes) == 1 and notes[0][2] == "InoSMI"
    assert text[notes[0][0]:notes[0][1]].startswith("(In Russia")


def test_voice_analysis_is_deterministic_and_in_range():
    doc = run('Headline\n\n"Quote one," he said. According to X, y. "Short" words.')
    first, second = analyse_voice(doc), analyse_voice(doc)
    assert first == second
    for span in first.quotes + first.scare_quotes:
        assert 0 <= span.start < span.end <= len(doc.text)


def test_role_and_appositive_speakers_resolve_to_names():
    doc = run("The vote is on Sunday.\n\n"
              '"Russia will stay our main partner," Gaziz Abishev said. According to the observer, '
              "the Turkic world is a promising project. The director of the Analytical Center of "
              "MGIMO, Andrei Kazantsev, reminds that the crisis hit all countries. Events are "
              "developing according to various scenarios.")
    reported = quotes(doc, "reported")
    assert ("the Turkic world is a promising project", "Gaziz Abishev") in reported
    assert ("the crisis hit all countries", "Andrei Kazantsev") in reported
    assert all(s != "various scenarios" for _, s in reported) and len(reported) == 2


def test_participle_before_a_quote_is_not_speech():
    doc = run('The vote is on Sunday.\n\nAll this sounds like the declared "European values" of the EU.')
    assert scare(doc) == ['"European values"']


def test_an_object_verb_without_that_is_the_outlet_describing_not_speech():
    doc = run('The vote is on Sunday.\n\nThe EU and the US condemned "acts of repression" against '
              "representatives of civil society in February 2021, after the riots. The EU condemned "
              "the arrests in February 2021. Kazakhstan added fuel to the flame. The ministry "
              "denied that any protester had been shot.")
    reported = quotes(doc, "reported")
    assert reported == [("any protester had been shot", "The ministry")]
    # the quoted phrase is the EU's and the US's wording, not "US" alone
    assert quotes(doc, "direct") == [('"acts of repression"', "The EU and the US")]


def test_told_takes_an_addressee_not_content():
    doc = run("The vote is on Sunday.\n\nThe deal is fragile, Vaishali Krishna tells ILNA. "
              "Roman Vassilenko told reporters the border would stay open.")
    assert quotes(doc, "reported") == [("the border would stay open", "Roman Vassilenko")]


@pytest.mark.parametrize("text, speaker", [
    ('"The protests were about fuel prices, not geopolitics." Although it should be said that '
     "prices had doubled, nobody expected riots.", None),
    ('"We will respect international law and the borders of our neighbours." It is true to say '
     "that the talks went on for hours.", None),
])
def test_sentence_openers_are_not_speakers_after_a_quote(text, speaker):
    doc = run("The vote is on Sunday.\n\n" + text)
    assert [s for _, s in quotes(doc, "direct")] == [speaker]


def test_three_word_organisation_names_keep_their_first_word():
    doc = run("The vote is on Sunday.\n\nHuman Rights Watch said that at least 200 people were "
              "detained. The Central Election Commission said that turnout was 69 percent. "
              "The Caspian Pipeline Consortium said that exports had resumed.")
    speakers = [s for _, s in quotes(doc, "reported")]
    assert speakers == ["Human Rights Watch", "Central Election Commission", "Caspian Pipeline Consortium"]


def test_nationalities_and_adverbs_are_not_speakers():
    doc = run("The vote is on Sunday.\n\nAccording to the observer, the Turkic world is a promising "
              "project. Often described as a reformer, Tokayev has kept the old elite.")
    assert all(s not in {"Turkic", "Often", "Though"} for _, s in quotes(doc, "reported"))


def test_speech_before_the_attribution_is_what_was_said():
    doc = run("The vote is on Sunday.\n\nProtests spread to Almaty this week, the Interior Ministry "
              "said on Friday. Tokayev won 81.3% of the vote, the Central Election Commission said "
              "on Monday, citing preliminary results. The minister told reporters after the talks.")
    assert quotes(doc, "reported") == [
        ("Protests spread to Almaty this week", "Interior Ministry"),
        ("Tokayev won 81.3% of the vote", "Central Election Commission")]


def test_a_press_release_speaks_for_its_institution_in_its_own_voice():
    text = ("Ministry statement on the talks\n\nThe Ministry stresses that the border will stay open. "
            "Minister Mukhtar Tileuberdi said that the talks had been useful.")
    release = Document(text=text, meta=ArticleMeta(id="t", outlet="mfa", source="t.txt", kind="press-release"))
    Pipeline.from_config(AnalysisConfig(extractors=STAGES))(release)
    assert quotes(release, "reported") == [("the talks had been useful", "Mukhtar Tileuberdi")]
    news = run(text)  # the same sentence in a news story is the ministry quoted
    assert ("the border will stay open", "Ministry") in quotes(news, "reported")
