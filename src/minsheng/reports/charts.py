"""Figures of the report model drawn with matplotlib, in the report's Chinese font.

PNG goes into Word (python-docx takes no SVG); SVG, with its text drawn as
outlines, goes into HTML and PDF so they stay sharp and need no font to show.
matplotlib is imported here, inside the functions, so that the CLI starts fast.
"""

from __future__ import annotations

import io
from typing import Any

from minsheng.reports.fonts import font_file
from minsheng.reports.formatting import CHART_COLOURS, status_zh
from minsheng.reports.model import Figure

_PALETTE = ["#1f4e79", "#c0504d", "#4f8f3a", "#8064a2", "#d08a1f", "#2c8c99", "#7f7f7f", "#a05a2c"]
_STYLES = {"solid": "-", "dashed": "--", "dotted": ":"}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = str(font_file("sans"))
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    plt.rcParams.update(
        {
            "font.family": [family],
            "axes.unicode_minus": False,  # the CJK face has no U+2212
            "svg.fonttype": "path",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
        }
    )
    return plt


def render(figure: Figure, fmt: str = "png", dpi: int = 200) -> bytes:
    """One figure as PNG or SVG bytes."""
    plt = _pyplot()
    many = figure.chart == "line" and len(figure.series) > 3
    size = (6.3, 4.6) if many else ((5.6, 2.5) if figure.key == "binding_series" else (6.3, 3.4))
    fig, ax = plt.subplots(figsize=size)
    try:
        if figure.chart == "stacked_bar":
            _stacked_bar(ax, figure)
        else:
            _lines(ax, figure)
        if len(figure.y_label) <= 4:  # a unit reads better above the axis than turned on its side
            ax.set_title(
                f"单位：{figure.y_label}" if figure.y_label else "", loc="left", fontsize=8
            )
        else:
            ax.set_ylabel(figure.y_label)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, facecolor="white")
        return buffer.getvalue()
    finally:
        plt.close(fig)


def _stacked_bar(ax: Any, figure: Figure) -> None:
    bottoms = [0] * len(figure.categories)
    x = list(range(len(figure.categories)))
    for status, counts in figure.stacks.items():
        ax.bar(
            x, counts, bottom=bottoms, label=status_zh(status),
            color=CHART_COLOURS.get(status, "#888888"), width=0.6,
        )  # fmt: skip
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    ax.set_xticks(
        x,
        figure.categories,
        rotation=30 if len(x) > 6 else 0,
        ha="right" if len(x) > 6 else "center",
    )
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(ncol=min(6, len(figure.stacks)), fontsize=8, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, 1.16))  # fmt: skip


def _lines(ax: Any, figure: Figure) -> None:
    years: set[int] = set()
    for i, s in enumerate(figure.series):
        points = [(x, y) for x, y in zip(s.x, s.y, strict=True) if y is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        years.update(xs)
        colour = _PALETTE[i % len(_PALETTE)]
        marker = "o" if s.style == "solid" else None
        ax.plot(xs, ys, _STYLES[s.style], color=colour, marker=marker, markersize=4,
                linewidth=1.6, label=s.label)  # fmt: skip
    if years:
        ax.set_xticks(sorted(years), [str(y) for y in sorted(years)])
    if len(figure.series) > 3:  # many lines: the legend goes under the plot, in two columns
        ax.legend(fontsize=8, frameon=False, loc="upper center", ncol=2,
                  bbox_to_anchor=(0.5, -0.1))  # fmt: skip
    else:
        ax.legend(fontsize=8, frameon=False, loc="best")
