"""Least volume: how many latent dimensions a decoder really uses, how close
a linear one comes to PCA, and how far a decoder stretches distances.

Used in: chapter 6.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = [
    "box_pairs",
    "prune_codes", "pruning_errors", "explained_reconstruction", "count_kept", "least_volume_dimensions",
    "principal_angles", "lipschitz_ratios", "pca_reconstruction_errors",
]


def prune_codes(z: torch.Tensor, pruned: int) -> torch.Tensor:
    """Codes with their ``pruned`` least spread dimensions set to their mean over ``z``.

    The decoder then no longer sees those dimensions vary; what it draws from
    the result is what the other dimensions hold.

    Args:
        z: codes, (n, latent_dim), n >= 2.
        pruned: how many dimensions to prune, 0 to latent_dim.

    Returns:
        A new (n, latent_dim) tensor; ``z`` is left as it was.

    Used in: chapter 6.
    """
    _array_checks.code_tensor("z", z, 2)
    if not _arg_checks.is_int(pruned) or not 0 <= pruned <= z.shape[1]:
        raise ValueError(f"pruned must be an integer from 0 to latent_dim ({z.shape[1]}), got {pruned!r}.")
    drop = z.std(0).argsort()[: int(pruned)]  # least spread first
    out = z.clone()
    out[:, drop] = z[:, drop].mean(0)
    return out


@torch.no_grad()
def pruning_errors(decode, z: torch.Tensor, x: torch.Tensor, *, batch_size: int = 1024) -> np.ndarray:
    """Reconstruction error as the latent dimensions are pruned, least spread first.

    Pruning sets a dimension to its mean over ``z`` (n, latent_dim)
    (:func:`prune_codes`), cumulatively by increasing standard deviation:
    ``errors[k]`` is the error of ``decode`` with ``k`` dimensions pruned against
    ``x``, the mean Euclidean distance per sample, as in Chen and Fuge (ICLR 2024).

    Returns:
        (latent_dim + 1,) array of errors.

    Used in: chapter 6.
    """
    _array_checks.code_tensor("z", z, 2)
    if not torch.is_tensor(x) or len(x) != len(z):
        raise ValueError(f"x must be a tensor with one row per code ({len(z)}), got {getattr(x, 'shape', type(x))}.")
    errors = []
    for k in range(z.shape[1] + 1):
        pruned = prune_codes(z, k)
        total = 0.0
        for start in range(0, len(z), batch_size):
            x_hat = decode(pruned[start : start + batch_size])
            total = total + (x_hat - x[start : start + batch_size]).flatten(1).norm(dim=1).sum()
        errors.append(total / len(z))
    return torch.stack(errors).cpu().numpy()  # one transfer, at the end


def explained_reconstruction(errors) -> np.ndarray:
    """Pruning errors rescaled to the range [0, 1]: 0 = nothing pruned, 1 = everything pruned.

    ``(errors - errors[0]) / (errors[-1] - errors[0])``; all zeros when the
    range is empty or below float32 rounding (the decoder ignores its codes,
    or every code is the same).

    Args:
        errors: (latent_dim + 1,) errors from :func:`pruning_errors`.

    Returns:
        An array of the same shape.

    Used in: chapter 6.
    """
    errors = np.asarray(errors, dtype=float)
    if errors.ndim != 1 or len(errors) < 2:
        raise ValueError(f"errors must be a 1-D array of latent_dim + 1 >= 2 values, got shape {errors.shape}.")
    span = errors[-1] - errors[0]
    if not span > 1e-6 * abs(errors[-1]):  # nothing to explain, only rounding noise
        return np.zeros_like(errors)
    return (errors - errors[0]) / span


def count_kept(errors, delta: float = 0.01) -> int:
    """How many dimensions least volume keeps, given the pruning errors.

    Chen and Fuge's count (ICLR 2024; the ``dr_rank`` of their code): of the
    pruning steps k = 1..latent_dim, count those whose cumulative cost,
    ``errors[k] - errors[0]``, reaches ``delta`` of the whole range
    ``errors[-1] - errors[0]``. The dimensions that can all be pruned for less
    than ``delta`` are not counted; every further one is.

    Args:
        errors: (latent_dim + 1,) errors from :func:`pruning_errors`.
        delta: the share of the range that counts as a cost, in (0, 1).

    Returns:
        An integer between 0 and latent_dim.

    Used in: chapter 6.
    """
    if not 0 < delta < 1:
        raise ValueError(f"delta must lie strictly between 0 and 1, got {delta!r}.")
    explained = explained_reconstruction(errors)
    return int((explained[1:] >= delta).sum())


def least_volume_dimensions(decode, z: torch.Tensor, x: torch.Tensor, delta: float = 0.01) -> int:
    """The number of latent dimensions a model uses: :func:`count_kept` of :func:`pruning_errors`.

    Args:
        decode: a function from codes (B, latent_dim) to reconstructions.
        z: codes of the data, (n, latent_dim).
        x: the data, (n, ...).
        delta: the share of the error range that counts as a cost (1 % in the paper).

    Returns:
        An integer between 0 and latent_dim.

    Used in: chapter 6.
    """
    if not 0 < delta < 1:
        raise ValueError(f"delta must lie strictly between 0 and 1, got {delta!r}.")
    return count_kept(pruning_errors(decode, z, x), delta)


def principal_angles(a, b) -> np.ndarray:
    """Principal angles between the spaces spanned by the columns of ``a`` and of ``b``, in degrees.

    The cosines of the angles are the singular values of ``Qa^T Qb``, where
    ``Qa`` and ``Qb`` are orthonormal bases of the two spaces. All angles are
    0 exactly when the spaces coincide; the largest says how far apart they
    are at worst. Computed by SciPy's ``subspace_angles``, which stays
    accurate for small angles.

    Args:
        a: (n_features, k) array, e.g. a linear decoder's columns.
        b: (n_features, m) array, e.g. PCA's components as columns.

    Returns:
        (min(k, m),) array of angles in degrees, largest first.

    Used in: chapter 6.
    """
    from scipy.linalg import subspace_angles  # scipy comes with scikit-learn

    a, b = to_numpy(a).astype(float), to_numpy(b).astype(float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[0]:
        raise ValueError(
            f"a and b must be 2-D with the same number of rows (features), got {a.shape} and {b.shape}."
        )
    if np.linalg.matrix_rank(a) < a.shape[1] or np.linalg.matrix_rank(b) < b.shape[1]:
        raise ValueError("the columns of a and of b must be linearly independent to span a space of their size.")
    return np.degrees(subspace_angles(a, b))


@torch.no_grad()
def lipschitz_ratios(f, a: torch.Tensor, b: torch.Tensor) -> np.ndarray:
    """How much ``f`` stretches the distance between paired inputs: ``|f(a) - f(b)| / |a - b|``.

    Every ratio is a lower bound on the Lipschitz constant of ``f``, so their
    maximum over many random pairs estimates it from below; a 1-Lipschitz
    decoder (spectral normalization on every layer) never exceeds 1.

    Args:
        f: a function of a batch, such as ``model.decode``.
        a, b: two batches of inputs of the same shape, (n, ...), no pair equal.

    Returns:
        (n,) array of ratios.

    Used in: chapter 6.
    """
    if not (torch.is_tensor(a) and torch.is_tensor(b)) or a.shape != b.shape or a.dim() < 2:
        raise ValueError(
            f"a and b must be batches (n, ...) of the same shape, got {getattr(a, 'shape', a)} and "
            f"{getattr(b, 'shape', b)}."
        )
    gap = (a - b).flatten(1).norm(dim=1)
    if (gap == 0).any():
        raise ValueError("some pairs are equal (a[i] == b[i]); their ratio is undefined.")
    return ((f(a) - f(b)).flatten(1).norm(dim=1) / gap).cpu().numpy()


def box_pairs(z: torch.Tensor, n: int = 5000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` random pairs of points in the box the codes ``z`` fill, for :func:`lipschitz_ratios`.

    Each point is drawn uniformly between the smallest and the largest value of
    each code dimension, so the pairs probe the decoder between the codes as
    well as on them. The draw is seeded (a CPU generator, the same on every
    device): ``a`` first, then ``b``.

    Args:
        z: (N, D) codes, a tensor, N of at least 1.
        n: how many pairs, at least 1.
        seed: the generator's seed (in a chapter, ``runtime.seed(k)``).

    Returns:
        ``(a, b)``: two (n, D) tensors on ``z``'s device.

    Used in: chapter 6.
    """
    _array_checks.code_tensor("z", z)
    n = _arg_checks.positive_int("n", n)
    g = torch.Generator().manual_seed(_arg_checks.non_negative_int("seed", seed))
    low, high = z.detach().min(0).values.cpu(), z.detach().max(0).values.cpu()
    a = low + (high - low) * torch.rand(n, z.shape[1], generator=g)
    b = low + (high - low) * torch.rand(n, z.shape[1], generator=g)
    return a.to(z.device), b.to(z.device)


