"""The checks of a user's arguments, private to aelab: one clear sentence, raised at the public function.

Every public function of aelab checks what it is given with these helpers, so
a mistake reads the same wherever it is made ("lr must be a positive number,
got '1e-3'.") and never surfaces from deep inside torch, NumPy or scikit-learn.
Here too are the models' checks of their inputs and codes.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterable

import numpy as np
import torch

from .runtime import to_numpy


def is_int(value) -> bool:
    """True for an integer, Python's or NumPy's (``np.int64(3)``), never for a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value) -> bool:
    """True for a finite real number, Python's or NumPy's (np.float32), never for a bool or a string."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def positive_int(name: str, value) -> int:
    """``value`` as an int, or a ``ValueError`` unless it is an integer >= 1."""
    if not is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def non_negative_int(name: str, value) -> int:
    """``value`` as an int, or a ``ValueError`` unless it is an integer >= 0."""
    if not is_int(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}.")
    return int(value)


def int_at_least(name: str, value, low: int, why: str = "") -> int:
    """``value`` as an int, or a ``ValueError`` unless it is an integer >= ``low``.

    ``why`` follows the bound: ``int_at_least("steps", s, 2, " (the two ends)")``.
    """
    if not is_int(value) or value < low:
        raise ValueError(f"{name} must be an integer of at least {low}{why}, got {value!r}.")
    return int(value)


def number(name: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` unless it is a finite number (not a string)."""
    if not is_number(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return float(value)


def positive_ints(name: str, value, example: str = "(128, 64)", one_entry: bool = True) -> list[int]:
    """``value`` as a list of ints, or a ``ValueError`` unless it is a sequence of integers >= 1.

    A bare integer (``hidden=128``) and a string are refused, since iterating
    over them would fail or, for ``"784"``, silently give ``[7, 8, 4]``; with
    ``one_entry`` the sentence says how to write a single entry, ``(128,)``.
    """
    if is_int(value):
        fix = f"; for one entry write ({value},)" if one_entry else ""
        raise ValueError(f"{name} must be a sequence of positive integers, such as {example}, "
                         f"got the single number {value!r}{fix}.")
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a sequence of positive integers, such as {example}, got {value!r}.")
    items = list(value)
    if any(not is_int(v) or v < 1 for v in items):
        raise ValueError(f"{name} must be a sequence of positive integers, such as {example}, got {value!r}.")
    return [int(v) for v in items]


def valid_device(name: str, value) -> torch.device:
    """``value`` as a ``torch.device``, or a ``ValueError`` naming the usual choices."""
    if isinstance(value, torch.device):
        return value
    try:
        return torch.device(value)
    except (RuntimeError, TypeError, ValueError):
        raise ValueError(f"{name} must be a torch.device or a name such as 'cpu', 'cuda', 'cuda:0' or 'mps', "
                         f"got {value!r}; aelab.runtime.device() picks the best one.") from None


def positive(name: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` unless it is a finite number > 0."""
    if not is_number(value) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}.")
    return float(value)


def non_negative(name: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` unless it is a finite number >= 0."""
    if not is_number(value) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}.")
    return float(value)


def one_of(name: str, value, allowed: Iterable[str]) -> str:
    """``value``, or a ``ValueError`` naming the allowed choices."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; use one of {', '.join(allowed)}.")
    return value


def finite_array(name: str, a, hint: str = "") -> None:
    """A ``ValueError`` if the array ``a`` holds NaN or infinity; ``hint`` says what to do."""
    a = np.asarray(a)
    if a.dtype != bool and not np.issubdtype(a.dtype, np.number):
        raise ValueError(f"{name} must hold numbers, got an array of dtype {a.dtype}.")
    if np.issubdtype(a.dtype, np.inexact) and not np.isfinite(a).all():
        bad = int((~np.isfinite(a)).sum())
        raise ValueError(f"found {bad} NaN or infinite values in {name}{'; ' + hint if hint else '.'}")


def one_per(name: str, values, n: int, what: str):
    """``values`` unchanged, or a ``ValueError`` unless it is a flat sequence of ``n`` entries.

    ``what`` names the things counted, in the plural: ``one_per("labels", y, 50, "codes")``
    fails with "got 50 codes but 10 labels." A 2-D array (one-hot labels, an (N, 1)
    column) is refused too: it has the right length but is not one entry per row.
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"{name} must be a list of {n} entries, one per each of the {n} {what}, got {values!r}.")
    shape = tuple(values.shape) if hasattr(values, "shape") else None
    if shape is not None and len(shape) != 1:
        raise ValueError(f"{name} must be one entry per each of the {n} {what}, a 1-D array of shape ({n},), "
                         f"got shape {shape}; one-hot or (n, 1) labels need .argmax(1) or .ravel().")
    if len(values) != n:
        raise ValueError(f"got {n} {what} but {len(values)} {name}.")
    return values


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


# --------------------------------------------------------------------------- a model's sizes, inputs and codes

def input_shape(value) -> tuple[int, ...]:
    """The shape of one sample, ``3`` or ``(1, 28, 28)``, as a tuple of positive ints."""
    if is_int(value):
        shape = (int(value),)
    else:  # a tuple of sizes; a string such as "784" would otherwise become (7, 8, 4)
        shape = tuple(positive_ints("input_shape", value, example="(1, 28, 28)"))
    if not shape or any(s <= 0 for s in shape):
        raise ValueError(f"input_shape must be positive sizes, got {value!r}.")
    return shape


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
