"""An autoencoder with a classifier head: the model chapter 5 traverses.

The encoder's code ``z`` feeds two heads: the decoder, which rebuilds the
image, and a linear classifier, which names the digit. Training both at once
(:func:`aelab.train.supervised_objective`) asks the code to keep what the image looks
like *and* what class it is. The material loads such a model
("AutoencoderClassifier", latent size 16) from a file but never shows it;
this is one, written out.

Used in: chapter 5.
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .. import _arg_checks, _array_checks
from .mlp import MLPAutoencoder

__all__ = ["SupervisedAutoencoder"]


class SupervisedAutoencoder(MLPAutoencoder):
    """An MLP autoencoder whose code also feeds a linear classifier.

    ``encode`` and ``decode`` are those of :class:`~aelab.models.MLPAutoencoder`;
    ``classify(z)`` maps a code to class logits; ``forward(x)`` returns both
    outputs, ``(x_hat, logits)``.

    The arguments are :class:`~aelab.models.MLPAutoencoder`'s, and ``n_classes``.

    Used in: chapter 5.
    """

    def __init__(
        self,
        input_shape: int | Sequence[int],
        latent_dim: int = 16,
        n_classes: int = 10,
        hidden: Sequence[int] = (256, 128),
        activation: str | None = "relu",
        output: str | None = "sigmoid",
    ):
        n_classes = _arg_checks.int_at_least("n_classes", n_classes, 2)
        super().__init__(input_shape, latent_dim, hidden=hidden, activation=activation, output=output)
        self.config["n_classes"] = n_classes
        self.n_classes = n_classes
        # Linear on purpose: whatever separates the classes must be in the code itself.
        self.head = nn.Linear(latent_dim, n_classes)

    def classify(self, z: torch.Tensor) -> torch.Tensor:
        """Class logits of codes: (B, latent_dim) -> (B, n_classes). No softmax: the loss applies it."""
        _array_checks.model_codes(self, z, "classify")
        return self.head(z)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Reconstruction and logits of a batch: ``(x_hat (B, *input_shape), logits (B, n_classes))``."""
        z = self.encode(x)  # (B, latent_dim)
        return self.decode(z), self.classify(z)
