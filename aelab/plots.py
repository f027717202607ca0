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
