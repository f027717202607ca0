"""The checks of the tensors and arrays a user passes (dtype, shape, range, NaN), private to aelab.

Like :mod:`aelab._arg_checks`, each raises one clear sentence at the public
function instead of an error from deep inside torch, NumPy or scikit-learn.
Here too are the models' checks of their inputs and codes.
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from .runtime import to_numpy


def finite_array(name: str, a, hint: str = "") -> None:
    """A ``ValueError`` if the array ``a`` holds NaN or infinity; ``hint`` says what to do."""
    a = np.asarray(a)
    if a.dtype != bool and not np.issubdtype(a.dtype, np.number):
        raise ValueError(f"{name} must hold numbers, got an array of dtype {a.dtype}.")
    if np.issubdtype(a.dtype, np.inexact) and not np.isfinite(a).all():
        bad = int((~np.isfinite(a)).sum())
        raise ValueError(f"found {bad} NaN or infinite values in {name}{'; ' + hint if hint else '.'}")


def in_range(name: str, values, low: float, high: float, *, slack: float = 0.0, why: str = "", hint: str = "") -> None:
    """A ``ValueError`` if ``values`` (a tensor or an array) reach beyond ``[low, high]`` by more than ``slack``.

    With ``slack=0`` the range is strict (binary cross-entropy takes nothing
    outside [0, 1]). A ``slack`` as wide as the range lets through what lies a
    little outside it (noisy images, the overshoot of a linear output) and
    still stops data on another scale: images of 0-255 given for [0, 1].
    ``why`` follows the range ("[0, 1], the range of a sigmoid output"),
    ``hint`` says what to do. NaN is left to :func:`finite_tensor` and
    :func:`finite_array`. On a tensor this reads two numbers back from the device.
    """
    if torch.is_tensor(values):
        if values.numel() == 0:
            return
        t = values.detach()
        lo, hi = torch.stack(torch.aminmax(t if t.is_floating_point() else t.float())).tolist()
    else:
        a = np.asarray(values)
        if a.size == 0 or not np.issubdtype(a.dtype, np.number):
            return
        lo, hi = float(a.min()), float(a.max())
    if lo < low - slack or hi > high + slack:
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}]{why}, but run from {lo:.4g} to {hi:.4g}"
                         f"{'; ' + hint if hint else ''}.")


def finite_tensor(name: str, t: torch.Tensor) -> None:
    """A ``ValueError`` if ``t`` holds NaN or infinity (data, not training, is then at fault)."""
    if t.is_floating_point() and not bool(torch.isfinite(t).all()):
        bad = int((~torch.isfinite(t)).sum())
        raise ValueError(f"{name} holds {bad} NaN or infinite values; clean the data before training.")


def tensor(name: str, t, dtype: torch.dtype = torch.float32) -> None:
    """A ``ValueError`` unless ``t`` is a torch tensor (a NumPy array needs ``torch.as_tensor``)."""
    if not torch.is_tensor(t):
        raise ValueError(f"{name} must be a torch tensor, got {type(t).__name__}; "
                         f"use torch.as_tensor(..., dtype={dtype}).")


def float_tensor(name: str, t: torch.Tensor, dtype: torch.dtype = torch.float32) -> None:
    """A ``ValueError`` unless ``t`` is a tensor of ``dtype``, by default float32 (that of every model's weights)."""
    tensor(name, t, dtype)
    kind = str(dtype).replace("torch.", "")
    if t.dtype != dtype:
        hint = (" Images of integers 0-255 need .float() / 255." if not t.is_floating_point() else
                " Use .float()." if dtype == torch.float32 else f" Use .to(torch.{kind}).")
        raise ValueError(f"{name} must be {kind}, like the models' weights, got {t.dtype}.{hint}")


def labels(name: str, y: torch.Tensor, n_rows: int, n_classes: int | None = None, why: str = "") -> None:
    """A ``ValueError`` unless ``y`` holds ``n_rows`` integer class labels, 0 to ``n_classes - 1``.

    ``why`` says where ``n_classes`` comes from (" for the model's 10 logits").
    """
    if not torch.is_tensor(y):
        raise ValueError(f"{name} must be a torch tensor of integer labels, got {type(y).__name__}.")
    if y.dim() != 1:
        raise ValueError(f"{name} must be a 1-D tensor of class labels, shape ({n_rows},), got "
                         f"{tuple(y.shape)}; one-hot or (n, 1) labels need .argmax(1) or .squeeze(1).")
    if y.is_floating_point() or y.dtype == torch.bool:
        raise ValueError(f"{name} must hold integer class labels (torch.long), got {y.dtype}; use .long().")
    if len(y) != n_rows:
        raise ValueError(f"{name} has {len(y)} labels for {n_rows} rows.")
    if not len(y):
        return
    low, high = (int(v) for v in torch.stack([y.min(), y.max()]).tolist())
    if low < 0:
        raise ValueError(f"{name} must hold labels 0 or more, got values from {low} to {high}.")
    if n_classes is not None and high >= n_classes:
        from_one = "; labels counted from 1 need y - 1" if (low, high) == (1, n_classes) else ""
        raise ValueError(f"{name} must hold labels 0 to {n_classes - 1}{why}, got values from {low} to {high}"
                         f"{from_one}.")


def matrix(name: str, a, what: str = "features", vector: bool = False) -> np.ndarray:
    """``a`` (a tensor or an array-like) as a NumPy array (n_samples, n_<what>) of finite numbers.

    The dtype is kept (bool included); the caller casts. With ``vector`` a 1-D
    array is taken as one column (one factor given as a vector). Otherwise a
    ``ValueError`` names the shape, the dtype or the NaN it found.
    """
    a = to_numpy(a)
    if vector and a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_samples, n_{what}), got shape {a.shape}.")
    if a.dtype != bool and not np.issubdtype(a.dtype, np.number):
        raise ValueError(f"{name} must hold numbers, got an array of dtype {a.dtype}.")
    bad = int((~np.isfinite(a)).sum())
    if bad:
        raise ValueError(f"{name} must hold finite numbers only (no NaN or infinity), found {bad}.")
    return a


