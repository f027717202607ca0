"""Helpers that several test files share: codes with given spreads (test_losses.py, metrics/test_volume.py,
plots/test_dimensions.py), the texts of a figure (plots/diagrams/), a fixed decoder (explore/), and two
small models (models/test_vae.py, models/test_supervised.py, test_objectives.py)."""

import io

import matplotlib.image
import numpy as np
import torch

from aelab import models, runtime


# --------------------------------------------------------------------------- codes with given spreads


def _codes_with_stds(stds, n=64, seed=0):
    """Codes whose columns have exactly the given (unbiased) standard deviations."""
    g = torch.Generator().manual_seed(seed)
    v = torch.randn(n, len(stds), generator=g, dtype=torch.float64)
    v = (v - v.mean(0)) / v.std(0)  # each column: mean 0, std 1
    return v * torch.tensor(stds, dtype=torch.float64)


# --------------------------------------------------------------------------- the texts of a figure


def _texts(fig) -> list[str]:
    """Every string drawn on the figure: figure texts, axes texts and titles."""
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_title()]
    return out


# --------------------------------------------------------------------------- a fixed decoder


W = torch.randn(3, 64, generator=torch.Generator().manual_seed(0))  # a fixed linear decoder, 3 -> 8 x 8


def decode(z: torch.Tensor) -> torch.Tensor:
    return torch.sigmoid(z @ W).view(len(z), 1, 8, 8)


def reference(z) -> np.ndarray:
    """What the decoder gives for one code, computed directly."""
    return torch.sigmoid(torch.as_tensor(z, dtype=torch.float32) @ W).view(8, 8).numpy()


def shown(image_widget) -> np.ndarray:
    """The grey levels of a widget's PNG, (H, W) in [0, 1]."""
    return matplotlib.image.imread(io.BytesIO(image_widget.value), format="png")[..., 0]


# --------------------------------------------------------------------------- two small models


def _vae(**kw):
    """A small seeded VAE on 6x6 images."""
    runtime.seed_everything(0)
    return models.VAE((1, 6, 6), latent_dim=3, hidden=(16, 8), output="tanh", **kw)


def _supervised(**kw):
    """A small supervised autoencoder on 8x8 images, three classes."""
    return models.SupervisedAutoencoder((1, 8, 8), latent_dim=4, n_classes=3, hidden=(16,), **kw)
