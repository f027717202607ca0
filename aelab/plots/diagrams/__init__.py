"""Diagrams drawn by code: the architectures of the course and the idea of
least volume, drawn with matplotlib alone.

One submodule per kind of diagram, all importable from here (and from
:mod:`aelab.plots`): ``autoencoders`` (the MLP autoencoder and the VAE),
``conv`` (the shapes through a convolutional autoencoder, measured from the
model) and ``least_volume``; ``_draw`` holds the drawing primitives and the
colours (``COLOURS``) they all share.

Used in: chapters 3, 4 and 6.
"""

from ._draw import COLOURS  # noqa: F401
from .autoencoders import autoencoder_diagram, vae_diagram  # noqa: F401
from .conv import conv_shapes, conv_shapes_diagram  # noqa: F401
from .least_volume import least_volume_diagram  # noqa: F401

__all__ = [
    "COLOURS", "autoencoder_diagram", "vae_diagram", "conv_shapes", "conv_shapes_diagram",
    "least_volume_diagram",
]
