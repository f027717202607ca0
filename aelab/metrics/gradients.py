"""How large the gradient of a loss is at each layer: the measure behind "vanishing gradients".

Used in: chapter 3.
"""

from __future__ import annotations

import pandas as pd
import torch
from torch import nn

__all__ = ["gradient_norms"]


def gradient_norms(model: nn.Module, objective, batch) -> pd.Series:
    """The norm of the loss's gradient with respect to each layer's weights, in the model's order.

    One forward and one backward pass of ``objective`` on ``batch``. A
    *vanishing* gradient shows as norms that shrink by orders of magnitude
    from the layers near the loss to the layers near the input; an
    *exploding* one as norms that grow. The layers are the modules with a
    weight matrix or kernel (linear and convolutional layers), named as in
    ``model.named_modules()``; for the course's autoencoders that is the
    encoder's layers first. The model's mode (train or eval) is kept, and
    the gradients it held before are put back, so the call changes nothing.

    Args:
        model: the network.
        objective: ``objective(model, batch) -> loss`` (or a dict with
            ``"loss"``), as :mod:`aelab.train`'s objective factories make them.
        batch: a tuple of tensors, as :func:`aelab.data.batches` yields, or
            one tensor.

    Returns:
        One norm per layer, indexed by the layer's name.

    Used in: chapter 3.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch model (nn.Module), got {type(model).__name__}.")
    if not callable(objective):
        raise ValueError(f"objective must be a function objective(model, batch), got {type(objective).__name__}.")
    batch = (batch,) if torch.is_tensor(batch) else tuple(batch)
    layers = {name: m.weight for name, m in model.named_modules()
              if isinstance(getattr(m, "weight", None), nn.Parameter) and m.weight.dim() >= 2}
    if not layers:
        raise ValueError(f"{type(model).__name__} has no linear or convolutional layer to measure.")
    saved = {p: p.grad for p in model.parameters()}
    try:
        for p in model.parameters():
            p.grad = None
        loss = objective(model, batch)
        loss = loss["loss"] if isinstance(loss, dict) else loss
        loss.backward()
        norms = {name: (w.grad.norm().item() if w.grad is not None else 0.0) for name, w in layers.items()}
    finally:
        for p, g in saved.items():
            p.grad = g
    return pd.Series(norms, name="gradient norm")
