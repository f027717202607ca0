"""A convolutional autoencoder for 28 x 28 single-channel images (MNIST).

The architecture is the one of chapter 3's source: three strided convolutions
take the image from 28 x 28 to 14 x 14, 7 x 7 and 3 x 3, two linear layers
squeeze the 32 x 3 x 3 feature maps into the code, and the decoder mirrors it
all with transposed convolutions. The decoder ends in one sigmoid, so
``decode`` already returns pixels in [0, 1]: nothing more is applied to them.

Used in: chapter 3.
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .. import _arg_checks
from .mlp import Autoencoder

__all__ = ["ConvAutoencoder"]


def _dense(widths: list[int]) -> list[nn.Module]:
    """Linear layers from widths[0] through widths[-1], each followed by a ReLU."""
    return [module for n_in, n_out in zip(widths, widths[1:]) for module in (nn.Linear(n_in, n_out), nn.ReLU())]


def _norm(channels: int, batch_norm: bool) -> list[nn.Module]:
    return [nn.BatchNorm2d(channels)] if batch_norm else []


class ConvAutoencoder(Autoencoder):
    """Convolutional encoder and transposed-convolution decoder for (1, 28, 28) images.

    Shapes, with the default ``channels=(8, 16, 32)``::

        encoder: (B, 1, 28, 28) -conv s2-> (B, 8, 14, 14) -conv s2-> (B, 16, 7, 7)
                 -conv s2, no padding-> (B, 32, 3, 3) -flatten-> (B, 288)
                 -linear-> (B, 128) -linear-> (B, latent_dim)
        decoder: the mirror image, ending in a sigmoid: (B, latent_dim) -> (B, 1, 28, 28)

    Every convolution is 3 x 3 with a ReLU after it, except the last one of the
    decoder. With ``batch_norm=True`` a ``BatchNorm2d`` follows the encoder's
    second convolution and the decoder's first two, as in the source.

    Args:
        latent_dim: size of the code (10 in the source, one per digit class,
            although nothing forces a dimension to mean a class).
        channels: feature maps of the three encoder convolutions.
        hidden: widths of the linear layers between the feature maps and the
            code, as for :class:`aelab.models.MLPAutoencoder` (one layer of 128
            by default, as in the source; ``()`` for none).
        batch_norm: include the BatchNorm layers (chapter 3 has an exercise without).

    Used in: chapter 3.
    """

    input_shape = (1, 28, 28)

    def __init__(
        self,
        latent_dim: int = 10,
        channels: Sequence[int] = (8, 16, 32),
        hidden: Sequence[int] = (128,),
        batch_norm: bool = True,
    ):
        super().__init__()
        latent_dim = _arg_checks.positive_int("latent_dim", latent_dim)
        channels = _arg_checks.positive_ints("channels", channels, example="(8, 16, 32)", one_entry=False)
        if len(channels) != 3:
            raise ValueError(f"channels must be three positive numbers of feature maps, got {channels}.")
        hidden = _arg_checks.positive_ints("hidden", hidden)
        self.latent_dim = latent_dim
        self.config = dict(latent_dim=latent_dim, channels=channels, hidden=hidden, batch_norm=batch_norm)
        c1, c2, c3 = channels
        flat = c3 * 3 * 3

        self.encoder = nn.Sequential(
            nn.Conv2d(1, c1, 3, stride=2, padding=1), nn.ReLU(),  # 28 -> 14
            nn.Conv2d(c1, c2, 3, stride=2, padding=1), *_norm(c2, batch_norm), nn.ReLU(),  # 14 -> 7
            nn.Conv2d(c2, c3, 3, stride=2, padding=0), nn.ReLU(),  # 7 -> 3
            nn.Flatten(),  # (B, c3 * 9)
            *_dense([flat, *hidden]),
            nn.Linear(hidden[-1] if hidden else flat, latent_dim),  # the code: no activation, any real value
        )
        self.decoder = nn.Sequential(
            *_dense([latent_dim, *reversed(hidden), flat]),
            nn.Unflatten(1, (c3, 3, 3)),
            nn.ConvTranspose2d(c3, c2, 3, stride=2), *_norm(c2, batch_norm), nn.ReLU(),  # 3 -> 7
            nn.ConvTranspose2d(c2, c1, 3, stride=2, padding=1, output_padding=1),  # 7 -> 14
            *_norm(c1, batch_norm), nn.ReLU(),
            nn.ConvTranspose2d(c1, 1, 3, stride=2, padding=1, output_padding=1),  # 14 -> 28
            nn.Sigmoid(),  # the one and only sigmoid: pixels in [0, 1]
        )

    def _encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)  # (B, 1, 28, 28) -> (B, latent_dim)

    def _decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)  # (B, latent_dim) -> (B, 1, 28, 28)
