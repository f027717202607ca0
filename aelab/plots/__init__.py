"""Figures. Each helper takes data (tensors or arrays) and an optional ``ax``,
and returns the figure or the axes; none reaches into a model or a trainer.

One submodule per kind of figure, all importable from here: ``images``
(grids and rows of images), ``training`` (loss curves), ``latents`` (where
the codes lie), ``dimensions`` (each latent dimension's spread, covariance
and values), ``grids`` (regular grids of 2-D codes, decoding codes),
``maps`` (what a decoder draws over a 2-D code space, a VAE's posteriors),
``fits`` (how well a model fits its data), ``disentanglement`` (Hinton
diagrams, traversal effects) and the package ``diagrams`` (the models
themselves, drawn).

Used in: chapters 0-6.
"""

from .images import image_grid, image_rows, reconstructions, traversal_grid  # noqa: F401
from .training import history_comparison, training_curves  # noqa: F401
from .latents import latent_scatter, mark_points, pairplot, tsne, tsne_scatter  # noqa: F401
from .dimensions import covariance, latent_index, latent_stds  # noqa: F401
from .fits import explained_variance, parity, point_cloud, pruning_curve, regression_fit  # noqa: F401
from .disentanglement import effect_spread, hinton  # noqa: F401
from .diagrams import (  # noqa: F401
    autoencoder_diagram, conv_shapes, conv_shapes_diagram, least_volume_diagram, vae_diagram,
)
from .grids import code_grid, decode_codes, normal_grid  # noqa: F401
from .maps import latent_map, posterior_ellipses  # noqa: F401

__all__ = [
    "image_grid", "image_rows", "reconstructions", "traversal_grid", "history_comparison",
    "training_curves", "latent_scatter", "mark_points", "pairplot", "tsne", "tsne_scatter", "covariance",
    "latent_index", "latent_stds", "explained_variance", "parity", "point_cloud", "pruning_curve",
    "regression_fit", "effect_spread", "hinton", "autoencoder_diagram", "conv_shapes",
    "conv_shapes_diagram", "least_volume_diagram", "vae_diagram", "code_grid", "decode_codes",
    "normal_grid", "latent_map", "posterior_ellipses",
]