def pca_reconstruction_errors(x_train, x_test) -> np.ndarray:
    """Test MSE of PCA fitted on ``x_train``, for every number of components at once.

    With the components sorted by explained variance, the error with ``k``
    components is the test data's squared distance to the mean minus the
    energy of its first ``k`` projections: one fit and one projection give
    every ``k``.

    Args:
        x_train, x_test: (n, ...) samples (flattened to features), tensors or arrays.

    Returns:
        (n_components + 1,) array: entry ``k`` is the mean squared error per
        feature with ``k`` components (entry 0: the mean alone).

    Used in: chapters 2, 3 and 6.
    """
    from sklearn.decomposition import PCA

    a, b = to_numpy(x_train), to_numpy(x_test)
    a, b = a.reshape(len(a), -1).astype(np.float64), b.reshape(len(b), -1).astype(np.float64)
    if a.shape[1] != b.shape[1] or len(a) < 2:
        raise ValueError(f"x_train (n >= 2) and x_test need the same features, got {a.shape} and {b.shape}.")
    pca = PCA().fit(a)
    centred = b - pca.mean_
    energy = (centred**2).sum(1)  # (n_test,)
    captured = np.cumsum((centred @ pca.components_.T) ** 2, axis=1)  # (n_test, n_components)
    residual = np.concatenate([energy[:, None], energy[:, None] - captured], axis=1)
    return np.clip(residual, 0, None).mean(0) / a.shape[1]
