"""Batches drawn from tensors already on the device, in a seeded order.

Nothing here is a per-sample ``Dataset``: every set is a few tensors, and
:func:`batches` slices them with a seeded permutation, so an epoch is a handful
of indexing operations on the device instead of thousands of Python calls.

Used in: chapters 1-6 (through :func:`aelab.train.fit`).
"""

from __future__ import annotations

from typing import Iterator

import torch


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
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    if shuffle:
        # The permutation is drawn on the CPU so the order is the same on every device.
        order = torch.randperm(n, generator=generator).to(tensors[0].device)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            yield tuple(t[idx] for t in tensors)
    else:
        for start in range(0, n, batch_size):
            yield tuple(t[start : start + batch_size] for t in tensors)
