"""Loss functions: pure functions of tensors that return a scalar tensor.

Each says how it reduces over the batch, because two losses are only
comparable on the same scale: ``reduction="mean"`` averages over every
element (pixel), ``reduction="sample"`` sums over the features of one sample
and averages over the batch (per image, the scale of a VAE's ELBO).

Used in: chapters 2-6.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


REDUCTIONS = ("mean", "sample", "none")
RECONSTRUCTIONS = ("mse", "bce", "l1")


def _reduce(per_element: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return per_element.mean()
    if reduction == "sample":
        return per_element.flatten(1).sum(1).mean()
    return per_element  # "none"


def reconstruction(
    x_hat: torch.Tensor, x: torch.Tensor, kind: str = "mse", reduction: str = "mean"
) -> torch.Tensor:
    """Reconstruction error between a batch and its reconstruction.

    Args:
        x_hat: reconstructions, (B, ...).
        x: originals, the same shape.
        kind: ``"mse"`` (squared error), ``"l1"`` (absolute error) or ``"bce"``
            (binary cross-entropy; ``x_hat`` must be probabilities in [0, 1],
            such as a sigmoid output, and ``x`` in [0, 1]).
        reduction: ``"mean"`` over all elements, ``"sample"`` (sum over a
            sample's features, mean over the batch) or ``"none"``.

    Returns:
        A scalar tensor (or the per-element tensor for ``"none"``).

    Used in: chapters 2-6.
    """
    if kind not in RECONSTRUCTIONS:
        raise ValueError(f"unknown reconstruction loss {kind!r}; use one of {', '.join(RECONSTRUCTIONS)}.")
    if reduction not in REDUCTIONS:
        raise ValueError(f"unknown reduction {reduction!r}; use one of {', '.join(REDUCTIONS)}.")
    if x_hat.shape != x.shape:
        raise ValueError(
            f"reconstruction and original must have the same shape, got {tuple(x_hat.shape)} "
            f"and {tuple(x.shape)}."
        )
    if kind == "mse":
        per_element = (x_hat - x) ** 2
    elif kind == "l1":
        per_element = (x_hat - x).abs()
    else:
        per_element = F.binary_cross_entropy(x_hat, x, reduction="none")
    return _reduce(per_element, reduction)
