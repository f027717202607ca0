"""The dimensions of a code: how many vary, how much each matters to the
reconstruction, where a one-number code tears along a curve, and codes
drawn from a Gaussian with a set's moments.

Used in: chapters 2, 4 and 5.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["gaussian_like", "active_dimensions", "tears", "same_tears", "mean_ablation"]


@torch.no_grad()
def gaussian_like(codes: torch.Tensor, n: int, *, covariance: str = "diagonal",
                  generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw ``n`` random codes from a Gaussian fitted to ``codes``, (N, D).

    ``covariance="diagonal"`` draws each dimension on its own, ``"full"`` keeps the
    codes' correlations; both use the same standard-normal draws for the same
    ``generator`` (a CPU ``torch.Generator``), so they compare draw by draw.
    Returns an (n, D) tensor on the codes' device.

    Used in: chapter 4.
    """
    _array_checks.tensor("codes", codes)
    if codes.dim() != 2 or len(codes) < 2:
        raise ValueError(f"codes must be (N, D) with N of at least 2, got shape {tuple(codes.shape)}.")
    n = _arg_checks.positive_int("n", n)
    if covariance not in ("diagonal", "full"):
        raise ValueError(f"covariance must be 'diagonal' or 'full', got {covariance!r}.")
    codes = codes.float()
    eps = torch.randn(n, codes.shape[1], generator=generator).to(codes.device)  # (n, D)
    mean = codes.mean(0)
    if covariance == "diagonal":
        return mean + codes.std(0) * eps
    cov = torch.cov(codes.T).reshape(codes.shape[1], codes.shape[1])  # (D, D)
    # a tiny ridge keeps the factorisation alive when a dimension is (nearly) constant
    ridge = 1e-6 * cov.diagonal().mean().clamp_min(1e-12)
    chol = torch.linalg.cholesky(cov + ridge * torch.eye(len(cov), device=cov.device))  # cov = L L^T
    return mean + eps @ chol.T


def active_dimensions(codes, threshold: float = 0.01, *, relative: bool = False) -> int:
    """The number of active latent dimensions: those whose code varies across the inputs.

    A dimension is active when its variance over ``codes`` (N, D) is above
    ``threshold``: for a VAE's posterior means, 0.01, the count of Burda et al.
    (2016). A plain autoencoder's or PCA's codes have no fixed scale: with
    ``relative=True`` the threshold is a share of the largest variance.
    Returns an integer from 0 to D.

    Used in: chapters 4 and 5.
    """
    z = to_numpy(codes) if torch.is_tensor(codes) else np.asarray(codes)
    if z.ndim != 2 or len(z) < 2 or not np.issubdtype(z.dtype, np.number):
        raise ValueError(f"codes must be (N, D) numbers with N of at least 2, got shape {z.shape}.")
    if not _arg_checks.is_number(threshold) or not threshold > 0 \
            or (relative and not threshold < 1):
        raise ValueError(f"threshold must be a number above 0{' and below 1 with relative=True' if relative else ''},"
                         f" got {threshold!r}.")
    variance = z.astype(np.float64).var(0, ddof=1)
    bar = threshold * variance.max() if relative else threshold
    return int((variance > bar).sum())


def tears(code, share: float = 0.1) -> np.ndarray:
    """Where a one-number code of points taken in order (along a curve) leaps.

    A tear is a step from point i to point i + 1 that covers more than
    ``share`` of the code's whole range: neighbours on the curve whose codes
    lie far apart. A code without tears follows the curve continuously.

    Args:
        code: (N,) codes, tensor or array, N of at least 2, in the points' order.
        share: the step, as a share of the code's range, above which it is a
            tear, in (0, 1).

    Returns:
        The indices i (an int array, ascending) whose step to i + 1 is a tear.

    Used in: chapter 2.
    """
    c = to_numpy(code) if torch.is_tensor(code) else np.asarray(code)
    if c.ndim == 2 and c.shape[1] == 1:
        c = c[:, 0]
    if c.ndim != 1 or len(c) < 2 or not np.issubdtype(c.dtype, np.number):
        raise ValueError(f"tears takes one number per point, an (N,) array with N of at least 2, "
                         f"got shape {c.shape}; for one column of codes z, pass z[:, j].")
    if not _arg_checks.is_number(share) or not 0 < share < 1:
        raise ValueError(f"share must be a number in (0, 1), got {share!r}.")
    return np.flatnonzero(np.abs(np.diff(c)) > share * np.ptp(c))


def same_tears(a, b, tol: int = 3) -> bool:
    """Whether two codes tear alike: as many tears, each within ``tol`` points of the other's.

    ``a`` and ``b`` are what :func:`tears` returns. Two seeds whose tears sit
    one index apart tear at the same place; comparing exact indices would call
    them different.

    Used in: chapter 2.
    """
    tol = _arg_checks.non_negative_int("tol", tol)
    a, b = np.asarray(a), np.asarray(b)
    return len(a) == len(b) and bool(np.all(np.abs(a - b) <= tol))


def mean_ablation(method, X) -> np.ndarray:
    """How much each code coordinate matters: the rise in reconstruction error when it is set to its mean.

    ``method`` is fitted and has ``transform`` and ``inverse_transform``
    (PCA, an :class:`aelab.estimators.AutoencoderEstimator`). For coordinate j
    the codes of ``X`` keep every other coordinate and put j at its mean over
    ``X``; the rise is the mean squared error per entry of their decoding,
    minus that of the untouched codes. For PCA the rises are the explained
    variances per coordinate, largest first; an autoencoder's need not be
    ordered.

    Returns:
        A (D,) array of rises, one per code coordinate.

    Used in: chapter 2.
    """
    if not (hasattr(method, "transform") and hasattr(method, "inverse_transform")):
        raise TypeError(f"mean_ablation needs a fitted method with transform and inverse_transform "
                        f"(PCA, an AutoencoderEstimator), got {type(method).__name__}.")
    X = _array_checks.matrix("X", X)
    Z = np.asarray(method.transform(X), dtype=np.float64)
    base = float(((X - method.inverse_transform(Z)) ** 2).mean())
    rises = []
    for j in range(Z.shape[1]):
        flat = Z.copy()
        flat[:, j] = Z[:, j].mean()
        rises.append(float(((X - method.inverse_transform(flat)) ** 2).mean()) - base)
    return np.array(rises)
