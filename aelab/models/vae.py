"""The variational autoencoder (Kingma and Welling, 2014) and latent interpolation.

A VAE's encoder does not return a code but a Gaussian over codes: a mean
``mu`` and a log variance ``logvar`` per latent dimension. Training draws a
code from it with the reparameterization trick, ``z = mu + exp(logvar / 2) * eps``
with ``eps ~ N(0, I)``, so the randomness sits in ``eps`` and gradients reach
``mu`` and ``logvar``. The loss (:func:`aelab.losses.vae_loss`) adds the KL
divergence from ``N(0, I)``, which is what lets :meth:`VAE.sample` decode codes
drawn from ``N(0, I)``.

The body is the one of :class:`~aelab.models.MLPAutoencoder` with the same
``hidden`` widths, except that the encoder's last layer is split into two
heads, one for ``mu`` and one for ``logvar``; so an AE and a VAE of the same
sizes can be compared side by side.

Used in: chapters 4 and 5.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn

from .. import _arg_checks, _array_checks
from .mlp import MLP, Autoencoder, _activation

__all__ = ["VAE", "interpolate"]


class VAE(Autoencoder):
    """An MLP variational autoencoder.

    ``encode(x)`` returns the posterior mean, so a trained VAE can stand
    wherever an autoencoder does (latent plots, traversals, classifier heads);
    ``encode_dist(x)`` returns the whole Gaussian, ``forward(x)`` a sampled
    reconstruction with the Gaussian's parameters, as the loss needs them.

    The arguments are :class:`MLPAutoencoder`'s; the encoder's hidden layers
    feed two linear heads, ``mu`` and ``logvar``.

    Used in: chapters 4 and 5.
    """

    def __init__(
        self,
        input_shape: int | Sequence[int],
        latent_dim: int,
        hidden: Sequence[int] = (128, 64),
        activation: str | None = "relu",
        output: str | None = None,
    ):
        super().__init__()
        latent_dim = _arg_checks.positive_int("latent_dim", latent_dim)
        _activation(output, "output")  # an unknown name fails here
        self.input_shape = _arg_checks.input_shape(input_shape)
        self.latent_dim = latent_dim
        hidden = _arg_checks.positive_ints("hidden", hidden)
        self.config = dict(
            input_shape=self.input_shape, latent_dim=latent_dim, hidden=hidden,
            activation=activation, output=output,
        )
        n_in = math.prod(self.input_shape)
        # The body ends in an activation: the two heads below are its last layer.
        self.encoder = (
            MLP([n_in, *hidden], activation, output=activation) if hidden else nn.Identity()
        )
        width = hidden[-1] if hidden else n_in
        self.mu_head = nn.Linear(width, latent_dim)
        self.logvar_head = nn.Linear(width, latent_dim)
        self.decoder = MLP([latent_dim, *reversed(hidden), n_in], activation, output=output)

    # -- the three steps of a VAE -------------------------------------------------

    def encode_dist(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The posterior Gaussian of each input: (B, *input_shape) -> (mu, logvar), each (B, latent_dim)."""
        _array_checks.model_input(self, x)
        h = self.encoder(x.flatten(1))  # (B, hidden[-1])
        return self.mu_head(h), self.logvar_head(h)

    def reparameterize(
        self, mu: torch.Tensor, logvar: torch.Tensor, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """A code drawn from ``N(mu, exp(logvar))``, differentiable in ``mu`` and ``logvar``.

        ``z = mu + std * eps`` with ``eps ~ N(0, I)`` drawn apart from the
        parameters, so the gradient of ``z`` is 1 for ``mu`` and ``eps * std / 2``
        for ``logvar``. It always samples, in train and eval mode alike; for the
        deterministic code use :meth:`encode`.

        Args:
            mu, logvar: (B, latent_dim) each.
            generator: optional ``torch.Generator`` for ``eps`` (on ``mu``'s device).

        Returns:
            z, (B, latent_dim).
        """
        _array_checks.gaussian(mu, logvar)
        std = torch.exp(0.5 * logvar)  # log variance -> standard deviation, always positive
        eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
        return mu + std * eps

    def _encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encode_dist(x)[0]  # the posterior mean, (B, latent_dim)

    def _decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z).view(-1, *self.input_shape)  # (B, latent) -> (B, *input_shape)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Encode, draw a code, decode: returns ``(x_hat, mu, logvar)`` for :func:`aelab.losses.vae_loss`."""
        mu, logvar = self.encode_dist(x)
        x_hat = self.decode(self.reparameterize(mu, logvar))
        return x_hat, mu, logvar

    # -- generation ---------------------------------------------------------------

    @torch.no_grad()
    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Decode ``n`` codes drawn from the prior ``N(0, I)``: new images, (n, *input_shape).

        Args:
            n: how many images.
            generator: optional ``torch.Generator``; a CPU one gives the same
                codes on every device.

        Returns:
            (n, *input_shape), on the model's device, without gradients.
        """
        n = _arg_checks.positive_int("n", n)
        dev = next(self.parameters()).device
        where = generator.device if generator is not None else dev
        z = torch.randn(n, self.latent_dim, generator=generator, device=where).to(dev)
        return self.decode(z)


@torch.no_grad()
def interpolate(model: Autoencoder, x_a: torch.Tensor, x_b: torch.Tensor, steps: int = 8) -> torch.Tensor:
    """Decode evenly spaced codes on the straight line from ``encode(x_a)`` to ``encode(x_b)``.

    Works for any autoencoder with ``encode`` and ``decode``; for a
    :class:`VAE` the end points are the posterior means.

    Args:
        model: a trained autoencoder.
        x_a, x_b: start and end, either one image each, (*input_shape), or
            batches of pairs, (B, *input_shape).
        steps: number of images on each path, the two ends included (>= 2).

    Returns:
        (steps, *input_shape) for one pair, (B, steps, *input_shape) for a batch.

    Used in: chapter 4.
    """
    steps = _arg_checks.int_at_least("steps", steps, 2, " (the two ends)")
    _array_checks.tensor("x_a", x_a)
    _array_checks.tensor("x_b", x_b)
    if x_a.shape != x_b.shape:
        raise ValueError(f"x_a and x_b must have the same shape, got {tuple(x_a.shape)} and {tuple(x_b.shape)}.")
    single = tuple(x_a.shape) == tuple(model.input_shape)
    if single:
        x_a, x_b = x_a.unsqueeze(0), x_b.unsqueeze(0)
    z_a, z_b = model.encode(x_a), model.encode(x_b)  # (B, latent_dim) each
    t = torch.linspace(0, 1, steps, device=z_a.device).view(1, steps, 1)
    z = (1 - t) * z_a.unsqueeze(1) + t * z_b.unsqueeze(1)  # (B, steps, latent_dim)
    images = model.decode(z.flatten(0, 1)).view(len(z_a), steps, *model.input_shape)
    return images[0] if single else images
