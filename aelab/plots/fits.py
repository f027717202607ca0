"""How well a model fits its data: regression fits, point clouds with their
reconstructions, parity plots, explained variance and pruning curves.

Used in: chapters 1-3 and 6.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import numpy as np

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["parity", "pruning_curve", "regression_fit", "point_cloud", "explained_variance"]


def _on_3d(ax, where: str) -> None:
    if ax is not None and getattr(ax, "name", "") != "3d":
        raise ValueError(f"{where} draws on a 3-D axes; make it with fig.add_subplot(projection='3d').")


def parity(x, x_hat, *, names=None, title: str | None = None, s: float = 6):
    """Parity plots: each coordinate's reconstruction against its true value.

    Points on the dashed diagonal are reconstructed exactly.

    Args:
        x: originals, (N, F) (or (N, ...), flattened), F small.
        x_hat: reconstructions, the same shape.
        names: coordinate names (default ``x1 .. xF``).

    Returns:
        The figure, one panel per coordinate.

    Used in: chapter 6.
    """
    x, x_hat = to_numpy(x), to_numpy(x_hat)
    if x.shape != x_hat.shape:
        raise ValueError(f"originals and reconstructions differ in shape: {x.shape} vs {x_hat.shape}.")
    if x.ndim == 0 or x.size == 0:
        raise ValueError(f"parity needs at least one point, originals of shape (N, F), got {x.shape}.")
    _array_checks.finite_array("x", x)
    _array_checks.finite_array("x_hat", x_hat, "a NaN reconstruction cannot be drawn (did training diverge?).")
    x, x_hat = x.reshape(len(x), -1), x_hat.reshape(len(x_hat), -1)
    n = x.shape[1]
    if n > 12:
        raise ValueError(f"parity draws one panel per coordinate, at most 12; got {n} coordinates.")
    names = _arg_checks.one_per("names", names, n, "coordinates") if names else [f"$x_{{{i + 1}}}$" for i in range(n)]
    fig, axes = plt.subplots(1, n, figsize=(2.8 * n, 3), squeeze=False)
    for i, ax in enumerate(axes[0]):
        lo, hi = min(x[:, i].min(), x_hat[:, i].min()), max(x[:, i].max(), x_hat[:, i].max())
        ax.plot([lo, hi], [lo, hi], "k--", lw=1)
        ax.scatter(x[:, i], x_hat[:, i], s=s)
        ax.set_aspect("equal")
        ax.set_xlabel("true value")
        ax.set_ylabel("reconstruction")
        ax.set_title(names[i])
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def pruning_curve(explained, *, delta: float | None = None, ax=None, title: str | None = None, label: str | None = None, marker: str = "o"):
    """Explained reconstruction as the dimensions are pruned, least spread first.

    Args:
        explained: (D + 1,) values from :func:`aelab.metrics.explained_reconstruction`:
            0 with nothing pruned, 1 with everything pruned.
        delta: draw the threshold below which pruning counts as free.
        label: legend label of the curve.

    Returns:
        The axes.

    Used in: chapter 6.
    """
    explained = np.asarray(explained, dtype=float)
    if explained.ndim != 1 or len(explained) < 2:
        raise ValueError(f"explained must be a 1-D array of D + 1 >= 2 values, got shape {explained.shape}.")
    _array_checks.finite_array("explained", explained)
    if delta is not None:
        delta = _arg_checks.non_negative("delta", delta)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    ax.plot(np.arange(len(explained)), explained, marker=marker, ms=3, label=label)
    if delta is not None:
        ax.axhline(delta, color="k", ls=":", lw=1, label=f"threshold {delta:g}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole dimensions only
    ax.set_xlabel("dimensions pruned (least spread first)")
    ax.set_ylabel("share of the error range")
    if label is not None or delta is not None:
        ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def regression_fit(split, grid, predictions=None, *, truth=None, ax=None, title: str | None = None):
    """A 1-D regression set (train and test points), its true function, and fitted curves.

    Args:
        split: an :class:`aelab.data.Split` whose ``x_*`` and ``y_*`` are (n, 1) or (n,).
        grid: (G,) or (G, 1) inputs where the curves were evaluated.
        predictions: one (G,) array, or a dict ``{name: (G,) array}``, each drawn as a line.
        truth: (G,) values of the true function on ``grid``, drawn dashed.
        ax: an axes to draw into.

    Returns:
        The axes.

    Used in: chapter 1.
    """
    missing = [a for a in ("x_train", "y_train", "x_test", "y_test") if not hasattr(split, a)]
    if missing:
        raise ValueError(f"split must be an aelab.data.Split with x_train, y_train, x_test and y_test, "
                         f"such as aelab.data.toy_regression() returns, got {type(split).__name__}.")
    grid = to_numpy(grid).reshape(-1)
    if predictions is None:
        predictions = {}
    elif not isinstance(predictions, dict):
        predictions = {"prediction": predictions}
    curves = dict(predictions)
    if truth is not None:
        curves["truth"] = truth
    for name, values in curves.items():
        if to_numpy(values).size != len(grid):
            raise ValueError(f"the curve {name!r} has {to_numpy(values).size} values for {len(grid)} grid points.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.8))
    if truth is not None:
        ax.plot(grid, to_numpy(truth).reshape(-1), "k--", lw=1.2, label="true function")
    for name, values in predictions.items():
        ax.plot(grid, to_numpy(values).reshape(-1), lw=1.8, label=name)
    ax.scatter(to_numpy(split.x_train).reshape(-1), to_numpy(split.y_train).reshape(-1),
               s=25, color="C0", edgecolor="white", zorder=3, label="train")
    ax.scatter(to_numpy(split.x_test).reshape(-1), to_numpy(split.y_test).reshape(-1),
               s=40, marker="s", color="C3", edgecolor="white", zorder=3, label="test")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def point_cloud(x, reconstruction=None, *, color=None, connect: bool = False, ax=None, title: str | None = None,
                labels=("data", "reconstruction"), elev: float = 25, azim: float = -60, s: float = 12):
    """Points in 3-D, with an optional reconstruction drawn over them.

    Args:
        x: (N, 3) points.
        reconstruction: optional (N, 3) reconstructions of the same points.
        color: optional (N,) values (such as the curve's parameter t) that colour the data points.
        connect: draw a thin line from each point to its reconstruction (the error).
        ax: a 3-D axes to draw into (``projection="3d"``).
        labels: legend names of the two sets.
        elev, azim: the viewing angles.

    Returns:
        The 3-D axes.

    Used in: chapter 2.
    """
    x = to_numpy(x)
    if x.ndim != 2 or x.shape[1] != 3:
        raise ValueError(f"point_cloud draws points of shape (N, 3), got {x.shape}.")
    _array_checks.finite_array("x", x)
    if reconstruction is not None:
        reconstruction = to_numpy(reconstruction)
        if reconstruction.shape != x.shape:
            raise ValueError(f"points and reconstructions differ in shape: {x.shape} vs {reconstruction.shape}.")
        _array_checks.finite_array("reconstruction", reconstruction,
                            "a NaN reconstruction cannot be drawn (did training diverge?).")
    if color is not None and not isinstance(color, str):  # a colour name is one colour for all
        color = to_numpy(_arg_checks.one_per("color values", color, len(x), "points"))
    _on_3d(ax, "point_cloud")
    if ax is None:
        fig = plt.figure(figsize=(5.5, 5))
        ax = fig.add_subplot(projection="3d")
    if color is not None:
        ax.scatter(*x.T, c=color, cmap="viridis", s=s, alpha=0.8, label=labels[0])
    else:
        ax.scatter(*x.T, s=s, alpha=0.5, label=labels[0])
    if reconstruction is not None:
        ax.scatter(*reconstruction.T, s=s, color="C3", label=labels[1])
        if connect:
            for a, b in zip(x, reconstruction):
                ax.plot(*np.stack([a, b]).T, color="gray", lw=0.5)
        ax.legend(fontsize=8)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_zlabel("$x_3$")
    ax.view_init(elev=elev, azim=azim)
    if title:
        ax.set_title(title)
    return ax


def explained_variance(ratio, *, ax=None, title: str | None = None, threshold: float | None = None):
    """PCA's explained variance ratio per component (bars) and its running total (line).

    Args:
        ratio: (K,) shares of the variance, such as ``PCA().explained_variance_ratio_``.
        threshold: draw this share (e.g. 0.99) as a dotted line.
        ax: an axes to draw into.

    Returns:
        The axes.

    Used in: chapter 2.
    """
    ratio = np.asarray(to_numpy(ratio), dtype=float)
    if ratio.ndim != 1 or len(ratio) == 0:
        raise ValueError(f"explained_variance expects a 1-D array of shares, got shape {ratio.shape}.")
    _array_checks.finite_array("ratio", ratio)
    if threshold is not None:
        threshold = _arg_checks.non_negative("threshold", threshold)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    k = np.arange(1, len(ratio) + 1)
    ax.bar(k, ratio, label="per component")
    ax.plot(k, np.cumsum(ratio), "o-", color="C1", label="cumulative")
    if threshold is not None:
        ax.axhline(threshold, color="k", ls=":", lw=1, label=f"{threshold:.0%}")
    ax.set_xticks(k)
    ax.set_xlabel("principal component")
    ax.set_ylabel("share of the variance")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax
