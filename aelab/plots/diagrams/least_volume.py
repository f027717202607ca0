"""The idea of least volume, drawn: the penalty shrinks the box the codes
fill, and the Lipschitz decoder keeps that from being undone.

Used in: chapter 6.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from ... import _arg_checks
from ._draw import COLOURS, _arrow, _box

__all__ = ["least_volume_diagram"]


def _box_edges(ax, centre, half, colour):
    """The twelve edges of the axis-aligned box ``centre ± half`` on a 3-D axes."""
    signs = np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)])
    corners = signs * half + centre
    for a in range(8):
        for b in range(a + 1, 8):
            if np.sum(signs[a] != signs[b]) == 1:  # neighbours differ in one coordinate
                ax.plot(*zip(corners[a], corners[b]), color=colour, lw=1.2)


def least_volume_diagram(*, eta: float = 0.01, n: int = 400, seed: int = 0, title: str | None = None) -> Figure:
    """The idea of least volume: the penalty shrinks the box the codes fill.

    Two clouds of 3-D codes drawn from a seeded ``numpy`` generator, each
    inside its box of ± one standard deviation per dimension: before, every
    dimension spreads; after, the third has collapsed and the cloud is flat.
    Each panel gives the spreads and the penalty computed by
    :func:`aelab.losses.volume_penalty`, ``(prod_i (sigma_i + eta)) ** (1/m)``
    for a code of m numbers (the chapter's m).
    A third panel says why the decoder is kept 1-Lipschitz (spectral norm).

    Args:
        eta: the penalty's ``eta`` (positive), as in :func:`aelab.losses.volume_penalty`.
        n: number of codes in each cloud (at least 2).
        seed: seeds the generator of the clouds.
        title: the figure's title (default: the formula; ``""`` for none).

    Returns:
        The figure (three panels).

    Used in: chapter 6.
    """
    from ...losses import volume_penalty

    if not _arg_checks.is_number(eta) or not eta > 0:
        raise ValueError(f"eta must be a positive number, got {eta!r}.")
    n = _arg_checks.int_at_least("n", n, 2, " (a spread needs two codes)")
    rng = np.random.default_rng(_arg_checks.non_negative_int("seed", seed))
    base = rng.standard_normal((int(n), 3))
    clouds = {
        "without the penalty": base * np.array([1.0, 0.7, 0.5]),
        "with the penalty: $z_3$ collapses": base * np.array([1.0, 0.7, 0.03]),
    }
    fig = plt.figure(figsize=(10, 4.6))
    grid = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.1], left=0.02, right=0.99, bottom=0.13, top=0.83,
                            wspace=0.02)
    for i, (name, z) in enumerate(clouds.items()):
        ax = fig.add_subplot(grid[0, i], projection="3d")
        sigma = z.std(axis=0, ddof=1)  # unbiased, as torch.std in volume_penalty
        penalty = float(volume_penalty(torch.as_tensor(z), eta=eta))
        ax.scatter(*z.T, s=3, color=COLOURS["code"], alpha=0.6, depthshade=False)
        _box_edges(ax, z.mean(axis=0), sigma, COLOURS["encoder"])
        for set_lim in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
            set_lim(-2.5, 2.5)
        ax.set_box_aspect((1, 1, 1), zoom=0.95)
        ax.view_init(elev=18, azim=-58)
        for axis, label in ((ax.xaxis, "$z_1$"), (ax.yaxis, "$z_2$"), (ax.zaxis, "$z_3$")):
            axis.set_ticklabels([])
            axis.set_label_text(label)
            axis.labelpad = -12
        ax.text2D(0.5, 0.98, name, transform=ax.transAxes, ha="center", va="top", fontsize=11)
        spreads = ", ".join(f"{s:.2f}" for s in sigma)
        ax.text2D(0.5, -0.03, rf"$\sigma$ = ({spreads}), box $\pm\sigma_i$" + f"\npenalty = {penalty:.2f}",
                  transform=ax.transAxes, ha="center", va="top", fontsize=10)

    note = fig.add_subplot(grid[0, 2])
    note.set_xlim(0, 3.3)
    note.set_ylim(0, 4)
    note.set_axis_off()
    note.text(1.65, 3.92, "why the decoder is kept Lipschitz", ha="center", va="top", fontsize=11)
    _box(note, (0.35, 3.0), 0.5, 0.5, "$z$", COLOURS["code"], fontsize=12)
    _arrow(note, (0.6, 3.0), (0.95, 3.0))
    _box(note, (1.65, 3.0), 1.4, 0.75, "decoder $g$\nspectral norm", COLOURS["decoder"], fontsize=10)
    _arrow(note, (2.35, 3.0), (2.7, 3.0))
    _box(note, (2.95, 3.0), 0.5, 0.5, r"$\hat{x}$", COLOURS["data"], fontsize=12)
    note.text(0.1, 2.35, "Each layer has spectral norm at most 1,\nso the decoder is 1-Lipschitz:",
              ha="left", va="top", fontsize=10, linespacing=1.35)
    note.text(1.65, 1.6, r"$\|g(z) - g(z')\| \leq \|z - z'\|$", ha="center", va="center", fontsize=11)
    words = ("Shrinking a code's scale cannot be undone by the decoder stretching it back: "
             "a dimension the data needs keeps its spread, only the unneeded ones collapse.")
    note.text(0.1, 1.25, textwrap.fill(words, 40), ha="left", va="top", fontsize=10, linespacing=1.35)
    if title is None:
        title = (r"Least volume: the penalty $\left(\prod_{i=1}^{m}\,(\sigma_i + \eta)\right)^{1/m}$"
                 rf" shrinks the box the codes fill ($\eta$ = {eta:g})")
    if title:
        fig.suptitle(title, fontsize=12, y=0.98)
    return fig
