"""Judging codes and generated images: how far codes are from N(0, I), and what a classifier makes of images.

A VAE's aggregate codes should look like a standard normal; an autoencoder's
need not. Generated images have no ground truth, so a classifier trained on
real digits serves as a judge: how sure it is of each image (a proxy for
"looks like a digit", which a blurry, prototypical image can game), and how
many digits a set of images spreads over.

Used in: chapter 4.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from .. import _arg_checks, _array_checks

__all__ = ["code_moments", "standard_normal_gap", "confidence", "judge", "frechet_distance"]


def code_moments(z: torch.Tensor) -> dict[str, float]:
    """Per-dimension mean and standard deviation of a set of codes.

    Args:
        z: (N, D) codes, N of at least 2.

    Returns:
        ``{"mean z1": ..., ..., "std z1": ..., ...}``, D means then D standard deviations.

    Used in: chapter 4.
    """
    _array_checks.code_tensor("z", z, 2)
    z = z.float()
    return {**{f"mean z{i + 1}": v for i, v in enumerate(z.mean(0).tolist())},
            **{f"std z{i + 1}": v for i, v in enumerate(z.std(0).tolist())}}


def standard_normal_gap(z: torch.Tensor) -> float:
    """How far codes are from a standard normal: the largest |mean| or |std - 1| over the dimensions.

    0 for codes whose every dimension has mean 0 and standard deviation 1
    (a necessary condition for N(0, I), not a sufficient one: it ignores
    correlations and shape).

    Args:
        z: (N, D) codes, N of at least 2.

    Returns:
        The gap, a float of at least 0.

    Used in: chapter 4.
    """
    _array_checks.code_tensor("z", z, 2)
    z = z.float()
    return max(z.mean(0).abs().max().item(), (z.std(0) - 1).abs().max().item())


@torch.no_grad()
def confidence(classifier: Callable[[torch.Tensor], torch.Tensor], images: torch.Tensor) -> torch.Tensor:
    """The probability a classifier gives its top class, one value per image.

    Args:
        classifier: maps a batch of images to (N, classes) logits, e.g.
            ``nn.Sequential(nn.Flatten(), mlp)``.
        images: (N, ...) images, as the classifier takes them.

    Returns:
        (N,) tensor of values in (0, 1].

    Used in: chapter 4.
    """
    return _probabilities(classifier, images).max(1).values


@torch.no_grad()
def judge(classifier: Callable[[torch.Tensor], torch.Tensor], images: torch.Tensor,
          threshold: float = 0.9) -> dict[str, float]:
    """A classifier's verdict on a set of images, as three numbers.

    - ``"mean confidence"``: the mean over images of :func:`confidence`;
    - ``"share above <threshold>"``: the share of images it is that sure of;
    - ``"digits covered"``: how many classes the images spread over, the
      exponential of the entropy of the histogram of predicted classes: the
      number of classes when each comes equally often, 1 when all images get
      the same class.

    Args:
        classifier: maps images to (N, classes) logits.
        images: (N, ...) images, N of at least 1.
        threshold: the confidence counted as sure, in (0, 1).

    Returns:
        A flat dict of the three numbers.

    Used in: chapter 4.
    """
    if not _arg_checks.is_number(threshold) or not 0 < threshold < 1:
        raise ValueError(f"threshold must be a number between 0 and 1, got {threshold!r}.")
    probs = _probabilities(classifier, images)  # (N, classes)
    top = probs.max(1).values
    share = torch.bincount(probs.argmax(1), minlength=probs.shape[1]).float() / len(probs)
    entropy = -(share * share.clamp_min(1e-12).log()).sum()
    return {"mean confidence": top.mean().item(),
            f"share above {threshold}": (top > threshold).float().mean().item(),
            "digits covered": entropy.exp().item()}


def frechet_distance(features_a, features_b) -> float:
    """The Fréchet distance between Gaussians fitted to two sets of features, (N, F) and (M, F).

    ``|m_a - m_b|^2 + tr(C_a + C_b - 2 (C_a C_b)^(1/2))``; on a classifier's hidden
    features of generated and real images it is the Fréchet Inception distance of
    Heusel et al. (2017), with the course's judge in place of Inception. Biased
    upwards by a small sample: compare sets of equal size only. Returns the
    distance in squared feature units.

    Used in: chapter 4.
    """
    a, b = (_features(name, f) for name, f in (("features_a", features_a), ("features_b", features_b)))
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"features_a and features_b must have the same number of columns, got {a.shape[1]} and {b.shape[1]}.")
    ca, cb = np.cov(a, rowvar=False, ddof=1).reshape(a.shape[1], -1), np.cov(b, rowvar=False, ddof=1).reshape(b.shape[1], -1)
    # tr((C_a C_b)^(1/2)) = the sum of the square roots of the eigenvalues of C_a^(1/2) C_b C_a^(1/2)
    w, v = np.linalg.eigh(ca)
    root_a = (v * np.sqrt(w.clip(min=0))) @ v.T
    cross = np.sqrt(np.linalg.eigvalsh(root_a @ cb @ root_a).clip(min=0)).sum()
    gap = float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca) + np.trace(cb) - 2 * cross)
    return max(gap, 0.0)  # rounding can leave a tiny negative for equal sets


def _features(name: str, f) -> np.ndarray:
    f = f.detach().cpu().numpy() if torch.is_tensor(f) else np.asarray(f)
    if f.ndim != 2 or len(f) < 2 or not np.issubdtype(f.dtype, np.number):
        raise ValueError(f"{name} must be (N, F) numbers with N of at least 2, got shape {f.shape}.")
    return f.astype(np.float64)


def _probabilities(classifier, images: torch.Tensor) -> torch.Tensor:
    if not callable(classifier):
        raise ValueError("classifier must be a model or function mapping images to logits.")
    _array_checks.tensor("images", images)
    if images.dim() < 2 or len(images) == 0:
        raise ValueError("images must be a non-empty batch, a tensor of shape (N, ...).")
    logits = classifier(images)
    if logits.dim() != 2 or len(logits) != len(images):
        raise ValueError(f"the classifier must return (N, classes) logits for N = {len(images)} images, "
                         f"got shape {tuple(logits.shape)}.")
    return logits.softmax(1)
