"""SVG chart helpers: well-formed SVG, escaped labels, one shape per value, bad data refused."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from framing.charts import bar_chart, heatmap, scatter_plot, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(1)</script> & co"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises if the markup is not well-formed XML


@pytest.mark.parametrize("make", [
    lambda: bar_chart([(EVIL, 2.0), ("b", 1.0)], title=EVIL),
    lambda: stacked_bar_chart([(EVIL, [1.0, 2.0])], [EVIL, "x"], title=EVIL),
    lambda: scatter_plot([(EVIL, 0.0, 1.0), ("b", 1.0, 0.0)], EVIL, EVIL, EVIL),
    lambda: heatmap([[1.0, None], [0.5, 1.0]], [EVIL, "b"], [EVIL, "b"], EVIL),
])
def test_charts_are_wellformed_and_escape_every_label(make):
    svg = str(make())
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert "<script" not in svg
    texts = [t.text for t in root.iter(f"{SVG}text")] + [t.text for t in root.iter(f"{SVG}title")]
    assert any(t and EVIL in t for t in texts)  # shown as text, after XML unescaping


def test_stacked_bars_draw_one_rect_per_nonzero_value_and_scale_to_the_longest():
    root = parse(stacked_bar_chart([("a", [1.0, 3.0]), ("b", [2.0, 0.0])], ["x", "y"], "t"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 3
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] * 3 == pytest.approx(widths[1], rel=0.01)  # same scale within a row
    assert widths[0] + widths[1] == pytest.approx(2 * widths[2], rel=0.01)  # row a is twice row b


def test_scatter_draws_one_point_per_item_inside_the_plot():
    root = parse(scatter_plot([("a", -1.0, 5.0), ("b", 3.0, 5.0), ("c", 0.0, -2.0)], "map"))
    points = list(root.iter(f"{SVG}circle"))
    assert len(points) == 3
    width = float(root.get("width"))
    assert all(0 < float(p.get("cx")) < width for p in points)


def test_heatmap_shows_missing_cells_as_a_dash():
    root = parse(heatmap([[1.0, None]], ["a"], ["a", "b"], "m"))
    assert "–" in [t.text for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("make", [
    lambda: stacked_bar_chart([("a", [1.0])], ["x", "y"], "t"),
    lambda: bar_chart([("a", -1.0)], "t"),
    lambda: heatmap([[1.0]], ["a", "b"], ["a"], "t"),
    lambda: scatter_plot([("a", float("nan"), 0.0)], "t"),
])
def test_bad_data_is_refused(make):
    with pytest.raises(ValueError):
        make()