def codes(where: str, z, min_rows: int = 1) -> np.ndarray:
    """Codes to draw, (N, D), as a NumPy array, or a ``ValueError`` naming the function ``where``."""
    z = to_numpy(z)
    if z.ndim != 2 or len(z) < min_rows:
        rows = f" with N >= {min_rows}" if min_rows > 1 else " with at least one row"
        raise ValueError(f"{where} expects codes of shape (N, D){rows}, got {z.shape}.")
    finite_array(f"the codes given to {where}", z, "a NaN code cannot be drawn (did training diverge?).")
    return z


def codes_2d(where: str, z) -> np.ndarray:
    """Codes to map on a plane, (N, 2) with N >= 1, as a NumPy array, or a ``ValueError`` naming ``where``."""
    z = to_numpy(z)
    if z.ndim != 2 or z.shape[1] != 2 or len(z) == 0:
        raise ValueError(f"{where} maps 2-D codes, an array of shape (N, 2), got {z.shape}; "
                         f"for a larger latent space, map two of its dimensions, e.g. codes[:, :2].")
    finite_array(f"the codes given to {where}", z, "a NaN code cannot be mapped (did training diverge?).")
    return z


def code_tensor(name: str, z, min_rows: int = 1) -> None:
    """A ``ValueError`` unless ``z`` is a tensor of codes (batch, latent_dim) with batch >= ``min_rows``."""
    tensor(name, z)
    if z.dim() != 2 or len(z) < min_rows:
        rows = f" with batch >= {min_rows}" if min_rows > 1 else ""
        raise ValueError(f"{name} must be codes of shape (batch, latent_dim){rows}, got {tuple(z.shape)}.")


def gaussian(mu, logvar, batch: bool = False) -> None:
    """A ``ValueError`` unless ``mu`` and ``logvar`` are tensors of one shape, (batch, latent_dim) if ``batch``."""
    tensor("mu", mu)
    tensor("logvar", logvar)
    if batch and (mu.shape != logvar.shape or mu.dim() != 2):
        raise ValueError(f"mu and logvar must both have shape (batch, latent_dim), got {tuple(mu.shape)} "
                         f"and {tuple(logvar.shape)}.")
    if mu.shape != logvar.shape:
        raise ValueError(f"mu and logvar must have the same shape, got {tuple(mu.shape)} and {tuple(logvar.shape)}.")


# --------------------------------------------------------------------------- a model's inputs and codes

def _dtype(model: torch.nn.Module) -> torch.dtype | None:
    """The dtype of the model's weights (its first parameter, else its first float buffer)."""
    for t in itertools.chain(model.parameters(), model.buffers()):
        if t.is_floating_point():
            return t.dtype
    return None


def model_input(model: torch.nn.Module, x: torch.Tensor) -> None:
    """A ``ValueError`` unless ``x`` is a batch of the model's inputs (models without ``input_shape`` pass)."""
    expected = getattr(model, "input_shape", None)
    if expected is None:
        return
    if not torch.is_tensor(x):
        raise ValueError(f"{type(model).__name__} expects a tensor, got {type(x).__name__}.")
    if tuple(x.shape[1:]) != tuple(expected) or x.dim() != len(expected) + 1:
        one = " (for one sample, pass a batch of one: x[None])" if tuple(x.shape) == tuple(expected) else ""
        raise ValueError(
            f"{type(model).__name__} expects inputs of shape (batch, {', '.join(map(str, expected))}), "
            f"got {tuple(x.shape)}{one}."
        )
    dtype = _dtype(model)
    if dtype is not None:
        float_tensor(f"the input of {type(model).__name__}", x, dtype)


def model_codes(model: torch.nn.Module, z: torch.Tensor, method: str) -> None:
    """A ``ValueError`` unless ``z`` is a batch of the model's codes, (B, latent_dim), for ``model.<method>``."""
    if not torch.is_tensor(z) or z.dim() != 2 or z.shape[1] != model.latent_dim:
        raise ValueError(
            f"{type(model).__name__}.{method} expects codes of shape (batch, {model.latent_dim}), "
            f"got {tuple(getattr(z, 'shape', ())) or type(z).__name__}."
        )
    dtype = _dtype(model)
    if dtype is not None:
        float_tensor(f"the codes given to {type(model).__name__}.{method}", z, dtype)
