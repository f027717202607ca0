"""What every data module shares: the containers of a data set, seeded generators, the target device."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .. import checks, runtime


@dataclass
class Split:
    """Train and test tensors of one data set.

    ``x_*`` are inputs, (n, ...) float32; ``y_*`` are targets or labels with
    the same first dimension. ``source`` says where the data came from.
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    source: str = "generated"

    def __repr__(self) -> str:
        return (
            f"Split(source={self.source!r}, x_train={tuple(self.x_train.shape)}, "
            f"x_test={tuple(self.x_test.shape)})"
        )


@dataclass
class Curve:
    """Points on a 1-D curve in 3-D: ``x`` is (n, 3), ``t`` the curve parameter, (n,)."""

    x: torch.Tensor
    t: torch.Tensor


def generator(seed) -> torch.Generator:
    """A CPU generator seeded with ``seed``: the same numbers on every device."""
    return torch.Generator().manual_seed(checks.non_negative_int("seed", seed))


def target(dev) -> torch.device:
    """The device a data set is put on (default: :func:`aelab.runtime.device`)."""
    return runtime.device() if dev is None else torch.device(dev)
