import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.patches import Circle, Ellipse, Rectangle
from scipy.stats import norm

from aelab import plots
from aelab.models import MLPAutoencoder


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


def test_decoded_grid_puts_high_second_coordinate_on_top():
    n, h, w = 4, 3, 2
    # image k of the grid order (x fastest, y increasing) is filled with k
    images = np.arange(n * n, dtype=float)[:, None, None, None] * np.ones((1, 1, h, w))
    _, (xs, ys) = plots.code_grid(np.random.default_rng(0).normal(size=(100, 2)), n)
    ax = plots.decoded_grid(images, n, extent=(xs, ys), value_range=None)
    tile = np.asarray(ax.images[0].get_array())
    assert tile.shape == (n * h, n * w)
    for r in range(n):  # r-th block row from the top
        for c in range(n):
            j, i = n - 1 - r, c  # top row = largest y, left column = smallest x
            assert np.all(tile[r * h : (r + 1) * h, c * w : (c + 1) * w] == j * n + i)
    # each image is centred on its code: the edges lie half a step outside the grid
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    np.testing.assert_allclose(ax.images[0].get_extent(), [xs[0] - dx / 2, xs[-1] + dx / 2,
                                                           ys[0] - dy / 2, ys[-1] + dy / 2])


def test_decoded_grid_without_extent_and_bad_counts():
    ax = plots.decoded_grid(torch.rand(9, 5, 5), 3, title="t")
    assert ax.images[0].get_array().shape == (15, 15) and not ax.axison
    with pytest.raises(ValueError, match="needs 9 images, got 8"):
        plots.decoded_grid(torch.rand(8, 5, 5), 3)


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


def test_latent_map_draws_codes_region_and_grid():
    model = MLPAutoencoder((1, 8, 8), latent_dim=2, hidden=(16,), output="sigmoid")
    codes, labels = torch.randn(200, 2), torch.randint(0, 10, (200,))
    fig = plots.latent_map(model.decode, codes, labels, n=5, batch_size=4)
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 2
    scatter_ax, grid_ax = fig.axes
    assert any(isinstance(p, Rectangle) and p.get_linestyle() == "--" for p in scatter_ax.patches)
    assert grid_ax.images[0].get_array().shape == (40, 40)
    # the rectangle and the tiled image cover the same region
    rect = next(p for p in scatter_ax.patches if p.get_linestyle() == "--")
    x0, y0 = rect.get_xy()
    np.testing.assert_allclose([x0, x0 + rect.get_width(), y0, y0 + rect.get_height()],
                               grid_ax.images[0].get_extent())
    # a VAE's map on the prior's grid
    fig = plots.latent_map(model.decode, codes, grid=plots.normal_grid(4))
    assert fig.axes[1].images[0].get_array().shape == (32, 32)


def test_latent_map_refuses_codes_that_are_not_2d():
    with pytest.raises(ValueError, match=r"latent_map maps 2-D codes, an array of shape \(N, 2\), got \(10, 3\)"):
        plots.latent_map(linear_decoder(3), torch.randn(10, 3))


def test_posterior_ellipses_have_k_sigma_half_widths():
    mu = torch.tensor([[0.0, 0.0], [1.0, -1.0], [2.0, 0.5]])
    logvar = torch.log(torch.tensor([[0.25, 1.0], [1.0, 4.0], [0.01, 0.01]]))
    ax = plots.posterior_ellipses(mu, logvar, labels=[0, 1, 1], k=2.0)
    ellipses = [p for p in ax.patches if isinstance(p, Ellipse) and not isinstance(p, Circle)]
    assert len(ellipses) == 3
    np.testing.assert_allclose([(e.width, e.height) for e in ellipses], [[2.0, 4.0], [4.0, 8.0], [0.4, 0.4]],
                               rtol=1e-6)
    np.testing.assert_allclose([e.center for e in ellipses], mu.numpy())
    radii = sorted(p.radius for p in ax.patches if isinstance(p, Circle))
    assert radii == [1.0, 2.0]  # the prior's 1-sigma and k-sigma circles


def test_posterior_ellipses_subsample_and_bad_shapes():
    mu, logvar = torch.randn(50, 2), torch.randn(50, 2)
    ax = plots.posterior_ellipses(mu, logvar, max_points=10)
    assert sum(isinstance(p, Ellipse) and not isinstance(p, Circle) for p in ax.patches) == 10
    with pytest.raises(ValueError, match="same shape"):
        plots.posterior_ellipses(mu, logvar[:, :1])
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        plots.posterior_ellipses(torch.randn(5, 3), torch.randn(5, 3))
