"""The Span contract that every module relies on: checked offsets, read-only shared attrs."""
from __future__ import annotations

import dataclasses
import pickle

import pytest

from framing.document import Span, frozen_attrs


def test_offsets_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="out of order"):
        Span(5, 4, "x")
    with pytest.raises(ValueError, match="out of order"):
        Span(-1, 4, "x")


def test_span_is_frozen_and_its_attrs_read_only() -> None:
    span = Span(0, 3, "x", {"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        span.attrs["a"] = 2  # type: ignore[index]


def test_attrs_are_copied_so_the_callers_dict_can_change() -> None:
    attrs = {"block": "paragraph"}
    span = Span(0, 1, "sentence", attrs)
    attrs["block"] = "title"
    assert span.attrs == {"block": "paragraph"}


def test_without_attrs_every_span_reads_an_empty_mapping() -> None:
    assert dict(Span(0, 1, "x").attrs) == {}
    assert dict(Span(0, 1, "x", {}).attrs) == {}


@pytest.mark.parametrize("first, second", [
    ({"n": 1}, {"n": True}),
    ({"n": 0.0}, {"n": -0.0}),
    ({"n": 1}, {"n": 1.0}),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
])
def test_equal_looking_attrs_of_other_types_or_order_are_not_shared(first, second) -> None:
    a, b = frozen_attrs(first), frozen_attrs(second)
    assert a is not b
    assert list(a.items()) == list(first.items()) and list(b.items()) == list(second.items())
    assert [type(v) for v in b.values()] == [type(v) for v in second.values()]
    assert repr(b["n" if "n" in b else "a"]) == repr(second["n" if "n" in second else "a"])


def test_equal_simple_attrs_share_one_mapping_and_unhashable_ones_do_not_fail() -> None:
    assert frozen_attrs({"x": 1.5, "y": "s"}) is frozen_attrs({"x": 1.5, "y": "s"})
    values = frozen_attrs({"values": [1, 2]})
    assert values["values"] == [1, 2]


def test_span_pickles_replaces_and_compares() -> None:
    span = Span(2, 9, "cue", {"term": "chaos", "loaded": True, "score": 0.5})
    copy = pickle.loads(pickle.dumps(span))
    assert copy == span and dict(copy.attrs) == dict(span.attrs)
    moved = dataclasses.replace(span, start=3)
    assert (moved.start, moved.end, moved.label, dict(moved.attrs)) == (3, 9, "cue", dict(span.attrs))


def test_a_shared_mapping_passed_again_is_reused_as_it_is() -> None:
    attrs = frozen_attrs({"block": "paragraph"})
    assert frozen_attrs(attrs) is attrs
    assert Span(0, 1, "sentence", attrs).attrs is attrs
