"""aelab.explore._callbacks: the image of one code, and of one code with one dimension set."""

import numpy as np
import pytest
import torch

from aelab.explore._callbacks import decode_point, traverse_one
from aelab.models import MLPAutoencoder
from tests.helpers import decode, reference
from tests.mistakes import DECODE, Z2, _cases, _check


def test_decode_point_is_the_decoders_image():
    z = [0.5, -1.0, 2.0]
    out = decode_point(decode, z)
    assert out.shape == (8, 8)
    np.testing.assert_allclose(out, reference(z), atol=1e-6)
    np.testing.assert_allclose(decode_point(decode, torch.tensor([z])), reference(z), atol=1e-6)


def test_traverse_one_sets_one_dimension_only():
    z = np.array([0.5, -1.0, 2.0])
    out = traverse_one(decode, z, 1, 3.0)
    np.testing.assert_allclose(out, reference([0.5, 3.0, 2.0]), atol=1e-6)
    np.testing.assert_array_equal(z, [0.5, -1.0, 2.0])  # the caller's code is untouched


def test_callbacks_refuse_bad_codes_and_dims():
    model = MLPAutoencoder((1, 8, 8), latent_dim=2, hidden=(16,))
    with pytest.raises(ValueError, match=r"z must be one code of shape \(2,\), got \(3,\)"):
        decode_point(model.decode, [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="one code"):
        decode_point(decode, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="dim must be an index of the code, 0 to 2, got 3"):
        traverse_one(decode, [0.0, 0.0, 0.0], 3, 1.0)


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("decode_point-length", lambda: decode_point(DECODE, np.zeros(3)),
     r"z must be one code of shape \(2,\), got \(3,\)"),
    ("decode_point-nan", lambda: decode_point(DECODE, [np.nan, 0]), r"z must hold finite numbers, got \[nan"),
    ("decode_point-batch", lambda: decode_point(DECODE, Z2),
     r"z must be one code of shape \(2,\), got \(30, 2\)"),
    ("decode_point-none", lambda: decode_point(None, [0, 0]),
     r"decode must be a function from codes to images, such as model.decode, got NoneType"),
    ("traverse_one-dim", lambda: traverse_one(DECODE, [0, 0], 2, 1.0),
     r"dim must be an index of the code, 0 to 1, got 2"),
    ("traverse_one-value-string", lambda: traverse_one(DECODE, [0, 0], 0, "1.0"),
     r"value must be a finite number, got '1.0'"),  # fixed: NumPy "ufunc 'isfinite' not supported"
    ("traverse_one-value-none", lambda: traverse_one(DECODE, [0, 0], 0, None),
     r"value must be a finite number, got None"),  # fixed: NumPy "ufunc 'isfinite' not supported"
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_explore(call, match, error):
    _check(call, match, error)
