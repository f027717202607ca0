"""Where the codes lie: scatter plots, pair plots, t-SNE maps, and chosen
points marked on them. (Each dimension on its own, its spread, covariance and
value along the samples, is in :mod:`aelab.plots.dimensions`.)

Used in: chapters 2-6.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["latent_scatter", "pairplot", "tsne", "tsne_scatter", "mark_points"]

_NAN_CODES = "a NaN code cannot be drawn (did training diverge?)."


def _labels(labels, n: int):
    """``labels`` as an (n,) array (one per code), ``None`` left as it is."""
    return None if labels is None else to_numpy(_arg_checks.one_per("labels", labels, n, "codes"))


def latent_scatter(z, labels=None, *, ax=None, title: str | None = None, s: float = 4, cmap="tab10",
                   legend: bool = True):
    """Scatter of 2-D or 3-D codes, coloured by label when labels are given.

    Args:
        z: codes, (N, 2) or (N, 3).
        labels: optional (N,) labels: integers (digits, say: label k takes
            colour k of ``cmap``) or names (each distinct name its own colour).
        ax: an axes (a 3-D one for 3-D codes).

    Returns:
        The axes.

    Used in: chapters 3, 4 and 6.
    """
    z = to_numpy(z)
    if z.ndim != 2 or z.shape[1] not in (2, 3) or len(z) == 0:
        raise ValueError(f"latent_scatter draws codes of shape (N, 2) or (N, 3), got {z.shape}.")
    _array_checks.finite_array("the codes given to latent_scatter", z, _NAN_CODES)
    labels = _labels(labels, len(z))
    three_d = z.shape[1] == 3
    if three_d and ax is not None and getattr(ax, "name", "") != "3d":
        raise ValueError("latent_scatter draws 3-D codes on a 3-D axes; make it with "
                         "fig.add_subplot(projection='3d'), or pass two dimensions, z[:, :2].")
    if ax is None:
        fig = plt.figure(figsize=(6, 5))
        ax = fig.add_subplot(projection="3d" if three_d else None)
    coords = [z[:, i] for i in range(z.shape[1])]
    if labels is None:
        ax.scatter(*coords, s=s)
    else:
        numbers = np.issubdtype(labels.dtype, np.number) or labels.dtype == bool
        for i, k in enumerate(np.unique(labels)):  # a digit keeps its colour; names take them in turn
            m = labels == k
            colour = plt.get_cmap(cmap)((int(k) if numbers else i) % 10)
            ax.scatter(*[c[m] for c in coords], s=s, label=str(k), color=colour)
        if legend:
            ax.legend(markerscale=3, fontsize=8, loc="best", title="label")
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if three_d:
        ax.set_zlabel("$z_3$")
    if title:
        ax.set_title(title)
    return ax


def pairplot(z, labels=None, *, names=None, height: float = 1.8, title: str | None = None,
             label_name: str = "label"):
    """Seaborn pairplot of codes (every pair of dimensions), on its own figure.

    Seaborn makes its own figure, so no ``plt.figure()`` may come before it
    (that leaves an empty figure behind). The diagonal shows each dimension's
    histogram.

    Args:
        z: (N, D) codes.
        labels: optional (N,) values to colour by: classes (integers or names,
            a legend), or a continuous quantity such as a position along a curve
            (floats, a colour bar).
        names: column names (default ``z1 .. zD``).
        label_name: what the labels are, for the legend or colour bar.

    Returns:
        The seaborn ``PairGrid``; its figure is ``grid.figure``.

    Used in: chapters 2 and 6.
    """
    import seaborn as sns

    z = _array_checks.codes("pairplot", z)
    labels = _labels(labels, len(z))
    names = (_arg_checks.one_per("names", names, z.shape[1], "dimensions") if names
             else [f"z{i + 1}" for i in range(z.shape[1])])
    frame = pd.DataFrame(z, columns=names)
    if labels is not None and np.issubdtype(labels.dtype, np.floating):  # a continuous quantity
        grid = sns.PairGrid(frame, height=height)
        grid.map_diag(plt.hist, bins=20, color="0.6")

        def coloured(x, y, **kwargs):  # seaborn passes one colour; each point gets its own
            kwargs.pop("color", None)
            plt.scatter(x, y, c=labels, cmap="viridis", s=10)

        grid.map_offdiag(coloured)
        points = grid.axes[0, -1].collections[0]  # an off-diagonal panel's points
        grid.figure.colorbar(points, ax=grid.axes, label=label_name, shrink=0.6)
    else:
        if labels is not None:
            frame[label_name] = labels
        grid = sns.pairplot(frame, hue=label_name if labels is not None else None, height=height,
                            plot_kws=dict(s=10), diag_kind="hist")
    if title:
        grid.figure.suptitle(title, y=1.02)
    return grid


def tsne(z, n_points: int | None = None, *, seed: int = 0, perplexity: float = 30.0):
    """A 2-D t-SNE map of codes, computed on a seeded random subsample.

    t-SNE's cost grows faster than the number of points, so a large set is
    subsampled first: ``n_points`` is the budget, not a property of the data.

    Args:
        z: (N, D) codes, a tensor or an array.
        n_points: at most this many rows, drawn at random with ``seed``
            (default: all N).
        seed: seeds the subsample and t-SNE itself.
        perplexity: t-SNE's effective number of neighbours; lowered to
            ``(m - 1) / 3`` when the subsample of m points is too small for it.

    Returns:
        ``(embedding, index)``: the (m, 2) map and the (m,) rows of ``z`` it shows.

    Used in: chapter 3.
    """
    from sklearn.manifold import TSNE

    z = _array_checks.codes("tsne", z, 4)
    perplexity = _arg_checks.positive("perplexity", perplexity)
    if n_points is not None and (not _arg_checks.is_int(n_points) or n_points < 4):
        raise ValueError(f"n_points must be an integer of at least 4, got {n_points!r}.")
    rng = np.random.default_rng(seed)
    m = len(z) if n_points is None else min(int(n_points), len(z))
    index = np.sort(rng.choice(len(z), size=m, replace=False)) if m < len(z) else np.arange(len(z))
    perplexity = min(float(perplexity), (m - 1) / 3)
    embedding = TSNE(2, perplexity=perplexity, init="pca", learning_rate="auto", random_state=seed).fit_transform(
        z[index].astype(np.float32)
    )
    return embedding, index


def tsne_scatter(z, labels, *, n_points: int | None = 2000, seed: int = 0, perplexity: float = 30.0,
                 ax=None, title: str | None = None, s: float = 6):
    """t-SNE map of codes (see :func:`tsne`), coloured by label.

    Args:
        z: (N, D) codes.
        labels: (N,) integer labels.
        n_points: the subsample's size (a budget: t-SNE is slow on many points).
        seed, perplexity: passed to :func:`tsne`.
        ax: an axes to draw into.

    Returns:
        The axes; the axis labels say that t-SNE's coordinates have no units.

    Used in: chapter 3.
    """
    labels = _labels(labels, len(z))
    embedding, index = tsne(z, n_points, seed=seed, perplexity=perplexity)
    ax = latent_scatter(embedding, labels[index], ax=ax, title=title, s=s)
    ax.set_xlabel("t-SNE 1 (no units)")
    ax.set_ylabel("t-SNE 2 (no units)")
    return ax


def mark_points(ax, points, names, *, color: str = "black", marker: str = "X", size: float = 80):
    """Mark and name chosen points on a 2-D plot, e.g. the codes a decoder is given.

    Args:
        ax: the axes of a 2-D scatter.
        points: (M, 2) coordinates.
        names: M labels written beside the points.

    Returns:
        The axes.

    Used in: chapter 3.
    """
    points = to_numpy(points)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"mark_points draws points of shape (M, 2), got {points.shape}.")
    _arg_checks.one_per("names", names, len(points), "points")
    _array_checks.finite_array("points", points)
    from matplotlib import patheffects

    ax.scatter(points[:, 0], points[:, 1], s=size, marker=marker, color=color, edgecolor="white", zorder=5)
    # Each label goes to whichever of eight spots around its point lies farthest from the
    # points and the labels already placed (in screen pixels), so that close points stay legible.
    ax.autoscale_view()  # the limits the new markers bring, before reading pixel positions
    screen = ax.transData.transform(points)  # (M, 2) pixels
    spots = [(dx, dy) for dx, dy in ((8, 8), (8, -14), (-14, 8), (-14, -14), (12, -3), (-20, -3),
                                      (-3, 12), (-3, -18))]
    taken = [tuple(p) for p in screen]
    outline = [patheffects.withStroke(linewidth=3, foreground="white")]
    for (x, y), (px, py), name in zip(points, screen, names):
        gaps = [min(np.hypot(px + dx - tx, py + dy - ty) for tx, ty in taken) for dx, dy in spots]
        dx, dy = spots[int(np.argmax(gaps))]
        taken.append((px + dx, py + dy))
        ax.annotate(str(name), (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=9,
                    fontweight="bold", color=color, zorder=6, path_effects=outline)
    return ax
