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

    Used in: chapters 3 and 4.
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


# --------------------------------------------------------------------------- t-SNE and chosen latent points (chapter 3)


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

    z = to_numpy(z)
    if z.ndim != 2 or len(z) < 4:
        raise ValueError(f"tsne expects codes of shape (N, D) with N >= 4, got {z.shape}.")
    if n_points is not None and (not isinstance(n_points, (int, np.integer)) or n_points < 4):
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
    labels = to_numpy(labels)
    if len(labels) != len(z):
        raise ValueError(f"got {len(z)} codes but {len(labels)} labels.")
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
    if len(names) != len(points):
        raise ValueError(f"got {len(points)} points but {len(names)} names.")
    ax.scatter(points[:, 0], points[:, 1], s=size, marker=marker, color=color, edgecolor="white", zorder=5)
    for (x, y), name in zip(points, names):
        ax.annotate(str(name), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=8,
                    color=color, zorder=6)
    return ax


def history_comparison(histories, metric: str = "loss", *, ax=None, title: str | None = None, logy: bool = False,
                       ylabel: str | None = None):
    """One metric of several training runs: train solid, test dashed, one colour per run.

    Args:
        histories: a dict ``{run name: history}`` of :func:`aelab.train.fit`
            DataFrames with ``train_<metric>`` (and optionally ``test_<metric>``) columns.
        metric: e.g. ``"loss"`` or ``"accuracy"``.
        logy: logarithmic y axis.
        ylabel: the y-axis label (default: the metric's name).

    Returns:
        The axes.

    Used in: chapter 3.
    """
    if not isinstance(histories, dict) or not histories:
        raise ValueError("history_comparison expects a non-empty dict {run name: history}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for i, (name, history) in enumerate(histories.items()):
        if f"train_{metric}" not in history or "epoch" not in history:
            raise ValueError(f"the history of {name!r} has no 'epoch' and 'train_{metric}' columns.")
        color = f"C{i % 10}"
        ax.plot(history["epoch"], history[f"train_{metric}"], color=color, label=f"{name} (train)")
        if f"test_{metric}" in history:
            ax.plot(history["epoch"], history[f"test_{metric}"], color=color, ls="--", label=f"{name} (test)")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or metric)
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- regression fits, point clouds, codes by index (chapters 1 and 2)


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

    Used in: chapters 2 and 6.
    """
    x = to_numpy(x)
    if x.ndim != 2 or x.shape[1] != 3:
        raise ValueError(f"point_cloud draws points of shape (N, 3), got {x.shape}.")
    if reconstruction is not None:
        reconstruction = to_numpy(reconstruction)
        if reconstruction.shape != x.shape:
            raise ValueError(f"points and reconstructions differ in shape: {x.shape} vs {reconstruction.shape}.")
    if ax is None:
        fig = plt.figure(figsize=(5.5, 5))
        ax = fig.add_subplot(projection="3d")
    if color is not None:
        ax.scatter(*x.T, c=to_numpy(color), cmap="viridis", s=s, alpha=0.8, label=labels[0])
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


def latent_index(z, *, ax=None, title: str | None = None):
    """Each latent dimension against the sample's index, one line per dimension.

    When the samples are ordered along the data (as the curve's are, by t),
    a code that follows the curve is a smooth monotone line; a fold shows as a
    turn, a jump as a break.

    Args:
        z: codes, (N, D) or (N,).
        ax: an axes to draw into.

    Returns:
        The axes.

    Used in: chapters 2 and 6.
    """
    z = to_numpy(z)
    if z.ndim == 1:
        z = z[:, None]
    if z.ndim != 2:
        raise ValueError(f"latent_index expects codes of shape (N, D) or (N,), got {z.shape}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    for j in range(z.shape[1]):
        ax.plot(np.arange(len(z)), z[:, j], marker="+", ms=4, lw=0.8, label=f"$z_{{{j + 1}}}$")
    ax.set_xlabel("sample index")
    ax.set_ylabel("code value")
    ax.legend(fontsize=8)
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

    Used in: chapters 2 and 3.
    """
    ratio = np.asarray(to_numpy(ratio), dtype=float)
    if ratio.ndim != 1 or len(ratio) == 0:
        raise ValueError(f"explained_variance expects a 1-D array of shares, got shape {ratio.shape}.")
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
