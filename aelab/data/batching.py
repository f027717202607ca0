"""Batches drawn from tensors already on the device, in a seeded order; samples picked by class.

Nothing here is a per-sample ``Dataset``: every set is a few tensors, and
:func:`batches` slices them with a seeded permutation, so an epoch is a handful
of indexing operations on the device instead of thousands of Python calls.

Used in: chapters 1-6 (through :func:`aelab.train.fit`).
"""

from __future__ import annotations

from typing import Iterator

import torch

from .. import _arg_checks

__all__ = ["batches", "first_of_each"]


def batches(
    *tensors: torch.Tensor,
    batch_size: int,
    shuffle: bool = True,
    generator: torch.Generator | None = None,
) -> Iterator[tuple[torch.Tensor, ...]]:
    """Yield tuples of aligned batches, sliced from tensors already on the device.

    Args:
        *tensors: one or more tensors with the same first dimension.
        batch_size: rows per batch; the last batch may be smaller.
        shuffle: draw a fresh permutation (from ``generator``) for this pass.
        generator: a CPU ``torch.Generator``; seed it for a repeatable order.

    Yields:
        Tuples ``(t1[idx], t2[idx], ...)``.

    Used in: chapters 1-6 (through :func:`aelab.train.fit`).
    """
    if not tensors:
        raise ValueError("batches needs at least one tensor.")
    n = len(tensors[0])
    if any(len(t) != n for t in tensors):
        raise ValueError(
            f"all tensors must have the same number of rows, got {[len(t) for t in tensors]}."
        )
    batch_size = _arg_checks.positive_int("batch_size", batch_size)  # a NumPy integer too, as fit takes
    if shuffle:
        # The permutation is drawn on the CPU so the order is the same on every device.
        order = torch.randperm(n, generator=generator).to(tensors[0].device)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            yield tuple(t[idx] for t in tensors)
    else:
        for start in range(0, n, batch_size):
            yield tuple(t[start : start + batch_size] for t in tensors)


def first_of_each(labels: torch.Tensor, classes=range(10), *, where: torch.Tensor | None = None) -> list[int]:
    """The index of the first sample of each class, optionally among those ``where`` is true.

    Args:
        labels: (N,) integer class labels.
        classes: the classes wanted, in the order of the result (default 0 to 9).
        where: an optional (N,) boolean mask; only samples where it is true count
            (the digits a classifier names right, say).

    Returns:
        One index per class of ``classes``, into ``labels``.

    Used in: chapters 3-6.
    """
    if not torch.is_tensor(labels) or labels.dim() != 1 or labels.dtype.is_floating_point:
        got = f"{labels.dtype} of shape {tuple(labels.shape)}" if torch.is_tensor(labels) else type(labels).__name__
        raise ValueError(f"labels must be a 1-D integer tensor, got {got}.")
    if where is not None and (not torch.is_tensor(where) or where.dtype != torch.bool or where.shape != labels.shape):
        got = f"{where.dtype} of shape {tuple(where.shape)}" if torch.is_tensor(where) else type(where).__name__
        raise ValueError(f"where must be a boolean tensor of shape {tuple(labels.shape)}, like labels; got {got}.")
    allowed = torch.ones_like(labels, dtype=torch.bool) if where is None else where.to(labels.device)
    picked = []
    for c in classes:
        hits = torch.nonzero((labels == c) & allowed)
        if len(hits) == 0:
            raise ValueError(f"no sample of class {c!r}" + (" where `where` is true." if where is not None else "."))
        picked.append(int(hits[0]))
    return picked
