"""Static stand-ins for the widgets: a rendered page has no kernel behind
it, so each explorer has a figure showing the same view at a few points.

Used in: no chapter (checked against book/*.ipynb): in the rendered book,
chapters 3 and 4 stand :func:`aelab.plots.latent_map` in for
:func:`code_explorer`, and chapter 5 its traversal grids in for
:func:`latent_sliders`.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from .. import _arg_checks, _array_checks
from ..plots.grids import decode_codes
from ..plots.images import _images, traversal_grid
from ..plots.latents import latent_scatter
from ..runtime import to_numpy
from ._callbacks import Decoder, _code
from ._views import _labels, _names, _show, _slider_ranges, _subsample


def explorer_snapshot(decode: Decoder, codes, labels=None, points=None, names: Sequence[str] | None = None, *,
                      value_range=(0.0, 1.0), n_points: int | None = 2000, seed: int = 0,
                      title: str | None = None, device=None):
    """The view of :func:`code_explorer` at a few points, as one static figure.

    Above, the codes' scatter with the points marked; below, the image
    decoded at each point, under the same name.

    Args:
        decode: maps a (M, 2) float32 tensor of codes to images.
        codes: (N, 2) codes of the data.
        labels: optional (N,) integer labels.
        points: (M, 2) points to show, 1 <= M <= 12. Default: with labels,
            the median code of each label (up to 10), named by its label;
            without, 6 points on the diagonal between the codes' 10% and 90%
            quantiles.
        names: M names of the points (default: A, B, ...; the labels for the
            default points of labelled codes).
        value_range: the decoded pixels' colour range.
        n_points: codes scattered, a seeded random subset.
        seed: seeds that subset.
        title: the figure's title.
        device: where codes go for ``decode``.

    Returns:
        The figure.

    Used in: no chapter; chapters 3 and 4 show :func:`aelab.plots.latent_map` beside
    :func:`code_explorer` instead.
    """
    from matplotlib import patheffects

    z = _array_checks.codes_2d("explorer_snapshot", codes)
    labels = _labels(labels, len(z))
    titles = None  # the images' titles, the names unless the default points say more
    if points is None and labels is not None:
        kinds = np.unique(labels)[:10]
        points = np.stack([np.median(z[labels == k], axis=0) for k in kinds])
        if names is None:
            names, titles = [str(k) for k in kinds], [f"median {k}" for k in kinds]
    elif points is None:
        lo, hi = np.quantile(z, [0.1, 0.9], axis=0)
        points = lo + np.linspace(0, 1, 6)[:, None] * (hi - lo)
    points = to_numpy(points).astype(np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or not 1 <= len(points) <= 12:
        raise ValueError(f"points must be (M, 2) with 1 <= M <= 12, got shape {points.shape}.")
    names = [chr(ord("A") + i) for i in range(len(points))] if names is None else [str(n) for n in names]
    if len(names) != len(points):
        raise ValueError(f"got {len(points)} points but {len(names)} names.")
    titles = titles or names
    images = decode_codes(decode, points, device=device)  # (M, ...)
    m = len(points)
    fig = plt.figure(figsize=(max(6.0, 1.05 * m + 1.2), 5.8))
    grid = fig.add_gridspec(2, m, height_ratios=(4, 1.1))
    ax = fig.add_subplot(grid[0, :])
    shown, shown_labels = _subsample(z, labels, n_points, seed)
    latent_scatter(shown, shown_labels, ax=ax, s=3, legend=False)
    if labels is not None:
        ax.legend(markerscale=3, fontsize=8, title="label", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.scatter(points[:, 0], points[:, 1], s=90, marker="X", color="black", edgecolor="white", zorder=5)
    outline = [patheffects.withStroke(linewidth=3, foreground="white")]
    for (x, y), name in zip(points, names):
        ax.annotate(name, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=10,
                    fontweight="bold", zorder=6, path_effects=outline)
    for i, (image, name) in enumerate(zip(_images(images), titles)):
        _show(fig.add_subplot(grid[1, i]), image, value_range, name)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def sliders_snapshot(decode: Decoder, z0, ranges=None, names: Sequence[str] | None = None, *,
                     steps: int = 7, dims=None, width: float = 3.0, value_range=(0.0, 1.0),
                     title: str | None = None, device=None):
    """The view of :func:`latent_sliders` as one static figure: each slider at a few values.

    Row r moves slider ``dims[r]`` across its range, the others kept at ``z0``.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images.
        z0: the starting code, (D,) or (1, D).
        ranges, names, width: as in :func:`latent_sliders`.
        steps: values per slider, both ends included, >= 2.
        dims: which dimensions to show (default: all).
        value_range: the decoded pixels' colour range.
        title: the figure's title.
        device: where codes go for ``decode``.

    Returns:
        The axes (see :func:`aelab.plots.traversal_grid`).

    Used in: no chapter; chapter 5 shows its traversal grids (:func:`aelab.plots.traversal_grid`)
    beside :func:`latent_sliders` instead.
    """
    z0 = _code(decode, z0, "z0")
    ends = _slider_ranges(z0, ranges, _arg_checks.positive("width", width))
    names = _names(names, len(z0))
    steps = _arg_checks.positive_int("steps", steps)
    if steps < 2:
        raise ValueError(f"steps must be at least 2 (the two ends), got {steps}.")
    index = np.arange(len(z0)) if dims is None else to_numpy(dims)
    if (index.ndim != 1 or len(index) == 0 or not np.issubdtype(index.dtype, np.integer)
            or not ((0 <= index) & (index < len(z0))).all()):
        raise ValueError(f"dims must be indices of the code, a list of integers 0 to {len(z0) - 1} "
                         f"such as [0, 1], got {dims!r}.")
    dims = [int(d) for d in index]
    values = np.stack([np.linspace(*ends[d], steps) for d in dims])  # (rows, steps)
    codes = np.repeat(z0[None, None], len(dims), 0).repeat(steps, 1)  # (rows, steps, D)
    for r, d in enumerate(dims):
        codes[r, :, d] = values[r]
    images = decode_codes(decode, codes.reshape(-1, len(z0)), device=device)
    images = _images(images)
    images = images.reshape(len(dims), steps, *images.shape[1:])  # (rows, steps, H, W)
    offsets = values - z0[dims][:, None]
    shared = np.allclose(offsets, offsets[:1])
    row_labels = [names[d] if shared else f"{names[d]}: {ends[d, 0]:.2g} to {ends[d, 1]:.2g}" for d in dims]
    col_labels = [f"{o:+.2g}" if abs(o) > 1e-9 else "0" for o in offsets[0]] if shared else None
    lo, hi = value_range if value_range is not None else (None, None)
    ax = traversal_grid(images, row_labels=row_labels, col_labels=col_labels, title=title, vmin=lo, vmax=hi)
    if shared:
        ax.set_xlabel("change from the input's code")
    return ax
