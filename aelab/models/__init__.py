"""The networks of the course, one submodule per family, all importable from here.

Every autoencoder has ``encode(x)``, ``decode(z)`` and ``forward(x)``; sizes
are constructor arguments, kept in ``model.config``; ``model.input_shape`` is
the shape of one sample, and a batch of another shape is refused in one
sentence.

Used in: chapters 1-6.
"""

from .mlp import ACTIVATIONS, MLP, Autoencoder, MLPAutoencoder  # noqa: F401
from .vae import VAE, interpolate  # noqa: F401
from .supervised import SupervisedAutoencoder  # noqa: F401
from .conv import ConvAutoencoder  # noqa: F401
from .heads import ClassifierHead, PCAEncoder  # noqa: F401
from .size import count_parameters  # noqa: F401

__all__ = [
    "ACTIVATIONS", "MLP", "Autoencoder", "MLPAutoencoder", "VAE",
    "interpolate", "SupervisedAutoencoder", "ConvAutoencoder", "ClassifierHead",
    "PCAEncoder", "count_parameters",
]
