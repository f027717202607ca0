"""Grids of 2-D codes and decoding them (aelab.plots.grids)."""

import numpy as np
import pytest
import torch
from scipy.stats import norm

from aelab import plots
from tests.mistakes import AE, DECODE, Z2, Z4, _cases, _check


def linear_decoder(latent_dim: int = 2, side: int = 8, seed: int = 0):
    """A fixed random linear map from codes to side x side images, through a sigmoid."""
    w = torch.randn(latent_dim, side * side, generator=torch.Generator().manual_seed(seed))

    def decode(z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(z @ w).view(len(z), 1, side, side)  # (M, 1, side, side)

    return decode


def test_code_grid_spans_the_quantiles_widened_by_the_margin():
    codes = np.random.default_rng(0).normal(size=(1000, 2)) * [1.0, 3.0]
    codes[:5] = 1e3  # outliers must not stretch the grid
    points, (xs, ys) = plots.code_grid(codes, n=7, margin=0.1, quantiles=(0.05, 0.95))
    assert points.shape == (49, 2) and xs.shape == ys.shape == (7,)
    lo, hi = np.quantile(codes, [0.05, 0.95], axis=0)
    span = hi - lo
    np.testing.assert_allclose([xs[0], ys[0]], lo - 0.1 * span)
    np.testing.assert_allclose([xs[-1], ys[-1]], hi + 0.1 * span)
    np.testing.assert_allclose(np.diff(xs), np.diff(xs)[0])  # evenly spaced
    # x fastest, y increasing: points[j * n + i] = (xs[i], ys[j])
    np.testing.assert_array_equal(points[3 * 7 + 5], [xs[5], ys[3]])


def test_code_grid_of_equal_codes_is_a_unit_square_around_them():
    _, (xs, ys) = plots.code_grid(np.full((10, 2), 2.0), n=3, margin=0.0)
    np.testing.assert_allclose([xs[0], xs[-1], ys[0], ys[-1]], [1.5, 2.5, 1.5, 2.5])


def test_code_grid_bad_arguments():
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plots.code_grid(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="quantiles"):
        plots.code_grid(np.zeros((10, 2)), quantiles=(0.9, 0.1))
    with pytest.raises(ValueError, match="at least 2"):
        plots.code_grid(np.zeros((10, 2)), n=1)


def test_normal_grid_matches_the_normal_inverse_cdf():
    points, (xs, ys) = plots.normal_grid(n=9, eps=0.05)
    assert points.shape == (81, 2)
    np.testing.assert_allclose(xs, norm.ppf(np.linspace(0.05, 0.95, 9)), atol=1e-12)
    np.testing.assert_allclose(xs, -xs[::-1], atol=1e-12)  # symmetric about 0
    np.testing.assert_array_equal(xs, ys)
    with pytest.raises(ValueError, match="eps"):
        plots.normal_grid(eps=0.5)


def test_decode_codes_batches_without_gradients_and_matches_the_decoder():
    decode = linear_decoder()
    sizes = []

    def spy(z):
        assert not torch.is_grad_enabled()
        sizes.append(len(z))
        return decode(z)

    z = np.random.default_rng(0).normal(size=(20, 2))
    out = plots.decode_codes(spy, z, batch_size=7)
    assert sizes == [7, 7, 6]
    np.testing.assert_allclose(out, decode(torch.as_tensor(z, dtype=torch.float32)).numpy(), atol=1e-6)


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("code_grid-3d", lambda: plots.code_grid(Z4[:, :3]),
     r"code_grid maps 2-D codes, an array of shape \(N, 2\), got \(30, 3\).*codes\[:, :2\]"),
    ("code_grid-n-1", lambda: plots.code_grid(Z2, 1), r"n must be at least 2 points per axis, got 1"),
    ("code_grid-quantiles-scalar", lambda: plots.code_grid(Z2, quantiles=0.5),
     r"quantiles must be a pair \(low, high\) with 0 <= low < high <= 1.*got 0.5"),
    # fixed: TypeError cannot unpack non-iterable float
    ("code_grid-quantiles-order", lambda: plots.code_grid(Z2, quantiles=(0.9, 0.1)),
     r"quantiles must satisfy 0 <= low < high <= 1, got \(0.9, 0.1\)"),
    ("code_grid-nan", lambda: plots.code_grid(np.where(Z2 > 1, np.nan, Z2)),
     r"NaN or infinite values in the codes given to code_grid"),  # fixed: a grid of NaN
    ("code_grid-empty", lambda: plots.code_grid(np.zeros((0, 2))),
     r"code_grid maps 2-D codes, an array of shape \(N, 2\), got \(0, 2\)"),
    ("normal_grid-eps", lambda: plots.normal_grid(5, 0.6), r"eps must be a number strictly between 0 and 0.5, got 0.6"),
    ("normal_grid-n-string", lambda: plots.normal_grid("5"), r"n must be a positive integer, got '5'"),
    ("decode_codes-model", lambda: plots.decode_codes(AE, Z2),
     r"decode must be the decoder, model.decode, not the MLPAutoencoder itself"),
    # fixed: the model encoded the codes and blamed their shape as inputs
    ("decode_codes-1d", lambda: plots.decode_codes(DECODE, np.zeros(2)),
     r"codes must be a non-empty \(M, latent_dim\) batch, got \(2,\)"),
    ("decode_codes-wrong-width", lambda: plots.decode_codes(DECODE, Z4),
     r"MLPAutoencoder.decode expects codes of shape \(batch, 2\), got \(30, 4\)"),
    ("decode_codes-nan", lambda: plots.decode_codes(DECODE, np.full((2, 2), np.nan)),
     r"found 4 NaN or infinite values in codes; a NaN code decodes to a NaN image"),  # fixed: NaN images
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_maps(call, match, error):
    _check(call, match, error)
