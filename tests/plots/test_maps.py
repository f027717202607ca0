"""aelab.plots.maps: decoded grids of the code space, latent maps, posterior ellipses."""

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.patches import Circle, Ellipse, Rectangle

from aelab import plots
from aelab.models import MLPAutoencoder
from aelab.plots.maps import _decoded_grid
from tests.mistakes import DECODE, LABELS, Z2, Z4, _cases, _check


def test_decoded_grid_puts_high_second_coordinate_on_top():
    n, h, w = 4, 3, 2
    # image k of the grid order (x fastest, y increasing) is filled with k
    images = np.arange(n * n, dtype=float)[:, None, None, None] * np.ones((1, 1, h, w))
    _, (xs, ys) = plots.code_grid(np.random.default_rng(0).normal(size=(100, 2)), n)
    ax = _decoded_grid(images, n, extent=(xs, ys), value_range=None)
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
    ax = _decoded_grid(torch.rand(9, 5, 5), 3, title="t")
    assert ax.images[0].get_array().shape == (15, 15) and not ax.axison
    with pytest.raises(ValueError, match="needs 9 images, got 8"):
        _decoded_grid(torch.rand(8, 5, 5), 3)


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
        plots.latent_map(MLPAutoencoder((1, 8, 8), latent_dim=3, hidden=(16,)).decode, torch.randn(10, 3))


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


# --------------------------------------------------------------------------- a student's mistakes (tests/mistakes.py)


MISTAKES = [
    ("decoded_grid-count", lambda: _decoded_grid(np.zeros((5, 4, 4)), 3), r"a 3 x 3 grid needs 9 images, got 5"),
    ("decoded_grid-extent", lambda: _decoded_grid(np.zeros((9, 4, 4)), 3, extent=(1, 2, 3)),
     r"extent must be the grid's axes \(xs, ys\) or \(x_min, x_max, y_min, y_max\), got 3 values"),
    ("decoded_grid-one-image", lambda: _decoded_grid(np.zeros((28, 28)), 2),
     r"pass a batch of one: image\[None\]"),
    ("latent_map-4d", lambda: plots.latent_map(DECODE, Z4),
     r"latent_map maps 2-D codes, an array of shape \(N, 2\), got \(30, 4\)"),
    ("latent_map-labels-length", lambda: plots.latent_map(DECODE, Z2, LABELS[:5], n=3), r"got 30 codes but 5 labels"),
    ("latent_map-grid-points-only", lambda: plots.latent_map(DECODE, Z2, grid=plots.code_grid(Z2, 3)[0]),
     r"grid must be the pair \(points, \(xs, ys\)\) that code_grid or normal_grid returns"),
    # fixed: "too many values to unpack"
    ("ellipses-logvar-shape", lambda: plots.posterior_ellipses(Z2, Z2[:5]),
     r"mu and logvar must have the same shape \(N, 2\), got \(30, 2\) and \(5, 2\)"),
    ("ellipses-k-0", lambda: plots.posterior_ellipses(Z2, Z2, k=0), r"k must be a positive number, got 0"),
    ("ellipses-labels-length", lambda: plots.posterior_ellipses(Z2, Z2, LABELS[:4]), r"got 30 codes but 4 labels"),
    ("ellipses-nan", lambda: plots.posterior_ellipses(Z2, np.full_like(Z2, np.nan)),
     r"found 60 NaN or infinite values in logvar"),  # fixed: drew no ellipses
]


@pytest.mark.parametrize("call, match, error", _cases(MISTAKES))
def test_plots_maps(call, match, error):
    _check(call, match, error)


def test_decoded_grid_on_normal_quantiles_ticks_each_tile_with_its_own_code():
    # normal_grid's codes are spaced unevenly while the tiles are even: a linear code
    # axis would label the tiles wrongly (by up to 0.23 at n = 15)
    n = 15
    _, (xs, ys) = plots.normal_grid(n)
    ax = _decoded_grid(np.zeros((n * n, 2, 2)), n, extent=(xs, ys))
    positions = ax.get_xticks()
    labels = [float(t.get_text().replace("\u2212", "-")) for t in ax.get_xticklabels()]
    assert len(positions) >= 3
    for position, label in zip(positions, labels):
        tile = int(round(position))  # tile i's centre sits at i
        assert position == tile
        assert label == pytest.approx(xs[tile], abs=0.01)
    assert "uneven" in ax.get_xlabel()
