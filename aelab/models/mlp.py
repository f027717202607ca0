"""Fully connected networks: ``MLP``, the ``Autoencoder`` base class, ``MLPAutoencoder``.

Sizes are constructor arguments, and each model keeps them in ``self.config``
(:func:`aelab.checkpoints.load` checks a file against it). Each model knows
the shape of one input, ``input_shape``, and says so in one sentence when it is
handed something else.

Used in: chapters 1-6.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _spectral_norm

from .. import checks

__all__ = [
    "ACTIVATIONS", "make_activation", "check_input", "check_codes", "check_latent_dim", "check_hidden",
    "MLP", "Autoencoder", "MLPAutoencoder",
]


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


def make_activation(name: str | None, arg: str = "activation") -> nn.Module:
    """A fresh activation module from its name (``None`` means identity).

    ``arg`` names the argument the name came from when it is not ``activation``,
    so a refusal says which one was wrong ("unknown activation 'softmax' for output").

    Used in: every chapter that builds an MLP, through :class:`MLP`.
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


def _shape(input_shape) -> tuple[int, ...]:
    if isinstance(input_shape, numbers.Integral) and not isinstance(input_shape, bool):
        shape = (int(input_shape),)
    else:  # a tuple of sizes; a string such as "784" would otherwise become (7, 8, 4)
        shape = tuple(checks.positive_ints("input_shape", input_shape, example="(1, 28, 28)"))
    if not shape or any(s <= 0 for s in shape):
        raise ValueError(f"input_shape must be positive sizes, got {input_shape!r}.")
    return shape


def _dtype(model: nn.Module) -> torch.dtype | None:
    """The dtype of the model's weights (its first parameter, else its first float buffer)."""
    for t in itertools.chain(model.parameters(), model.buffers()):
        if t.is_floating_point():
            return t.dtype
    return None


def check_input(model: nn.Module, x: torch.Tensor) -> None:
    """Raise one clear ``ValueError`` if ``x`` is not a batch of the model's inputs.

    Models that declare ``input_shape`` (the shape of one sample) are checked;
    others pass through.

    Used in: chapters 1-6 (through :func:`aelab.train.fit`).
    """
    expected = getattr(model, "input_shape", None)
    if expected is None:
        return
    if not torch.is_tensor(x):
        raise ValueError(f"{type(model).__name__} expects a tensor, got {type(x).__name__}.")
    if tuple(x.shape[1:]) != tuple(expected) or x.dim() != len(expected) + 1:
        one = " (for one sample, pass a batch of one: x[None])" if tuple(x.shape) == tuple(expected) else ""
        raise ValueError(
            f"{type(model).__name__} expects inputs of shape (batch, {', '.join(map(str, expected))}), "
            f"got {tuple(x.shape)}{one}."
        )
    dtype = _dtype(model)
    if dtype is not None:
        checks.float_tensor(f"the input of {type(model).__name__}", x, dtype)


def check_codes(model: nn.Module, z: torch.Tensor, method: str) -> None:
    """Raise one clear ``ValueError`` if ``z`` is not a batch of the model's codes, (B, latent_dim)."""
    if not torch.is_tensor(z) or z.dim() != 2 or z.shape[1] != model.latent_dim:
        raise ValueError(
            f"{type(model).__name__}.{method} expects codes of shape (batch, {model.latent_dim}), "
            f"got {tuple(getattr(z, 'shape', ())) or type(z).__name__}."
        )
    dtype = _dtype(model)
    if dtype is not None:
        checks.float_tensor(f"the codes given to {type(model).__name__}.{method}", z, dtype)


def check_latent_dim(latent_dim) -> int:
    """``latent_dim`` as an int, or one clear ``ValueError`` unless it is a positive integer."""
    return checks.positive_int("latent_dim", latent_dim)


def check_hidden(hidden) -> list[int]:
    """The hidden widths as a list of ints, or one clear ``ValueError`` (``hidden=128`` gives the fix)."""
    return checks.positive_ints("hidden", hidden)


class MLP(nn.Module):
    """A stack of ``Linear`` layers built from a list of widths.

    ``MLP([1, 32, 32, 1])`` is 1 -> 32 -> 32 -> 1 with an activation after
    each hidden layer. Each layer is a new ``nn.Linear``; none is shared.

    Args:
        widths: ``[in_features, hidden..., out_features]``, at least two entries.
        activation: name of the activation between layers (see ``ACTIVATIONS``).
        output: optional activation after the last layer (the name
            :class:`MLPAutoencoder` and :class:`aelab.models.VAE` use too).
        spectral_norm: wrap every ``Linear``, the last included, in spectral
            normalization, so each has operator norm at most 1 and (with
            1-Lipschitz activations) the whole MLP is 1-Lipschitz.

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
        widths = checks.positive_ints("widths", widths, example="[784, 128, 2]", one_entry=False)
        if len(widths) < 2:
            raise ValueError(f"an MLP needs at least an input and an output width, got {widths}.")
        make_activation(activation)  # an unknown name fails here, even with no hidden layer
        make_activation(output, "output")
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
            layers.append(make_activation(output if last else activation))
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
        check_input(self, x)
        return self._encode(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Reconstructions from codes: (B, latent_dim) -> (B, *input_shape)."""
        check_codes(self, z, "decode")
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

    Inputs of any shape are flattened for the encoder, and the decoder's output
    is reshaped back, so an MNIST model takes and returns (B, 1, 28, 28).

    Args:
        input_shape: the shape of one sample, e.g. ``3`` or ``(1, 28, 28)``.
        latent_dim: size of the code.
        hidden: encoder hidden widths, input side first; the decoder reverses them.
        activation: activation between layers.
        output: activation on the decoder's output (``"sigmoid"`` for pixels in
            [0, 1], ``"tanh"`` for [-1, 1], ``None`` for unbounded data).
        spectral_norm_decoder: spectral normalization on every decoder layer
            (the Lipschitz bound least-volume regularization needs).

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
        latent_dim = check_latent_dim(latent_dim)
        self.input_shape = _shape(input_shape)
        self.latent_dim = latent_dim
        hidden = check_hidden(hidden)
        make_activation(output, "output")  # named as the argument it came from
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
