"""Shared checks of a user's arguments: one clear sentence, raised at the public function.

Every public function of aelab checks what it is given with these helpers, so
a mistake reads the same wherever it is made ("lr must be a positive number,
got '1e-3'.") and never surfaces from deep inside torch, NumPy or scikit-learn.

Used in: every module of aelab.
"""

from __future__ import annotations

import math
from typing import Iterable

import torch


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def positive_int(name: str, value) -> int:
    """``value`` as an int, or a ``ValueError`` unless it is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return value


def non_negative_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}.")
    return value


def positive(name: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` unless it is a finite number > 0."""
    if not _number(value) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}.")
    return float(value)


def non_negative(name: str, value) -> float:
    """``value`` as a float, or a ``ValueError`` unless it is a finite number >= 0."""
    if not _number(value) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}.")
    return float(value)


def one_of(name: str, value, allowed: Iterable[str]) -> str:
    """``value``, or a ``ValueError`` naming the allowed choices."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; use one of {', '.join(allowed)}.")
    return value


def finite_tensor(name: str, t: torch.Tensor) -> None:
    """A ``ValueError`` if ``t`` holds NaN or infinity (data, not training, is then at fault)."""
    if t.is_floating_point() and not bool(torch.isfinite(t).all()):
        bad = int((~torch.isfinite(t)).sum())
        raise ValueError(f"{name} holds {bad} NaN or infinite values; clean the data before training.")


def float_tensor(name: str, t: torch.Tensor) -> None:
    """A ``ValueError`` unless ``t`` is a float32 tensor (the dtype of every model's weights)."""
    if not torch.is_tensor(t):
        raise ValueError(f"{name} must be a torch tensor, got {type(t).__name__}; "
                         f"use torch.as_tensor(..., dtype=torch.float32).")
    if t.dtype != torch.float32:
        hint = (" Images of integers 0-255 need .float() / 255." if not t.is_floating_point() else
                " Use .float().")
        raise ValueError(f"{name} must be float32, like the models' weights, got {t.dtype}.{hint}")


def labels(name: str, y: torch.Tensor, n_rows: int, n_classes: int | None = None) -> None:
    """A ``ValueError`` unless ``y`` holds ``n_rows`` integer class labels, 0 to ``n_classes - 1``."""
    if not torch.is_tensor(y):
        raise ValueError(f"{name} must be a torch tensor of integer labels, got {type(y).__name__}.")
    if y.dim() != 1:
        raise ValueError(f"{name} must be a 1-D tensor of class labels, shape ({n_rows},), got "
                         f"{tuple(y.shape)}; one-hot or (n, 1) labels need .argmax(1) or .squeeze(1).")
    if y.is_floating_point() or y.dtype == torch.bool:
        raise ValueError(f"{name} must hold integer class labels (torch.long), got {y.dtype}; use .long().")
    if len(y) != n_rows:
        raise ValueError(f"{name} has {len(y)} labels for {n_rows} rows.")
    if len(y) and (int(y.min()) < 0 or (n_classes is not None and int(y.max()) >= n_classes)):
        top = f" to {n_classes - 1}" if n_classes is not None else " or more"
        raise ValueError(f"{name} must hold labels 0{top}, got values from {int(y.min())} to {int(y.max())}.")
