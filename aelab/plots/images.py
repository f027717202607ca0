"""Grids and rows of images: samples, reconstructions, generated digits
and latent traversals.

Used in: chapters 0 and 2-5.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["image_grid", "reconstructions", "image_rows", "traversal_grid"]


def _images(images, name: str = "images", *, square_ok: bool = True) -> np.ndarray:
    """Images as (N, H, W) or (N, H, W, C); ``square_ok=False`` refuses an (S, S) array that reads two ways."""
    a = to_numpy(images)
    if not square_ok and a.ndim == 2 and a.shape[0] == a.shape[1] and math.isqrt(a.shape[1]) ** 2 == a.shape[1]:
        # (16, 16) is one 16 x 16 image or 16 flattened 4 x 4 ones: a student means the first,
        # a decoder's batch the second; neither reading is safe to guess
        side, small = a.shape[0], math.isqrt(a.shape[1])
        raise ValueError(f"{name} of shape {a.shape} read both as one {side} x {side} image and as {side} "
                         f"flattened images of {small} x {small}; for one image, pass a batch of one: "
                         f"image[None]; for flattened ones, images.reshape(-1, {small}, {small}).")
    if a.ndim == 4 and a.shape[1] in (1, 3):
        a = a.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
    if a.ndim == 4 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim == 2:  # flattened square images
        side = math.isqrt(a.shape[1])
        if side * side != a.shape[1]:
            raise ValueError(f"cannot show flattened images of {a.shape[1]} pixels as squares; "
                             f"for one image of shape {a.shape}, pass a batch of one: image[None].")
        a = a.reshape(-1, side, side)
    if a.ndim not in (3, 4):
        raise ValueError(f"expected images (N, H, W), (N, C, H, W) or (N, H*W), got shape {a.shape}.")
    _array_checks.finite_array(name, a, "a NaN pixel would be drawn as a blank (did training diverge?).")
    return a


def image_grid(images, ncols: int = 10, *, titles=None, title=None, ax=None, vmin=None, vmax=None, cmap="gray"):
    """Show images in a grid, one axes each.

    Args:
        images: (N, H, W), (N, 1, H, W), (N, 3, H, W) or flattened square (N, H*W);
            one image as a batch of one, image[None] (an (S, S) array is refused: it
            reads as one image and as S flattened ones).
        ncols: images per row.
        titles: optional list of N strings, one above each image.
        title: optional title of the whole figure, set above the images' own titles.
        ax: an axes to draw into as a single tiled image (titles are then ignored).
        vmin, vmax: colour range (default: each image's own).

    Returns:
        The figure (or ``ax`` when given).

    Used in: chapters 0, 3, 4 and 5.
    """
    a = _images(images, square_ok=False)
    n = len(a)
    if n == 0:
        raise ValueError("image_grid needs at least one image.")
    ncols = max(1, min(_arg_checks.positive_int("ncols", ncols), n))
    if titles is not None:
        _arg_checks.one_per("titles", titles, n, "images")
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
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()  # makes room for the suptitle too, so it never covers the images' titles
    return fig


def reconstructions(originals, reconstructed, n: int = 10, *, title: str | None = None, labels=("original", "reconstruction")):
    """Originals in the top row, their reconstructions below.

    Args:
        originals, reconstructed: the same number of images, any layout :func:`image_grid` takes,
            with pixels in [0, 1] (drawn on that grey scale; a little outside it is clipped).
        n: how many to show (the first n).
        labels: the two row labels.

    Returns:
        The figure.

    Used in: chapters 0, 3, 5 and 6.
    """
    n = _arg_checks.positive_int("n", n)
    _arg_checks.one_per("labels", labels, 2, "rows (originals, reconstructions)")
    a, b = (_images(originals, "originals", square_ok=False)[:n],
            _images(reconstructed, "reconstructed", square_ok=False)[:n])
    if a.shape != b.shape:
        raise ValueError(f"originals and reconstructions differ in shape: {a.shape} vs {b.shape}.")
    if len(a) == 0:
        raise ValueError("reconstructions needs at least one original and its reconstruction.")
    for name, imgs in (("originals", a), ("reconstructed", b)):  # 0-255 would be drawn all white
        _array_checks.in_range(name, imgs, 0.0, 1.0, slack=1.0, why=", the grey scale reconstructions draws",
                        hint="images of 0-255 need x / 255, and image_grid draws any other range")
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
    if n is not None:
        n = _arg_checks.positive_int("n", n)
    arrays = {label: _images(images, f"the images of row {label!r}", square_ok=False)[:n]
              for label, images in rows.items()}
    for label, a in arrays.items():
        if len(a) == 0:
            raise ValueError(f"row {label!r} of image_rows holds no images; give each row at least one.")
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


def _reshape_hint(batch: np.ndarray, row_labels, col_labels) -> str:
    """How to shape a batch (N, H, W) into a traversal grid, with the labels' counts where they fit."""
    n, h, w = batch.shape
    rows, steps = "rows", "steps"
    if row_labels is not None and col_labels is not None and len(row_labels) * len(col_labels) == n:
        rows, steps = len(row_labels), len(col_labels)
    return f"; shape a batch of {n} images first, e.g. images.reshape({rows}, {steps}, {h}, {w})"


def traversal_grid(images, *, row_labels=None, col_labels=None, title: str | None = None, ax=None,
                   vmin: float | None = 0.0, vmax: float | None = 1.0):
    """Latent traversals as one mosaic: row r is one sweep, its columns the steps.

    Args:
        images: (rows, steps, H, W) or (rows, steps, 1, H, W), e.g. from
            :func:`aelab.metrics.traverse`, with at least two steps; a batch
            (N, 1, H, W) is refused, to be reshaped to (rows, steps, H, W).
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
        raise ValueError(f"traversal_grid expects images (rows, steps, H, W) or (rows, steps, 1, H, W), got {a.shape}"
                         f"{_reshape_hint(a, row_labels, col_labels) if a.ndim == 3 else ''}.")
    rows, steps, h, w = a.shape
    if rows == 0 or steps == 0:
        raise ValueError(f"traversal_grid needs at least one row and one step, got images of shape {a.shape}.")
    if steps == 1:  # (N, 1, H, W): a batch of images, which would be drawn as one column of N sweeps
        raise ValueError(f"traversal_grid reads images of shape {to_numpy(images).shape} as {rows} sweeps of one "
                         f"step each, a single column; a traversal is (rows, steps, H, W) with at least two steps"
                         f"{_reshape_hint(a[:, 0], row_labels, col_labels)}.")
    _array_checks.finite_array("images", a, "a NaN pixel would be drawn as a blank (did training diverge?).")
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
