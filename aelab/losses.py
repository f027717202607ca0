"""Loss functions: pure functions of tensors that return a scalar tensor.

Each says how it reduces over the batch, because two losses are only
comparable on the same scale: ``reduction="mean"`` averages over every
element (pixel), ``reduction="sample"`` sums over the features of one sample
and averages over the batch (per image, the scale of a VAE's ELBO).

Used in: chapters 2-6.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


REDUCTIONS = ("mean", "sample", "none")
RECONSTRUCTIONS = ("mse", "bce", "l1")


def _reduce(per_element: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return per_element.mean()
    if reduction == "sample":
        return per_element.flatten(1).sum(1).mean()
    return per_element  # "none"


def reconstruction(
    x_hat: torch.Tensor, x: torch.Tensor, kind: str = "mse", reduction: str = "mean"
) -> torch.Tensor:
    """Reconstruction error between a batch and its reconstruction.

    Args:
        x_hat: reconstructions, (B, ...).
        x: originals, the same shape.
        kind: ``"mse"`` (squared error), ``"l1"`` (absolute error) or ``"bce"``
            (binary cross-entropy; ``x_hat`` must be probabilities in [0, 1],
            such as a sigmoid output, and ``x`` in [0, 1]).
        reduction: ``"mean"`` over all elements, ``"sample"`` (sum over a
            sample's features, mean over the batch) or ``"none"``.

    Returns:
        A scalar tensor (or the per-element tensor for ``"none"``).

    Used in: chapters 2-6.
    """
    if kind not in RECONSTRUCTIONS:
        raise ValueError(f"unknown reconstruction loss {kind!r}; use one of {', '.join(RECONSTRUCTIONS)}.")
    if reduction not in REDUCTIONS:
        raise ValueError(f"unknown reduction {reduction!r}; use one of {', '.join(REDUCTIONS)}.")
    if x_hat.shape != x.shape:
        raise ValueError(
            f"reconstruction and original must have the same shape, got {tuple(x_hat.shape)} "
            f"and {tuple(x.shape)}."
        )
    if kind == "mse":
        per_element = (x_hat - x) ** 2
    elif kind == "l1":
        per_element = (x_hat - x).abs()
    else:
        per_element = F.binary_cross_entropy(x_hat, x, reduction="none")
    return _reduce(per_element, reduction)


# --------------------------------------------------------------------------- VAE (chapter 4)

KL_REDUCTIONS = ("sample", "dimension", "none")


def _check_gaussian(mu: torch.Tensor, logvar: torch.Tensor) -> None:
    if not (torch.is_tensor(mu) and torch.is_tensor(logvar)):
        raise ValueError("mu and logvar must be tensors.")
    if mu.shape != logvar.shape or mu.dim() != 2:
        raise ValueError(
            f"mu and logvar must both have shape (batch, latent_dim), got {tuple(mu.shape)} "
            f"and {tuple(logvar.shape)}."
        )


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor, reduction: str = "sample") -> torch.Tensor:
    """KL divergence of each code's Gaussian ``N(mu, exp(logvar))`` from ``N(0, I)``.

    In closed form, per latent dimension (Kingma and Welling, 2014, appendix B):
    ``KL = 0.5 * (mu**2 + exp(logvar) - 1 - logvar)``, zero exactly when
    ``mu = 0`` and ``logvar = 0``. The encoder predicts the log variance, not
    the variance, so that any real number it outputs is a valid variance.

    Args:
        mu: posterior means, (B, latent_dim).
        logvar: posterior log variances, the same shape.
        reduction: ``"sample"`` (sum over latent dimensions, mean over the
            batch: nats per image, the scale of :func:`vae_loss`),
            ``"dimension"`` (mean over the batch, one value per latent
            dimension, (latent_dim,): how much each dimension is used) or
            ``"none"`` (the (B, latent_dim) terms).

    Returns:
        A scalar tensor, or a (latent_dim,) / (B, latent_dim) tensor.

    Used in: chapters 4 and 5.
    """
    _check_gaussian(mu, logvar)
    if reduction not in KL_REDUCTIONS:
        raise ValueError(f"unknown reduction {reduction!r}; use one of {', '.join(KL_REDUCTIONS)}.")
    per_dim = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)  # (B, latent_dim)
    if reduction == "sample":
        return per_dim.sum(1).mean()
    if reduction == "dimension":
        return per_dim.mean(0)
    return per_dim


def vae_loss(
    x_hat: torch.Tensor,
    x: torch.Tensor,
    mu: torch.Tensor,
    logvar: torch.Tensor,
    beta: float = 1.0,
    kind: str = "mse",
) -> dict[str, torch.Tensor]:
    """The (beta-)VAE objective per image: reconstruction + beta * KL.

    Both terms are summed over one image (its pixels, its latent dimensions)
    and averaged over the batch, so the numbers do not depend on the batch
    size and ``recon`` is on the same scale as an autoencoder trained with
    ``reconstruction(..., reduction="sample")``. With ``beta=1`` this is the
    negative ELBO of Kingma and Welling (2014) up to a constant: ``kind="bce"``
    for a Bernoulli decoder, ``kind="mse"`` for a Gaussian decoder of variance
    1/2. A squared error stands for a fixed decoder variance, so ``beta``
    trades the two terms: below 1 it favours sharp reconstructions, above 1 a
    code distribution closer to ``N(0, I)`` (Higgins et al., 2017).

    Args:
        x_hat: reconstructions, (B, ...).
        x: originals, the same shape.
        mu, logvar: the encoder's Gaussian, (B, latent_dim) each.
        beta: weight of the KL term, ``>= 0`` (0 leaves a noisy autoencoder).
        kind: ``"mse"``, ``"bce"`` or ``"l1"`` (see :func:`reconstruction`).

    Returns:
        ``{"loss": recon + beta * kl, "recon": ..., "kl": ...}``, scalar tensors
        in units per image.

    Used in: chapters 4 and 5.
    """
    if not isinstance(beta, (int, float)) or isinstance(beta, bool) or not beta >= 0:
        raise ValueError(f"beta must be a non-negative number, got {beta!r}.")
    _check_gaussian(mu, logvar)
    if len(mu) != len(x):
        raise ValueError(f"got {len(x)} images but {len(mu)} codes; mu and x must have the same batch size.")
    recon = reconstruction(x_hat, x, kind, reduction="sample")
    kl = kl_divergence(mu, logvar)
    return {"loss": recon + beta * kl, "recon": recon, "kl": kl}
