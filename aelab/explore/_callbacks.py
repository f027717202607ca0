"""The explorers' callbacks: plain functions from a code to the image the
decoder makes of it, tested like any other.

Used in: chapters 3-5 (behind the explorers).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from .. import _arg_checks
from ..plots.grids import decode_codes
from ..plots.images import _images
from ..runtime import to_numpy

Decoder = Callable[[torch.Tensor], torch.Tensor]


def _latent_dim(decode) -> int | None:
    """The decoder's code size when it is a model's method (``model.decode``), else ``None``."""
    return getattr(getattr(decode, "__self__", None), "latent_dim", None)


def _code(decode, z, name: str = "z") -> np.ndarray:
    """One code as a (D,) float array, or one clear ``ValueError``."""
    a = to_numpy(z).astype(np.float64)
    if a.ndim == 2 and len(a) == 1:  # model.encode(x[:1]) gives (1, D)
        a = a[0]
    expected = _latent_dim(decode)
    if a.ndim != 1 or len(a) == 0 or (expected is not None and len(a) != expected):
        want = f"({expected},)" if expected is not None else "(latent_dim,)"
        raise ValueError(f"{name} must be one code of shape {want}, got {to_numpy(z).shape}.")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must hold finite numbers, got {a.tolist()}.")
    return a


def _image(decoded: np.ndarray) -> np.ndarray:
    return _images(decoded)[0]  # (1, 1, H, W), (1, H, W) or (1, H*W) -> (H, W)


def decode_point(decode: Decoder, z, *, device=None) -> np.ndarray:
    """The image the decoder makes of one code.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images, e.g. ``model.decode``.
        z: one code, (D,) or (1, D), a tensor, an array or a list.
        device: where the code goes (default: the decoder's parameters' device).

    Returns:
        The image, (H, W) (or (H, W, 3) in colour), in the decoder's own pixel
        values (e.g. [0, 1] after a sigmoid).

    Used in: chapters 3-5 (behind the explorers).
    """
    return _image(decode_codes(decode, _code(decode, z)[None], device=device))


def traverse_one(decode: Decoder, z, dim: int, value: float, *, device=None) -> np.ndarray:
    """The image of code ``z`` with dimension ``dim`` set to ``value``, the others kept.

    Args:
        decode: maps a (M, D) float32 tensor of codes to images.
        z: one code, (D,) or (1, D).
        dim: the dimension to set, ``0 <= dim < D``.
        value: its new value.
        device: where the code goes (default: the decoder's parameters' device).

    Returns:
        The image, (H, W), as :func:`decode_point` gives it.

    Used in: chapter 5 (behind latent_sliders).
    """
    z = _code(decode, z).copy()
    if not _arg_checks.is_int(dim) or not 0 <= dim < len(z):
        raise ValueError(f"dim must be an index of the code, 0 to {len(z) - 1}, got {dim!r}.")
    z[int(dim)] = _arg_checks.number("value", value)
    return decode_point(decode, z, device=device)
