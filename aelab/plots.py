"""Figures. Each helper takes data (tensors or arrays) and an optional ``ax``,
and returns the figure or the axes; none reaches into a model or a trainer.

Used in: chapters 1-6.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch



def to_numpy(a) -> np.ndarray:
    """A tensor (any device, with or without grad) or array-like as a NumPy array."""
    if torch.is_tensor(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def _images(images) -> np.ndarray:
    a = to_numpy(images)
    if a.ndim == 4 and a.shape[1] in (1, 3):
        a = a.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
    if a.ndim == 4 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim == 2:  # flattened square images
        side = math.isqrt(a.shape[1])
        if side * side != a.shape[1]:
            raise ValueError(f"cannot show flattened images of {a.shape[1]} pixels as squares.")
        a = a.reshape(-1, side, side)
    if a.ndim not in (3, 4):
        raise ValueError(f"expected images (N, H, W), (N, C, H, W) or (N, H*W), got shape {a.shape}.")
    return a


def image_grid(images, ncols: int = 10, *, titles=None, ax=None, vmin=None, vmax=None, cmap="gray"):
    """Show images in a grid, one axes each.

    Args:
        images: (N, H, W), (N, 1, H, W), (N, 3, H, W) or flattened square (N, H*W).
        ncols: images per row.
        titles: optional list of N strings.
        ax: an axes to draw into as a single tiled image (titles are then ignored).
        vmin, vmax: colour range (default: each image's own).

    Returns:
        The figure (or ``ax`` when given).

    Used in: chapters 0, 3, 4 and 5.
    """
    a = _images(images)
    n = len(a)
    if n == 0:
        raise ValueError("image_grid needs at least one image.")
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    if ax is not None:
        h, w = a.shape[1:3]
        tile = np.full((nrows * (h + 1) - 1, ncols * (w + 1) - 1) + a.shape[3:], np.nan)
        for i, img in enumerate(a):
            r, c = divmod(i, ncols)
            tile[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = img
        ax.imshow(tile, cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_axis_off()
        return ax
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.2 * ncols, 1.2 * nrows + 0.2), squeeze=False)
    for i, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if i < n:
            axis.imshow(a[i], cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                axis.set_title(str(titles[i]), fontsize=8)
    fig.tight_layout()
    return fig


def reconstructions(originals, reconstructed, n: int = 10, *, title: str | None = None, labels=("original", "reconstruction")):
    """Originals in the top row, their reconstructions below.

    Args:
        originals, reconstructed: the same number of images, any layout :func:`image_grid` takes.
        n: how many to show (the first n).
        labels: the two row labels.

    Returns:
        The figure.

    Used in: chapters 2-6.
    """
    a, b = _images(originals)[:n], _images(reconstructed)[:n]
    if a.shape != b.shape:
        raise ValueError(f"originals and reconstructions differ in shape: {a.shape} vs {b.shape}.")
    fig, axes = plt.subplots(2, len(a), figsize=(1.2 * len(a), 2.8), squeeze=False)
    for row, imgs, label in ((0, a, labels[0]), (1, b, labels[1])):
        for i, img in enumerate(imgs):
            axes[row, i].imshow(img, cmap="gray", vmin=0, vmax=1)
            axes[row, i].set_xticks([])
            axes[row, i].set_yticks([])
        axes[row, 0].set_ylabel(label, fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def training_curves(history: pd.DataFrame, *, columns=None, ax=None, logy: bool = True, title: str | None = None):
    """Loss per epoch from a :func:`aelab.train.fit` history.

    Args:
        history: a DataFrame with an ``epoch`` column.
        columns: which columns to draw (default: every ``train_*`` and ``test_*``).
        logy: logarithmic loss axis.

    Returns:
        The axes.

    Used in: chapters 1-6.
    """
    if "epoch" not in history:
        raise ValueError("training_curves expects a history with an 'epoch' column, as fit returns.")
    columns = columns or [c for c in history.columns if c.startswith(("train_", "test_"))]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for c in columns:
        ax.plot(history["epoch"], history[c], label=c.replace("_", " "), ls="--" if c.startswith("test") else "-")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if logy:
        ax.set_yscale("log")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def latent_scatter(z, labels=None, *, ax=None, title: str | None = None, s: float = 4, cmap="tab10", legend: bool = True):
    """Scatter of 2-D or 3-D codes, coloured by label when labels are given.

    Args:
        z: codes, (N, 2) or (N, 3).
        labels: optional (N,) integer labels (digits, say).
        ax: an axes (a 3-D one for 3-D codes).

    Returns:
        The axes.

    Used in: chapters 2-6.
    """
    z = to_numpy(z)
    if z.ndim != 2 or z.shape[1] not in (2, 3):
        raise ValueError(f"latent_scatter draws codes of shape (N, 2) or (N, 3), got {z.shape}.")
    three_d = z.shape[1] == 3
    if ax is None:
        fig = plt.figure(figsize=(6, 5))
        ax = fig.add_subplot(projection="3d" if three_d else None)
    coords = [z[:, i] for i in range(z.shape[1])]
    if labels is None:
        ax.scatter(*coords, s=s)
    else:
        labels = to_numpy(labels)
        if len(labels) != len(z):
            raise ValueError(f"got {len(z)} codes but {len(labels)} labels.")
        for k in np.unique(labels):
            m = labels == k
            ax.scatter(*[c[m] for c in coords], s=s, label=str(k), color=plt.get_cmap(cmap)(int(k) % 10))
        if legend:
            ax.legend(markerscale=3, fontsize=8, loc="best", title="label")
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if three_d:
        ax.set_zlabel("$z_3$")
    if title:
        ax.set_title(title)
    return ax


def pairplot(z, labels=None, *, names=None, height: float = 1.8, title: str | None = None):
    """Seaborn pairplot of codes (every pair of dimensions), on its own figure.

    Seaborn makes its own figure, so no ``plt.figure()`` may come before it
    (that leaves an empty figure behind).

    Args:
        z: (N, D) codes.
        labels: optional (N,) values to colour by.
        names: column names (default ``z1 .. zD``).

    Returns:
        The seaborn ``PairGrid``; its figure is ``grid.figure``.

    Used in: chapters 2 and 6.
    """
    import seaborn as sns

    z = to_numpy(z)
    if z.ndim != 2:
        raise ValueError(f"pairplot expects codes of shape (N, D), got {z.shape}.")
    names = names or [f"z{i + 1}" for i in range(z.shape[1])]
    frame = pd.DataFrame(z, columns=names)
    hue = None
    if labels is not None:
        frame["label"] = to_numpy(labels)
        hue = "label"
    grid = sns.pairplot(frame, hue=hue, height=height, plot_kws=dict(s=10))
    if title:
        grid.figure.suptitle(title, y=1.02)
    return grid


# --------------------------------------------------------------------------- rows of images (chapter 4)


def image_rows(rows, *, n: int | None = None, title: str | None = None, vmin=None, vmax=None, cmap="gray"):
    """Several labelled rows of images, one row per entry: originals against
    reconstructions of several models, or interpolation paths.

    Args:
        rows: a dict ``{row label: images}``, each images in any layout
            :func:`image_grid` takes, all of the same size.
        n: how many images of each row to show (default: all; rows may differ
            in length, shorter ones leave blanks).
        title: the figure's title.
        vmin, vmax: the colour range shared by every image (e.g. -1, 1 for
            pixels in [-1, 1]); default: each image's own.

    Returns:
        The figure.

    Used in: chapter 4.
    """
    if not isinstance(rows, dict) or not rows:
        raise ValueError("image_rows expects a non-empty dict {row label: images}.")
    arrays = {label: _images(images)[:n] for label, images in rows.items()}
    ncols = max(len(a) for a in arrays.values())
    fig, axes = plt.subplots(len(arrays), ncols, figsize=(1.1 * ncols + 1.0, 1.15 * len(arrays) + 0.5), squeeze=False)
    for r, (label, imgs) in enumerate(arrays.items()):
        for c in range(ncols):
            axis = axes[r, c]
            axis.set_xticks([])
            axis.set_yticks([])
            if c < len(imgs):
                axis.imshow(imgs[c], cmap=cmap, vmin=vmin, vmax=vmax)
            else:
                axis.set_axis_off()
        axes[r, 0].set_ylabel(str(label), fontsize=9, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- traversal and DCI (chapter 5)


def traversal_grid(images, *, row_labels=None, col_labels=None, title: str | None = None, ax=None,
                   vmin: float | None = 0.0, vmax: float | None = 1.0):
    """Latent traversals as one mosaic: row r is one sweep, its columns the steps.

    Args:
        images: (rows, steps, H, W) or (rows, steps, 1, H, W), e.g. from
            :func:`aelab.metrics.traverse`.
        row_labels: one label per row (e.g. ``"z3"``), written on the left.
        col_labels: one label per column (e.g. the swept values), written below.
        title: the figure's title.
        ax: an axes to draw into (default: a new figure sized to the grid).
        vmin, vmax: colour range (default [0, 1], the pixel range).

    Returns:
        The axes.

    Used in: chapter 5.
    """
    a = to_numpy(images)
    if a.ndim == 5 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim != 4:
        raise ValueError(f"traversal_grid expects images (rows, steps, H, W) or (rows, steps, 1, H, W), got {a.shape}.")
    rows, steps, h, w = a.shape
    for name, labels, n in (("row_labels", row_labels, rows), ("col_labels", col_labels, steps)):
        if labels is not None and len(labels) != n:
            raise ValueError(f"{name} needs {n} labels, got {len(labels)}.")
    tile = np.full((rows * (h + 1) - 1, steps * (w + 1) - 1), np.nan)  # one-pixel gaps
    for r in range(rows):
        for s in range(steps):
            tile[r * (h + 1) : r * (h + 1) + h, s * (w + 1) : s * (w + 1) + w] = a[r, s]
    if ax is None:
        _, ax = plt.subplots(figsize=(0.75 * steps + 1.2, 0.75 * rows + 0.8))
    ax.imshow(tile, cmap="gray", vmin=vmin, vmax=vmax)
    ax.set_xticks([s * (w + 1) + w / 2 - 0.5 for s in range(steps)])
    ax.set_xticklabels(col_labels if col_labels is not None else [""] * steps, fontsize=8)
    ax.set_yticks([r * (h + 1) + h / 2 - 0.5 for r in range(rows)])
    ax.set_yticklabels(row_labels if row_labels is not None else [""] * rows, fontsize=8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title)
    return ax


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
    if R.ndim != 2 or np.any(R < 0) or not np.all(np.isfinite(R)):
        raise ValueError(f"hinton draws a 2-D matrix of finite, non-negative values, got shape {R.shape}.")
    n_rows, n_cols = R.shape
    row_labels = row_labels if row_labels is not None else [f"z{i + 1}" for i in range(n_rows)]
    col_labels = col_labels if col_labels is not None else [f"f{j + 1}" for j in range(n_cols)]
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


def traversal_effects(effects, *, highlight=None, title: str | None = None, ax=None):
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
    if e.ndim != 2:
        raise ValueError(f"traversal_effects expects effects of shape (n_inputs, latent_dim), got {e.shape}.")
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


# --------------------------------------------------------------------------- latent spread (chapters 2 and 6)


def latent_stds(z, *, ax=None, title: str | None = None, sort: bool = True, log: bool = False, label: str | None = None):
    """Bars of each latent dimension's standard deviation over the data, largest first.

    Each bar is labelled with the dimension's own index, so a sorted plot still
    says which dimension is which.

    Args:
        z: codes, (N, D) with N >= 2.
        sort: order the bars by decreasing standard deviation.
        log: logarithmic y axis (collapsed dimensions become visible).
        label: legend label of the bars.

    Returns:
        The axes.

    Used in: chapters 2 and 6.
    """
    z = to_numpy(z)
    if z.ndim != 2 or len(z) < 2:
        raise ValueError(f"latent_stds expects codes of shape (N, D) with N >= 2, got {z.shape}.")
    std = z.std(axis=0, ddof=1)
    order = np.argsort(-std, kind="stable") if sort else np.arange(len(std))
    if ax is None:
        _, ax = plt.subplots(figsize=(max(3.0, 0.4 * len(std) + 1.5), 3))
    ax.bar(np.arange(len(std)), std[order], label=label)
    ax.set_xticks(np.arange(len(std)), [f"$z_{{{i + 1}}}$" for i in order], fontsize=8 if len(std) > 12 else 10)
    ax.set_xlabel("latent dimension" + (", by decreasing spread" if sort else ""))
    ax.set_ylabel("standard deviation")
    if log:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    return ax


def covariance(z, *, ax=None, title: str | None = None, sort: bool = True, annotate: bool = True, cmap="RdBu_r"):
    """The latent covariance matrix as a heat map, dimensions ordered by decreasing spread.

    The colour scale is symmetric about 0, so independent dimensions show white
    off the diagonal and a collapsed dimension a white row and column.

    Args:
        z: codes, (N, D) with N >= 2.
        sort: order the dimensions by decreasing standard deviation.
        annotate: write each entry in its cell (for small D).

    Returns:
        The axes.

    Used in: chapters 2 and 6.
    """
    z = to_numpy(z)
    if z.ndim != 2 or len(z) < 2:
        raise ValueError(f"covariance expects codes of shape (N, D) with N >= 2, got {z.shape}.")
    order = np.argsort(-z.std(axis=0), kind="stable") if sort else np.arange(z.shape[1])
    cov = np.atleast_2d(np.cov(z[:, order], rowvar=False))
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3.5))
    limit = float(np.abs(cov).max()) or 1.0
    image = ax.imshow(cov, cmap=cmap, vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    names = [f"$z_{{{i + 1}}}$" for i in order]
    ax.set_xticks(np.arange(len(order)), names)
    ax.set_yticks(np.arange(len(order)), names)
    if annotate:
        for (i, j), value in np.ndenumerate(cov):
            ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=8)
    ax.set_title(title or "Latent covariance")
    return ax


def parity(x, x_hat, *, names=None, title: str | None = None, s: float = 6):
    """Parity plots: each coordinate's reconstruction against its true value.

    Points on the dashed diagonal are reconstructed exactly.

    Args:
        x: originals, (N, F) (or (N, ...), flattened), F small.
        x_hat: reconstructions, the same shape.
        names: coordinate names (default ``x1 .. xF``).

    Returns:
        The figure, one panel per coordinate.

    Used in: chapters 2 and 6.
    """
    x, x_hat = to_numpy(x), to_numpy(x_hat)
    if x.shape != x_hat.shape:
        raise ValueError(f"originals and reconstructions differ in shape: {x.shape} vs {x_hat.shape}.")
    x, x_hat = x.reshape(len(x), -1), x_hat.reshape(len(x_hat), -1)
    n = x.shape[1]
    if n > 12:
        raise ValueError(f"parity draws one panel per coordinate, at most 12; got {n} coordinates.")
    names = names or [f"$x_{{{i + 1}}}$" for i in range(n)]
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
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    ax.plot(np.arange(len(explained)), explained, marker=marker, ms=3, label=label)
    if delta is not None:
        ax.axhline(delta, color="k", ls=":", lw=1, label=f"threshold {delta:g}")
    ax.set_xlabel("dimensions pruned (least spread first)")
    ax.set_ylabel("share of the error range")
    if label is not None or delta is not None:
        ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax
