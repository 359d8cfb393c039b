"""Label map: per referent, the labels each outlet used, by voice, with evidence offsets."""
from __future__ import annotations

import json

from framing.document import ArticleMeta, Document, Span
from framing.labelmap import SpooledUses, build_label_map, label_map_from_records, label_record
from framing.pipeline import AnalysisConfig, Pipeline

JAN = "event:kz-jan-2022"
WAR = "event:ru-ukraine-war"


def doc_with_labels(article: str, outlet: str, text: str,
                    labels: list[tuple[str, str, str | None, str, str]]) -> Document:
    """Hand-made cue spans: (phrase, term, referent, category, voice); the n-th phrase use is found in order."""
    doc = Document(text=text, meta=ArticleMeta(id=article, outlet=outlet, source=f"{article}.txt"))
    Pipeline.from_config(AnalysisConfig(extractors=("junk", "layout", "body", "sentences")))(doc)
    spans, pos = [], 0
    for phrase, term, referent, category, voice in labels:
        start = text.index(phrase, pos)
        pos = start + len(phrase)
        spans.append(Span(start, pos, category, {
            "voice": voice, "speaker": "Tokayev" if voice == "quoted" else None, "term": term,
            "lexicon": "topic", "referent": referent}))
    doc.spans["cues"] = spans
    return doc


A_TEXT = ("The unrest began in Zhanaozen. Tokayev called it \"an attempted coup\". "
          "The riots left 200 dead. The war in Ukraine went on.\nRelated: riots in Almaty\n")
B_TEXT = "Riots shook Almaty. More riots followed. The special operation in Ukraine continued.\n"


def documents() -> list[Document]:
    a = doc_with_labels("a1", "alpha", A_TEXT, [
        ("unrest", "kz-unrest", JAN, "label", "outlet"),
        ("attempted coup", "kz-coup", JAN, "loaded-term", "quoted"),
        ("riots", "kz-riots", JAN, "loaded-term", "outlet"),
        ("war", "ua-war", WAR, "label", "outlet"),
        ("riots", "kz-riots", JAN, "loaded-term", "outlet"),  # in the junk line: not counted
    ])
    b = doc_with_labels("b1", "beta", B_TEXT, [
        ("Riots", "kz-riots", JAN, "loaded-term", "outlet"),
        ("riots", "kz-riots", JAN, "loaded-term", "outlet"),
        ("special operation", "ua-special-operation", WAR, "loaded-term", "outlet"),
    ])
    return [a, b]


def build():
    return build_label_map(documents(), {"alpha": "Alpha", "beta": "Beta"})


def test_labels_per_outlet_for_each_referent() -> None:
    label_map = build()
    assert label_map.referents == [JAN, WAR]
    assert label_map.for_referent(JAN) == {
        "alpha": [("attempted coup", 1), ("riots", 1), ("unrest", 1)],
        "beta": [("riots", 2)]}
    assert label_map.for_referent(WAR) == {"alpha": [("war", 1)], "beta": [("special operation", 1)]}


def test_own_voice_and_quoted_speech_are_kept_apart() -> None:
    label_map = build()
    assert label_map.for_referent(JAN, voice="outlet")["alpha"] == [("riots", 1), ("unrest", 1)]
    coup = next(r for r in label_map.rows if r.term == "kz-coup")
    assert coup.voice == "quoted" and coup.uses[0].speaker == "Tokayev"


def test_evidence_points_at_the_original_text_and_skips_junk() -> None:
    label_map = build()
    riots_alpha = next(r for r in label_map.rows if r.outlet == "alpha" and r.term == "kz-riots")
    assert riots_alpha.count == 1
    use = riots_alpha.uses[0]
    assert A_TEXT[use.start:use.end] == use.text == "riots"
    riots_beta = next(r for r in label_map.rows if r.outlet == "beta" and r.term == "kz-riots")
    assert riots_beta.forms == {"riots": 2} and [u.text for u in riots_beta.uses] == ["Riots", "riots"]


def test_to_dict_is_json_with_flat_label_rows() -> None:
    data = json.loads(json.dumps(build().to_dict()))
    assert [r["referent"] for r in data["referents"]] == [JAN, WAR]
    assert data["referents"][0]["outlets"] == ["alpha", "beta"]
    row = data["labels"][0]
    assert {"referent", "outlet", "outlet_name", "label", "term", "voice", "count", "evidence"} <= set(row)
    assert all(isinstance(v, (str, int, type(None))) for k, v in row.items()
               if k not in {"forms", "articles", "evidence"})
    assert row["forms"] == {row["label"]: row["count"]} or len(row["forms"]) > 1


def test_spans_without_a_referent_are_ignored() -> None:
    doc = doc_with_labels("c1", "gamma", "The regime fell.\n", [("regime", "regime", None, "loaded-term", "outlet")])
    assert build_label_map([doc]).rows == ()
    assert build_label_map([doc]).to_dict() == {"referents": [], "labels": []}


def test_analyze_describes_the_referents_from_the_lexicon_packs() -> None:
    import warnings
    from pathlib import Path

    import framing

    text = ("Protests spread across Kazakhstan in January 2022 after a fuel price rise. "
            "Officials in Almaty called the unrest riots, and the president spoke of a coup.\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from framing.corpus import Corpus, ArticleEntry
        from datetime import date
        meta = ArticleMeta(id="k1", outlet="kz", source="k1.txt", published=date(2022, 1, 10))
        corpus = Corpus(name="t", root=Path("."), outlets={}, entries=(ArticleEntry(meta, inline_text=text),))
        result = framing.analyze(corpus)
    data = result.to_dict()["label_map"]
    jan = next(r for r in data["referents"] if r["referent"] == JAN)
    assert "January 2022" in jan["description"]
    assert set(jan["labels"]) >= {"riots"}


def test_uses_kept_on_disk_give_the_same_label_map() -> None:
    names = {"alpha": "Alpha", "beta": "Beta"}
    spooled = label_map_from_records(map(label_record, documents()), names, spooled=True)
    assert all(isinstance(row.uses, SpooledUses) for row in spooled.rows)
    assert spooled.to_dict() == build().to_dict()
    row = next(r for r in spooled.rows if r.count == 2)
    assert list(row.uses) == row.uses[:] == [row.uses[0], row.uses[-1]]
