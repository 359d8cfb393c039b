"""`framing lesson`: worksheets from real sentences, with an answer key that matches them."""
from __future__ import annotations

import json
from pathlib import Path


from framing.corpus import ArticleEntry, Corpus, Outlet
from framing.document import ArticleMeta, Document, Span
from framing.lesson import build_lesson, lesson_files
from framing.pipeline import AnalysisConfig
from framing.results import AnalysisResult
from framing.sentences import split_sentences

JAN = "event:kz-jan-2022"


def _doc(doc_id: str, outlet: str, text: str, cues: list[tuple[str, str, dict]]) -> Document:
    """Body = whole text, sentences split for real, one cue at the first match of each phrase."""
    spans = []
    for phrase, category, attrs in cues:
        start = text.index(phrase)
        spans.append(Span(start, start + len(phrase), category,
                          {"voice": "outlet", "speaker": None, "explanation": f"{phrase} is {category}.",
                           **attrs}))
    sentences = [Span(s, e, "sentence", {"block": "paragraph"}) for s, e in split_sentences(text)]
    return Document(text=text, meta=ArticleMeta(id=doc_id, outlet=outlet, source=f"{doc_id}.txt"),
                    spans={"body": [Span(0, len(text), "paragraph")], "sentences": sentences,
                           "cues": spans})


DOCS = (
    _doc("a1", "red", "The regime crushed the riots in Almaty. Officials said order was back. "
                      "A disastrous policy followed.",
         [("regime", "loaded-term", {"neutral": "government"}),
          ("riots", "loaded-term", {"referent": JAN, "neutral": "unrest"}),
          ("disastrous", "evaluative", {})]),
    _doc("b1", "blue", "Thousands joined the protests in January. \"These were terrorists,\" the president said. "
                       "Prices had doubled.",
         [("protests", "label", {"referent": JAN}),
          ("terrorists", "name-calling", {"voice": "quoted", "speaker": "the president"})]),
    _doc("c1", "green", "The unrest spread quickly. Analysts say the reforms were a brilliant move.",
         [("unrest", "label", {"referent": JAN}), ("brilliant", "evaluative", {})]),
)


def _result() -> AnalysisResult:
    outlets = {o: Outlet(o, f"The {o.title()} Post") for o in ("red", "blue", "green")}
    corpus = Corpus(name="hand-built", root=Path("."), outlets=outlets,
                    entries=tuple(ArticleEntry(d.meta) for d in DOCS))
    return AnalysisResult(corpus=corpus, documents=DOCS, finding_keys=("cues",), config=AnalysisConfig())


def test_answer_key_matches_the_exercises_one_to_one() -> None:
    lesson = build_lesson(_result(), seed=3)
    assert [e.number for e in lesson.exercises] == list(range(1, len(lesson.exercises) + 1))
    assert [(a.number, a.kind) for a in lesson.answers] == [(e.number, e.kind) for e in lesson.exercises]
    texts = {d.id: d.text for d in DOCS}
    for exercise, answer in zip(lesson.exercises, lesson.answers):
        quoted = " ".join(x.text for x in exercise.excerpts)
        for ev in answer.evidence:
            assert texts[ev.article_id][ev.start:ev.end] == ev.text  # evidence is the source's text
            assert ev.text in quoted                                # and it is in the passage shown
        for x in exercise.excerpts:
            assert texts[x.article_id][x.start:x.end] == x.text      # every item cites its source
            assert x.outlet and x.article_id in texts


def test_kinds_and_answers_on_hand_built_corpus() -> None:
    lesson = build_lesson(_result(), seed=0, per_kind=10)
    kinds = {e.kind for e in lesson.exercises}
    assert kinds == {"spot-the-loaded-term", "same-event-different-words", "quote-or-outlet-voice"}
    assert lesson.missing == {"fact-conflict": "no conflicting facts: the corpus has no fact mentions"}
    spots = [a for a in lesson.answers if a.kind == "spot-the-loaded-term"]
    # Outlet-voice cues of side-taking categories, one item per sentence: a1 s1, a1 s3, c1 s2.
    assert sorted(a.answer for a in spots) == [
        "“brilliant” (evaluative)", "“disastrous” (evaluative)",
        "“regime” (loaded-term), “riots” (loaded-term)"]
    assert any("A more neutral choice: “government”" in a.rationale for a in spots)
    # The quoted name-calling is never a "spot the outlet's loaded term" item.
    assert all("terrorists" not in a.answer for a in spots)
    voices = {a.evidence[0].text: a.answer for a in lesson.answers if a.kind == "quote-or-outlet-voice"}
    assert voices["terrorists"].startswith("Quoted: the words are the president's")
    assert voices["regime"].startswith("The outlet's own voice")
    same = [a for a in lesson.answers if a.kind == "same-event-different-words"]
    assert {frozenset(e.text for e in a.evidence) for a in same} == {
        frozenset({"riots", "protests"}), frozenset({"riots", "unrest"}), frozenset({"protests", "unrest"})}
    # the referent is named as the packaged lexicon describes it, not by its id
    questions = {e.question for e in lesson.exercises if e.kind == "same-event-different-words"}
    assert questions == {"Both sentences refer to the January 2022 unrest in Kazakhstan. Which word or "
                         "phrase does each outlet use for it, and what does each choice suggest to a reader?"}


