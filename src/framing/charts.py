"""SVG charts as pure functions: data in, an escaped SVG string out.

No plotting library and no JavaScript: the report is one self-contained file that
works offline and without scripts. Every label that may come from the input (outlet
names, categories from a user's lexicon) goes through ``escape``; the functions return
``Markup`` so templates insert them as they are.
"""
from __future__ import annotations

import math
from typing import Sequence

from markupsafe import Markup, escape

FONT = "font-family=\"system-ui, sans-serif\" font-size=\"12\""
#: Colours for series when the caller gives none (colour-blind-safe Okabe-Ito palette).
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999")


def _num(value: float) -> str:
    """Short, stable number formatting for SVG attributes."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"


def format_value(value: float | None, digits: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}f}"


def _svg_open(width: float, height: float, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'aria-label="{escape(title)}" {FONT}><title>{escape(title)}</title>')


def _text_width(text: str) -> float:
    return 7.0 * len(text)


def stacked_bar_chart(rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[str],
                      title: str, colours: Sequence[str] | None = None, unit: str = "",
                      width: int = 720) -> Markup:
    """Horizontal bars, one per row, each cut into ``series`` parts; the total is printed.

    ``rows`` is ``[(label, [value per series])]``; values must be non-negative.
    """
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(series)} series")
        if any(v < 0 or not math.isfinite(v) for v in values):
            raise ValueError(f"row {label!r} has a negative or non-finite value")
    colours = list(colours or PALETTE)
    bar_h, gap, top = 22, 8, 30
    label_w = max([_text_width(label) for label, _ in rows] + [60]) + 10
    plot_w = width - label_w - 70
    legend_w = max([_text_width(name) for name in series] + [60]) + 26
    legend_cols = max(1, int((width - 10) // legend_w))
    legend_rows = math.ceil(len(series) / legend_cols) if len(series) > 1 else 0
    height = top + len(rows) * (bar_h + gap) + legend_rows * 20 + 10
    peak = max([sum(values) for _, values in rows] + [0]) or 1.0
    out = [_svg_open(width, height, title),
           f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for i, (label, values) in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="{_num(label_w - 6)}" y="{_num(y + bar_h * 0.7)}" '
                   f'text-anchor="end">{escape(label)}</text>')
        x = label_w
        for j, value in enumerate(values):
            w = plot_w * value / peak
            if w > 0:
                out.append(f'<rect class="bar" x="{_num(x)}" y="{y}" width="{_num(w)}" height="{bar_h}" '
                           f'fill="{escape(colours[j % len(colours)])}"><title>{escape(label)}: '
                           f'{escape(series[j])} {format_value(value)}{escape(unit)}</title></rect>')
            x += w
        out.append(f'<text x="{_num(x + 5)}" y="{_num(y + bar_h * 0.7)}">'
                   f'{format_value(sum(values))}{escape(unit)}</text>')
    if legend_rows:
        y0 = top + len(rows) * (bar_h + gap) + 4
        for j, name in enumerate(series):
            x, y = 10 + (j % legend_cols) * legend_w, y0 + (j // legend_cols) * 20
            out.append(f'<rect x="{_num(x)}" y="{y}" width="12" height="12" '
                       f'fill="{escape(colours[j % len(colours)])}"/>'
                       f'<text x="{_num(x + 16)}" y="{y + 10}">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def bar_chart(rows: Sequence[tuple[str, float]], title: str, colour: str = PALETTE[0],
              unit: str = "", width: int = 720) -> Markup:
    """Horizontal bars, one value per row."""
    return stacked_bar_chart([(label, [value]) for label, value in rows], [title], title,
                             [colour], unit, width)


def scatter_plot(points: Sequence[tuple[str, float, float]], title: str, x_label: str = "",
                 y_label: str = "", size: int = 420) -> Markup:
    """Labelled points scaled to fill a square plot (for the outlet similarity map)."""
    if any(not (math.isfinite(x) and math.isfinite(y)) for _, x, y in points):
        raise ValueError("scatter_plot needs finite coordinates")
    pad, top = 50, 30
    width, height = size + 2 * pad + 120, size + top + pad
    xs = [x for _, x, _ in points] or [0.0]
    ys = [y for _, _, y in points] or [0.0]

    def scale(value: float, low: float, high: float) -> float:
        return 0.5 if high - low < 1e-12 else (value - low) / (high - low)

    out = [_svg_open(width, height, title),
           f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
           f'<rect x="{pad}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#bbb"/>',
           f'<text x="{_num(pad + size / 2)}" y="{_num(top + size + 30)}" text-anchor="middle">'
           f'{escape(x_label)}</text>',
           f'<text x="14" y="{_num(top + size / 2)}" text-anchor="middle" '
           f'transform="rotate(-90 14 {_num(top + size / 2)})">{escape(y_label)}</text>']
    for i, (label, x, y) in enumerate(points):
        px = pad + 15 + (size - 30) * scale(x, min(xs), max(xs))
        py = top + size - 15 - (size - 30) * scale(y, min(ys), max(ys))
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<circle class="point" cx="{_num(px)}" cy="{_num(py)}" r="6" fill="{colour}">'
                   f'<title>{escape(label)} ({format_value(x, 2)}, {format_value(y, 2)})</title></circle>'
                   + (f'<text x="{_num(px - 9)}" y="{_num(py + 4)}" text-anchor="end">'
                      if px > pad + size / 2 else f'<text x="{_num(px + 9)}" y="{_num(py + 4)}">')
                   + f'{escape(label)}</text>')  # labels on the right half point inwards
    out.append("</svg>")
    return Markup("".join(out))


def _heat_colour(value: float, low: float, high: float) -> str:
    """White (low) to dark blue (high)."""
    t = 0.0 if high - low < 1e-12 else min(1.0, max(0.0, (value - low) / (high - low)))
    r, g, b = (int(255 + (c - 255) * t) for c in (8, 81, 156))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(matrix: Sequence[Sequence[float | None]], row_labels: Sequence[str],
            col_labels: Sequence[str], title: str, low: float = 0.0, high: float = 1.0,
            digits: int = 2, percent: bool = False) -> Markup:
    """A grid of coloured cells with the value printed; ``None`` cells are grey with a dash.

    With ``percent``, values are shares printed as "67%" (easier to read than 0.67)."""

    def show(value: float | None) -> str:
        return f"{value:.0%}" if percent and value is not None else format_value(value, digits)

    if len(matrix) != len(row_labels) or any(len(r) != len(col_labels) for r in matrix):
        raise ValueError("heatmap matrix shape does not match its labels")
    cell, top = 56, 40
    label_w = max([_text_width(label) for label in row_labels] + [60]) + 10
    col_h = max([_text_width(label) for label in col_labels] + [40]) * 0.72 + 10
    width = label_w + cell * len(col_labels) + col_h  # rotated labels reach right
    height = top + col_h + cell * len(row_labels) + 10
    out = [_svg_open(width, height, title),
           f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for j, label in enumerate(col_labels):
        x, y = label_w + j * cell + cell / 2, top + col_h - 4
        out.append(f'<text x="{_num(x)}" y="{_num(y)}" transform="rotate(-45 {_num(x)} {_num(y)})">'
                   f'{escape(label)}</text>')
    for i, (label, row) in enumerate(zip(row_labels, matrix)):
        y = top + col_h + i * cell
        out.append(f'<text x="{_num(label_w - 6)}" y="{_num(y + cell / 2 + 4)}" text-anchor="end">'
                   f'{escape(label)}</text>')
        for j, value in enumerate(row):
            x = label_w + j * cell
            fill = "#eeeeee" if value is None else _heat_colour(value, low, high)
            ink = "#000" if value is None or _heat_share(value, low, high) < 0.55 else "#fff"
            out.append(f'<rect class="cell" x="{_num(x)}" y="{_num(y)}" width="{cell}" height="{cell}" '
                       f'fill="{fill}" stroke="#fff"><title>{escape(label)} / {escape(col_labels[j])}: '
                       f'{show(value)}</title></rect>'
                       f'<text x="{_num(x + cell / 2)}" y="{_num(y + cell / 2 + 4)}" text-anchor="middle" '
                       f'fill="{ink}">{show(value)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _heat_share(value: float, low: float, high: float) -> float:
    return 0.0 if high - low < 1e-12 else (value - low) / (high - low)
