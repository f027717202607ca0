"""The generated sets of chapters 1, 2 and 6: the toy regression set and the 1-D curve in 3-D.

Used in: chapters 1, 2 and 6.
"""

from __future__ import annotations

import math

import torch

from .. import _arg_checks, runtime
from ._common import Curve, Split, generator, target

__all__ = ["toy_function", "toy_regression", "curve"]


def toy_function(x: torch.Tensor) -> torch.Tensor:
    """The true function of chapter 1's regression set, ``cos(1.5 * pi * x)``.

    Used in: chapter 1.
    """
    return torch.cos(1.5 * math.pi * x)


def toy_regression(
    n: int = 30, noise: float = 0.1, test_fraction: float = 0.4, seed: int | None = None, device=None
) -> Split:
    """Noisy samples of ``cos(1.5 * pi * x)`` for ``x`` uniform in [-1, 1].

    Args:
        n: number of points (the material uses 30).
        noise: standard deviation of the Gaussian noise added to ``y``.
        test_fraction: share of the points held out for testing.
        seed: seeds both the points and the split (default ``runtime.seed(0)``).
        device: where the tensors live (default: :func:`aelab.runtime.device`).

    Returns:
        A :class:`Split` with ``x_*`` and ``y_*`` of shape (n_part, 1), sorted by x.

    Used in: chapter 1.
    """
    n = _arg_checks.int_at_least("n", n, 2, " (toy_regression needs at least 2 points)")
    noise = _arg_checks.non_negative("noise", noise)
    if not _arg_checks.is_number(test_fraction) \
            or not 0 < test_fraction < 1 or not 1 <= round(test_fraction * n) <= n - 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1 and leave points on both sides, "
                         f"got {test_fraction!r} of n={n}.")
    g = generator(runtime.seed(0) if seed is None else seed)
    x = torch.rand(n, 1, generator=g) * 2 - 1
    y = toy_function(x) + noise * torch.randn(n, 1, generator=g)
    perm = torch.randperm(n, generator=g)
    n_test = max(1, round(test_fraction * n))
    test, train = perm[:n_test].sort().values, perm[n_test:].sort().values
    train, test = train[x[train, 0].argsort()], test[x[test, 0].argsort()]
    dev = target(device)
    return Split(x[train].to(dev), y[train].to(dev), x[test].to(dev), y[test].to(dev))


def curve(n: int = 100, noise: float = 0.01, seed: int | None = None, device=None) -> Curve:
    """The 1-D curve ``(sin 2t, t^2, cos 5t)``, t in [-1, 1], plus Gaussian noise.

    Its intrinsic dimension is 1, yet no plane holds it: the test case of
    chapters 2 and 6.

    Args:
        n: number of points, evenly spaced in t.
        noise: standard deviation of the noise added to each coordinate.
        seed: seeds the noise (the material draws it unseeded; default ``runtime.seed(0)``).
        device: where the tensors live (default: :func:`aelab.runtime.device`).

    Returns:
        A :class:`Curve` with ``x`` (n, 3) and ``t`` (n,).

    Used in: chapters 2 and 6.
    """
    n = _arg_checks.int_at_least("n", n, 2, " (curve needs at least 2 points)")
    noise = _arg_checks.non_negative("noise", noise)
    g = generator(runtime.seed(0) if seed is None else seed)
    t = torch.linspace(-1, 1, n)
    x = torch.stack([torch.sin(2 * t), t**2, torch.cos(5 * t)], dim=1)
    x = x + noise * torch.randn(n, 3, generator=g)
    dev = target(device)
    return Curve(x.to(dev), t.to(dev))
