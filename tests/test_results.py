"""analysis.json writing: the streamed text parses to exactly ``to_dict()``, byte for byte where built from pieces."""
from __future__ import annotations

import dataclasses
import json

import pytest

from framing.document import ArticleMeta, Document, Span
from framing.results import compact_encoder, encode_compact, article_json, article_to_dict, ordered_findings

KEYS = ("cues", "sourcing")


def test_article_json_is_what_the_encoder_writes_for_every_seed_article(seeds_result) -> None:
    for doc in seeds_result.documents:
        findings = seeds_result.findings(doc)
        assert article_json(doc, findings) == json.dumps(article_to_dict(doc, findings), ensure_ascii=False)


def test_article_json_with_attributes_that_override_fixed_fields_and_odd_values() -> None:
    text = "Caf\u00e9 \"quoted\" \u2028 line\tend \U0001F600."
    doc = Document(text=text, meta=ArticleMeta(id="a\u00e9", outlet="o", source="s"))
    doc.spans["sentences"] = [Span(0, len(text), "sentence", {"text": "overridden", "n": 1.5e-7})]
    doc.spans["body"] = [Span(0, len(text), "paragraph", {"label": None, "ok": True})]
    doc.spans["cues"] = [Span(0, 4, "loaded-term", {"voice": "outlet", "category": "moved", "x": [1, "\u00e9"]}),
                         Span(6, 14, "scare", {"voice": "quoted", "nan": float("nan"), "inf": float("-inf")})]
    doc.spans["sourcing"] = []  # a finding key without findings here is listed under "spans"
    doc.spans["zeta"] = [Span(1, 2, "z")]
    doc.metrics["m"] = {"\u00e9": -0.0}
    findings = ordered_findings(doc, KEYS)
    assert article_json(doc, findings) == json.dumps(article_to_dict(doc, findings), ensure_ascii=False)


def test_streamed_analysis_json_parses_to_to_dict(seeds_result) -> None:
    assert json.loads("".join(seeds_result.iter_json())) == json.loads(json.dumps(seeds_result.to_dict()))


@pytest.mark.parametrize("value", [
    {"block": "paragraph", "n": 3, "share": 0.1, "big": 1e300, "neg": -0.0, "flag": True, "none": None},
    {"nan": float("nan"), "inf": float("-inf"), "text": "«Кремль» \u2028 \"q\" \\ \n\t\x00"},
    {"nested": {"list": [1, [2.5, "x"], {}], "tuple": (1, 2)}, "empty": []},
    "a string", 7, [],
])
def test_the_compact_encoder_writes_what_json_dumps_writes(value) -> None:
    assert encode_compact(value) == json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("value", [
    {"b": 1, "a": {"d": [1.5, None], "c": "\u00e9"}, "when": __import__("datetime").date(2026, 1, 2)},
    [{"z": 1, "y": object.__name__}], "plain",
])
def test_a_sorting_encoder_with_a_default_writes_what_json_dumps_writes(value) -> None:
    encode = compact_encoder(sort_keys=True, default=str)
    assert encode(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def test_the_compact_encoder_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        encode_compact({"when": object()})


def test_article_json_is_the_same_when_attribute_tails_are_remembered() -> None:
    """The second write of an article reads every shared mapping's tail from the table;
    a mapping that overrides a fixed field is still merged by the encoder."""
    from framing.document import frozen_attrs

    text = "One two three four."
    shared, clash = frozen_attrs({"block": "paragraph"}), frozen_attrs({"text": "x", "key": "k"})
    doc = Document(text=text, meta=ArticleMeta(id="a", outlet="o", source="s"))
    doc.spans["sentences"] = [Span(0, 3, "sentence", shared), Span(4, 7, "sentence", shared)]
    doc.spans["cues"] = [Span(0, 3, "c", clash), Span(8, 13, "c", clash), Span(14, 18, "c", shared)]
    findings = ordered_findings(doc, KEYS)
    expected = json.dumps(article_to_dict(doc, findings), ensure_ascii=False)
    assert [article_json(doc, findings) for _ in range(3)] == [expected] * 3


def test_an_attribute_memo_computes_once_per_mapping_and_stays_within_its_limit() -> None:
    from types import MappingProxyType

    from framing.results import AttrsMemo

    calls: list[int] = []
    memo = AttrsMemo(lambda attrs: calls.append(attrs["n"]) or f"n={attrs['n']}", limit=2)
    mappings = [MappingProxyType({"n": i}) for i in range(5)]
    assert [memo(m) for m in mappings for _ in range(3)] == [f"n={m['n']}" for m in mappings for _ in range(3)]
    assert calls == [0, 1, 2, 3, 4]  # the second sighting reuses the first one's value
    assert len(memo.table) == 2


def test_iter_json_is_an_iterator_whose_first_piece_opens_the_object(seeds_result) -> None:
    text = seeds_result.iter_json()
    assert next(text) == "{\n"
    assert "{\n" + "".join(text) == "".join(seeds_result.iter_json())


def test_the_text_and_its_utf8_are_the_same_from_every_kind_of_documents(seeds_result) -> None:
    from framing.spool import DocumentSpool

    expected = b"".join(seeds_result.iter_json().iter_bytes())
    assert "".join(seeds_result.iter_json()).encode() == expected
    with DocumentSpool(encode=lambda doc: article_json(doc, seeds_result.findings(doc))) as spool:
        spool.extend(seeds_result.documents)
        spooled = dataclasses.replace(seeds_result, documents=spool)
        assert b"".join(spooled.iter_json().iter_bytes()) == expected
        assert "".join(spooled.iter_json()).encode() == expected
