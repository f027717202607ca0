"""Maps of a 2-D latent space: decode a regular grid of codes and tile the
images where their codes lie, beside the scatter of the data's codes; and the
posterior ellipses of a 2-D VAE over its prior.

The grids and the decoding come from :mod:`aelab.plots.grids`.
``_decoded_grid`` takes images in the grids' order (``x`` fastest, ``y``
increasing) and puts high ``y`` at the top, as on the scatter beside it.

Used in: chapters 3 and 4.
"""

from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Circle, Ellipse, Rectangle

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy
from .grids import _device_of, code_grid, decode_codes
from .images import _images
from .latents import latent_scatter

__all__ = ["latent_map", "posterior_ellipses"]


def _corner_centres(extent) -> tuple[float, float, float, float]:
    """``(x_first, x_last, y_first, y_last)`` from the grid's axes or a 4-tuple."""
    if len(extent) == 2:
        xs, ys = (np.asarray(a, dtype=np.float64).ravel() for a in extent)
        if len(xs) == 0 or len(ys) == 0:
            raise ValueError("extent's axes (xs, ys) must not be empty.")
        return float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1])
    if len(extent) == 4:
        return tuple(float(v) for v in extent)
    raise ValueError(f"extent must be the grid's axes (xs, ys) or (x_min, x_max, y_min, y_max), "
                     f"got {len(extent)} values.")


def _even(axis) -> bool:
    """Whether a grid axis's codes are evenly spaced (so a linear axis can label the tiles)."""
    steps = np.diff(np.asarray(axis, dtype=np.float64).ravel())
    return len(steps) == 0 or float(np.ptp(steps)) <= 1e-6 * float(np.abs(steps).max() or 1.0)


def _tile_extent(extent, n: int) -> tuple[float, float, float, float]:
    """The tiled image's edges in code units: each image centred on its code."""
    x0, x1, y0, y1 = _corner_centres(extent)
    if not (x1 > x0 and y1 > y0):
        raise ValueError(f"extent must run from low to high codes on both axes, got "
                         f"x {x0:g}..{x1:g}, y {y0:g}..{y1:g}.")
    dx, dy = (x1 - x0) / max(n - 1, 1), (y1 - y0) / max(n - 1, 1)
    return x0 - dx / 2, x1 + dx / 2, y0 - dy / 2, y1 + dy / 2


def _tile(images, n: int) -> np.ndarray:
    """Tile n*n images in grid order into one (n*H, n*W) image, high ``y`` on top.

    Args:
        images: n*n images, (n*n, H, W) or (n*n, 1, H, W), ordered as the
            grid helpers' points (x fastest, y increasing).
        n: images per row.

    Returns:
        The (n*H, n*W) array (or (n*H, n*W, 3) for colour images).

    Used in: chapters 3 and 4.
    """
    n = _arg_checks.positive_int("n", n)
    a = _images(images)
    if len(a) != n * n:
        raise ValueError(f"a {n} x {n} grid needs {n * n} images, got {len(a)}.")
    h, w = a.shape[1:3]
    rows = a.reshape(n, n, h, w, *a.shape[3:])[::-1]  # (row from top, column, H, W): high y first
    return np.concatenate([np.concatenate(list(row), axis=1) for row in rows], axis=0)


