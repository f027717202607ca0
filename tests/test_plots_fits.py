"""The plots of chapters 1 and 2: regression fits, 3-D point clouds, codes by index, explained variance."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from aelab import data, plots


def test_regression_fit_draws_points_truth_and_curves():
    split = data.toy_regression(device="cpu")
    grid = torch.linspace(-1, 1, 50)[:, None]
    ax = plots.regression_fit(split, grid, {"a": np.zeros(50), "b": torch.ones(50, 1)},
                              truth=data.toy_function(grid), title="t")
    assert len(ax.lines) == 3 and len(ax.collections) == 2
    assert ax.get_title() == "t" and ax.get_xlabel() == "$x$"
    ax = plots.regression_fit(split, grid, np.zeros(50))  # one unnamed curve
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "prediction"
    with pytest.raises(ValueError, match="has 10 values for 50 grid points"):
        plots.regression_fit(split, grid, {"a": np.zeros(10)})


def test_point_cloud_with_reconstruction_and_connections():
    x = data.curve(n=20, device="cpu").x
    ax = plots.point_cloud(x, x * 0.9, color=np.arange(20), connect=True, title="c")
    assert ax.name == "3d" and ax.get_zlabel() == "$x_3$"
    assert len(ax.collections) == 2 and len(ax.lines) == 20
    fig = plt.figure()
    given = fig.add_subplot(projection="3d")
    assert plots.point_cloud(x, ax=given) is given
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        plots.point_cloud(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="differ in shape"):
        plots.point_cloud(x, x[:5])


def test_latent_index_one_line_per_dimension():
    ax = plots.latent_index(np.random.rand(30, 3), title="z")
    assert len(ax.lines) == 3 and ax.get_xlabel() == "sample index"
    assert len(plots.latent_index(np.random.rand(30)).lines) == 1
    with pytest.raises(ValueError, match="latent_index expects"):
        plots.latent_index(np.zeros((2, 3, 4)))


def test_explained_variance_bars_and_running_total():
    ax = plots.explained_variance([0.5, 0.3, 0.2], threshold=0.99)
    assert len(ax.patches) == 3
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.5, 0.8, 1.0])
    with pytest.raises(ValueError, match="1-D array"):
        plots.explained_variance(np.zeros((2, 2)))
