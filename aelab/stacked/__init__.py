"""Many seeds for the price of one: train S independent copies of a small model at once.

A claim about training holds only if it holds over seeds, and the book's
models are small enough that one run leaves the hardware idle between tiny
kernels. :func:`fit_seeds` builds one model per seed and copies their weights
into one *stacked* model whose every ``Linear`` carries a leading seed
dimension: a weight of shape (S, out, in), applied to inputs of shape
(S, B, in) by one batched matrix multiply. Each seed keeps its own initial
weights, its own data order and its own optimiser state (Adam and SGD act
elementwise, so one optimiser over the stacked tensors updates every seed as
if it trained alone), and the result equals :func:`aelab.train.fit` run seed
by seed, up to float rounding (``tests/stacked/test_seeds.py`` checks it).

The stacked model (``StackedLinear``, ``StackedMLP``, ``StackedAutoencoder``
and ``stack``, which copies S models into one) is private, in ``_layers.py``;
``seeds.py`` holds :func:`fit_seeds` and the view of one seed its objective sees.

Used in: chapters 2 and 6 (spreads over seeds).
"""

from .seeds import fit_seeds  # noqa: F401

__all__ = ["fit_seeds"]
