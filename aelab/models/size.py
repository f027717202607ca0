"""How large a model is: its number of parameters.

Used in: chapters 1, 3 and 4.
"""

from __future__ import annotations

from torch import nn

__all__ = ["count_parameters"]


def count_parameters(model: nn.Module, *, trainable: bool = False) -> int:
    """The number of numbers a model learns: the sum of its parameters' sizes.

    Args:
        model: a torch model.
        trainable: count only the parameters that training updates
            (``requires_grad``), e.g. a head on a frozen encoder.

    Returns:
        The count.

    Used in: chapters 1, 3 and 4.
    """
    if not isinstance(model, nn.Module):
        raise ValueError(f"model must be a torch model (nn.Module), got {type(model).__name__}.")
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable)
