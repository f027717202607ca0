"""Points of a latent space: a typical code of each class, the distance
from a code to the nearest code of a reference set, codes drawn like a
set's, and how many dimensions a code really uses.

Used in: chapters 2-5.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import checks
from ..runtime import to_numpy

__all__ = ["class_prototypes", "nearest_distance", "neighbour_agreement", "gaussian_like", "active_dimensions", "tears",
           "same_tears", "mean_ablation", "share_in_holes"]


def class_prototypes(z, labels, *, k: int = 20, max_points: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A typical code of each class: the one lying deepest inside its class's region.

    The mean or median of a class's codes can fall outside the class: in a
    star-shaped 2-D code space, the medians of several digits all land in the
    crowded middle. Here each code of a seeded subsample looks at its ``k``
    nearest neighbours in the subsample; a class's prototype is its code with
    the largest share of neighbours of the same class, ties going to the one
    nearest the class's median. The prototype is therefore a real code of the
    class, surrounded by its own kind.

    Args:
        z: (N, D) codes, a tensor or an array.
        labels: (N,) class labels.
        k: neighbours looked at for each code.
        max_points: size of the seeded subsample (a budget: the neighbour
            search is quadratic in it, and independent of N).
        seed: seeds the subsample.

    Returns:
        ``(classes, prototypes)``: the sorted distinct labels (K,) and one code
        per class (K, D), taken from ``z``.

    Used in: chapter 3.
    """
    z, labels = to_numpy(z).astype(np.float64), to_numpy(labels)
    if z.ndim != 2:
        raise ValueError(f"class_prototypes expects codes of shape (N, D), got {z.shape}.")
    if labels.shape != (len(z),):
        raise ValueError(f"expected one label per code, got labels of shape {labels.shape} for {len(z)} codes.")
    if not checks.is_int(k) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}.")
    rng = np.random.default_rng(seed)
    keep = rng.choice(len(z), size=min(max_points, len(z)), replace=False)
    zs, ls = torch.as_tensor(z[keep]), labels[keep]
    k = min(k, len(keep) - 1)
    classes = np.unique(labels)
    if k < 1:
        return classes, np.stack([z[labels == c][0] for c in classes])
    dist = torch.cdist(zs, zs)
    dist.fill_diagonal_(float("inf"))  # a code is not its own neighbour
    neighbours = dist.topk(k, largest=False).indices.numpy()  # (M, k)
    purity = (ls[neighbours] == ls[:, None]).mean(1)  # (M,) share of same-class neighbours
    prototypes = []
    for c in classes:
        mine = np.flatnonzero(ls == c)
        if len(mine) == 0:  # a class missed by the subsample: its code nearest its median
            theirs = z[labels == c]
            prototypes.append(theirs[np.argmin(np.linalg.norm(theirs - np.median(theirs, axis=0), axis=1))])
            continue
        off_centre = np.linalg.norm(z[keep][mine] - np.median(z[labels == c], axis=0), axis=1)
        best = np.lexsort((off_centre, -purity[mine]))[0]  # purest first, then nearest the median
        prototypes.append(z[keep][mine[best]])
    return classes, np.stack(prototypes)


@torch.no_grad()
def nearest_distance(queries: torch.Tensor, reference: torch.Tensor, *, chunk: int = 4096) -> torch.Tensor:
    """Euclidean distance from each query to its nearest row of ``reference``.

    Computed on the tensors' device, ``chunk`` queries at a time, so memory
    stays at ``chunk x len(reference)`` however many queries there are.

    Args:
        queries: (M, D) tensor of points, e.g. random codes.
        reference: (N, D) tensor of points, e.g. the training set's codes.

    Returns:
        (M,) tensor of distances.

    Used in: chapter 3.
    """
    checks.tensor("queries", queries)  # a tensor: the distances are computed on its device
    checks.tensor("reference", reference)
    if queries.dim() != 2 or reference.dim() != 2 or queries.shape[1] != reference.shape[1]:
        raise ValueError(
            f"queries and reference must be (M, D) and (N, D) with the same D, got "
            f"{tuple(queries.shape)} and {tuple(reference.shape)}."
        )
    if len(reference) == 0:
        raise ValueError("reference must hold at least one point.")
    reference = reference.to(queries.device, queries.dtype)
    parts = [torch.cdist(q, reference).min(dim=1).values for q in queries.split(chunk)]
    return torch.cat(parts) if parts else queries.new_zeros(0)


def share_in_holes(points, codes, *, gaps: float = 5.0, n_probe: int = 500) -> float:
    """The share of ``points`` that lie in the holes of a code space: far from every code.

    A point is in a hole when its distance to the nearest of ``codes`` is
    over ``gaps`` typical gaps, a typical gap being the median distance from
    each of the first ``n_probe`` codes to its nearest neighbour among the
    others. A decoder has never been trained on what it draws from such a
    point. Computed on ``codes``' device.

    Args:
        points: (M, D) points, tensor or array: a grid, random codes.
        codes: (N, D) codes the decoder was trained on, tensor or array,
            N above ``n_probe``.
        gaps: how many typical gaps away a hole begins, > 0.
        n_probe: how many codes measure the typical gap, at least 1.

    Returns:
        A float in [0, 1].

    Used in: chapters 3 and 4.
    """
    if not checks.is_number(gaps) or not gaps > 0:
        raise ValueError(f"gaps must be a number above 0, got {gaps!r}.")
    n_probe = checks.positive_int("n_probe", n_probe)
    codes = torch.as_tensor(codes, dtype=torch.float32)
    points = torch.as_tensor(points, dtype=torch.float32).to(codes.device)
    if codes.dim() != 2 or len(codes) <= n_probe:
        raise ValueError(f"codes must be (N, D) with N above n_probe = {n_probe}, got {tuple(codes.shape)}.")
    gap = nearest_distance(codes[:n_probe], codes[n_probe:]).median()
    far = nearest_distance(points, codes)
    return float((far > gaps * gap).float().mean().item())


