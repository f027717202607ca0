"""A student's mistakes get one clear sentence; nothing is silently wrong.

Each case is a mistaken call a student makes, and each test checks the
error's type and that its message names the argument and what was expected:
a ``match=`` that the cryptic message of torch, NumPy, pandas, scikit-learn or
matplotlib would fail. Every call was first tried on the code as it was; the
ones marked ``# fixed`` raised from inside a library (a ``TypeError`` from
``int()``, a ``KeyError`` from pandas...), gave an aelab message naming the
wrong cause, or drew or returned a wrong result without a word. The fixes are
at the public functions, with the shared helpers of the private
:mod:`aelab._arg_checks` and :mod:`aelab._array_checks`.

======================  =====  =============  =====
family                  tried  already clear  fixed
======================  =====  =============  =====
estimators                 39             32      7
models                     61             43     18
plots.images               23             11     12
plots.training              9              3      6
plots.latents              25             13     12
plots.fits                 18              8     10
plots.disentanglement      11              5      6
plots.maps                 22             16      6
plots.diagrams             12             11      1
explore                    24             18      6
total                     244            160     84
======================  =====  =============  =====

Seven of the clear ones now read better and their cases pin the new words
(``activation-class``, ``output-unknown``, ``pca-fit-1d``, the three
``hinton`` refusals, ``sliders_snapshot-dims-range``): run against the code as
it was, exactly the 84 fixed cases and these 7 fail.

Two more image calls were tried: a (N, H, W, 4) RGBA batch is valid input and
is no case here; one unbatched square image whose side is itself a square
number (a 16 x 16 image) cannot be told apart from 16 flattened 4 x 4 images,
and was drawn as those: ``image_grid`` now refuses it, naming both readings
(``grid-one-square-image`` in tests/plots/test_images.py, found later with
other cases there and in tests/data, tests/metrics, not counted in the table).

The cases live with the tests of the module whose public function raises,
at the end of that module's test file, as ``MISTAKES`` and one test named
after its family in the table (``test_models`` in tests/models/test_mlp.py,
test_vae.py, test_conv.py, test_heads.py and test_supervised.py), so that
``pytest -k test_models`` still runs one family. This module holds what the
cases share: their inputs and ``_cases``, ``_check``.
"""

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch

from aelab.data import Split
from aelab.estimators import AutoencoderEstimator
from aelab.models import VAE, MLPAutoencoder

_rng = np.random.default_rng(0)
X = _rng.normal(size=(20, 3)).astype(np.float32)  # 20 samples, 3 features
X_NAN = X.copy()
X_NAN[2, 1] = np.nan
IMAGE = _rng.random((28, 28))  # one image, not a batch
IMAGES = _rng.random((6, 28, 28))
Z2 = _rng.normal(size=(30, 2))  # 2-D codes
Z4 = _rng.normal(size=(30, 4))
Z4_NAN = np.where(Z4 > 1, np.nan, Z4)
LABELS = np.arange(30) % 3
HISTORY = pd.DataFrame({"epoch": [1, 2], "train_loss": [1.0, 0.5]})
SPLIT = Split(torch.zeros(5, 1), torch.zeros(5, 1), torch.zeros(3, 1), torch.zeros(3, 1))
QUICK = dict(epochs=1, batch_size=None)
AE = MLPAutoencoder(3, 2, hidden=(4,))
VAE4 = VAE(4, 2, hidden=(4,))
DECODE = MLPAutoencoder(16, 2, hidden=(4,)).decode  # 2-D codes -> 16 pixels (4 x 4 images)
ACTIVATIONS = "relu, leaky_relu, elu, gelu, silu, tanh, sigmoid, softplus, identity"
NAN_PIXELS = r"a NaN pixel would be drawn as a blank"  # plots.images
NAN_CODES = r"a NaN code cannot be drawn"  # plots.latents, plots.dimensions


@functools.cache
def _fitted() -> AutoencoderEstimator:
    return AutoencoderEstimator(2, **QUICK).fit(X)


def _axes():
    return plt.subplots()[1]


def _cases(rows):
    """pytest params from rows ``(id, call, match)`` or ``(id, call, match, error type)``."""
    return [pytest.param(row[1], row[2], row[3] if len(row) > 3 else ValueError, id=row[0]) for row in rows]


def _check(call, match, error):
    with pytest.raises(error, match=match):
        call()
