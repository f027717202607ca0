"""Figures. Each helper takes data (tensors or arrays) and an optional ``ax``,
and returns the figure or the axes; none reaches into a model or a trainer.

One submodule per kind of figure, all importable from here: ``images``
(grids and rows of images), ``training`` (loss curves), ``latents`` (where
the codes lie), ``maps`` (what a decoder draws over a 2-D code space, a
VAE's posteriors), ``fits`` (how well a model fits its data),
``disentanglement`` (Hinton diagrams, traversal effects) and ``diagrams``
(the models themselves, drawn).

Used in: chapters 0-6.
"""

from ..runtime import to_numpy  # noqa: F401  (kept here: chapters call plots.to_numpy)
from .images import image_grid, image_rows, reconstructions, traversal_grid  # noqa: F401
from .training import history_comparison, training_curves  # noqa: F401
from .latents import (  # noqa: F401
    covariance,
    latent_index,
    latent_scatter,
    latent_stds,
    mark_points,
    pairplot,
    tsne,
    tsne_scatter,
)
from .fits import explained_variance, parity, point_cloud, pruning_curve, regression_fit  # noqa: F401
from .disentanglement import effect_spread, hinton  # noqa: F401
from .diagrams import autoencoder_diagram, conv_shapes, conv_shapes_diagram, least_volume_diagram, vae_diagram  # noqa: F401
from .maps import code_grid, decode_codes, decoded_grid, latent_map, normal_grid, posterior_ellipses  # noqa: F401