def test_same_seed_same_lesson_and_seed_changes_the_selection() -> None:
    one, again = build_lesson(_result(), seed=7, per_kind=1), build_lesson(_result(), seed=7, per_kind=1)
    assert one.to_dict() == again.to_dict()
    picks = {tuple(x.start for e in build_lesson(_result(), seed=s, per_kind=1).exercises
                   for x in e.excerpts) for s in range(12)}
    assert len(picks) > 1


def test_worksheet_hides_answers_and_key_carries_them() -> None:
    lesson = build_lesson(_result(), seed=1, per_kind=10)
    files = lesson_files(lesson)
    assert set(files) == {"worksheet.html", "worksheet.md", "answers.html", "answers.md", "lesson.json"}
    for answer in lesson.answers:
        assert answer.rationale.split(":")[0][:20] in files["answers.md"].replace("\\", "")
    assert "A more neutral choice" not in files["worksheet.html"]
    assert "A more neutral choice" in files["answers.html"]
    for exercise in lesson.exercises:
        for x in exercise.excerpts:
            assert f"article {x.article_id}, characters {x.start}–{x.end}" in files["worksheet.html"]
    data = json.loads(files["lesson.json"])
    assert len(data["exercises"]) == len(data["answers"]) == len(lesson.exercises)


def test_voice_items_mix_quoted_and_outlet_answers() -> None:
    for seed in range(5):
        lesson = build_lesson(_result(), seed=seed, per_kind=2)
        answers = [a.answer for a in lesson.answers if a.kind == "quote-or-outlet-voice"]
        assert len(answers) == 2
        assert sum(a.startswith("Quoted") for a in answers) == 1


def test_lesson_on_the_seed_corpus_cites_real_sentences_for_every_kind() -> None:
    import framing

    seeds = Path(__file__).parent.parent / "seeds"
    result = framing.analyze(seeds)
    lesson = build_lesson(result, seed=0, per_kind=3)
    assert {e.kind for e in lesson.exercises} == {
        "spot-the-loaded-term", "same-event-different-words", "quote-or-outlet-voice", "fact-conflict"}
    texts = {d.id: d.text for d in result.documents}
    for exercise, answer in zip(lesson.exercises, lesson.answers, strict=True):
        assert exercise.number == answer.number and exercise.kind == answer.kind
        for x in exercise.excerpts:
            assert texts[x.article_id][x.start:x.end] == x.text
        for ev in answer.evidence:
            assert texts[ev.article_id][ev.start:ev.end] == ev.text
            assert any(x.start <= ev.start and ev.end <= x.end and x.article_id == ev.article_id
                       for x in exercise.excerpts)
    same = [a for a in lesson.answers if a.kind == "same-event-different-words"]
    assert all(len({e.outlet for e in a.evidence}) == 2 for a in same)


def test_cli_lesson_writes_worksheet_and_key(tmp_path: Path, capsys) -> None:
    from framing.cli import main

    corpus = Path(__file__).parent.parent / "fixtures" / "store"
    out = tmp_path / "lesson"
    assert main(["lesson", str(corpus), "--out", str(out), "--store", str(tmp_path / "c.sqlite"),
                 "--seed", "2"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "answers.html", "answers.md", "lesson.json", "worksheet.html", "worksheet.md"]
    data = json.loads((out / "lesson.json").read_text(encoding="utf-8"))
    assert data["seed"] == 2 and len(data["exercises"]) == len(data["answers"])
    assert main(["lesson", str(corpus), "--out", str(out), "--items", "0"]) == 2