def neighbour_agreement(points, labels, *, k: int = 10) -> float:
    """How often a point's ``k`` nearest neighbours share its label, averaged over points.

    A number for what a scatter or a t-SNE map shows by eye ("the classes form
    clusters"), so that two maps can be compared: 1 when every neighbourhood is
    pure, about the share of the commonest class when labels are scattered at
    random. The point itself is not counted among its neighbours.

    Args:
        points: (N, D) array or tensor, e.g. a (N, 2) t-SNE map or (N, 784) pixels.
        labels: (N,) integer labels.
        k: neighbours per point, 1 to N - 1.

    Returns:
        The mean, over points, of the fraction of their neighbours with the same label.

    Used in: chapter 3.
    """
    from sklearn.neighbors import NearestNeighbors

    points, labels = np.asarray(to_numpy(points), dtype=np.float64), np.asarray(to_numpy(labels))
    if points.ndim != 2 or labels.shape != (len(points),):
        raise ValueError(f"points must be (N, D) and labels (N,), got {points.shape} and {labels.shape}.")
    if not checks.is_int(k) or not 1 <= k < len(points):
        raise ValueError(f"k must be an integer from 1 to N - 1 = {len(points) - 1}, got {k!r}.")
    _, index = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points)
    neighbours = index[:, 1:]  # column 0 is the point itself (or a duplicate of it)
    return float((labels[neighbours] == labels[:, None]).mean())


@torch.no_grad()
def gaussian_like(codes: torch.Tensor, n: int, *, covariance: str = "diagonal",
                  generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw ``n`` random codes from a Gaussian fitted to ``codes``.

    With ``covariance="diagonal"`` each dimension is drawn on its own from a
    Gaussian with that dimension's mean and standard deviation; with
    ``"full"`` from one Gaussian with the codes' mean and full covariance
    matrix, so that correlated dimensions stay correlated. Both use the same
    standard-normal draws for the same ``generator`` seed (``full`` maps them
    through the Cholesky factor of the covariance), so the two can be compared
    draw by draw.

    Args:
        codes: (N, D) codes, e.g. an encoder's codes of the training images.
        n: how many codes to draw.
        covariance: ``"diagonal"`` or ``"full"``.
        generator: a CPU ``torch.Generator`` for the draws (default: torch's global one).

    Returns:
        (n, D) tensor on the codes' device.

    Used in: chapter 4.
    """
    checks.tensor("codes", codes)
    if codes.dim() != 2 or len(codes) < 2:
        raise ValueError(f"codes must be (N, D) with N of at least 2, got shape {tuple(codes.shape)}.")
    n = checks.positive_int("n", n)
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

    A dimension is active when the variance over the data of its code is
    above ``threshold``. For a VAE the code is the posterior mean
    ``E_q[z_i | x]`` and the threshold 0.01, the count of Burda et al. (2016):
    a dimension whose posterior mean hardly moves from input to input tells
    the decoder almost nothing, whatever its posterior. The prior fixes a
    VAE's scale; a plain autoencoder's or PCA's codes have none, so for them
    pass ``relative=True``: the threshold is then a share of the largest
    dimension's variance (0.01 of it is a tenth of its standard deviation).

    Args:
        codes: (N, D) codes, tensor or array, N of at least 2 (for a VAE, the
            posterior means).
        threshold: the variance above which a dimension counts, > 0; with
            ``relative=True`` a share of the largest variance, in (0, 1).
        relative: measure the threshold against the largest variance.

    Returns:
        An integer from 0 to D.

    Used in: chapters 4 and 5.
    """
    z = to_numpy(codes) if torch.is_tensor(codes) else np.asarray(codes)
    if z.ndim != 2 or len(z) < 2 or not np.issubdtype(z.dtype, np.number):
        raise ValueError(f"codes must be (N, D) numbers with N of at least 2, got shape {z.shape}.")
    if not checks.is_number(threshold) or not threshold > 0 \
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
    if not checks.is_number(share) or not 0 < share < 1:
        raise ValueError(f"share must be a number in (0, 1), got {share!r}.")
    return np.flatnonzero(np.abs(np.diff(c)) > share * np.ptp(c))


def same_tears(a, b, tol: int = 3) -> bool:
    """Whether two codes tear alike: as many tears, each within ``tol`` points of the other's.

    ``a`` and ``b`` are what :func:`tears` returns. Two seeds whose tears sit
    one index apart tear at the same place; comparing exact indices would call
    them different.

    Used in: chapter 2.
    """
    tol = checks.non_negative_int("tol", tol)
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
    X = checks.matrix("X", X)
    Z = np.asarray(method.transform(X), dtype=np.float64)
    base = float(((X - method.inverse_transform(Z)) ** 2).mean())
    rises = []
    for j in range(Z.shape[1]):
        flat = Z.copy()
        flat[:, j] = Z[:, j].mean()
        rises.append(float(((X - method.inverse_transform(flat)) ** 2).mean()) - base)
    return np.array(rises)
