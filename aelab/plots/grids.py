"""Regular grids of 2-D codes, and decoding codes into images: the points a
map of a latent space shows, and what the decoder makes of them.

The grid helpers return ``(points, (xs, ys))``: ``points`` is (n*n, 2), ``x``
varying fastest and ``y`` increasing, i.e. ``points[j * n + i] = (xs[i],
ys[j])``; :func:`aelab.plots.latent_map` tiles images in that order.

Used in: chapters 3 and 4.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["code_grid", "normal_grid", "decode_codes"]


def _grid(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    gx, gy = np.meshgrid(xs, ys)  # (n, n) each, row j is ys[j]
    return np.stack([gx.ravel(), gy.ravel()], axis=1), (xs, ys)


def code_grid(codes, n: int = 15, margin: float = 0.05, quantiles: tuple[float, float] = (0.01, 0.99)):
    """A regular n x n grid over the region that 2-D codes occupy.

    Each axis runs between two quantiles of the codes (robust: a few outliers
    do not stretch the grid), widened by ``margin`` times its span on each side.

    Args:
        codes: (N, 2) codes, a tensor or an array.
        n: points per axis, >= 2.
        margin: extra room on each side, as a fraction of the span, >= 0.
        quantiles: ``(low, high)`` with ``0 <= low < high <= 1``.

    Returns:
        ``(points, (xs, ys))``: the (n*n, 2) grid, x fastest, and its two (n,) axes.

    Used in: chapters 3 and 4.
    """
    z = _array_checks.codes_2d("code_grid", codes)
    n = _arg_checks.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 points per axis, got {n}.")
    _arg_checks.non_negative("margin", margin)
    if np.shape(quantiles) != (2,):
        raise ValueError(f"quantiles must be a pair (low, high) with 0 <= low < high <= 1, such as "
                         f"(0.01, 0.99), got {quantiles!r}.")
    low, high = (_arg_checks.number("quantiles", q) for q in quantiles)
    if not 0 <= low < high <= 1:
        raise ValueError(f"quantiles must satisfy 0 <= low < high <= 1, got {tuple(quantiles)}.")
    lo, hi = np.quantile(z.astype(np.float64), [low, high], axis=0)  # (2,) each
    span = np.where(hi > lo, hi - lo, 1.0)  # all codes equal: a unit-wide grid around them
    lo, hi = lo - margin * span - (hi <= lo) * 0.5, hi + margin * span + (hi <= lo) * 0.5
    return _grid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))


def normal_grid(n: int = 15, eps: float = 0.05):
    """An n x n grid at evenly spaced quantiles of the 2-D standard normal.

    Each axis is the inverse CDF of ``linspace(eps, 1 - eps, n)``, so the
    points are dense where a VAE's prior puts its mass (the grid of Kingma &
    Welling's Fig. 4).

    Args:
        n: points per axis, >= 2.
        eps: the first and last quantile are ``eps`` and ``1 - eps``, ``0 < eps < 0.5``.

    Returns:
        ``(points, (xs, ys))``: the (n*n, 2) grid, x fastest, and its two equal (n,) axes.

    Used in: chapter 4.
    """
    n = _arg_checks.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 points per axis, got {n}.")
    if not _arg_checks.is_number(eps) or not 0 < eps < 0.5:
        raise ValueError(f"eps must be a number strictly between 0 and 0.5, got {eps!r}.")
    p = torch.linspace(eps, 1 - eps, n, dtype=torch.float64)
    axis = (2**0.5 * torch.erfinv(2 * p - 1)).numpy()  # the normal's inverse CDF
    return _grid(axis, axis.copy())


def _device_of(decode, like=None) -> torch.device:
    """Where to put codes for ``decode``: ``like``'s device, else the decoder's parameters', else the CPU."""
    if torch.is_tensor(like):
        return like.device
    owner = getattr(decode, "__self__", decode)
    if isinstance(owner, torch.nn.Module):
        return next((p.device for p in owner.parameters()), torch.device("cpu"))
    return torch.device("cpu")


def decode_codes(decode: Callable[[torch.Tensor], torch.Tensor], codes, *, batch_size: int = 256,
                 device=None) -> np.ndarray:
    """Decode codes in batches, without gradients, into a NumPy array.

    Put the model in ``eval()`` mode first if it has dropout or batch norm.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images, e.g. ``model.decode``.
        codes: (M, D) codes, a tensor or an array.
        batch_size: codes decoded at once (memory only).
        device: where the codes go (default: the codes' own device if a
            tensor, else the decoder's parameters', else the CPU).

    Returns:
        The decoded images, (M, ...) as the decoder gives them.

    Used in: chapter 3.
    """
    if not callable(decode):
        raise ValueError(f"decode must be a function from codes to images, such as model.decode, "
                         f"got {type(decode).__name__}.")
    if isinstance(decode, torch.nn.Module) and hasattr(decode, "encode") and hasattr(decode, "decode"):
        # calling the autoencoder itself would encode the codes as if they were images
        raise ValueError(f"decode must be the decoder, model.decode, not the {type(decode).__name__} itself.")
    batch_size = _arg_checks.positive_int("batch_size", batch_size)
    dev = _arg_checks.valid_device("device", device) if device is not None else _device_of(decode, codes)
    codes = to_numpy(codes)
    if codes.ndim != 2 or len(codes) == 0:
        raise ValueError(f"codes must be a non-empty (M, latent_dim) batch, got {tuple(codes.shape)}.")
    _array_checks.finite_array("codes", codes, "a NaN code decodes to a NaN image.")
    z = torch.as_tensor(codes, dtype=torch.float32, device=dev)
    with torch.no_grad():
        parts = [to_numpy(decode(z[i : i + batch_size])) for i in range(0, len(z), batch_size)]
    return np.concatenate(parts)
