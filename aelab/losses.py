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

from . import _arg_checks, _array_checks

__all__ = ["reconstruction", "kl_divergence", "vae_loss", "volume_penalty"]


_REDUCTIONS = ("mean", "sample", "none")
_RECONSTRUCTIONS = ("mse", "bce", "l1")


def _reduce(per_element: torch.Tensor, reduction: str) -> torch.Tensor:
    if reduction == "mean":
        return per_element.mean()
    if reduction == "sample":
        return per_element.flatten(1).sum(1).mean()
    return per_element  # "none"


def reconstruction(
    x_hat: torch.Tensor, x: torch.Tensor, kind: str = "mse", reduction: str = "mean"
) -> torch.Tensor:
    """Reconstruction error between a batch ``x`` and its reconstruction ``x_hat``, both (B, ...).

    ``kind`` is ``"mse"``, ``"l1"`` or ``"bce"`` (both in [0, 1]: a sigmoid output);
    ``reduction`` is ``"mean"`` over all elements, ``"sample"`` (sum over a sample,
    mean over the batch) or ``"none"``. Returns a scalar tensor (per element for ``"none"``).

    Used in: chapter 3.
    """
    _arg_checks.one_of("reconstruction loss", kind, _RECONSTRUCTIONS)
    _arg_checks.one_of("reduction", reduction, _REDUCTIONS)
    _array_checks.tensor("x_hat", x_hat)
    _array_checks.tensor("x", x)
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
        try:  # no range check on every step (it would read back from the device); only on failure
            per_element = F.binary_cross_entropy(x_hat, x, reduction="none")
        except RuntimeError:  # torch's refusal (on CUDA a device-side assert; fit checks x once before)
            _array_checks.in_range("the originals x", x, 0.0, 1.0, why=" for binary cross-entropy",
                            hint="images of 0-255 need x / 255, or use kind='mse'")
            _array_checks.in_range("the reconstructions x_hat", x_hat, 0.0, 1.0,
                            why=" for binary cross-entropy, as probabilities",
                            hint="end the model in a sigmoid (output='sigmoid'), or use kind='mse'")
            raise
    return _reduce(per_element, reduction)


# --------------------------------------------------------------------------- VAE (chapter 4)

_KL_REDUCTIONS = ("sample", "dimension", "none")


def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor, reduction: str = "sample") -> torch.Tensor:
    """KL divergence of each code's Gaussian ``N(mu, exp(logvar))`` from ``N(0, I)``.

    ``mu``, ``logvar``: (B, latent_dim). Per dimension ``0.5 * (mu**2 + exp(logvar)
    - 1 - logvar)`` (Kingma and Welling, 2014, appendix B). ``reduction``: ``"sample"`` (nats per image, a scalar),
    ``"dimension"`` (mean over the batch, (latent_dim,)) or ``"none"`` (B, latent_dim).

    Used in: chapter 4.
    """
    _array_checks.gaussian(mu, logvar, batch=True)
    _arg_checks.one_of("reduction", reduction, _KL_REDUCTIONS)
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
    """The (beta-)VAE objective per image: reconstruction + beta * KL (Higgins et al., 2017).

    Both terms are summed over an image and averaged over the batch; with
    ``beta=1`` it is the negative ELBO of Kingma and Welling (2014) up to a
    constant. ``x_hat``, ``x`` are (B, ...), ``mu``, ``logvar`` (B, latent_dim).
    Returns ``{"loss", "recon", "kl"}``, scalar tensors per image.

    Used in: chapters 4 and 5, through :func:`aelab.train.vae_objective`.
    """
    if not _arg_checks.is_number(beta) or not beta >= 0:
        raise ValueError(f"beta must be a non-negative number, got {beta!r}.")
    _array_checks.gaussian(mu, logvar, batch=True)
    if len(mu) != len(x):
        raise ValueError(f"got {len(x)} images but {len(mu)} codes; mu and x must have the same batch size.")
    recon = reconstruction(x_hat, x, kind, reduction="sample")
    kl = kl_divergence(mu, logvar)
    return {"loss": recon + beta * kl, "recon": recon, "kl": kl}


# --------------------------------------------------------------------------- latent penalties (chapter 6)


def volume_penalty(z: torch.Tensor, eta: float = 0.01) -> torch.Tensor:
    """The least-volume penalty: the geometric mean of the codes' spreads, ``exp(mean_i log(std_i + eta))``.

    Chen and Fuge, "Compressing Latent Space via Least Volume" (ICLR 2024),
    section 2; ``std_i`` is dimension i's unbiased standard deviation over the
    batch ``z``, (B, latent_dim) with B >= 2. ``eta`` keeps the log finite when a
    dimension collapses (0.01: the course material's value, section 8.4).
    Returns a scalar tensor, differentiable in ``z``.

    Used in: chapter 6.
    """
    _array_checks.code_tensor("z", z)
    if not eta > 0:
        raise ValueError(f"eta must be positive (it keeps log(std + eta) finite), got {eta!r}.")
    if len(z) < 2:
        raise ValueError(
            f"volume_penalty needs a batch of at least 2 codes: the standard deviation of "
            f"{len(z)} row is undefined."
        )
    return torch.exp(torch.log(z.std(dim=0) + eta).mean())


def _l1_latent(z: torch.Tensor) -> torch.Tensor:
    """The L1 penalty on the codes, ``mean(|z|)`` over the batch and the dimensions.

    The sparsity penalty the course material suggests (section 8.2) and the
    baseline Chen and Fuge (ICLR 2024) compare least volume against. It pulls
    every code towards 0, not only the unneeded dimensions, and like the volume
    penalty it is defeated by a decoder free to scale its weights up.

    Args:
        z: codes, (B, latent_dim).

    Returns:
        A scalar tensor.

    Used in: chapter 6, through :func:`aelab.train.l1_latent_objective`.
    """
    _array_checks.code_tensor("z", z)
    return z.abs().mean()
