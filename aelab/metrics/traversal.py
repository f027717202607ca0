"""Latent traversal: sweep one code dimension over the values the encoder
gives it, decode, and measure what changes.

Used in: chapter 5.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import _arg_checks
from ..runtime import to_numpy

__all__ = ["traversal_ranges", "traverse", "traversal_effects", "effect_rank_agreement"]


def traversal_ranges(codes, low: float = 5.0, high: float = 95.0) -> np.ndarray:
    """Where each latent dimension actually lives: its ``low``-th and ``high``-th percentiles.

    A traversal should sweep each dimension over the values the encoder
    gives it, not over a fixed interval such as -3..3: one dimension may
    spread over 0.1, another over 20, and decoding far outside the codes
    the decoder was trained on shows what it does off its data, not what
    the dimension means.

    Args:
        codes: (n_samples, latent_dim) codes of real inputs.
        low, high: percentiles, ``0 <= low < high <= 100``.

    Returns:
        (latent_dim, 2) array of ``[low, high]`` values.

    Used in: chapter 5.
    """
    codes = to_numpy(codes)
    if codes.ndim != 2 or len(codes) < 2:
        raise ValueError(f"codes must be (n_samples, latent_dim) with at least 2 rows, got shape {codes.shape}.")
    if not 0 <= low < high <= 100:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100, got low={low}, high={high}.")
    return np.percentile(codes, [low, high], axis=0).T


def _ranges(ranges, latent_dim: int) -> torch.Tensor:
    ranges = torch.as_tensor(to_numpy(ranges), dtype=torch.float32)
    if ranges.shape != (latent_dim, 2):
        raise ValueError(f"ranges must be (latent_dim, 2) = ({latent_dim}, 2), got {tuple(ranges.shape)}.")
    return ranges


@torch.no_grad()
def traverse(decode, z: torch.Tensor, ranges, steps: int = 9, dims=None) -> torch.Tensor:
    """Decode one code with one dimension at a time swept over its range, the others held fixed.

    Args:
        decode: a function from codes (B, latent_dim) to images, such as ``model.decode``.
        z: one code, (latent_dim,), on the decoder's device.
        ranges: (latent_dim, 2) ends of each sweep, e.g. from :func:`traversal_ranges`.
        steps: images per sweep, both ends included.
        dims: which dimensions to sweep (default: all), in this order.

    Returns:
        (len(dims), steps, *image_shape) images; row r sweeps ``dims[r]``.

    Used in: chapter 5.
    """
    if not torch.is_tensor(z) or z.dim() != 1:
        raise ValueError(f"z must be one code, a 1-D tensor (latent_dim,), got {getattr(z, 'shape', type(z))}.")
    latent_dim = len(z)
    steps = _arg_checks.int_at_least("steps", steps, 2, " (the two ends)")
    ranges = _ranges(ranges, latent_dim).to(z.device)
    dims = list(range(latent_dim)) if dims is None else [int(d) for d in dims]
    if not dims or any(not 0 <= d < latent_dim for d in dims):
        raise ValueError(f"dims must be indices in 0..{latent_dim - 1}, got {dims}.")
    t = torch.linspace(0, 1, steps, device=z.device)
    codes = z.repeat(len(dims), steps, 1)  # (n_dims, steps, latent_dim)
    for r, d in enumerate(dims):
        codes[r, :, d] = ranges[d, 0] + t * (ranges[d, 1] - ranges[d, 0])
    images = decode(codes.flatten(0, 1))  # (n_dims * steps, *image_shape)
    return images.view(len(dims), steps, *images.shape[1:])


@torch.no_grad()
def traversal_effects(decode, codes: torch.Tensor, ranges, steps: int = 9, batch_size: int = 256) -> np.ndarray:
    """How much sweeping each dimension changes each input's image, input by input.

    For input n and dimension i, dimension i of its code (``codes``, (n_inputs,
    latent_dim)) is swept over ``ranges[i]`` in ``steps`` steps, the rest held;
    the effect is the mean over pixels of ``sum_s |x_{s+1} - x_s|``. A column
    with a high mean is a dimension that matters; that rows differ is not by
    itself entanglement (see :func:`effect_rank_agreement`).

    Returns:
        (n_inputs, latent_dim) array of effects, in pixel-value units.

    Used in: chapter 5.
    """
    if not torch.is_tensor(codes) or codes.dim() != 2:
        raise ValueError(f"codes must be a 2-D tensor (n_inputs, latent_dim), got {getattr(codes, 'shape', type(codes))}.")
    n, latent_dim = codes.shape
    steps = _arg_checks.int_at_least("steps", steps, 2, " (the two ends)")
    ranges = _ranges(ranges, latent_dim).to(codes.device)
    t = torch.linspace(0, 1, steps, device=codes.device)
    effects = torch.zeros(n, latent_dim, device=codes.device)
    for d in range(latent_dim):
        values = ranges[d, 0] + t * (ranges[d, 1] - ranges[d, 0])  # (steps,)
        for start in range(0, n, batch_size):
            z = codes[start : start + batch_size]
            sweep = z.unsqueeze(1).repeat(1, steps, 1)  # (b, steps, latent_dim)
            sweep[:, :, d] = values
            x = decode(sweep.flatten(0, 1)).reshape(len(z), steps, -1)  # (b, steps, pixels)
            effects[start : start + len(z), d] = (x[:, 1:] - x[:, :-1]).abs().sum(1).mean(1)
    return effects.cpu().numpy()  # one transfer, at the end


def effect_rank_agreement(effects) -> float:
    """How much inputs agree on which dimensions matter most: the mean rank correlation of their effects.

    Each row of ``effects`` (one input) orders the dimensions by how much
    sweeping them changes that input's image. For a disentangled code the
    order is a property of the code (the dimension that moves the glyph moves
    it for every glyph), so the rows agree, even though the *sizes* of the
    effects vary from input to input; for an entangled code the order itself
    depends on the input. The result is the mean, over all pairs of rows, of
    the Spearman rank correlation between them: 1 when every input orders the
    dimensions alike, about 0 when the orders are unrelated.

    Args:
        effects: (n_inputs, latent_dim) array, as :func:`traversal_effects` returns, n_inputs >= 2.

    Returns:
        A number between -1 and 1.

    Used in: chapter 5.
    """
    a = np.asarray(effects, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] < 2 or a.shape[1] < 2:
        raise ValueError(f"effects must be (n_inputs >= 2, latent_dim >= 2), got shape {a.shape}.")
    ranks = a.argsort(1).argsort(1).astype(np.float64)  # each row's ranks, 0 .. latent_dim - 1
    centred = ranks - ranks.mean(1, keepdims=True)
    unit = centred / np.linalg.norm(centred, axis=1, keepdims=True)
    corr = unit @ unit.T  # (n, n): Spearman correlation of every pair of rows (no ties)
    n = len(a)
    return float((corr.sum() - np.trace(corr)) / (n * (n - 1)))
