"""Fully connected networks: ``MLP``, the ``Autoencoder`` base class, ``MLPAutoencoder``.

Sizes are constructor arguments, and each model keeps them in ``self.config``
(:func:`aelab.checkpoints.load` checks a file against it). Each model knows
the shape of one input, ``input_shape``, and says so in one sentence when it is
handed something else.

Used in: chapters 1-6.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _spectral_norm

from .. import _arg_checks, _array_checks

__all__ = ["ACTIVATIONS", "MLP", "Autoencoder", "MLPAutoencoder"]


ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "softplus": nn.Softplus,
    "identity": nn.Identity,
}


def _activation(name: str | None, arg: str = "activation") -> nn.Module:
    """A fresh activation module from its name (``None`` means identity).

    ``arg`` names the argument the name came from when it is not ``activation``,
    so a refusal says which one was wrong ("unknown activation 'softmax' for output").
    """
    if name is None:
        return nn.Identity()
    where = "" if arg == "activation" else f" for {arg}"
    if not isinstance(name, str):  # nn.ReLU or nn.ReLU() instead of "relu"
        raise ValueError(f"{arg} must be the name of an activation, one of {', '.join(ACTIVATIONS)}, "
                         f"or None, got {name!r}.")
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}{where}; use one of {', '.join(ACTIVATIONS)}.")
    return ACTIVATIONS[name]()


class MLP(nn.Module):
    """A stack of ``Linear`` layers built from a list of widths.

    ``MLP([1, 32, 32, 1])`` is 1 -> 32 -> 32 -> 1 with ``activation`` (a name in
    ``ACTIVATIONS``) after each hidden layer and ``output`` after the last.
    ``spectral_norm`` gives every ``Linear`` operator norm at most 1, so with
    1-Lipschitz activations the whole MLP is 1-Lipschitz.

    Used in: chapters 1 and 4.
    """

    def __init__(
        self,
        widths: Sequence[int],
        activation: str | None = "relu",
        output: str | None = None,
        spectral_norm: bool = False,
    ):
        super().__init__()
        widths = _arg_checks.positive_ints("widths", widths, example="[784, 128, 2]", one_entry=False)
        if len(widths) < 2:
            raise ValueError(f"an MLP needs at least an input and an output width, got {widths}.")
        _activation(activation)  # an unknown name fails here, even with no hidden layer
        _activation(output, "output")
        self.config = dict(
            widths=widths, activation=activation,
            output=output, spectral_norm=spectral_norm,
        )
        self.input_shape = (widths[0],)
        layers: list[nn.Module] = []
        for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:])):
            linear = nn.Linear(n_in, n_out)
            layers.append(_spectral_norm(linear) if spectral_norm else linear)
            last = i == len(widths) - 2
            layers.append(_activation(output if last else activation))
        self.net = nn.Sequential(*[m for m in layers if not isinstance(m, nn.Identity)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # (B, widths[0]) -> (B, widths[-1])


class Autoencoder(nn.Module):
    """Base class: ``forward(x) = decode(encode(x))``, with the input shape checked.

    Subclasses set ``self.input_shape``, ``self.latent_dim`` and ``self.config``
    and provide ``_encode`` and ``_decode``.
    """

    input_shape: tuple[int, ...]
    latent_dim: int

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Codes of a batch: (B, *input_shape) -> (B, latent_dim)."""
        _array_checks.model_input(self, x)
        return self._encode(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Reconstructions from codes: (B, latent_dim) -> (B, *input_shape)."""
        _array_checks.model_codes(self, z, "decode")
        return self._decode(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    @torch.no_grad()
    def encode_decode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The codes of ``x`` and their reconstructions, ``(z, x_hat)``, without gradients.

        It puts the model in eval mode first and leaves it there: it is for
        evaluating a trained model (dropout off, BatchNorm's and spectral
        norm's running estimates fixed).

        Used in: chapter 6.
        """
        self.eval()
        z = self.encode(x)
        return z, self.decode(z)


class MLPAutoencoder(Autoencoder):
    """An autoencoder of two MLPs, the decoder mirroring the encoder.

    Inputs of ``input_shape`` (one sample's, e.g. ``3`` or ``(1, 28, 28)``) are
    flattened for the encoder and the output reshaped back: (B, *input_shape).
    ``hidden`` are the encoder's widths, input side first; ``output`` is the
    decoder's last activation (``"sigmoid"`` for pixels in [0, 1], ``None`` for
    unbounded data); ``spectral_norm_decoder`` gives the decoder the Lipschitz
    bound least volume needs.

    Used in: chapters 2, 3 and 6.
    """

    def __init__(
        self,
        input_shape: int | Sequence[int],
        latent_dim: int,
        hidden: Sequence[int] = (128, 64),
        activation: str | None = "relu",
        output: str | None = None,
        spectral_norm_decoder: bool = False,
    ):
        super().__init__()
        latent_dim = _arg_checks.positive_int("latent_dim", latent_dim)
        self.input_shape = _arg_checks.input_shape(input_shape)
        self.latent_dim = latent_dim
        hidden = _arg_checks.positive_ints("hidden", hidden)
        _activation(output, "output")  # named as the argument it came from
        self.config = dict(
            input_shape=self.input_shape, latent_dim=latent_dim, hidden=hidden,
            activation=activation, output=output, spectral_norm_decoder=spectral_norm_decoder,
        )
        n_in = math.prod(self.input_shape)
        self.encoder = MLP([n_in, *hidden, latent_dim], activation)
        self.decoder = MLP(
            [latent_dim, *reversed(hidden), n_in], activation,
            output=output, spectral_norm=spectral_norm_decoder,
        )

    def _encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(1))  # (B, *input_shape) -> (B, latent_dim)

    def _decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z).view(-1, *self.input_shape)  # (B, latent) -> (B, *input_shape)
