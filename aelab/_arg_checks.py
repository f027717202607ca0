"""The checks of a user's arguments (numbers, counts, choices, sizes), private to aelab: one clear sentence.

Every public function of aelab checks what it is given with these helpers, so
a mistake reads the same wherever it is made ("lr must be a positive number,
got '1e-3'.") and never surfaces from deep inside torch, NumPy or scikit-learn.
The checks of tensors and arrays are in :mod:`aelab._array_checks`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import torch


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


def input_shape(value) -> tuple[int, ...]:
    """The shape of one sample, ``3`` or ``(1, 28, 28)``, as a tuple of positive ints."""
    if is_int(value):
        shape = (int(value),)
    else:  # a tuple of sizes; a string such as "784" would otherwise become (7, 8, 4)
        shape = tuple(positive_ints("input_shape", value, example="(1, 28, 28)"))
    if not shape or any(s <= 0 for s in shape):
        raise ValueError(f"input_shape must be positive sizes, got {value!r}.")
    return shape
