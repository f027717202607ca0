"""Grids of 2-D codes and decoding them (aelab.plots.grids)."""

import numpy as np
import pytest
import torch
from scipy.stats import norm

from aelab import plots


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
