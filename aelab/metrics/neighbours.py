"""Nearest neighbours in a code space: a typical code of each class, the
distance from a code to the nearest code of a reference set, the share of
points in the holes between codes, and how often neighbours share a label.

Used in: chapters 3 and 4.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import _arg_checks, _array_checks
from ..runtime import to_numpy

__all__ = ["class_prototypes", "nearest_distance", "share_in_holes", "neighbour_agreement"]


def class_prototypes(z, labels, *, k: int = 20, max_points: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A typical code of each class: the one lying deepest inside its class's region.

    A class's mean can fall outside it (in a star-shaped code space, in the crowded
    middle). Here each code of a seeded subsample of ``max_points`` looks at its
    ``k`` nearest neighbours; a class's prototype is its code with the largest
    share of neighbours of its class (ties: nearest the class's median).
    ``z``: (N, D) codes, ``labels``: (N,).

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
    if not _arg_checks.is_int(k) or k < 1:
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
    _array_checks.tensor("queries", queries)  # a tensor: the distances are computed on its device
    _array_checks.tensor("reference", reference)
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
    if not _arg_checks.is_number(gaps) or not gaps > 0:
        raise ValueError(f"gaps must be a number above 0, got {gaps!r}.")
    n_probe = _arg_checks.positive_int("n_probe", n_probe)
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
    if not _arg_checks.is_int(k) or not 1 <= k < len(points):
        raise ValueError(f"k must be an integer from 1 to N - 1 = {len(points) - 1}, got {k!r}.")
    _, index = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points)
    neighbours = index[:, 1:]  # column 0 is the point itself (or a duplicate of it)
    return float((labels[neighbours] == labels[:, None]).mean())
