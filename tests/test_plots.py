import matplotlib
import numpy as np
import pandas as pd
import pytest
import torch

from aelab import plots


def test_image_grid_accepts_every_layout():
    for imgs in (torch.rand(6, 1, 28, 28), torch.rand(6, 28, 28), torch.rand(6, 784), np.random.rand(6, 3, 8, 8)):
        fig = plots.image_grid(imgs, ncols=3, titles=list("abcdef"))
        assert isinstance(fig, matplotlib.figure.Figure)
        assert sum(ax.images != [] for ax in fig.axes) == 6
    _, ax = matplotlib.pyplot.subplots()
    assert plots.image_grid(torch.rand(4, 5, 5), ncols=2, ax=ax) is ax
    assert ax.images[0].get_array().shape == (11, 11)


def test_image_grid_bad_input():
    with pytest.raises(ValueError, match="as squares"):
        plots.image_grid(torch.rand(2, 10))
    with pytest.raises(ValueError, match="at least one image"):
        plots.image_grid(torch.rand(0, 4, 4))


def test_reconstructions_two_rows():
    fig = plots.reconstructions(torch.rand(12, 1, 4, 4), torch.rand(12, 1, 4, 4), n=5, title="t")
    assert len(fig.axes) == 10
    with pytest.raises(ValueError, match="differ in shape"):
        plots.reconstructions(torch.rand(3, 4, 4), torch.rand(3, 5, 5))


def test_training_curves_draws_train_and_test():
    h = pd.DataFrame({"epoch": [1, 2], "train_loss": [1.0, 0.5], "test_loss": [1.1, 0.6], "seconds": [0.1, 0.1]})
    ax = plots.training_curves(h)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="'epoch' column"):
        plots.training_curves(pd.DataFrame({"loss": [1.0]}))


def test_latent_scatter_2d_3d_and_labels():
    ax = plots.latent_scatter(torch.randn(50, 2), torch.randint(0, 3, (50,)))
    assert len(ax.collections) == 3  # one per label
    ax3 = plots.latent_scatter(np.random.randn(20, 3))
    assert ax3.name == "3d"
    with pytest.raises(ValueError, match=r"\(N, 2\) or \(N, 3\)"):
        plots.latent_scatter(torch.randn(5, 4))
    with pytest.raises(ValueError, match="50 codes but 10 labels"):
        plots.latent_scatter(torch.randn(50, 2), np.zeros(10))


def test_pairplot_makes_exactly_one_figure():
    before = len(matplotlib.pyplot.get_fignums())
    grid = plots.pairplot(torch.randn(30, 3), labels=np.arange(30) % 2, title="codes")
    assert len(matplotlib.pyplot.get_fignums()) == before + 1
    assert grid.axes.shape == (3, 3)
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        plots.pairplot(torch.randn(5))


def test_image_grid_title_sits_above_the_images_titles():
    fig = plots.image_grid(torch.rand(20, 1, 8, 8), ncols=10, titles=[str(i) for i in range(20)], title="Grid")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    top_of_image_titles = max(ax.title.get_window_extent(renderer).y1 for ax in fig.axes)
    assert fig._suptitle.get_text() == "Grid"
    assert fig._suptitle.get_window_extent(renderer).y0 >= top_of_image_titles


def test_one_unbatched_image_gets_a_hint():
    with pytest.raises(ValueError, match=r"pass a batch of one: image\[None\]"):
        plots.image_grid(torch.rand(28, 30))
