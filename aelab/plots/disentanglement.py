"""Disentanglement: Hinton diagrams of an importance matrix, and how much
each latent dimension moves each output.

Used in: chapter 5.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["hinton", "effect_spread"]


def hinton(R, *, row_labels=None, col_labels=None, title: str | None = None, ax=None):
    """Hinton diagram of an importance matrix: one square per entry, its area proportional to the value.

    Args:
        R: (n_codes, n_factors) non-negative matrix, e.g. from :func:`aelab.metrics.dci`.
        row_labels: names of the codes (default ``z1 .. zD``).
        col_labels: names of the factors (default ``f1 .. fK``).
        title: the axes title.
        ax: an axes (default: a new figure).

    Returns:
        The axes.

    Used in: chapter 5.
    """
    R = to_numpy(R).astype(float)
    if R.ndim != 2 or R.size == 0:
        raise ValueError(f"hinton draws a non-empty 2-D matrix of finite, non-negative values, got shape {R.shape}.")
    _array_checks.finite_array("R", R)
    if np.any(R < 0):
        raise ValueError(f"hinton draws importances, which are non-negative, but R has {int((R < 0).sum())} "
                         f"negative entries (minimum {R.min():.3g}).")
    n_rows, n_cols = R.shape
    row_labels = (_arg_checks.one_per("row_labels", row_labels, n_rows, "rows (codes)") if row_labels is not None
                  else [f"z{i + 1}" for i in range(n_rows)])
    col_labels = (_arg_checks.one_per("col_labels", col_labels, n_cols, "columns (factors)") if col_labels is not None
                  else [f"f{j + 1}" for j in range(n_cols)])
    if ax is None:
        _, ax = plt.subplots(figsize=(0.5 * n_cols + 1.5, 0.35 * n_rows + 1.2))
    ax.set_facecolor("0.45")
    biggest = R.max() if R.max() > 0 else 1.0
    for (i, j), value in np.ndenumerate(R):
        side = 0.95 * np.sqrt(value / biggest)  # area, not side, tracks the value
        if side > 0:
            ax.add_patch(plt.Rectangle((j - side / 2, i - side / 2), side, side, facecolor="white", edgecolor="none"))
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)  # first code on top
    ax.set_aspect("equal")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(col_labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels(row_labels, fontsize=8)
    ax.set_xlabel("factor")
    ax.set_ylabel("code")
    if title:
        ax.set_title(title)
    return ax


def effect_spread(effects, *, highlight=None, title: str | None = None, ax=None):
    """The entanglement figure: per latent dimension, the spread of its traversal effect over inputs.

    A box per dimension shows how much sweeping it changes the image across
    many inputs; a tall box is a dimension whose effect depends on the input.
    Chosen inputs are drawn on top as markers, so two inputs whose traversal
    grids look different can be found in the distribution.

    Args:
        effects: (n_inputs, latent_dim), e.g. from :func:`aelab.metrics.traversal_effects`.
        highlight: optional ``{label: row index}`` of inputs to mark.
        title: the axes title.
        ax: an axes (default: a new figure).

    Returns:
        The axes.

    Used in: chapter 5.
    """
    e = to_numpy(effects)
    if e.ndim != 2 or e.size == 0:
        raise ValueError(f"effect_spread expects effects of shape (n_inputs, latent_dim), got {e.shape}.")
    _array_checks.finite_array("effects", e)
    if highlight is not None and not isinstance(highlight, dict):
        raise ValueError(f"highlight must be a dict {{label: row index}}, such as {{'input A': 0}}, "
                         f"got {type(highlight).__name__}.")
    n, d = e.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.45 * d + 1.5), 3.8))
    positions = np.arange(1, d + 1)
    ax.boxplot(e, positions=positions, widths=0.6, showfliers=False, patch_artist=True,
               boxprops=dict(facecolor="0.85"), medianprops=dict(color="0.2"))
    markers = "os^Dv"
    for k, (label, row) in enumerate((highlight or {}).items()):
        if not 0 <= int(row) < n:
            raise ValueError(f"highlight row {row} is outside 0..{n - 1}.")
        ax.scatter(positions, e[int(row)], marker=markers[k % len(markers)], s=28, zorder=3,
                   color=plt.get_cmap("tab10")(k), label=str(label))
    if highlight:
        ax.legend(fontsize=8)
    ax.set_xticks(positions)
    ax.set_xticklabels([f"z{i + 1}" for i in range(d)], fontsize=8)
    ax.set_xlabel("latent dimension")
    ax.set_ylabel("mean pixel change along the sweep")
    if title:
        ax.set_title(title)
    return ax
