"""What a widget and its static stand-in share: the checks of their
arguments (labels, the scattered subset, the sliders' ranges and names) and
the drawing of one decoded image.

Used in: chapters 3-5 (behind the explorers).
"""

from __future__ import annotations

import numpy as np

from .. import _arg_checks
from ..runtime import to_numpy


def _show(ax, image: np.ndarray, value_range, title: str) -> None:
    vmin, vmax = value_range if value_range is not None else (None, None)
    ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _subsample(z: np.ndarray, labels, n_points: int | None, seed: int):
    if n_points is not None:
        n_points = _arg_checks.positive_int("n_points", n_points)
    if n_points is None or n_points >= len(z):
        return z, labels
    index = np.sort(np.random.default_rng(seed).choice(len(z), size=n_points, replace=False))
    return z[index], None if labels is None else labels[index]


def _labels(labels, n: int):
    if labels is None:
        return None
    return to_numpy(_arg_checks.one_per("labels", labels, n, "codes"))


def _slider_ranges(z0: np.ndarray, ranges, width: float) -> np.ndarray:
    """(D, 2) slider ends: ``z0 +- width`` by default; given ranges are widened to include ``z0``."""
    if ranges is None:
        return np.stack([z0 - width, z0 + width], axis=1)
    r = to_numpy(ranges).astype(np.float64)
    if r.shape != (len(z0), 2) or not np.isfinite(r).all() or not (r[:, 1] > r[:, 0]).all():
        raise ValueError(f"ranges must be ({len(z0)}, 2) finite (low, high) pairs with low < high, "
                         f"one per dimension, e.g. from aelab.metrics.traversal_ranges(codes); got shape {r.shape}.")
    return np.stack([np.minimum(r[:, 0], z0), np.maximum(r[:, 1], z0)], axis=1)


def _names(names, d: int) -> list[str]:
    if names is None:
        return [f"z{i + 1}" for i in range(d)]
    names = [str(n) for n in names]
    if len(names) != d:
        raise ValueError(f"names needs one name per latent dimension, {d}, got {len(names)}.")
    return names
