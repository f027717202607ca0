"""Each latent dimension on its own: its spread over the data, its
covariance with the others, and its value along the samples.

Used in: chapters 2 and 6.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .. import _array_checks
from ..runtime import to_numpy
from .latents import _NAN_CODES

__all__ = ["latent_stds", "covariance", "latent_index"]


def latent_stds(z, *, ax=None, title: str | None = None, sort: bool = True, log: bool = False,
                label: str | None = None):
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

    Used in: chapter 6.
    """
    z = _array_checks.codes("latent_stds", z, 2)
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


def covariance(z, *, ax=None, title: str | None = None, sort: bool = True, annotate: bool = True, cmap="RdBu_r",
               log: bool | None = None):
    """The latent covariance matrix as a heat map, dimensions ordered by decreasing spread.

    The colour scale is symmetric about 0, so independent dimensions show white
    off the diagonal and a collapsed dimension a white row and column.

    Args:
        z: codes, (N, D) with N >= 2.
        sort: order the dimensions by decreasing standard deviation.
        annotate: write each entry in its cell (for small D).
        log: a symmetric logarithmic colour scale, for entries that span many
            orders of magnitude (one wide dimension would otherwise be the only
            coloured cell); entries under a ten-thousandth of the largest stay
            white. By default, when the largest variance is over 100 times the
            smallest.

    Returns:
        The axes.

    Used in: chapter 6.
    """
    z = _array_checks.codes("covariance", z, 2)
    order = np.argsort(-z.std(axis=0), kind="stable") if sort else np.arange(z.shape[1])
    cov = np.atleast_2d(np.cov(z[:, order], rowvar=False))
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3.5))
    limit = float(np.abs(cov).max()) or 1.0
    variances = np.diag(cov)
    if log is None:
        log = variances.max() > 100 * max(variances.min(), 1e-30)
    if log:
        from matplotlib.colors import SymLogNorm

        norm = SymLogNorm(linthresh=1e-4 * limit, vmin=-limit, vmax=limit)
        image = ax.imshow(cov, cmap=cmap, norm=norm)
    else:
        image = ax.imshow(cov, cmap=cmap, vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="covariance (symmetric log scale)" if log else None)
    names = [f"$z_{{{i + 1}}}$" for i in order]
    ax.set_xticks(np.arange(len(order)), names)
    ax.set_yticks(np.arange(len(order)), names)
    if annotate:
        for (i, j), value in np.ndenumerate(cov):
            ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=8)
    ax.set_title(title or "Latent covariance")
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

    Used in: chapter 2.
    """
    z = to_numpy(z)
    if z.ndim == 1:
        z = z[:, None]
    if z.ndim != 2 or z.size == 0:
        raise ValueError(f"latent_index expects codes of shape (N, D) or (N,), got {z.shape}.")
    _array_checks.finite_array("the codes given to latent_index", z, _NAN_CODES)
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
