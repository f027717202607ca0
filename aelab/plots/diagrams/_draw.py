"""The drawing primitives every diagram shares: the colours, a frameless
canvas, rounded boxes, arrows and trapezoids, all in data coordinates.

Every diagram uses the same colours (``COLOURS``): the encoder in blue, the
code in orange, the decoder in green, data in grey, noise in purple and
losses in red.

Used in: chapters 3, 4 and 6 (through the diagrams).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgba
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon

COLOURS = {
    "encoder": "#4C72B0",
    "code": "#DD8452",
    "decoder": "#55A868",
    "data": "#7F7F7F",
    "noise": "#8172B3",
    "loss": "#C44E52",
}


def _canvas(ax, figsize, xlim, ylim):
    """A fresh axes (or the given one) with data limits set and no frame."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.92)  # a diagram needs no tick room
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_axis_off()
    return ax


def _fill(colour: str, alpha: float = 0.2):
    return to_rgba(colour, alpha)


def _box(ax, centre, width, height, text, colour, *, fontsize=11, dashed=False, fill=True):
    """A rounded box centred at ``centre`` with ``text`` in its middle."""
    x, y = centre
    ax.add_patch(FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0,rounding_size=0.08",
        facecolor=_fill(colour) if fill else "none", edgecolor=colour, lw=1.5,
        linestyle="--" if dashed else "-",
    ))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color="0.1")


def _arrow(ax, start, end, colour="0.25", style="-|>", lw=1.4, dashed=False):
    ax.add_patch(FancyArrowPatch(
        start, end, arrowstyle=style, mutation_scale=14, color=colour, lw=lw,
        linestyle="--" if dashed else "-", shrinkA=0, shrinkB=0,
    ))


def _trapezoid(ax, x0, h0, x1, h1, colour, y=0.0):
    """A trapezoid from height ``h0`` at ``x0`` to ``h1`` at ``x1``, centred on ``y``."""
    ax.add_patch(Polygon(
        [(x0, y - h0 / 2), (x1, y - h1 / 2), (x1, y + h1 / 2), (x0, y + h0 / 2)],
        closed=True, facecolor=_fill(colour), edgecolor=colour, lw=1.5,
    ))
