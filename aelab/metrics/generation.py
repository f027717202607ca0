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

import torch

from .. import checks

__all__ = ["code_moments", "standard_normal_gap", "confidence", "judge"]


def code_moments(z: torch.Tensor) -> dict[str, float]:
    """Per-dimension mean and standard deviation of a set of codes.

    Args:
        z: (N, D) codes, N of at least 2.

    Returns:
        ``{"mean z1": ..., ..., "std z1": ..., ...}``, D means then D standard deviations.

    Used in: chapter 4.
    """
    z = _codes(z)
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
    z = _codes(z)
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
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
        raise ValueError(f"threshold must be a number between 0 and 1, got {threshold!r}.")
    probs = _probabilities(classifier, images)  # (N, classes)
    top = probs.max(1).values
    share = torch.bincount(probs.argmax(1), minlength=probs.shape[1]).float() / len(probs)
    entropy = -(share * share.clamp_min(1e-12).log()).sum()
    return {"mean confidence": top.mean().item(),
            f"share above {threshold}": (top > threshold).float().mean().item(),
            "digits covered": entropy.exp().item()}


def _codes(z) -> torch.Tensor:
    checks.tensor("z", z)
    if z.dim() != 2 or len(z) < 2:
        raise ValueError(f"z must be (N, D) codes with N of at least 2, got shape {tuple(z.shape)}.")
    return z.float()


def _probabilities(classifier, images: torch.Tensor) -> torch.Tensor:
    if not callable(classifier):
        raise ValueError("classifier must be a model or function mapping images to logits.")
    checks.tensor("images", images)
    if images.dim() < 2 or len(images) == 0:
        raise ValueError("images must be a non-empty batch, a tensor of shape (N, ...).")
    logits = classifier(images)
    if logits.dim() != 2 or len(logits) != len(images):
        raise ValueError(f"the classifier must return (N, classes) logits for N = {len(images)} images, "
                         f"got shape {tuple(logits.shape)}.")
    return logits.softmax(1)