def _decoded_grid(images, n: int, extent=None, ax=None, title: str | None = None, *,
                 value_range: tuple[float, float] | None = (0.0, 1.0), cmap="gray"):
    """Decoded grid images tiled as one picture, each where its code lies.

    Args:
        images: n*n decoded images, (n*n, H, W) or (n*n, 1, H, W), in the
            order of :func:`code_grid`'s points (x fastest, y increasing);
            high ``y`` is drawn at the top.
        n: images per row.
        extent: the grid's axes ``(xs, ys)`` as :func:`code_grid` returns them,
            or ``(x_min, x_max, y_min, y_max)``, the codes of the corner
            images; the axes are then ticked in code units. Axes spaced
            unevenly (:func:`normal_grid`) are ticked tile by tile with each
            tile's own code. Default: no ticks.
        ax: an axes to draw into.
        title: the axes' title.
        value_range: the pixels' colour range (``(-1, 1)`` for a tanh decoder;
            ``None``: the images' own).

    Returns:
        The axes.

    Used in: chapters 3 and 4, through :func:`latent_map`.
    """
    picture = _tile(images, n)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    vmin, vmax = value_range if value_range is not None else (None, None)
    if extent is None:
        ax.imshow(picture, cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_axis_off()
    elif len(extent) == 2 and not (_even(extent[0]) and _even(extent[1])):
        # codes spaced unevenly (normal_grid's quantiles): the tiles are even, so a linear
        # code axis would put the labels in the wrong place; tick tiles with their own codes
        xs, ys = (np.asarray(a, dtype=np.float64).ravel() for a in extent)
        ax.imshow(picture, cmap=cmap, vmin=vmin, vmax=vmax, extent=(-0.5, n - 0.5, -0.5, n - 0.5),
                  interpolation="nearest")
        ticks = np.unique(np.linspace(0, n - 1, min(n, 5)).round().astype(int))
        ax.set_xticks(ticks, [f"{xs[i]:.2f}" for i in ticks])
        ax.set_yticks(ticks, [f"{ys[i]:.2f}" for i in ticks])
        ax.set_xlabel("$z_1$ (uneven scale: each tile at its code)")
        ax.set_ylabel("$z_2$ (uneven scale)")
    else:
        edges = _tile_extent(extent, n)
        aspect = (edges[1] - edges[0]) / (edges[3] - edges[2])  # each decoded image stays square
        ax.imshow(picture, cmap=cmap, vmin=vmin, vmax=vmax, extent=edges, aspect=aspect, interpolation="nearest")
        ax.set_xlabel("$z_1$")
        ax.set_ylabel("$z_2$")
    if title:
        ax.set_title(title)
    return ax


def latent_map(decode: Callable[[torch.Tensor], torch.Tensor], codes, labels=None, n: int = 15, *,
               grid=None, margin: float = 0.05, quantiles: tuple[float, float] = (0.01, 0.99),
               value_range: tuple[float, float] | None = (0.0, 1.0), batch_size: int = 256,
               title: str | None = None, s: float = 4):
    """The map of a 2-D latent space: the codes' scatter beside the decoded grid.

    Left, the ``codes`` (N, 2) coloured by ``labels``, with a rectangle around
    the grid; right, the image ``decode`` (e.g. ``model.decode``) makes of each
    grid point, drawn where it lies. The grid is ``n`` x ``n`` points of
    ``code_grid(codes, n, margin, quantiles)``, or ``grid`` from :func:`code_grid`
    or :func:`normal_grid`. Returns the figure: ``fig.axes[0]`` the scatter,
    ``fig.axes[1]`` the grid.

    Used in: chapters 3 and 4.
    """
    z = _array_checks.codes_2d("latent_map", codes)
    if grid is None:
        grid = code_grid(z, n, margin, quantiles)
    pair = (tuple, list)
    if not isinstance(grid, pair) or len(grid) != 2 or not isinstance(grid[1], pair) or len(grid[1]) != 2:
        raise ValueError("grid must be the pair (points, (xs, ys)) that code_grid or normal_grid returns, "
                         "not the points alone.")
    points, (xs, ys) = grid
    n = len(xs)
    images = decode_codes(decode, points, batch_size=batch_size, device=_device_of(decode, codes))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5.2))
    latent_scatter(z, labels, ax=left, s=s, legend=False)
    x0, x1, y0, y1 = _tile_extent((xs, ys), n)  # the edges of the tiled images
    left.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ls="--", lw=1.2, color="black",
                             zorder=4, label="decoded region"))
    left.legend(markerscale=3, fontsize=8, title="label" if labels is not None else None,
                loc="upper left", bbox_to_anchor=(1.01, 1.0))  # outside the scatter: it hides no codes
    left.set_title("codes of the data")
    _decoded_grid(images, n, extent=(xs, ys), ax=right, title=f"decoded {n} x {n} grid", value_range=value_range)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def posterior_ellipses(mu, logvar, labels=None, k: float = 2.0, ax=None, max_points: int | None = 300, *,
                       seed: int = 0, title: str | None = None, s: float = 3, alpha: float = 0.45,
                       cmap="tab10"):
    """A 2-D VAE's posteriors: each image's k-sigma ellipse over the scatter of the means.

    ``mu``, ``logvar``: (N, 2), e.g. from ``model.encode_dist(x)``; each ellipse has
    half-widths ``k * exp(logvar / 2)``, beside the prior's 1- and k-sigma circles,
    so narrow posteriors spread over the prior read apart from collapse.
    ``max_points`` ellipses at most (a seeded subset; every mean is scattered).
    Returns the axes, of equal aspect.

    Used in: chapter 4.
    """
    mu, logvar = _array_checks.codes_2d("posterior_ellipses", mu), to_numpy(logvar)
    if logvar.shape != mu.shape:
        raise ValueError(f"mu and logvar must have the same shape (N, 2), got {mu.shape} and {logvar.shape}.")
    _array_checks.finite_array("logvar", logvar, "a NaN log-variance has no ellipse (did training diverge?).")
    k = _arg_checks.positive("k", k)
    if labels is not None:
        labels = to_numpy(_arg_checks.one_per("labels", labels, len(mu), "codes"))
    if max_points is not None:
        _arg_checks.positive_int("max_points", max_points)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5.5))
    ax = latent_scatter(mu, labels, ax=ax, s=s, cmap=cmap, legend=False)
    index = np.arange(len(mu))
    if max_points is not None and max_points < len(mu):
        index = np.sort(np.random.default_rng(seed).choice(len(mu), size=max_points, replace=False))
    half = k * np.exp(0.5 * logvar.astype(np.float64))  # (N, 2) half-widths
    for i in index:
        colour = plt.get_cmap(cmap)(int(labels[i]) % 10) if labels is not None else "C0"
        ax.add_patch(Ellipse(tuple(mu[i]), 2 * half[i, 0], 2 * half[i, 1], facecolor="none",
                             edgecolor=colour, alpha=alpha, lw=0.8))
    for radius, style in ((1.0, ":"), (k, "--")) if k != 1 else ((1.0, "--"),):
        ax.add_patch(Circle((0, 0), radius, fill=False, ls=style, lw=1.5, color="black", zorder=5,
                            label=f"prior {radius:g}$\\sigma$"))
    reach = max(k, float(np.abs(mu).max()) if len(mu) else 0.0)
    ax.set_xlim(min(ax.get_xlim()[0], -1.05 * reach), max(ax.get_xlim()[1], 1.05 * reach))
    ax.set_ylim(min(ax.get_ylim()[0], -1.05 * reach), max(ax.get_ylim()[1], 1.05 * reach))
    ax.set_aspect("equal", adjustable="box")
    ax.legend(markerscale=3, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              title="label" if labels is not None else None)
    ax.set_title(title or f"posteriors ({k:g}$\\sigma$ ellipses) over the prior")
    return ax
